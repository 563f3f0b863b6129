import { statusOrder, type BaselineStatus, type ControlStatus } from '../evaluate/result.ts';
export { statusOrder, worstStatus } from '../evaluate/result.ts';

export const statusInfo: Record<BaselineStatus, { label: string; colour: string }> = {
  fail: { label: 'Fail', colour: '#c62828' },
  gap: { label: 'Evidence gap', colour: '#d46b08' },
  manual: { label: 'Manual: attestation needed', colour: '#1565c0' },
  waived: { label: 'Waived', colour: '#8d6e00' },
  pass: { label: 'Pass', colour: '#2e7d32' },
  inherited: { label: 'Inherited from AWS', colour: '#6a1b9a' },
  'not-applicable': { label: 'Not applicable', colour: '#607d8b' },
  'not-assessed': { label: 'Not assessed', colour: '#b0bec5' },
};

/** "fail 8, gap 1, manual 3" in report order, zero counts left out. */
export function statusCounts(counts: Record<ControlStatus, number>): string {
  return statusOrder
    .filter((s) => counts[s] > 0)
    .map((s) => `${s} ${counts[s]}`)
    .join(', ');
}
