/** "ac-2.1" (OSCAL) → "AC-2(1)" (as NIST and AWS print it). */
export function oscalIdToControlId(oscalId: string): string {
  const [base, enhancement] = oscalId.split('.');
  const printed = base!.toUpperCase();
  return enhancement === undefined ? printed : `${printed}(${enhancement})`;
}

/** "AC-2(1)" → "ac-2.1". */
export function controlIdToOscalId(controlId: string): string {
  const m = /^([A-Z]{2})-(\d+)(?:\((\d+)\))?$/.exec(controlId);
  if (!m) throw new Error(`not a NIST SP 800-53 control id: ${controlId}`);
  return `${m[1]!.toLowerCase()}-${m[2]}${m[3] ? `.${m[3]}` : ''}`;
}
