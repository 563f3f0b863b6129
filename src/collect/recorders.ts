// Each region's AWS Config recorders and whether they run: read in the collector's own account, or in each
// member account through the assumed role, where they (not the aggregator's source status) tell whether
// configuration is being recorded.
import { DescribeConfigurationRecordersCommand, DescribeConfigurationRecorderStatusCommand, type ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { CallScope, CollectionSession } from './session.ts';

/** The two recorder reads for one account and region, saved under aws/<account>/<region>/config/. */
export function recorderReads(session: CollectionSession, scope: CallScope, config: ConfigServiceClient, limit: <T>(fn: () => Promise<T>) => Promise<T>): Promise<unknown>[] {
  const at = (rel: string) => `aws/${scope.account}/${scope.region}/config/${rel}`;
  return [
    limit(() => session.one('config:DescribeConfigurationRecorders', scope, at('DescribeConfigurationRecorders.json'), () => config.send(new DescribeConfigurationRecordersCommand({})))),
    limit(() =>
      session.one('config:DescribeConfigurationRecorderStatus', scope, at('DescribeConfigurationRecorderStatus.json'), () => config.send(new DescribeConfigurationRecorderStatusCommand({}))),
    ),
  ];
}
