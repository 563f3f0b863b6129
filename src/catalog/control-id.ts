/** "ac-2.1" (OSCAL) → "AC-2(1)" (as NIST and AWS print it). */
export function oscalIdToControlId(oscalId: string): string {
  const [base, enhancement] = oscalId.split('.');
  const printed = base!.toUpperCase();
  return enhancement === undefined ? printed : `${printed}(${enhancement})`;
}

/** Any framework's control id as an OSCAL control-id token: 800-53 style ids as OSCAL writes them ("AC-2(1)" → "ac-2.1"), others lower-cased with runs of other characters as "-". */
export function frameworkControlIdToOscalId(controlId: string): string {
  return /^[A-Z]{2}-\d+(?:\(\d+\))?$/.test(controlId)
    ? controlIdToOscalId(controlId)
    : controlId
        .toLowerCase()
        .replace(/[^a-z0-9_.-]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'control';
}

/** "AC-2(1)" → "ac-2.1". */
export function controlIdToOscalId(controlId: string): string {
  const m = /^([A-Z]{2})-(\d+)(?:\((\d+)\))?$/.exec(controlId);
  if (!m) throw new Error(`not a NIST SP 800-53 control id: ${controlId}`);
  return `${m[1]!.toLowerCase()}-${m[2]}${m[3] ? `.${m[3]}` : ''}`;
}
