import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ci, judge, missing } from '../../../../test/check-fixtures.ts';
import { check } from './check.ts';

describe('appstream-fleet-network-isolation', () => {
  it('on AWS::AppStream::Fleet items: in a VPC without default internet access passes', () => {
    assert.equal(judge(check, ci('analyst-fleet')).status, 'pass');
    const open = judge(check, ci('dev-fleet'));
    assert.equal(open.status, 'fail');
    assert.match(open.message, /^not in a VPC; default internet access on:/);
    const inVpcButOpen = judge(
      check,
      ci('analyst-fleet', (c) => {
        c.configuration.EnableDefaultInternetAccess = true;
      }),
    );
    assert.match(inVpcButOpen.message, /^default internet access on: fleet in 2 subnet\(s\)/);
    missing(
      check,
      ci('analyst-fleet', (c) => delete c.configuration.EnableDefaultInternetAccess),
      /EnableDefaultInternetAccess/,
    );
  });
});
