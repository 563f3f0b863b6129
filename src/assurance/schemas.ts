const str = { type: 'string', minLength: 1 } as const;
// YAML turns an unquoted 2026-10-15 into a date; the loaders keep dates as strings (see data-file.ts).
const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

export const attestationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['control', 'statement', 'attested_by', 'date', 'expires'],
  properties: {
    control: { type: 'string', pattern: '^[A-Z]+-\\d{2,}$' },
    statement: str,
    attested_by: { type: 'object', additionalProperties: false, required: ['name', 'role'], properties: { name: str, role: str, email: str } },
    date: day,
    expires: day,
    evidence: { type: 'array', items: str, uniqueItems: true },
  },
} as const;

export const waiversSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['waivers'],
  properties: {
    waivers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'scope', 'owner', 'reason', 'ticket', 'expires'],
        properties: {
          id: str,
          scope: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: { control: str, rule: str, resource: str, account: { type: 'string', pattern: '^\\d{12}$' } },
          },
          owner: str,
          reason: str,
          ticket: { type: 'string', pattern: '^https?://' },
          expires: day,
        },
      },
    },
  },
} as const;
