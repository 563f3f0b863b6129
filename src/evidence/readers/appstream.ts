// Readers of Amazon AppStream 2.0's responses: stack settings AWS Config's stack item lacks.
import { compileSchema } from '../../core/data-file.ts';
import { pages } from '../config-items.ts';
import { apiResourceTypes } from '../read-service-apis.ts';
import { describeStacksSchema } from '../schemas.ts';
import { serviceResponse } from './service-records.ts';
import type { OperationReader } from './types.ts';

const validStacks = compileSchema<any>(describeStacksSchema);

export const appstreamReaders: OperationReader[] = [
  {
    service: 'appstream',
    operation: 'DescribeStacks',
    after: 'nothing',
    async read(ctx, file) {
      const { record, everyPage } = serviceResponse(ctx, file);
      const all = pages(await ctx.read(file.rel, 'aws-response'));
      everyPage(all, validStacks);
      all.flatMap((page) => page.Stacks).forEach((s: any, i: number) => record(apiResourceTypes.appstreamStackSettings, s.Name, s, `/Stacks/${i}`, { name: s.Name, arn: s.Arn }));
    },
  },
];
