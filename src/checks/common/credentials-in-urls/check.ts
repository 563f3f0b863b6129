import { redactText } from '../../../redact/detect.ts';
import { strings } from '../../fields.ts';
import type { Check } from '../../types.ts';

const url = /\b[a-z][a-z0-9+.-]{0,31}:\/\/\S{1,8192}/gi;

export const check: Check = {
  id: 'credentials-in-urls',
  title: 'No credentials in URLs to external servers',
  service: 'All services',
  resourceTypes: '*',
  source: { kind: 'config' },
  remediation: 'Remove the user:password part or token parameter from the URL, rotate the credential, and authenticate another way.',
  evaluate(resource) {
    const found: string[] = [];
    let urls = 0;
    for (const [path, value] of [...strings(resource.configuration, 'configuration'), ...strings(resource.supplementary, 'supplementaryConfiguration')]) {
      for (const [candidate] of value.matchAll(url)) {
        urls++;
        const { text, findings } = redactText(candidate);
        const credentialKinds = findings.filter((f) => f.kind === 'url-credentials' || f.kind === 'url-token');
        if (credentialKinds.length) found.push(`${path}: ${text}`);
      }
    }
    if (found.length) return { status: 'fail', message: `credentials in URL: ${found.join('; ')}` };
    return { status: 'pass', message: urls ? `${urls} URL(s), none with credentials` : 'no URLs in the configuration' };
  },
};
