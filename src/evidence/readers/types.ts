// What a reader of one saved API response is given and what it declares: the service and operation
// whose files it reads (aws/<account>/<region>/<service>/<operation>[/<name>].json).
import type { Resource, Snapshot } from '../types.ts';
import type { ConfigJoins } from './config-joins.ts';

/** One saved API response, named by its place in the evidence directory. */
export interface ApiFile {
  /** Its path in the evidence directory. */
  rel: string;
  account: string;
  region: string;
  service: string;
  /** The operation, as the first name after the service. */
  operation: string;
  /** What follows the operation in the path ("" when nothing does), e.g. a trail or a rule name. */
  rest: string;
  /** The operation and what follows it, as the path gives it (how errors name the response). */
  path: string;
}

export interface ReaderContext {
  snapshot: Snapshot;
  /** Reads the file whole (checked by `validate` when given), lists it as evidence and hands it to the copies. */
  read<T>(rel: string, kind: string, validate?: any): Promise<T>;
  /** The path errors name for a file. */
  shown(rel: string): string;
  /** Throws, naming the file, when an account or region is outside snapshot.json's scope. */
  inScope(file: string, account: string, region: string): void;
  /** A resource or record the checks read; the same key counts once. */
  addResource(r: Resource): void;
  /** Streams an (Aggregate)SelectResourceConfig file's rows to addResource, a page at a time; a row counts when `admit` takes its key. */
  selectPages(rel: string, api: string, admit?: (key: string) => boolean): Promise<void>;
  /** What AWS Config's files say about each other, joined once every file is read. */
  joins: ConfigJoins;
}

/**
 * What follows the operation in a file's name: nothing (<operation>.json), one name (<operation>/<name>.json,
 * e.g. a trail), or any path (<operation>/<...>.json).
 */
export type AfterOperation = 'nothing' | 'one-name' | 'any-path';

export interface OperationReader {
  service: string;
  operation: string;
  after: AfterOperation;
  read(ctx: ReaderContext, file: ApiFile): Promise<void>;
}
