// The case lifecycle: which status may follow which, and what each step must carry. The service and the
// renderer both ask this module, so a button the UI offers is a step the store will accept.
import { ConcordatError } from './errors.js';

export const CASE_STATUSES = ['referred', 'accepted', 'declined', 'active', 'under_review', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_OUTCOMES = ['resolved', 'not_resolved', 'transferred'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

/** Declined and closed are terminal: a case that comes back is a new referral with a link to the old one. */
const NEXT: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  referred: ['accepted', 'declined'],
  accepted: ['active'],
  declined: [],
  active: ['under_review'],
  under_review: ['active', 'closed'],
  closed: [],
};

export const STATUS_LABELS: Readonly<Record<CaseStatus, string>> = {
  referred: 'Referred',
  accepted: 'Accepted',
  declined: 'Declined',
  active: 'Active',
  under_review: 'Under review',
  closed: 'Closed',
};

export const OUTCOME_LABELS: Readonly<Record<CaseOutcome, string>> = {
  resolved: 'Resolved',
  not_resolved: 'Not resolved',
  transferred: 'Transferred',
};

export function allowedTransitions(status: CaseStatus): readonly CaseStatus[] {
  return NEXT[status];
}

/** Statuses in which a case is still being worked, so its review date matters. */
export function isOpenStatus(status: CaseStatus): boolean {
  return NEXT[status].length > 0;
}

export interface TransitionRequest {
  from: CaseStatus;
  to: CaseStatus;
  reason: string | null | undefined;
  outcome?: CaseOutcome | null | undefined;
}

/** Checks one step; returns the outcome the case will carry (null unless closing). */
export function checkTransition(request: TransitionRequest): CaseOutcome | null {
  const { from, to } = request;
  if (!NEXT[from].includes(to)) {
    const allowed = NEXT[from];
    const hint = allowed.length === 0 ? `a ${from} case cannot change status` : `from ${from} the case may go to ${allowed.join(' or ')}`;
    throw new ConcordatError('INVALID_TRANSITION', `A case cannot go from ${from} to ${to}: ${hint}.`, {
      field: 'to',
      details: { from, to },
    });
  }
  if (!request.reason || request.reason.trim() === '') {
    throw new ConcordatError('INVALID_TRANSITION', 'Every change of status needs a reason.', { field: 'reason', details: { from, to } });
  }
  const outcome = request.outcome ?? null;
  if (to === 'closed' && outcome === null) {
    throw new ConcordatError('INVALID_TRANSITION', 'Closing a case needs an outcome: resolved, not resolved or transferred.', {
      field: 'outcome',
      details: { from, to },
    });
  }
  if (to !== 'closed' && outcome !== null) {
    throw new ConcordatError('INVALID_TRANSITION', 'Only closing a case records an outcome.', { field: 'outcome', details: { from, to } });
  }
  return outcome;
}
