// Readers of Amazon WorkSpaces' responses: the directories' settings, which AWS Config does not record.
import { compileSchema } from '../../core/data-file.ts';
import { pages } from '../config-items.ts';
import { apiResourceTypes } from '../read-service-apis.ts';
import { workspaceDirectoriesSchema } from '../schemas.ts';
import { serviceResponse } from './service-records.ts';
import type { OperationReader } from './types.ts';

const validDirectories = compileSchema<any>(workspaceDirectoriesSchema);

export const workspacesReaders: OperationReader[] = [
  {
    service: 'workspaces',
    operation: 'DescribeWorkspaceDirectories',
    after: 'nothing',
    async read(ctx, file) {
      const { record, everyPage } = serviceResponse(ctx, file);
      const all = pages(await ctx.read(file.rel, 'aws-response'));
      everyPage(all, validDirectories);
      all.flatMap((page) => page.Directories).forEach((d: any, i: number) => record(apiResourceTypes.workspacesDirectory, d.DirectoryId, d, `/Directories/${i}`, { name: d.DirectoryName ?? d.Alias }));
    },
  },
];
