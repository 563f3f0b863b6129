import type { Result } from '../evaluate/result.ts';
import { opensslVerifyCommand, type SignatureAlgorithm } from '../sign/algorithms.ts';

/** The plain-text README.txt inside every pack: what it is and how to check it with no tool of ours. */
export function packReadme(result: Result, packId: string, key: { fingerprint: string; managed: boolean; algorithm: SignatureAlgorithm; label: string }): string {
  return `Evidence pack ${packId}
${'='.repeat(14 + packId.length)}

Organization:  ${result.organization}
Catalog:       ${result.catalog.title} ${result.catalog.version}
Evidence as of ${result.evidence.collectedAt}; generated ${result.generatedAt} by ${result.tool.name} ${result.tool.version}.
Signing key:   ${key.fingerprint}${key.managed ? '' : ' (UNMANAGED DEMO KEY: proves integrity, not authorship)'}
Signature:     ${key.algorithm}${key.managed ? `, ${key.label}` : ''}

Read report.pdf (or report.html). result.json holds every control, its status and counts, and
the evidence the report lists; items/<control>.jsonl.gz every evidence item, one JSON document
a line, gzip-compressed (a large estate's in parts, <control>.2.jsonl.gz and on, as result.json
lists them); resources.jsonl.gz every resource evaluated; evidence.csv one row per evidence item.
Read them with stock tools: zcat items/WSAS-03.jsonl.gz | jq -c 'select(.status=="fail")';
an item's origin names its evidence file and JSON pointer, e.g.
  zcat evidence/config-snapshots/F.json.gz | jq '.configurationItems[12]';
inventory.csv and inventory.xlsx the system inventory (FedRAMP Integrated Inventory Workbook
columns, a legend sheet);
poam.xlsx / poam.csv / oscal-poam.json the plan of action and milestones (poam.json);
evidence/ the evidence files as received, redacted (configuration snapshots gzip-compressed).

Verify with the tool (offline; the directory or the .zip), pinned to the key fingerprint the
pack's author gave you, not the one this file states (a re-signed pack would state its own):
  evidence-pack verify ${packId} --expect-key ${key.fingerprint}
Without a pin (or a trusted-keys file) the answer is "intact, signer not verified", exit 8.

Verify with OpenSSL 3 and sha256sum alone, inside this directory:
  ${opensslVerifyCommand(key.algorithm)}
  jq -r '.files[] | "\\(.sha256)  \\(.path)"' manifest.json | sha256sum -c --quiet
  (without jq: python3 -c 'import json;[print(f["sha256"]+"  "+f["path"]) for f in json.load(open("manifest.json"))["files"]]' | sha256sum -c --quiet)
Then check that no file is present that manifest.json does not list (besides manifest.json,
manifest.sig and public-key.pem), and compare the key fingerprint with the one you were given:
  openssl pkey -pubin -in public-key.pem -outform DER | sha256sum
`;
}
