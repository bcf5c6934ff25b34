// People and Place meetings: their states, the minutes' approval steps, actions and their review,
// quorum, and the closed-only spans a minute-taker marks in a paragraph. Pure rules: the service and the
// screens both ask this module, so a button the UI offers is a step the store will accept.
import { ConcordatError } from './errors.js';

export const MEETING_KINDS = ['people', 'place'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

export const MEETING_STATUSES = ['scheduled', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

/** Draft → submitted for approval → approved by the chair. Submitted minutes can go back to draft. */
export const MINUTES_STATUSES = ['not_started', 'draft', 'submitted', 'approved'] as const;
export type MinutesStatus = (typeof MINUTES_STATUSES)[number];

export const ATTENDANCE = ['expected', 'present', 'apologies', 'absent'] as const;
export type Attendance = (typeof ATTENDANCE)[number];

export const ACTION_STATUSES = ['open', 'done', 'carried_over', 'failed'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
/** What a review at a later meeting may decide. */
export const ACTION_REVIEW_OUTCOMES = ['done', 'carried_over', 'failed'] as const;
export type ActionReviewOutcome = (typeof ACTION_REVIEW_OUTCOMES)[number];
export const FAILURE_REASONS = ['changed_circumstances', 'agency_did_not_act', 'person_disengaged', 'other'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export const AGENDA_ITEM_KINDS = ['case', 'previous_minutes', 'actions_review', 'other'] as const;
export type AgendaItemKind = (typeof AGENDA_ITEM_KINDS)[number];

/** Why a case is proposed for a meeting's agenda. */
export const PROPOSAL_REASONS = ['review_due', 'new_referral', 'overdue_actions', 'incomplete_actions', 'raised_by_partner'] as const;
export type ProposalReason = (typeof PROPOSAL_REASONS)[number];

export const DECISION_KINDS = ['decision', 'case_status', 'risk_change'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export const MEETING_KIND_LABELS: Readonly<Record<MeetingKind, string>> = { people: 'People meeting', place: 'Place meeting' };
export const MINUTES_STATUS_LABELS: Readonly<Record<MinutesStatus, string>> = {
  not_started: 'Not started',
  draft: 'Draft',
  submitted: 'Submitted for approval',
  approved: 'Approved',
};
export const ATTENDANCE_LABELS: Readonly<Record<Attendance, string>> = {
  expected: 'Expected',
  present: 'Present',
  apologies: 'Apologies',
  absent: 'Absent',
};
export const ACTION_STATUS_LABELS: Readonly<Record<ActionStatus, string>> = {
  open: 'Open',
  done: 'Done',
  carried_over: 'Carried over',
  failed: 'Failed',
};
export const FAILURE_REASON_LABELS: Readonly<Record<FailureReason, string>> = {
  changed_circumstances: 'Changed circumstances',
  agency_did_not_act: 'The agency did not act',
  person_disengaged: 'The person disengaged',
  other: 'Other',
};
export const PROPOSAL_REASON_LABELS: Readonly<Record<ProposalReason, string>> = {
  review_due: 'Review due by the meeting date',
  new_referral: 'New referral',
  overdue_actions: 'Overdue actions',
  incomplete_actions: 'Incomplete actions',
  raised_by_partner: 'Raised by a partner',
};

/** Read at the start of every meeting; each attendee's acknowledgement is recorded before minutes start. */
export const CONFIDENTIALITY_STATEMENT =
  "Information shared at this meeting is confidential to the partners present. It is shared under the partnership's " +
  'information-sharing agreement (Crime and Disorder Act 1998 s115) for the prevention of crime and anti-social behaviour, ' +
  'and may not be disclosed outside this meeting or used for any other purpose without the agreement of the partner who shared it. ' +
  'Closed-meeting information is for statutory partners only.';

/** What a non-statutory reader sees in place of a closed-only span. */
export const REDACTED_TEXT = '[closed meeting only]';

// ── minutes ───────────────────────────────────────────────────────────────────────────────────────────

const MINUTES_NEXT: Readonly<Record<MinutesStatus, readonly MinutesStatus[]>> = {
  not_started: ['draft'],
  draft: ['submitted'],
  submitted: ['approved', 'draft'],
  approved: [],
};

export function allowedMinutesSteps(status: MinutesStatus): readonly MinutesStatus[] {
  return MINUTES_NEXT[status];
}

export function checkMinutesStep(from: MinutesStatus, to: MinutesStatus): void {
  if (MINUTES_NEXT[from].includes(to)) return;
  const hint =
    from === 'approved'
      ? 'approved minutes never change: add an addendum instead'
      : `from ${from.replace('_', ' ')} the minutes may go to ${MINUTES_NEXT[from].join(' or ')}`;
  throw new ConcordatError('INVALID_TRANSITION', `The minutes cannot go from ${from.replace('_', ' ')} to ${to}: ${hint}.`, {
    field: 'meetingId',
    details: { from, to },
  });
}

/** Minutes content (paragraphs, decisions, actions) is written only while the minutes are a draft. */
export function requireDraftMinutes(status: MinutesStatus, field = 'meetingId'): void {
  if (status === 'draft') return;
  const why: Record<MinutesStatus, string> = {
    not_started: 'the minutes have not been started: read the confidentiality statement and start them first',
    draft: '',
    submitted: 'the minutes are submitted for approval: the chair can return them to draft',
    approved: 'approved minutes never change: add an addendum instead',
  };
  throw new ConcordatError('INVALID_TRANSITION', `This cannot be written now: ${why[status]}.`, {
    field,
    details: { minutesStatus: status },
  });
}

// ── closed-only spans ─────────────────────────────────────────────────────────────────────────────────

export interface Span {
  start: number;
  end: number;
}

/**
 * Checks [start, end) spans against a paragraph of `length` UTF-16 code units and returns them sorted.
 * Spans must be non-empty, inside the text and must not overlap (touching is fine, and is merged).
 */
export function normaliseSpans(spans: readonly Span[], length: number, field: string): Span[] {
  const sorted = spans.map((s, i) => ({ ...s, i })).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  for (const s of sorted) {
    if (s.end <= s.start)
      throw new ConcordatError('VALIDATION', `${field}.${s.i}: a closed-only span must end after it starts.`, {
        field: `${field}.${s.i}.end`,
      });
    if (s.end > length)
      throw new ConcordatError('VALIDATION', `${field}.${s.i}: the span ends at ${s.end}, past the end of the paragraph (${length}).`, {
        field: `${field}.${s.i}.end`,
      });
    const last = out.at(-1);
    if (last && s.start < last.end)
      throw new ConcordatError('VALIDATION', `${field}.${s.i}: closed-only spans must not overlap.`, { field: `${field}.${s.i}.start` });
    if (last && s.start === last.end) last.end = s.end;
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** The paragraph as a non-statutory reader may see it: every closed-only span replaced by REDACTED_TEXT. */
export function redactSpans(text: string, spans: readonly Span[]): string {
  let out = '';
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, s.start) + REDACTED_TEXT;
    at = s.end;
  }
  return out + text.slice(at);
}

/**
 * What the open store keeps of a paragraph whose closed-only spans are sealed (issue 15: 1): each span's
 * UTF-16 code units replaced one for one, so the spans' offsets still fit it and redactSpans reads it
 * exactly as it reads the full text. The length of each span stays visible (docs/closed-store.md).
 */
export const SEALED_SPAN_FILLER = '\u2588';

export function fillSpans(text: string, spans: readonly Span[]): string {
  let out = '';
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const start = Math.max(at, Math.min(s.start, text.length));
    const end = Math.max(start, Math.min(s.end, text.length));
    out += text.slice(at, start) + SEALED_SPAN_FILLER.repeat(end - start);
    at = end;
  }
  return out + text.slice(at);
}

// ── actions ───────────────────────────────────────────────────────────────────────────────────────────

/** Open and carried-over actions are still to do; they come back at the next meeting of the same area. */
export function isIncompleteAction(status: ActionStatus): boolean {
  return status === 'open' || status === 'carried_over';
}

export function isOverdueAction(status: ActionStatus, dueDate: string, today: string): boolean {
  return isIncompleteAction(status) && dueDate < today;
}

export interface ActionReview {
  outcome: ActionReviewOutcome;
  newDueDate?: string | null | undefined;
  failureReason?: FailureReason | null | undefined;
  note?: string | null | undefined;
}

/** Checks a review of an action at a later meeting; returns what the action will carry. */
export function checkActionReview(
  current: ActionStatus,
  review: ActionReview,
  meetingDate: string,
): { status: ActionStatus; dueDate: string | null; failureReason: FailureReason | null } {
  if (!isIncompleteAction(current)) {
    throw new ConcordatError(
      'INVALID_TRANSITION',
      `This action is ${current.replace('_', ' ')}: only open or carried-over actions are reviewed.`,
      { field: 'actionId', details: { status: current } },
    );
  }
  const newDueDate = review.newDueDate ?? null;
  const failureReason = review.failureReason ?? null;
  if (review.outcome === 'carried_over') {
    if (newDueDate === null)
      throw new ConcordatError('VALIDATION', 'Carrying an action over needs a new due date.', { field: 'newDueDate' });
    if (newDueDate <= meetingDate)
      throw new ConcordatError('VALIDATION', 'The new due date must be after the meeting.', { field: 'newDueDate' });
  } else if (newDueDate !== null) {
    throw new ConcordatError('VALIDATION', 'Only an action carried over gets a new due date.', { field: 'newDueDate' });
  }
  if (review.outcome === 'failed') {
    if (failureReason === null)
      throw new ConcordatError('VALIDATION', 'A failed action needs the reason it failed.', { field: 'failureReason' });
    if (failureReason === 'other' && !review.note?.trim())
      throw new ConcordatError('VALIDATION', 'Say why the action failed when the reason is "other".', { field: 'note' });
  } else if (failureReason !== null) {
    throw new ConcordatError('VALIDATION', 'Only a failed action records a failure reason.', { field: 'failureReason' });
  }
  return { status: review.outcome, dueDate: newDueDate, failureReason };
}

// ── quorum ────────────────────────────────────────────────────────────────────────────────────────────

export interface QuorumRule {
  /** Distinct organisations with someone present (statutory ones only at a closed meeting). */
  minimumOrganisations: number;
  chairPresent: boolean;
}

/**
 * The terms of reference give no number; they name the council's Community Safety Team (which
 * facilitates), the police and the council's housing department as required at every People and Place
 * meeting. Three organisations present, the chair among those present, is the default a partnership
 * can change per meeting.
 */
export const DEFAULT_QUORUM: QuorumRule = { minimumOrganisations: 3, chairPresent: true };

export interface QuorumAttendee {
  organisationId: number;
  statutory: boolean;
  attendance: Attendance;
  isChair: boolean;
}

export interface QuorumState {
  required: number;
  presentOrganisations: number;
  chairPresent: boolean;
  met: boolean;
  /** Why it is not met, for the flag on the meeting page; empty when met. */
  shortfall: string[];
}

export function quorumOf(rule: QuorumRule, attendees: readonly QuorumAttendee[], closed: boolean): QuorumState {
  const present = attendees.filter((a) => a.attendance === 'present' && (!closed || a.statutory));
  const organisations = new Set(present.map((a) => a.organisationId)).size;
  const chairPresent = present.some((a) => a.isChair);
  const shortfall: string[] = [];
  if (organisations < rule.minimumOrganisations)
    shortfall.push(`${organisations} of the ${rule.minimumOrganisations} organisations needed are present`);
  if (rule.chairPresent && !chairPresent) shortfall.push('the chair is not marked present');
  return { required: rule.minimumOrganisations, presentOrganisations: organisations, chairPresent, met: shortfall.length === 0, shortfall };
}

// ── agenda proposals ──────────────────────────────────────────────────────────────────────────────────

/** A case already supported by another service is shown with that decision, but never added by default. */
export function proposedByDefault(alreadySupported: { decision: 'discuss' | 'do_not_discuss' } | null): boolean {
  return alreadySupported === null;
}

/** "HH:MM" of a 24-hour clock. */
export const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
