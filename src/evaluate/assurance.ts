// Attestations and waivers: the customer's own statements, applied to evaluation without ever
// turning a failure into a pass. A waived item is its own status; an expired waiver leaves it failing.
import type { Attestation, Waiver } from '../assurance/types.ts';
import type { Catalog } from '../catalog/types.ts';
import { InputError } from '../core/errors.ts';
import type { AttestationResult, EvidenceItem, WaiverResult } from './result.ts';

/** Checks that attestations and waivers name controls that exist, and that attestations are for manual or inherited ones. */
export function checkAssuranceAgainstCatalog(catalog: Catalog, attestations: Attestation[], waivers: Waiver[], where: { attestations?: string; waivers?: string }): void {
  const controls = new Map(catalog.controls.controls.map((c) => [c.id, c]));
  for (const a of attestations) {
    const c = controls.get(a.control);
    const file = `${where.attestations ?? 'attestations'}/${a.file}`;
    if (!c) throw new InputError(file, 'control', `unknown control ${a.control}`);
    if (c.assessment === 'automated') throw new InputError(file, 'control', `${a.control} is assessed from AWS data; attestations are for manual or inherited controls`);
  }
  waivers.forEach((w, i) => {
    if (w.scope.control && !controls.has(w.scope.control)) throw new InputError(where.waivers ?? 'waivers', `waivers[${i}].scope.control`, `unknown control ${w.scope.control}`);
  });
}

const day = (iso: string) => iso.slice(0, 10);

export function attestationResult(a: Attestation, runTime: string, packPathOf: (p: string) => string): AttestationResult {
  const today = day(runTime);
  const state = today < a.date ? 'not-yet-valid' : today > a.expires ? 'expired' : 'valid';
  return { ...a, state, evidence: a.evidence.map((e) => ({ ...e, path: packPathOf(e.path) })) };
}

function matches(w: Waiver, controlId: string, item: EvidenceItem): boolean {
  const { control, rule, resource, account } = w.scope;
  const itemRule = item.source.kind === 'check' ? [item.source.id] : item.source.kind === 'config-rule' ? [item.source.rule, item.source.ruleName] : [];
  const itemResource = item.resource ? [item.resource.id, item.resource.name, item.resource.arn] : [];
  return (!control || control === controlId) && (!rule || itemRule.includes(rule)) && (!resource || itemResource.includes(resource)) && (!account || account === item.account);
}

/** Marks failing items covered by an active waiver as waived; notes expired waivers on items that still fail. */
export function applyWaivers(controlId: string, items: EvidenceItem[], waivers: WaiverResult[]): void {
  for (const item of items) {
    if (item.status !== 'fail') continue;
    const matching = waivers.filter((w) => matches(w, controlId, item));
    for (const w of matching) w.matched++;
    const active = matching.find((w) => w.state === 'active');
    if (active) {
      item.status = 'waived';
      item.waiver = { id: active.id, state: 'active' };
      item.message = `${item.message} (waived by ${active.id}: ${active.owner}, until ${active.expires}, ${active.ticket})`;
    } else if (matching.length) {
      const expired = matching[0]!;
      item.waiver = { id: expired.id, state: 'expired' };
      item.message = `${item.message} (waiver ${expired.id} expired on ${expired.expires})`;
    }
  }
}

/** Undoes applyWaivers' counting for items taken back (a scope found uncovered once everything was read). */
export function unmatchWaivers(controlId: string, items: EvidenceItem[], waivers: WaiverResult[]): void {
  for (const item of items) {
    if (!item.waiver) continue;
    for (const w of waivers) if (matches(w, controlId, item)) w.matched--;
  }
}

export function waiverResults(waivers: Waiver[], runTime: string): WaiverResult[] {
  return waivers.map((w) => ({ ...w, state: day(runTime) <= w.expires ? 'active' : 'expired', matched: 0 }));
}
