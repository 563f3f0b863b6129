// The original risk rating of a weakness and the date it must be fixed by.
//
// Remediation windows: FedRAMP Continuous Monitoring Strategy Guide v3.0 (31 Jan 2018), "Vulnerability Scanning"
// (High 30, Moderate 90, Low 180 calendar days from detection), as repeated in the FedRAMP POA&M Template
// Completion Guide v2.2 (23 Nov 2021: "Automated tool findings identified as Low will be considered late after
// 180 calendar days").
import type { EvidenceItem } from '../evaluate/result.ts';

export const riskRatings = ['High', 'Moderate', 'Low'] as const;
export type RiskRating = (typeof riskRatings)[number];

export const remediationDays: Record<RiskRating, number> = { High: 30, Moderate: 90, Low: 180 };

/**
 * Findings rated High: a secret in clear text, or an identity without MFA (built-in check ids and AWS Config
 * managed-rule identifiers). The catalog carries no severity, so this list is the rule; every other failing item
 * and every evidence gap is Moderate, the impact level of the FedRAMP Moderate baseline the catalog maps to.
 */
export const highRiskSources = new Set([
  'sensitive-data-in-tags-and-names',
  'credentials-in-urls',
  'iam-user-mfa',
  'IAM_USER_MFA_ENABLED',
  'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS',
  'ROOT_ACCOUNT_MFA_ENABLED',
]);

export const riskRule = 'High: a secret in clear text or an identity without MFA; Moderate: every other failing item and every evidence gap (the FedRAMP Moderate baseline)';

export function originalRisk(source: EvidenceItem['source']): RiskRating {
  const id = source.kind === 'check' ? source.id : source.kind === 'config-rule' ? source.rule : undefined;
  return id !== undefined && highRiskSources.has(id) ? 'High' : 'Moderate';
}

/** The day a weakness detected on `detected` (ISO) must be fixed by, as an ISO date-time at 00:00 UTC. */
export function scheduledCompletion(detected: string, risk: RiskRating): string {
  const day = Date.UTC(Number(detected.slice(0, 4)), Number(detected.slice(5, 7)) - 1, Number(detected.slice(8, 10)));
  return new Date(day + remediationDays[risk] * 86_400_000).toISOString();
}
