// The harm-centred risk assessment: three kinds of harm, each low, medium or high, and the review cadence
// that follows from them.
export const HARM_LEVELS = ['low', 'medium', 'high'] as const;
export type HarmLevel = (typeof HARM_LEVELS)[number];

export const HARM_KINDS = ['personalHarm', 'communityHarm', 'environmentalHarm'] as const;
export type HarmKind = (typeof HARM_KINDS)[number];
export type HarmScores = Readonly<Record<HarmKind, HarmLevel>>;

export const HARM_LABELS: Readonly<Record<HarmKind, string>> = {
  personalHarm: 'Personal harm',
  communityHarm: 'Community harm',
  environmentalHarm: 'Environmental harm',
};

export function harmRank(level: HarmLevel): number {
  return HARM_LEVELS.indexOf(level);
}

/** One serious harm is enough to make a case serious: the overall risk is the highest of the three, not an average. */
export function overallRisk(scores: HarmScores): HarmLevel {
  return HARM_KINDS.map((k) => scores[k]).reduce((a, b) => (harmRank(b) > harmRank(a) ? b : a));
}

/**
 * The rule: a case is reviewed 14 days after a high-risk assessment, 28 after medium, 56 after low, so the
 * riskiest cases come back at every fortnightly or monthly meeting and low-risk ones every other month.
 */
export const REVIEW_INTERVAL_DAYS: Readonly<Record<HarmLevel, number>> = { high: 14, medium: 28, low: 56 };

/** The review date (YYYY-MM-DD) for an assessment made on `assessedOn` (YYYY-MM-DD). */
export function reviewDateFor(risk: HarmLevel, assessedOn: string): string {
  return addDays(assessedOn, REVIEW_INTERVAL_DAYS[risk]);
}

/** Calendar arithmetic on date-only strings, in UTC so no time zone or clock change can shift the day. */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Today's date as the partnership sees it (the machine's local calendar day), YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function isReviewOverdue(reviewDate: string, open: boolean, today: string): boolean {
  return open && reviewDate < today;
}
