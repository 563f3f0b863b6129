const str = { type: 'string', minLength: 1 } as const;
const strList = { type: 'array', items: str, uniqueItems: true } as const;
/** A framework, baseline or view id: frameworks are data, so any id its file declares (cross-checked on load). */
const frameworkId = { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]*$' } as const;
const ruleId = { type: 'string', pattern: '^[A-Z0-9_]+$' } as const;
/** How a framework, baseline or view is shown: label (short name), report order, a paragraph. */
const presented = { title: str, label: str, order: { type: 'integer', minimum: 0, maximum: 1000 }, description: str } as const;

const edgeSource = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { enum: ['aws-document', 'conformance-pack', 'own-reasoning'] },
    ref: str,
    section: str,
    rationale: str,
  },
  // Own reasoning must say why; a document must say which.
  if: { properties: { type: { const: 'own-reasoning' } } },
  then: { required: ['rationale'] },
  else: { required: ['ref'] },
} as const;

export const controlCatalogSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['catalog', 'title', 'version', 'sources', 'controls'],
  properties: {
    catalog: str,
    title: str,
    version: str,
    sources: {
      type: 'object',
      additionalProperties: { type: 'object', additionalProperties: false, required: ['title', 'url'], properties: { title: str, url: str } },
    },
    controls: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title', 'services', 'guidance', 'responsibility', 'assessment', 'remediation', 'mappings'],
        properties: {
          id: { type: 'string', pattern: '^[A-Z]+-\\d{2,}$' },
          title: str,
          services: strList,
          guidance: {
            type: 'array',
            minItems: 1,
            items: { type: 'object', additionalProperties: false, required: ['source', 'section', 'summary'], properties: { source: str, section: str, summary: str } },
          },
          responsibility: {
            type: 'object',
            additionalProperties: false,
            required: ['owner', 'aws', 'customer'],
            properties: { owner: { enum: ['aws', 'customer', 'shared'] }, aws: str, customer: str },
          },
          assessment: { enum: ['automated', 'manual', 'inherited'] },
          evidence: {
            type: 'object',
            additionalProperties: false,
            properties: {
              checks: strList,
              rules: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['rule', 'name', 'source'],
                  properties: { rule: { type: 'string', pattern: '^[A-Z0-9_]+$' }, name: { type: 'string', pattern: '^[a-z0-9-]+$' }, source: edgeSource },
                },
              },
            },
          },
          remediation: str,
          mappings: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['framework', 'controls', 'source'],
              properties: { framework: frameworkId, controls: { ...strList, minItems: 1 }, source: edgeSource },
            },
          },
        },
      },
    },
  },
} as const;

export const frameworkSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['framework', 'title', 'provenance', 'controls'],
  properties: {
    framework: frameworkId,
    ...presented,
    list: { enum: ['all', 'mapped'] },
    provenance: { type: 'array', minItems: 1, items: { type: 'object', additionalProperties: { type: 'string' } } },
    families: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['id', 'title'], properties: { id: str, title: str } } },
    controls: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title'],
        properties: {
          id: str,
          title: str,
          family: str,
          withdrawn: { type: 'boolean' },
          moderate: { type: 'boolean' },
          rules: { type: 'array', items: ruleId, uniqueItems: true },
          checks: strList,
          inherits: { type: 'object', propertyNames: frameworkId, additionalProperties: { ...strList, minItems: 1 } },
        },
      },
    },
  },
} as const;

export const baselineSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['baseline', 'title', 'framework', 'controls'],
  properties: {
    baseline: frameworkId,
    ...presented,
    framework: frameworkId,
    provenance: { type: 'array', items: { type: 'object', additionalProperties: { type: 'string' } } },
    controls: { ...strList, minItems: 1 },
  },
} as const;

export const viewSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['view', 'title', 'framework', 'controls'],
  properties: {
    view: frameworkId,
    ...presented,
    tag: str,
    framework: frameworkId,
    controls: { type: 'array', minItems: 1, items: { type: 'object', additionalProperties: false, required: ['id', 'rationale'], properties: { id: str, rationale: str } } },
  },
} as const;

export const ruleMappingsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['framework', 'rules'],
  properties: {
    framework: frameworkId,
    rules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rule', 'source', 'controls'],
        properties: {
          rule: { type: 'string', pattern: '^[A-Z0-9_]+$' },
          source: str,
          controls: { ...strList, minItems: 1 },
          names: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9-]+$' } },
        },
      },
    },
  },
} as const;

/** An AWS conformance pack's published rule → control table (catalogs/mappings/aws-pack-*.yaml). */
export const packTableSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['framework', 'title', 'url', 'template', 'provenance', 'rules', 'withoutRow'],
  properties: {
    framework: frameworkId,
    baseline: frameworkId,
    label: str,
    title: str,
    url: { type: 'string', pattern: '^https://docs\\.aws\\.amazon\\.com/' },
    template: str,
    provenance: { type: 'array', minItems: 1, items: { type: 'object', additionalProperties: { type: 'string' } } },
    withdrawnInRev5: { type: 'object', additionalProperties: str },
    rules: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rule', 'name', 'controls'],
        properties: { rule: { type: 'string', pattern: '^[A-Z0-9_]+$' }, name: { type: 'string', pattern: '^[a-z0-9-]+$' }, controls: { ...strList, minItems: 1 } },
      },
    },
    withoutRow: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rule', 'name'],
        properties: { rule: { type: 'string', pattern: '^[A-Z0-9_]+$' }, name: { type: 'string', pattern: '^[a-z0-9-]+$' } },
      },
    },
  },
} as const;
