// Sample sizes for attribute sampling (tests of controls) with zero expected deviations.
//
// Source: AICPA Audit Guide "Audit Sampling", Appendix A, Table A-1 "Statistical Sample Sizes for Tests of
// Controls—5 Percent Risk of Overreliance" and Table A-2 "… 10 Percent Risk of Overreliance", row "expected
// population deviation rate 0.00%" (the tables are documented in T. R. Stewart, "Technical Notes on the AICPA
// Audit Guide Audit Sampling", 2012). A 5 % risk of overreliance is 95 % confidence. For zero deviations they
// equal the smallest n with (1 − tolerable)^n ≤ risk, i.e. ceil(ln(risk) / ln(1 − tolerable)) (a test holds
// the two together). They assume a large population: a population no larger than the size is taken whole.

export const sampleSizeSource = 'AICPA Audit Guide "Audit Sampling", Appendix A, Tables A-1 (5% risk of overreliance) and A-2 (10%), expected population deviation rate 0.00%';

export const confidences = [90, 95] as const;
export const tolerableDeviations = [5, 10] as const;
export type Confidence = (typeof confidences)[number];
export type TolerableDeviation = (typeof tolerableDeviations)[number];

/** Sample size by confidence (%) and tolerable deviation rate (%), zero expected deviations. */
export const sampleSizeTable: Record<Confidence, Record<TolerableDeviation, number>> = {
  95: { 5: 59, 10: 29 },
  90: { 5: 45, 10: 22 },
};

/** The pack's default sample: 95 % confidence, 5 % tolerable deviation rate. */
export const defaultPlan = { confidence: 95, tolerableDeviation: 5 } as const satisfies { confidence: Confidence; tolerableDeviation: TolerableDeviation };

export type SamplePlan = { kind: 'table'; confidence: Confidence; tolerableDeviation: TolerableDeviation; expectedDeviations: 0; size: number; source: string } | { kind: 'given'; size: number };

export function tablePlan(confidence: Confidence, tolerableDeviation: TolerableDeviation): SamplePlan {
  return { kind: 'table', confidence, tolerableDeviation, expectedDeviations: 0, size: sampleSizeTable[confidence][tolerableDeviation], source: sampleSizeSource };
}

export function describePlan(plan: SamplePlan): string {
  return plan.kind === 'table' ? `${plan.confidence}% confidence, ${plan.tolerableDeviation}% tolerable deviation rate, 0 expected deviations: ${plan.size}` : `size ${plan.size}, given`;
}
