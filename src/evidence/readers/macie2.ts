// Readers of Amazon Macie's responses: whether the account's Macie session is enabled.
import { compileSchema } from '../../core/data-file.ts';
import { InputError } from '../../core/errors.ts';
import { isMacieNotEnabled } from '../macie-session.ts';
import { apiResourceTypes } from '../read-service-apis.ts';
import { macieSessionSchema } from '../schemas.ts';
import { serviceResponse } from './service-records.ts';
import type { OperationReader } from './types.ts';

const validSession = compileSchema<any>(macieSessionSchema);

export const macie2Readers: OperationReader[] = [
  {
    service: 'macie2',
    operation: 'GetMacieSession',
    after: 'nothing',
    async read(ctx, file) {
      const { record } = serviceResponse(ctx, file);
      const doc = await ctx.read<any>(file.rel, 'aws-response', validSession);
      // An error kept as the response is evidence only when it is Macie saying it is not enabled.
      if (doc.Error && !isMacieNotEnabled(doc.Error.Code, doc.Error.Message)) {
        throw new InputError(ctx.shown(file.rel), 'Error', `${doc.Error.Code}: ${doc.Error.Message} is not an answer about the account; a failed call is a gap in snapshot.json, not a response`);
      }
      record(apiResourceTypes.macieSession, `${file.account}/${file.region}`, doc, doc.Error ? '/Error' : '');
    },
  },
];
