// Every reader of a saved API response, found by its file's service and operation. A new service is a
// module of readers beside this one, listed here.
import { appstreamReaders } from './appstream.ts';
import { cloudtrailReaders } from './cloudtrail.ts';
import { configReaders } from './config.ts';
import { iamReaders } from './iam.ts';
import { macie2Readers } from './macie2.ts';
import type { ApiFile, OperationReader } from './types.ts';
import { workspacesReaders } from './workspaces.ts';

export const operationReaders: readonly OperationReader[] = [...configReaders, ...workspacesReaders, ...macie2Readers, ...cloudtrailReaders, ...iamReaders, ...appstreamReaders];

const byApi = new Map(operationReaders.map((r) => [`${r.service}:${r.operation}`, r]));
if (byApi.size !== operationReaders.length) throw new Error('two readers registered for one service and operation');

/** The services whose responses are read, as they appear in aws/<account>/<region>/<service>/. */
export const readServices: readonly string[] = [...new Set(operationReaders.map((r) => r.service))];

const apiFilePattern = new RegExp(`^aws/(\\d{12})/([a-z0-9-]+)/(${readServices.join('|')})/(.+)\\.json(\\.gz)?$`);

/** The account, region, service and operation a file's path names; undefined when it is not a response of a service read here. */
export function parseApiFile(rel: string): ApiFile | undefined {
  const m = apiFilePattern.exec(rel);
  if (!m) return undefined;
  const [, account, region, service, path] = m as unknown as [string, string, string, string, string];
  const slash = path.indexOf('/');
  return { rel, account, region, service, path, operation: slash < 0 ? path : path.slice(0, slash), rest: slash < 0 ? '' : path.slice(slash + 1) };
}

/** The reader of the file's service and operation, when its name has the shape the reader expects. */
export function readerFor(file: ApiFile): OperationReader | undefined {
  const reader = byApi.get(`${file.service}:${file.operation}`);
  if (!reader) return undefined;
  const hasRest = file.path.length > file.operation.length;
  const fits = { nothing: !hasRest, 'one-name': hasRest && !file.rest.includes('/'), 'any-path': hasRest }[reader.after];
  return fits ? reader : undefined;
}
