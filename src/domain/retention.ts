// Retention: how long an ended case is kept before someone must decide about it, and the calendar rules
// that say when that day comes. The schedule is per record type and per the way the record ended; the
// store holds the months, this module the arithmetic, so the queue and the screen agree on a boundary.
import type { CaseOutcome } from './lifecycle.js';

/** The kinds of record the schedule covers. People follow their cases: they have no schedule of their own. */
export const RETENTION_RECORD_TYPES = ['case'] as const;
export type RetentionRecordType = (typeof RETENTION_RECORD_TYPES)[number];

/** How a case ended: closed with one of its outcomes, or declined at referral. */
export const RETENTION_ENDINGS = ['resolved', 'not_resolved', 'transferred', 'declined'] as const satisfies readonly (
  CaseOutcome | 'declined'
)[];
export type RetentionEnding = (typeof RETENTION_ENDINGS)[number];

export const RETENTION_ENDING_LABELS: Readonly<Record<RetentionEnding, string>> = {
  resolved: 'Closed: resolved',
  not_resolved: 'Closed: not resolved',
  transferred: 'Closed: transferred',
  declined: 'Declined at referral',
};

/** The agreed default: an ended case is reviewed 12 months after it ended. */
export const DEFAULT_REVIEW_MONTHS = 12;
/** Ten years: longer than any information-sharing agreement this partnership signs. */
export const MAX_REVIEW_MONTHS = 120;

export const RETENTION_DECISIONS = ['keep', 'pseudonymise', 'erase'] as const;
export type RetentionDecision = (typeof RETENTION_DECISIONS)[number];

export const RETENTION_DECISION_LABELS: Readonly<Record<RetentionDecision, string>> = {
  keep: 'Keep',
  pseudonymise: 'Pseudonymise',
  erase: 'Erase',
};

/**
 * `months` calendar months after an ISO date, the day clamped to the end of a shorter month (31 Jan + 1
 * month is 28 or 29 Feb; 29 Feb 2024 + 12 months is 28 Feb 2025), in UTC so no clock change shifts it.
 */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return first.toISOString().slice(0, 10);
}

/** The day a record ended `months` ago falls due: on that day it is in the queue, the day before it is not. */
export function reviewDueOn(endedOn: string, months: number): string {
  return addMonths(endedOn, months);
}

export function isDue(dueOn: string, today: string): boolean {
  return dueOn <= today;
}

/** What a pseudonymised person is called: no part of who they were, and stable (their id). */
export function pseudonymOf(personId: number): { givenName: string; familyName: string } {
  return { givenName: 'Pseudonymised', familyName: `person P-${personId}` };
}

/** A date of birth reduced to its year, the most a pseudonymised record keeps of it. */
export function birthYearOf(dateOfBirth: string | null): number | null {
  return dateOfBirth ? Number(dateOfBirth.slice(0, 4)) : null;
}
