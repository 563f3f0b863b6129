// The KSI catalog's UCM standard (using cryptographic modules) tied to the FIPS view (the KSI catalog's `ucmView`): of the catalog
// controls whose mappings are in that view, which resources the FIPS endpoint/mode checks show using FIPS-validated
// endpoints or modes, which not, and which answers rest on an attestation or on AWS. A pure function of result.json.
import type { KsiCatalog } from '../catalog/ksi.ts';
import type { ControlResult, ControlStatus, EvidenceItem, Result } from './result.ts';

/** The built-in checks whose verdict is "uses a FIPS-validated endpoint or mode" (not merely "encrypted"). */
export const fipsModeChecks: ReadonlySet<string> = new Set(['workspaces-directory-fips-endpoint', 'cloudtrail-fips-endpoints']);

interface UcmResource {
  account: string;
  region: string;
  resource: string;
  message: string;
}

export interface UcmRow {
  control: string;
  title: string;
  services: string[];
  status: ControlStatus;
  /** What the answer rests on: the FIPS checks on AWS data in this pack, the customer's attestation, or AWS (inherited). */
  basis: 'aws-data' | 'attestation' | 'inherited';
  basisDetail: string;
  /** Items (resources, or a region's CloudTrail sample) by status; all counted, in the items files. */
  counts: ControlResult['counts'];
  /** Listed items that use FIPS-validated endpoints or modes (result.json lists the first ten passing ones). */
  fips: UcmResource[];
  /** Every item that does not (result.json lists every failing and waived item). */
  notFips: UcmResource[];
  items: string[];
}

export interface UcmReport {
  standard: { id: string; name: string; indicator?: string; requirements: KsiCatalog['ucm']['requirements'] };
  rows: UcmRow[];
  /** FIPS-view controls whose evidence shows encryption, not which module does it: named, not rolled into UCM. */
  encryptionOnly: string[];
}

const resourceOf = (e: EvidenceItem): UcmResource => ({
  account: e.account,
  region: e.region,
  resource: e.resource ? (e.resource.name && e.resource.name !== e.resource.id ? `${e.resource.name} (${e.resource.id})` : e.resource.id) : '(scope)',
  message: e.message,
});

export function ucmReport(result: Result, catalog: KsiCatalog): UcmReport {
  const indicator = catalog.themes.flatMap((t) => t.indicators).find((i) => i.id.endsWith(`-${catalog.ucm.id}`));
  const inFipsView = result.controls.filter((c) => Object.values(c.mappings).some((ms) => ms.some((m) => m.in?.includes(catalog.ucmView))));
  const usesFipsChecks = (c: ControlResult) => c.evidence.some((e) => e.source.kind === 'check' && fipsModeChecks.has(e.source.id));
  const rows: UcmRow[] = [];
  const encryptionOnly: string[] = [];
  for (const c of inFipsView) {
    const valid = c.attestations.find((a) => a.state === 'valid');
    let basis: UcmRow['basis'];
    let basisDetail: string;
    if (c.assessment === 'automated') {
      if (!usesFipsChecks(c)) {
        encryptionOnly.push(c.id);
        continue;
      }
      basis = 'aws-data';
      basisDetail = 'FIPS endpoint/mode checks on the AWS evidence in this pack';
    } else if (c.assessment === 'manual') {
      basis = 'attestation';
      basisDetail = valid
        ? `attested by ${valid.attestedBy.name} (${valid.attestedBy.role}), ${valid.file}, valid until ${valid.expires}`
        : c.attestations.length
          ? `attestation ${c.attestations.map((a) => `${a.file} ${a.state}`).join(', ')}: a current one is needed`
          : 'no attestation on file: one is needed';
    } else {
      basis = 'inherited';
      basisDetail = `AWS: ${c.responsibility.aws}`;
    }
    rows.push({
      control: c.id,
      title: c.title,
      services: c.services,
      status: c.status,
      basis,
      basisDetail,
      counts: c.counts,
      fips: c.evidence.filter((e) => e.status === 'pass').map(resourceOf),
      notFips: c.evidence.filter((e) => e.status === 'fail' || e.status === 'waived').map(resourceOf),
      items: (c.items ?? []).map((f) => f.file),
    });
  }
  return { standard: { id: catalog.ucm.id, name: catalog.ucm.name, ...(indicator ? { indicator: indicator.id } : {}), requirements: catalog.ucm.requirements }, rows, encryptionOnly };
}
