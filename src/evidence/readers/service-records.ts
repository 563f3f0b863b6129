// The records read from services whose evidence AWS Config does not hold: each saved response is listed
// among the API responses and turned into records the checks read like resources.
import { InputError } from '../../core/errors.ts';
import { resourceKey } from '../config-items.ts';
import type { Resource } from '../types.ts';
import type { ApiFile, ReaderContext } from './types.ts';

export interface ServiceResponse {
  /** Adds one record of `type`, found at `pointer` in the file, captured when the snapshot was collected unless `extra` says otherwise. */
  record(type: string, id: string, configuration: Record<string, unknown>, pointer: string, extra?: Partial<Resource>): void;
  /** Refuses the response, naming the page when there are several, unless `check` takes every page. */
  everyPage(all: any[], check: (page: any) => boolean): void;
}

/** Lists the file among the API responses and returns how to make records of it. */
export function serviceResponse(ctx: ReaderContext, file: ApiFile): ServiceResponse {
  const { account, region, rel, operation } = file;
  const api = `${file.service}:${operation}`;
  const collectedAt = ctx.snapshot.meta.collectedAt;
  ctx.snapshot.apiResponses.push({ account, region, api, file: rel });
  return {
    record: (type, id, configuration, pointer, extra = {}) =>
      ctx.addResource({
        key: resourceKey(account, region, type, id),
        account,
        region,
        type,
        id,
        tags: {},
        configuration,
        supplementary: {},
        capturedAt: collectedAt,
        status: 'OK',
        origin: { file: rel, pointer, api },
        ...extra,
      }),
    everyPage: (all, check) =>
      all.forEach((page, p) => {
        if (!check(page)) throw new InputError(ctx.shown(rel), all.length > 1 ? `[${p}]` : undefined, `not a ${operation} response`);
      }),
  };
}
