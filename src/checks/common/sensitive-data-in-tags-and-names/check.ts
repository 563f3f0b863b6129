import { redactText } from '../../../redact/detect.ts';
import type { Check } from '../../types.ts';

const nameFields = ['Name', 'DisplayName', 'Description', 'name', 'displayName', 'description'];

export const check: Check = {
  id: 'sensitive-data-in-tags-and-names',
  title: 'No e-mail addresses, keys, passwords or tokens in tags or Name fields',
  service: 'All services',
  resourceTypes: '*',
  source: { kind: 'config' },
  remediation: 'Replace the value with an opaque identifier and rotate any credential that was exposed.',
  evaluate(resource) {
    const places: [string, string][] = [];
    for (const [k, v] of Object.entries(resource.tags)) places.push([`tag key`, k], [`tag "${k}"`, v]);
    if (resource.name) places.push(['resource name', resource.name]);
    for (const f of nameFields) {
      const v = resource.configuration[f];
      if (typeof v === 'string') places.push([`configuration.${f}`, v]);
    }
    const found = places.flatMap(([where, value]) => {
      const { text, findings } = redactText(value);
      return findings.length ? [`${where} holds ${[...new Set(findings.map((f) => f.kind))].join(', ')}: ${text}`] : [];
    });
    return found.length ? { status: 'fail', message: found.join('; ') } : { status: 'pass', message: `no sensitive values in ${Object.keys(resource.tags).length} tag(s) and name fields` };
  },
};
