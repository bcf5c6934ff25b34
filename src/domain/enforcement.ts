// Enforcement under the Anti-social Behaviour, Crime and Policing Act 2014, escalation, and the ASB Case
// Review (Community Trigger): the rules that need no store. Dates are ISO calendar dates (YYYY-MM-DD),
// which compare correctly as strings.

export const ENFORCEMENT_TYPES = [
  'community_protection_warning',
  'community_protection_notice',
  'civil_injunction',
  'criminal_behaviour_order',
  'closure_notice',
  'closure_order',
  'acceptable_behaviour_contract',
  'public_spaces_protection_order',
] as const;
export type EnforcementType = (typeof ENFORCEMENT_TYPES)[number];

export const ENFORCEMENT_LABELS: Readonly<Record<EnforcementType, string>> = {
  community_protection_warning: 'Community Protection Warning',
  community_protection_notice: 'Community Protection Notice',
  civil_injunction: 'Civil Injunction',
  criminal_behaviour_order: 'Criminal Behaviour Order',
  closure_notice: 'Closure Notice',
  closure_order: 'Closure Order',
  acceptable_behaviour_contract: 'Acceptable Behaviour Contract',
  public_spaces_protection_order: 'Public Spaces Protection Order',
};

/** The Act's order: a notice needs the earlier step on the same case (s43(5): a CPN only after a written warning; s80 → s81). */
export const PREREQUISITE: Readonly<Partial<Record<EnforcementType, EnforcementType>>> = {
  community_protection_notice: 'community_protection_warning',
  closure_order: 'closure_notice',
};

/** A PSPO is made on a place (its area and prohibitions), never on a person; every other tool is on a case. */
export function isPlaceTool(type: EnforcementType): boolean {
  return type === 'public_spaces_protection_order';
}

export const ENFORCEMENT_STAGES = ['issued', 'served', 'applied', 'granted', 'refused', 'expired', 'discharged', 'revoked'] as const;
export type EnforcementStage = (typeof ENFORCEMENT_STAGES)[number];

export interface EnforcementDates {
  issued: string | null;
  served: string | null;
  hearing: string | null;
  granted: string | null;
  expiry: string | null;
}

export interface Refusal {
  field: string;
  message: string;
}

/** The dates that cannot be: served before issued, heard or granted before issued, expiry before grant (or issue). */
export function checkEnforcementDates(d: EnforcementDates): Refusal | null {
  if (d.issued !== null && d.served !== null && d.served < d.issued)
    return { field: 'served', message: 'It cannot be served before it was issued.' };
  if (d.issued !== null && d.hearing !== null && d.hearing < d.issued)
    return { field: 'hearing', message: 'The hearing cannot come before the application or notice was issued.' };
  if (d.issued !== null && d.granted !== null && d.granted < d.issued)
    return { field: 'granted', message: 'It cannot be granted before it was issued or applied for.' };
  if (d.granted !== null && d.expiry !== null && d.expiry < d.granted)
    return { field: 'expiry', message: 'It cannot expire before it was granted.' };
  if (d.issued !== null && d.expiry !== null && d.expiry < d.issued)
    return { field: 'expiry', message: 'It cannot expire before it was issued.' };
  return null;
}

/** The first date from which the measure exists: a breach before it is impossible. */
export function inForceFrom(d: EnforcementDates): string | null {
  return d.granted ?? d.served ?? d.issued;
}

export function checkBreachDate(d: EnforcementDates, breachDate: string): Refusal | null {
  const from = inForceFrom(d);
  if (from !== null && breachDate < from)
    return { field: 'date', message: `A breach cannot come before the measure was in force (${from}).` };
  if (d.expiry !== null && breachDate > d.expiry)
    return { field: 'date', message: `A breach cannot come after the measure expired (${d.expiry}).` };
  return null;
}

/** Whole days from `from` to `to` (both ISO dates); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/** Expiring within N days of today: from today up to and including today + N. Already expired is not "expiring". */
export function isExpiringWithin(expiry: string | null, today: string, days: number): boolean {
  return expiry !== null && expiry >= today && expiry <= addDays(today, days);
}

// ── escalation ────────────────────────────────────────────────────────────────────────────────────────

export const ESCALATION_KINDS = ['disruption_planning_meeting', 'task_and_finish_group'] as const;
export type EscalationKind = (typeof ESCALATION_KINDS)[number];
export const ESCALATION_LABELS: Readonly<Record<EscalationKind, string>> = {
  disruption_planning_meeting: 'Disruption Planning Meeting (child exploitation)',
  task_and_finish_group: 'Task and Finish Group',
};

// ── ASB Case Review (Community Trigger) ───────────────────────────────────────────────────────────────

export interface TriggerThreshold {
  /** Qualifying complaints needed (the Act lets the partnership set it; at most 3 under the statutory guidance). */
  complaints: number;
  /** The window, in days, counted back from the application: a complaint `windowDays` days before still counts. */
  windowDays: number;
}

/** Three complaints in six months: six months taken as 182 days, so day 182 qualifies and day 183 does not. */
export const DEFAULT_TRIGGER_THRESHOLD: TriggerThreshold = { complaints: 3, windowDays: 182 };

export interface TriggerTest {
  qualifyingComplaints: number;
  complaintsMet: boolean;
  persistentHarm: boolean;
  /** Met by the number of complaints, or by the local test of persistent harm. */
  met: boolean;
}

/** Complaints dated from `windowDays` before the application up to the application day itself. */
export function qualifyingComplaints(incidentDates: readonly string[], applicationDate: string, threshold: TriggerThreshold): number {
  return incidentDates.filter((d) => d <= applicationDate && daysBetween(d, applicationDate) <= threshold.windowDays).length;
}

export function triggerTest(
  incidentDates: readonly string[],
  applicationDate: string,
  persistentHarm: boolean,
  threshold = DEFAULT_TRIGGER_THRESHOLD,
): TriggerTest {
  const n = qualifyingComplaints(incidentDates, applicationDate, threshold);
  const complaintsMet = n >= threshold.complaints;
  return { qualifyingComplaints: n, complaintsMet, persistentHarm, met: complaintsMet || persistentHarm };
}

export const TRIGGER_STATUSES = ['received', 'threshold_met', 'threshold_not_met', 'review_held', 'closed'] as const;
export type TriggerStatus = (typeof TRIGGER_STATUSES)[number];

/** The decision on the threshold is made once, on a received application; the review follows a met threshold. */
export function checkTriggerStep(status: TriggerStatus, step: 'decide' | 'review' | 'recommend' | 'close'): Refusal | null {
  const allowed: Record<typeof step, readonly TriggerStatus[]> = {
    decide: ['received'],
    review: ['threshold_met'],
    recommend: ['review_held'],
    close: ['threshold_not_met', 'review_held'],
  };
  if (allowed[step].includes(status)) return null;
  return {
    field: 'triggerId',
    message: `This Community Trigger is ${status.replaceAll('_', ' ')}: it cannot ${step === 'decide' ? 'be decided again' : step === 'review' ? 'be reviewed' : step === 'recommend' ? 'take recommendations' : 'be closed'} now.`,
  };
}

export const ACTIVITY_KINDS = ['face_the_public', 'community_tension'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** Calendar periods a report is broken into: the ASB steering group reads monthly, the board quarterly. */
export const PERIOD_GRANULARITIES = ['month', 'quarter', 'whole'] as const;
export type PeriodGranularity = (typeof PERIOD_GRANULARITIES)[number];

export function periodOf(date: string, granularity: PeriodGranularity): string {
  if (granularity === 'whole') return 'whole';
  if (granularity === 'month') return date.slice(0, 7);
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-Q${Math.ceil(month / 3)}`;
}

/** Percentage to one decimal place; null when there is nothing to divide by. */
export function percentage(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/** Every period from `from` to `to` inclusive, so a month with nothing in it still shows its zeros. */
export function periodsBetween(from: string, to: string, granularity: PeriodGranularity): string[] {
  if (granularity === 'whole') return ['whole'];
  const out: string[] = [];
  let cursor = `${from.slice(0, 7)}-01`;
  while (cursor <= to) {
    const p = periodOf(cursor, granularity);
    if (out[out.length - 1] !== p) out.push(p);
    const [y, m] = [Number(cursor.slice(0, 4)), Number(cursor.slice(5, 7))];
    cursor = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  }
  return out;
}

/** The indicators' single figures, in the order the dashboard, its CSV and the board minutes show them. */
export const INDICATOR_FIGURES = [
  ['interventions', 'Interventions'],
  ['casesClosed', 'Cases closed'],
  ['percentResolved', 'Resolved (%)'],
  ['breaches', 'Breaches'],
  ['escalations', 'Escalations'],
  ['faceThePublic', 'Face the Public'],
  ['communityTension', 'Community tension'],
  ['triggersReceived', 'Community Triggers received'],
  ['triggersThresholdNotMet', 'Threshold not met'],
  ['triggerReviewsHeld', 'Reviews held'],
  ['triggerReviewsWithRecommendations', 'Reviews with recommendations'],
] as const;

/** The first day of the twelve months that end on `date`: the day after the same date a year before (2026-03-07 → 2025-03-08; 2028-02-29 → 2027-03-01). */
export function twelveMonthsTo(date: string): string {
  const year = String(Number(date.slice(0, 4)) - 1).padStart(4, '0');
  const monthDay = date.slice(5) === '02-29' ? '02-28' : date.slice(5);
  return addDays(`${year}-${monthDay}`, 1);
}
