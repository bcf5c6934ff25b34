// Meetings: scheduling, attendance and confidentiality, the agenda, minutes and actions. Rules and policy
// only: the SQL is in src/store/meetings.ts and src/store/actions.ts, case status and risk changes go
// through the case lifecycle in ./cases.ts.
import { ConcordatError } from '../contract/errors.js';
import type { MeetingDetail, MeetingUpdateInput } from '../contract/ops/meetings.js';
import { mayMarkClosedOnly, mayReceiveClosedOnly } from '../domain/access.js';
import { checkAdmission, type AdmissionMeeting } from '../domain/admission.js';
import {
  CONFIDENTIALITY_STATEMENT,
  DEFAULT_QUORUM,
  checkActionReview,
  checkMinutesStep,
  normaliseSpans,
  quorumOf,
  requireDraftMinutes,
  type AgendaItemKind,
  type MinutesStatus,
} from '../domain/meetings.js';
import { localToday } from '../domain/risk.js';
import * as actionsStore from '../store/actions.js';
import * as store from '../store/meetings.js';
import type { MeetingColumns, MeetingRow } from '../store/meetings.js';
import type { Sql } from '../vault/database.js';
import { applyCaseTransition, applyRiskAssessment } from './cases.js';
import type { Call, Handler } from './types.js';
import { viewerOf, type Viewer } from './visibility.js';

const now = () => new Date().toISOString();
const sees = (viewer: Viewer) => mayReceiveClosedOnly(viewer.role);

// ── checks ────────────────────────────────────────────────────────────────────────────────────────────

/** The meeting if the viewer may see it; a closed meeting and a missing one look alike to a non-statutory member. */
async function requireMeeting(db: Sql, viewer: Viewer, meetingId: number, field = 'meetingId'): Promise<MeetingRow> {
  const row = await store.meetingRow(db, meetingId, sees(viewer));
  if (!row) throw new ConcordatError('NOT_FOUND', `There is no meeting ${meetingId}.`, { field });
  return row;
}

/** Changes to the meeting itself (details, attendance, agenda): not once cancelled, not once the minutes are approved. */
function requireOpenForChanges(meeting: MeetingRow, field = 'meetingId'): void {
  if (meeting.status === 'cancelled')
    throw new ConcordatError('INVALID_TRANSITION', 'This meeting is cancelled: it cannot change.', {
      field,
      details: { status: meeting.status },
    });
  if (meeting.minutes_status === 'approved') {
    throw new ConcordatError(
      'INVALID_TRANSITION',
      'The minutes of this meeting are approved: the meeting never changes now (add an addendum instead).',
      { field, details: { minutesStatus: meeting.minutes_status } },
    );
  }
}

/** Minutes, decisions and actions are written by the minute-taker, the chair, or the partnership manager. */
function requireMinutesWriter(meeting: MeetingRow, viewer: Viewer): void {
  if (viewer.role === 'manager' || viewer.userId === meeting.chair_id || viewer.userId === meeting.minute_taker_id) return;
  throw new ConcordatError(
    'FORBIDDEN',
    `Only the minute-taker (${meeting.minute_taker_name}), the chair (${meeting.chair_name}) or the partnership manager can write these minutes.`,
    { field: 'meetingId' },
  );
}

function requireChair(meeting: MeetingRow, viewer: Viewer, what: string): void {
  if (viewer.userId === meeting.chair_id) return;
  throw new ConcordatError('FORBIDDEN', `Only the chair (${meeting.chair_name}) can ${what}.`, { field: 'meetingId' });
}

function refuseClosedOnlyMark(viewer: Viewer, closedOnly: boolean): void {
  if (closedOnly && !mayMarkClosedOnly(viewer.role))
    throw new ConcordatError('FORBIDDEN', 'Only statutory partners can mark something closed-meeting-only.', { field: 'closedOnly' });
}

function admissionMeeting(m: Pick<MeetingRow, 'closed' | 'kind' | 'date'>): AdmissionMeeting {
  return { closed: m.closed === 1, kind: m.kind, date: m.date };
}

/** The admission rules (statutory only at a closed meeting; later, a current membership agreement) for one organisation. */
async function requireAdmitted(db: Sql, organisationId: number, meeting: AdmissionMeeting, field: string): Promise<store.OrganisationRow> {
  const organisation = await store.organisationRow(db, organisationId);
  if (!organisation) throw new ConcordatError('NOT_FOUND', `There is no organisation ${organisationId}.`, { field });
  const refusal = checkAdmission({ organisation: store.toOrganisationRef(organisation) }, meeting);
  if (refusal) throw new ConcordatError('FORBIDDEN', refusal.message, { field, details: { rule: refusal.rule } });
  return organisation;
}

/** Chair and minute-taker hear everything said at the meeting, so they must be users who may receive closed-only data. */
async function requireOfficer(db: Sql, userId: number, field: 'chairId' | 'minuteTakerId'): Promise<store.UserRow> {
  const user = await store.userRow(db, userId);
  const what = field === 'chairId' ? 'chair' : 'minute-taker';
  if (!user || user.removed_at !== null)
    throw new ConcordatError('NOT_FOUND', `There is no current user ${userId} to be the ${what}.`, { field });
  if (!mayReceiveClosedOnly(user.role)) {
    throw new ConcordatError(
      'VALIDATION',
      `${user.display_name} is a non-statutory member: the ${what} must be a statutory partner or the partnership manager.`,
      { field },
    );
  }
  return user;
}

function checkTimes(start: string, end: string | null): void {
  if (end !== null && end <= start) throw new ConcordatError('VALIDATION', 'The meeting must end after it starts.', { field: 'endTime' });
}

function checkPlace(online: boolean, place: string | null): void {
  if (!online && (place === null || place.trim() === ''))
    throw new ConcordatError('VALIDATION', 'Say where the meeting is held, or mark it online.', { field: 'place' });
}

function agendaTitle(kind: AgendaItemKind, title: string, caseRef: { reference: string } | null): string {
  if (title.trim() !== '') return title.trim();
  if (kind === 'case' && caseRef) return caseRef.reference;
  if (kind === 'previous_minutes') return 'Minutes of the previous meeting';
  if (kind === 'actions_review') return 'Review of actions';
  throw new ConcordatError('VALIDATION', 'An item that is not a case needs a title.', { field: 'title' });
}

// ── the meeting page ──────────────────────────────────────────────────────────────────────────────────

async function quorumFor(db: Sql, meeting: MeetingRow) {
  const attendees = await store.attendeeRows(db, meeting.id);
  const state = quorumOf(
    { minimumOrganisations: meeting.quorum_organisations, chairPresent: meeting.quorum_chair === 1 },
    attendees.map((a) => ({
      organisationId: a.organisation_id,
      statutory: a.org_statutory === 1,
      attendance: a.attendance,
      isChair: a.user_id === meeting.chair_id,
    })),
    meeting.closed === 1,
  );
  return { quorum: { ...state, chairRequired: meeting.quorum_chair === 1 }, attendees };
}

function allAcknowledged(attendees: readonly store.AttendeeRow[]): boolean {
  return attendees.every((a) => a.attendance !== 'present' || a.ack_at !== null);
}

async function minutesOf(db: Sql, meeting: MeetingRow, viewer: Viewer) {
  const ref = (id: number | null, name: string | null) => (id === null || name === null ? null : { id, displayName: name });
  return {
    status: meeting.minutes_status,
    startedAt: meeting.minutes_started_at,
    startedBy: ref(meeting.minutes_started_by, meeting.started_by_name),
    submittedAt: meeting.minutes_submitted_at,
    submittedBy: ref(meeting.minutes_submitted_by, meeting.submitted_by_name),
    approvedAt: meeting.minutes_approved_at,
    approvedBy: ref(meeting.minutes_approved_by, meeting.approved_by_name),
    returnedReason: meeting.minutes_returned,
    items: await store.minuteItems(db, meeting.id, sees(viewer)),
  };
}

export async function loadMeetingDetail(db: Sql, viewer: Viewer, meetingId: number, today = localToday()): Promise<MeetingDetail> {
  const meeting = await requireMeeting(db, viewer, meetingId);
  const visible = sees(viewer);
  const { quorum, attendees } = await quorumFor(db, meeting);
  const previous = await store.previousMeeting(db, meeting, visible);
  const actions = await actionsStore.listActions(db, { meetingId }, visible, today);
  const reviewAt = { id: meeting.id, area: meeting.area, date: meeting.date, startTime: meeting.start_time };
  const toReview = await actionsStore.listActions(db, { toReviewAt: reviewAt, onAgendaOnly: true }, visible, today);
  const allToReview = await actionsStore.countToReview(db, reviewAt, visible);
  return {
    ...store.toMeetingSummary(meeting),
    invitedOrganisations: (await store.invitees(db, meetingId)).map(store.toOrganisationRef),
    quorum,
    confidentialityStatement: meeting.confidentiality,
    attendees: attendees.map((a) => store.toAttendee(a, meeting)),
    allPresentAcknowledged: allAcknowledged(attendees),
    agenda: (await store.agendaRows(db, meetingId, visible)).map(store.toAgendaItem),
    minutes: await minutesOf(db, meeting, viewer),
    actions: actions.actions,
    actionsToReview: toReview.actions,
    actionsToReviewNotOnAgenda: allToReview - toReview.total,
    previousMeeting: previous ? { id: previous.id, date: previous.date, minutesStatus: previous.minutes_status } : null,
    createdBy: { id: meeting.created_by, displayName: meeting.creator_name },
    createdAt: meeting.created_at,
    updatedAt: meeting.updated_at,
  };
}

// ── handlers: meetings ────────────────────────────────────────────────────────────────────────────────

export const listMeetings: Handler<'meetings.list'> = async (call, input) => {
  const viewer = viewerOf(call);
  const { rows, total } = await store.listMeetings(call.sql, { ...input, today: localToday() }, sees(viewer));
  call.note({ details: { count: rows.length } });
  const next = input.offset + rows.length;
  return { meetings: rows.map(store.toMeetingSummary), total, nextOffset: next < total ? next : null };
};

export const getMeeting: Handler<'meetings.get'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.meetingId });
  const meeting = await loadMeetingDetail(call.sql, viewer, input.meetingId);
  call.note({ entityId: input.meetingId, details: { caseIds: meeting.agenda.flatMap((i) => (i.case ? [i.case.id] : [])) } });
  return { meeting };
};

export const meetingsForCase: Handler<'meetings.forCase'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.caseId });
  if (!(await store.caseForAgenda(call.sql, input.caseId, sees(viewer))))
    throw new ConcordatError('NOT_FOUND', `There is no case ${input.caseId}.`, { field: 'caseId' });
  const rows = await store.meetingsForCase(call.sql, input.caseId, sees(viewer));
  const { actions } = await actionsStore.listActions(call.sql, { caseId: input.caseId }, sees(viewer), localToday());
  return {
    meetings: rows.map((r) => ({ ...store.toMeetingSummary(r), agendaItemId: r.agenda_item_id, itemRemoved: r.item_removed === 1 })),
    actions,
  };
};

export const scheduleMeeting: Handler<'meetings.schedule'> = async (call, input) => {
  const viewer = viewerOf(call);
  const db = call.sql;
  checkTimes(input.startTime, input.endTime);
  checkPlace(input.online, input.place);
  await requireOfficer(db, input.chairId, 'chairId');
  await requireOfficer(db, input.minuteTakerId, 'minuteTakerId');
  const admission: AdmissionMeeting = { closed: input.closed, kind: input.kind, date: input.date };
  for (const [i, id] of input.invitedOrganisationIds.entries()) await requireAdmitted(db, id, admission, `invitedOrganisationIds.${i}`);
  const at = now();
  const quorum = input.quorum ?? DEFAULT_QUORUM;
  const id = await store.insertMeeting(db, {
    kind: input.kind,
    area: input.area,
    date: input.date,
    start_time: input.startTime,
    end_time: input.endTime,
    place: input.place,
    online: input.online,
    place_focus: input.placeFocus,
    closed: input.closed,
    status: 'scheduled',
    chair_id: input.chairId,
    minute_taker_id: input.minuteTakerId,
    quorum_organisations: quorum.minimumOrganisations,
    quorum_chair: quorum.chairPresent,
    confidentiality: CONFIDENTIALITY_STATEMENT,
    created_at: at,
    created_by: viewer.userId,
    updated_at: at,
    updated_by: viewer.userId,
  });
  await store.setInvitees(db, id, input.invitedOrganisationIds);
  // Standing items: the last meeting's minutes and its actions come first at every meeting that follows one.
  const meeting = (await store.meetingRow(db, id, true))!;
  if (await store.previousMeeting(db, meeting, true)) {
    for (const kind of ['previous_minutes', 'actions_review'] as const) {
      await store.insertAgendaItem(db, {
        meeting_id: id,
        kind,
        case_id: null,
        title: agendaTitle(kind, '', null),
        proposal_reasons: [],
        added_reason: 'Standing item',
        added_by: viewer.userId,
        added_at: at,
      });
    }
  }
  call.note({ entityId: id, details: { closed: input.closed, area: input.area, invitedOrganisationIds: input.invitedOrganisationIds } });
  return { meeting: await loadMeetingDetail(db, viewer, id) };
};

export const updateMeeting: Handler<'meetings.update'> = async (call, input: MeetingUpdateInput) => {
  const viewer = viewerOf(call);
  const db = call.sql;
  const { meetingId, cancelled, ...changes } = input;
  call.note({ entityId: meetingId, details: { fields: Object.keys(input).filter((k) => k !== 'meetingId') } });
  const meeting = await requireMeeting(db, viewer, meetingId);
  if (meeting.minutes_status === 'approved') requireOpenForChanges(meeting);
  if (meeting.status === 'cancelled' && cancelled !== false) requireOpenForChanges(meeting);
  const closed = changes.closed ?? meeting.closed === 1;
  if (changes.closed !== undefined && changes.closed !== (meeting.closed === 1) && meeting.minutes_status !== 'not_started') {
    throw new ConcordatError('INVALID_TRANSITION', 'Whether the meeting is closed cannot change once its minutes have started.', {
      field: 'closed',
    });
  }
  checkTimes(changes.startTime ?? meeting.start_time, changes.endTime === undefined ? meeting.end_time : changes.endTime);
  checkPlace(changes.online ?? meeting.online === 1, changes.place === undefined ? meeting.place : changes.place);
  if (changes.chairId !== undefined) await requireOfficer(db, changes.chairId, 'chairId');
  if (changes.minuteTakerId !== undefined) await requireOfficer(db, changes.minuteTakerId, 'minuteTakerId');
  const admission: AdmissionMeeting = { closed, kind: changes.kind ?? meeting.kind, date: changes.date ?? meeting.date };
  if (changes.invitedOrganisationIds) {
    for (const [i, id] of changes.invitedOrganisationIds.entries()) await requireAdmitted(db, id, admission, `invitedOrganisationIds.${i}`);
  }
  if (closed && meeting.closed === 0) {
    // Becoming closed: everyone already invited or listed must still be admitted.
    for (const o of changes.invitedOrganisationIds ? [] : await store.invitees(db, meetingId))
      await requireAdmitted(db, o.id, admission, 'closed');
    for (const a of await store.attendeeRows(db, meetingId)) await requireAdmitted(db, a.organisation_id, admission, 'closed');
  }
  const columns: MeetingColumns = { updated_at: now(), updated_by: viewer.userId };
  if (changes.kind !== undefined) columns.kind = changes.kind;
  if (changes.area !== undefined) columns.area = changes.area;
  if (changes.date !== undefined) columns.date = changes.date;
  if (changes.startTime !== undefined) columns.start_time = changes.startTime;
  if (changes.endTime !== undefined) columns.end_time = changes.endTime;
  if (changes.place !== undefined) columns.place = changes.place;
  if (changes.online !== undefined) columns.online = changes.online;
  if (changes.placeFocus !== undefined) columns.place_focus = changes.placeFocus;
  if (changes.closed !== undefined) columns.closed = changes.closed;
  if (changes.chairId !== undefined) columns.chair_id = changes.chairId;
  if (changes.minuteTakerId !== undefined) columns.minute_taker_id = changes.minuteTakerId;
  if (changes.quorum !== undefined) {
    const quorum = changes.quorum ?? DEFAULT_QUORUM;
    columns.quorum_organisations = quorum.minimumOrganisations;
    columns.quorum_chair = quorum.chairPresent;
  }
  if (cancelled !== undefined) columns.status = cancelled ? 'cancelled' : 'scheduled';
  await store.updateMeeting(db, meetingId, columns);
  if (changes.invitedOrganisationIds) await store.setInvitees(db, meetingId, changes.invitedOrganisationIds);
  return { meeting: await loadMeetingDetail(db, viewer, meetingId) };
};

// ── handlers: attendance ──────────────────────────────────────────────────────────────────────────────

export const addAttendee: Handler<'meetings.addAttendee'> = async (call, input) => {
  const viewer = viewerOf(call);
  const db = call.sql;
  call.note({ details: { meetingId: input.meetingId, organisationId: input.organisationId } });
  const meeting = await requireMeeting(db, viewer, input.meetingId);
  requireOpenForChanges(meeting);
  await requireAdmitted(db, input.organisationId, admissionMeeting(meeting), 'organisationId');
  if (input.userId !== null) {
    const user = await store.userRow(db, input.userId);
    if (!user || user.removed_at !== null)
      throw new ConcordatError('NOT_FOUND', `There is no current user ${input.userId}.`, { field: 'userId' });
    if (user.organisation_id !== input.organisationId)
      throw new ConcordatError('VALIDATION', `${user.display_name} belongs to another organisation.`, { field: 'userId' });
    if (await store.attendeeForUser(db, input.meetingId, input.userId))
      throw new ConcordatError('CONFLICT', `${user.display_name} is already on this meeting's register.`, { field: 'userId' });
  }
  const id = await store.insertAttendee(db, {
    meeting_id: input.meetingId,
    name: input.name,
    organisation_id: input.organisationId,
    role: input.role,
    user_id: input.userId,
    attendance: input.attendance,
    created_at: now(),
    created_by: viewer.userId,
  });
  call.note({ entityId: id, details: { meetingId: input.meetingId, organisationId: input.organisationId, userId: input.userId } });
  return { attendee: store.toAttendee((await store.attendeeRow(db, input.meetingId, id))!, meeting) };
};

async function requireAttendee(db: Sql, meetingId: number, attendeeId: number): Promise<store.AttendeeRow> {
  const row = await store.attendeeRow(db, meetingId, attendeeId);
  if (!row) throw new ConcordatError('NOT_FOUND', `There is no attendee ${attendeeId} at this meeting.`, { field: 'attendeeId' });
  return row;
}

export const setAttendance: Handler<'meetings.setAttendance'> = async (call, input) => {
  const viewer = viewerOf(call);
  const db = call.sql;
  call.note({ entityId: input.attendeeId, details: { meetingId: input.meetingId, attendance: input.attendance } });
  const meeting = await requireMeeting(db, viewer, input.meetingId);
  requireOpenForChanges(meeting);
  const current = await requireAttendee(db, input.meetingId, input.attendeeId);
  const arrived = input.arrivedAt === undefined ? current.arrived_at : input.arrivedAt;
  const left = input.leftAt === undefined ? current.left_at : input.leftAt;
  if (input.attendance !== 'present' && ((input.arrivedAt ?? null) !== null || (input.leftAt ?? null) !== null)) {
    throw new ConcordatError('VALIDATION', 'Arrival and leaving times are for attendees who were present.', {
      field: input.arrivedAt ? 'arrivedAt' : 'leftAt',
    });
  }
  if (arrived !== null && left !== null && left <= arrived)
    throw new ConcordatError('VALIDATION', 'They must leave after they arrive.', { field: 'leftAt' });
  const clear = input.attendance !== 'present';
  await store.updateAttendance(db, input.attendeeId, {
    attendance: input.attendance,
    arrived_at: clear ? null : arrived,
    left_at: clear ? null : left,
  });
  const { quorum, attendees } = await quorumFor(db, meeting);
  return {
    attendee: store.toAttendee(
      attendees.find((a) => a.id === input.attendeeId)!,
      meeting,
    ),
    quorum,
  };
};

export const acknowledgeConfidentiality: Handler<'meetings.acknowledgeConfidentiality'> = async (call, input) => {
  const viewer = viewerOf(call);
  const db = call.sql;
  call.note({ entityId: input.attendeeId, details: { meetingId: input.meetingId } });
  const meeting = await requireMeeting(db, viewer, input.meetingId);
  requireOpenForChanges(meeting);
  const attendee = await requireAttendee(db, input.meetingId, input.attendeeId);
  if (attendee.attendance !== 'present') {
    throw new ConcordatError(
      'INVALID_TRANSITION',
      `${attendee.name} is not marked present: only those present acknowledge the statement.`,
      { field: 'attendeeId', details: { attendance: attendee.attendance } },
    );
  }
  // A second tick changes nothing: the first acknowledgement is the record.
  if (attendee.ack_at === null) await store.insertAcknowledgement(db, input.meetingId, input.attendeeId, now(), viewer.userId);
  const attendees = await store.attendeeRows(db, input.meetingId);
  return {
    attendee: store.toAttendee(
      attendees.find((a) => a.id === input.attendeeId)!,
      meeting,
    ),
    allPresentAcknowledged: allAcknowledged(attendees),
  };
};

// ── handlers: agenda ──────────────────────────────────────────────────────────────────────────────────

export const proposeAgenda: Handler<'meetings.proposeAgenda'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.meetingId });
  const meeting = await requireMeeting(call.sql, viewer, input.meetingId);
  const proposals = await store.agendaProposals(call.sql, {
    id: meeting.id,
    area: meeting.area,
    date: meeting.date,
    closed: meeting.closed === 1,
  });
  call.note({ entityId: input.meetingId, details: { caseIds: proposals.map((p) => p.case.id) } });
  return { proposals };
};

/** A case for this meeting's agenda: visible to the caller, and not closed-only at an open meeting. */
async function requireCaseFor(db: Sql, viewer: Viewer, meeting: MeetingRow, caseId: number, field = 'caseId') {
  const row = await store.caseForAgenda(db, caseId, sees(viewer));
  if (!row) throw new ConcordatError('NOT_FOUND', `There is no case ${caseId}.`, { field });
  if (row.case_closed_only === 1 && meeting.closed === 0) {
    throw new ConcordatError('VALIDATION', `${row.reference} is closed-meeting-only: it can be discussed at a closed meeting only.`, {
      field,
    });
  }
  return row;
}

export const raiseCase: Handler<'meetings.raiseCase'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.meetingId, details: { caseId: input.caseId } });
  const meeting = await requireMeeting(call.sql, viewer, input.meetingId);
  requireOpenForChanges(meeting);
  await requireCaseFor(call.sql, viewer, meeting, input.caseId);
  await store.insertRaise(call.sql, {
    meeting_id: input.meetingId,
    case_id: input.caseId,
    reason: input.reason,
    raised_by: viewer.userId,
    organisation_id: call.session.user.organisationId,
    at: now(),
  });
  return { ok: true as const };
};

export const addAgendaItem: Handler<'meetings.addAgendaItem'> = async (call, input) => {
  const viewer = viewerOf(call);
  const db = call.sql;
  call.note({ entityId: input.meetingId, details: { kind: input.kind, caseId: input.caseId } });
  const meeting = await requireMeeting(db, viewer, input.meetingId);
  requireOpenForChanges(meeting);
  if (input.kind === 'case' && input.caseId === null)
    throw new ConcordatError('VALIDATION', 'A case item needs the case.', { field: 'caseId' });
  if (input.kind !== 'case' && input.caseId !== null)
    throw new ConcordatError('VALIDATION', `An item of kind ${input.kind} is not about a case.`, { field: 'caseId' });
  const caseRow = input.caseId === null ? null : await requireCaseFor(db, viewer, meeting, input.caseId);
  if (caseRow && (await store.activeCaseItem(db, input.meetingId, caseRow.case_id))) {
    throw new ConcordatError('CONFLICT', `${caseRow.reference} is already on this agenda.`, { field: 'caseId' });
  }
  if (
    (input.kind === 'previous_minutes' || input.kind === 'actions_review') &&
    (await store.activeKindItem(db, input.meetingId, input.kind))
  ) {
    throw new ConcordatError('CONFLICT', 'This agenda already has that item.', { field: 'kind' });
  }
  const id = await store.insertAgendaItem(db, {
    meeting_id: input.meetingId,
    kind: input.kind,
    case_id: caseRow?.case_id ?? null,
    title: agendaTitle(input.kind, input.title, caseRow),
    proposal_reasons: [...new Set(input.proposalReasons)],
    added_reason: input.reason,
    added_by: viewer.userId,
    added_at: now(),
  });
  call.note({ entityId: input.meetingId, details: { agendaItemId: id, kind: input.kind, caseId: input.caseId } });
  const agenda = (await store.agendaRows(db, input.meetingId, sees(viewer))).map(store.toAgendaItem);
  return { item: agenda.find((i) => i.id === id)!, agenda };
};

async function requireAgendaItem(db: Sql, viewer: Viewer, meetingId: number, itemId: number, field = 'agendaItemId') {
  const item = await store.agendaItemRow(db, meetingId, itemId);
  if (!item || (item.case_closed_only === 1 && !sees(viewer)))
    throw new ConcordatError('NOT_FOUND', `There is no agenda item ${itemId} at this meeting.`, { field });
  return item;
}

export const removeAgendaItem: Handler<'meetings.removeAgendaItem'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.meetingId, details: { agendaItemId: input.agendaItemId } });
  const meeting = await requireMeeting(call.sql, viewer, input.meetingId);
  requireOpenForChanges(meeting);
  const item = await requireAgendaItem(call.sql, viewer, input.meetingId, input.agendaItemId);
  if (item.removed_at !== null)
    throw new ConcordatError('CONFLICT', 'This item was already removed from the agenda.', { field: 'agendaItemId' });
  await store.markAgendaItemRemoved(call.sql, input.agendaItemId, input.reason, viewer.userId, now());
  return { agenda: (await store.agendaRows(call.sql, input.meetingId, sees(viewer))).map(store.toAgendaItem) };
};

export const reorderAgenda: Handler<'meetings.reorderAgenda'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.meetingId, details: { agendaItemIds: input.agendaItemIds } });
  const meeting = await requireMeeting(call.sql, viewer, input.meetingId);
  requireOpenForChanges(meeting);
  const current = await store.agendaItemIds(call.sql, input.meetingId);
  const same =
    current.length === input.agendaItemIds.length &&
    [...current].sort((a, b) => a - b).every((id, i) => id === [...input.agendaItemIds].sort((a, b) => a - b)[i]);
  if (!same)
    throw new ConcordatError('VALIDATION', `List every item of this agenda once (${current.length} items), in the new order.`, {
      field: 'agendaItemIds',
    });
  await store.reorderAgenda(call.sql, input.meetingId, input.agendaItemIds, input.reason, viewer.userId, now());
  return { agenda: (await store.agendaRows(call.sql, input.meetingId, sees(viewer))).map(store.toAgendaItem) };
};

// ── handlers: minutes ─────────────────────────────────────────────────────────────────────────────────

async function minutesStep(call: Call, meetingId: number, to: MinutesStatus, columns: MeetingColumns): Promise<MeetingRow> {
  await store.updateMeeting(call.sql, meetingId, { ...columns, minutes_status: to, updated_at: now(), updated_by: call.session.user.id });
  call.note({ entityId: meetingId, details: { minutesStatus: to } });
  return (await store.meetingRow(call.sql, meetingId, true))!;
}

export const startMinutes: Handler<'minutes.start'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.meetingId });
  const meeting = await requireMeeting(call.sql, viewer, input.meetingId);
  requireMinutesWriter(meeting, viewer);
  requireOpenForChanges(meeting);
  if (meeting.minutes_status !== 'not_started')
    throw new ConcordatError('INVALID_TRANSITION', 'The minutes of this meeting have already been started.', {
      field: 'meetingId',
      details: { minutesStatus: meeting.minutes_status },
    });
  checkMinutesStep(meeting.minutes_status, 'draft');
  const { quorum, attendees } = await quorumFor(call.sql, meeting);
  const present = attendees.filter((a) => a.attendance === 'present');
  if (present.length === 0)
    throw new ConcordatError('INVALID_TRANSITION', 'Mark who is present before starting the minutes.', { field: 'attendees' });
  const missing = present.filter((a) => a.ack_at === null);
  if (missing.length > 0) {
    throw new ConcordatError(
      'INVALID_TRANSITION',
      `The minutes cannot start until everyone present has acknowledged the confidentiality statement: ${missing.map((a) => a.name).join(', ')} ${missing.length === 1 ? 'has' : 'have'} not.`,
      { field: 'attendees', details: { missing: missing.length } },
    );
  }
  const started = await minutesStep(call, input.meetingId, 'draft', { minutes_started_at: now(), minutes_started_by: viewer.userId });
  call.note({ entityId: input.meetingId, details: { quorumMet: quorum.met } });
  return { minutes: await minutesOf(call.sql, started, viewer), quorum };
};

function sameParagraphs(
  a: readonly { text: string; closedOnly: boolean; spans: readonly { start: number; end: number }[] }[],
  b: typeof a,
): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export const saveMinuteItem: Handler<'minutes.saveItem'> = async (call, input) => {
  const viewer = viewerOf(call);
  const db = call.sql;
  call.note({ entityId: input.meetingId, details: { agendaItemId: input.agendaItemId, revision: input.revision } });
  const meeting = await requireMeeting(db, viewer, input.meetingId);
  requireMinutesWriter(meeting, viewer);
  requireDraftMinutes(meeting.minutes_status);
  const item = await requireAgendaItem(db, viewer, input.meetingId, input.agendaItemId);
  if (item.removed_at !== null)
    throw new ConcordatError('INVALID_TRANSITION', 'This item was removed from the agenda: it takes no minutes.', {
      field: 'agendaItemId',
    });
  const paragraphs = input.paragraphs.map((p, i) => {
    refuseClosedOnlyMark(viewer, p.closedOnly || p.closedOnlySpans.length > 0);
    // A paragraph that is closed-only as a whole has no spans: all of it is.
    const spans = p.closedOnly ? [] : normaliseSpans(p.closedOnlySpans, p.text.length, `paragraphs.${i}.closedOnlySpans`);
    return { text: p.text, closedOnly: p.closedOnly, spans };
  });
  const revision = await store.minuteRevision(db, input.agendaItemId);
  // An autosave repeated (a retry, or two timers firing) changes nothing and is not a conflict.
  if (!sameParagraphs(paragraphs, await store.storedParagraphs(db, input.agendaItemId))) {
    if (input.revision !== revision) {
      throw new ConcordatError(
        'CONFLICT',
        `These minutes were changed since revision ${input.revision} (now ${revision}): reload them before saving.`,
        { field: 'revision', details: { current: revision } },
      );
    }
    await store.replaceParagraphs(db, input.meetingId, input.agendaItemId, paragraphs, revision + 1, viewer.userId, now());
  }
  const [saved] = await store.minuteItems(db, input.meetingId, sees(viewer), input.agendaItemId);
  call.note({
    entityId: input.meetingId,
    details: { agendaItemId: input.agendaItemId, revision: saved!.revision, paragraphs: paragraphs.length },
  });
  return { item: saved! };
};

/** A lifecycle refusal names its field inside caseStatus (to, reason → text, outcome). */
function withinCaseStatus(err: unknown): never {
  if (err instanceof ConcordatError && err.field !== undefined && err.field !== 'caseId') {
    const field = err.field === 'reason' ? 'text' : `caseStatus.${err.field}`;
    throw new ConcordatError(err.code, err.message, { field, details: err.details });
  }
  throw err;
}

export const recordDecision: Handler<'minutes.recordDecision'> = async (call, input) => {
  const viewer = viewerOf(call);
  const db = call.sql;
  call.note({ entityId: input.meetingId, details: { agendaItemId: input.agendaItemId } });
  const meeting = await requireMeeting(db, viewer, input.meetingId);
  requireMinutesWriter(meeting, viewer);
  requireDraftMinutes(meeting.minutes_status);
  refuseClosedOnlyMark(viewer, input.closedOnly);
  const item = await requireAgendaItem(db, viewer, input.meetingId, input.agendaItemId);
  if (item.removed_at !== null)
    throw new ConcordatError('INVALID_TRANSITION', 'This item was removed from the agenda: it takes no decisions.', {
      field: 'agendaItemId',
    });
  if ((input.caseStatus || input.risk) && item.case_id === null) {
    throw new ConcordatError('VALIDATION', 'Only an item about a case can change a case.', {
      field: input.caseStatus ? 'caseStatus' : 'risk',
    });
  }
  const caseId = item.case_id;
  let step: Awaited<ReturnType<typeof applyCaseTransition>> | null = null;
  if (input.caseStatus && caseId !== null) {
    step = await applyCaseTransition(
      db,
      viewer,
      { caseId, to: input.caseStatus.to, reason: input.text, outcome: input.caseStatus.outcome },
      'agendaItemId',
    ).catch(withinCaseStatus);
  }
  const risk =
    input.risk && caseId !== null
      ? await applyRiskAssessment(db, viewer, caseId, { ...input.risk, reasons: input.risk.reasons || input.text }, 'agendaItemId')
      : null;
  const decision = await store.insertDecision(db, {
    meeting_id: input.meetingId,
    agenda_item_id: input.agendaItemId,
    kind: step ? 'case_status' : risk ? 'risk_change' : 'decision',
    text: input.text,
    closed_only: input.closedOnly || item.case_closed_only === 1,
    case_id: caseId,
    from_status: step?.from ?? null,
    to_status: step?.to ?? null,
    outcome: step?.outcome ?? null,
    risk_from: risk?.from ?? null,
    risk_to: risk?.to ?? null,
    personal_harm: input.risk?.personalHarm ?? null,
    community_harm: input.risk?.communityHarm ?? null,
    environmental_harm: input.risk?.environmentalHarm ?? null,
    by_user: viewer.userId,
    at: now(),
  });
  call.note({
    entityId: input.meetingId,
    details: { agendaItemId: input.agendaItemId, decisionId: decision.id, caseId, to: step?.to ?? null, riskTo: risk?.to ?? null },
  });
  const [saved] = await store.minuteItems(db, input.meetingId, sees(viewer), input.agendaItemId);
  return { decision, item: saved! };
};

export const submitMinutes: Handler<'minutes.submit'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.meetingId });
  const meeting = await requireMeeting(call.sql, viewer, input.meetingId);
  requireMinutesWriter(meeting, viewer);
  checkMinutesStep(meeting.minutes_status, 'submitted');
  const next = await minutesStep(call, input.meetingId, 'submitted', { minutes_submitted_at: now(), minutes_submitted_by: viewer.userId });
  return { minutes: await minutesOf(call.sql, next, viewer) };
};

export const returnMinutes: Handler<'minutes.return'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.meetingId });
  const meeting = await requireMeeting(call.sql, viewer, input.meetingId);
  requireChair(meeting, viewer, 'return these minutes for correction');
  if (meeting.minutes_status !== 'submitted') {
    throw new ConcordatError('INVALID_TRANSITION', 'Only minutes submitted for approval can be returned to draft.', {
      field: 'meetingId',
      details: { minutesStatus: meeting.minutes_status },
    });
  }
  const next = await minutesStep(call, input.meetingId, 'draft', { minutes_returned: input.reason });
  return { minutes: await minutesOf(call.sql, next, viewer) };
};

export const approveMinutes: Handler<'minutes.approve'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.meetingId });
  const meeting = await requireMeeting(call.sql, viewer, input.meetingId);
  requireChair(meeting, viewer, 'approve these minutes');
  checkMinutesStep(meeting.minutes_status, 'approved');
  const next = await minutesStep(call, input.meetingId, 'approved', {
    minutes_approved_at: now(),
    minutes_approved_by: viewer.userId,
    minutes_returned: null,
  });
  return { minutes: await minutesOf(call.sql, next, viewer) };
};

export const addAddendum: Handler<'minutes.addAddendum'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.meetingId, details: { agendaItemId: input.agendaItemId } });
  const meeting = await requireMeeting(call.sql, viewer, input.meetingId);
  requireMinutesWriter(meeting, viewer);
  refuseClosedOnlyMark(viewer, input.closedOnly);
  if (meeting.minutes_status !== 'approved') {
    throw new ConcordatError('INVALID_TRANSITION', 'Addenda correct approved minutes: until the chair approves them, edit the draft.', {
      field: 'meetingId',
      details: { minutesStatus: meeting.minutes_status },
    });
  }
  await requireAgendaItem(call.sql, viewer, input.meetingId, input.agendaItemId);
  const addendum = await store.insertAddendum(call.sql, {
    meeting_id: input.meetingId,
    agenda_item_id: input.agendaItemId,
    text: input.text,
    reason: input.reason,
    closed_only: input.closedOnly,
    author_id: viewer.userId,
    at: now(),
  });
  call.note({ entityId: input.meetingId, details: { agendaItemId: input.agendaItemId, addendumId: addendum.id } });
  const [item] = await store.minuteItems(call.sql, input.meetingId, sees(viewer), input.agendaItemId);
  return { addendum, item: item! };
};

// ── handlers: actions ─────────────────────────────────────────────────────────────────────────────────

export const createAction: Handler<'actions.create'> = async (call, input) => {
  const viewer = viewerOf(call);
  const db = call.sql;
  call.note({ details: { meetingId: input.meetingId, caseId: input.caseId } });
  const meeting = await requireMeeting(db, viewer, input.meetingId);
  requireMinutesWriter(meeting, viewer);
  requireDraftMinutes(meeting.minutes_status);
  refuseClosedOnlyMark(viewer, input.closedOnly);
  let caseId = input.caseId;
  if (input.agendaItemId !== null) {
    const item = await requireAgendaItem(db, viewer, input.meetingId, input.agendaItemId);
    if (caseId === null) caseId = item.case_id;
    else if (item.case_id !== null && item.case_id !== caseId)
      throw new ConcordatError('VALIDATION', 'The action is about another case than its agenda item.', { field: 'caseId' });
  }
  if (caseId !== null) await requireCaseFor(db, viewer, meeting, caseId);
  await requireAdmitted(db, input.ownerOrganisationId, admissionMeeting(meeting), 'ownerOrganisationId');
  if (input.dueDate < meeting.date)
    throw new ConcordatError('VALIDATION', 'An action cannot be due before the meeting that agreed it.', { field: 'dueDate' });
  const id = await actionsStore.insertAction(db, {
    meeting_id: input.meetingId,
    agenda_item_id: input.agendaItemId,
    case_id: caseId,
    description: input.description,
    owner_org_id: input.ownerOrganisationId,
    officer: input.officer,
    due_date: input.dueDate,
    closed_only: input.closedOnly,
    created_at: now(),
    created_by: viewer.userId,
  });
  call.note({ entityId: id, details: { meetingId: input.meetingId, caseId, ownerOrganisationId: input.ownerOrganisationId } });
  return { action: (await actionsStore.actionById(db, id, sees(viewer), localToday()))! };
};

export const reviewAction: Handler<'actions.review'> = async (call, input) => {
  const viewer = viewerOf(call);
  const db = call.sql;
  call.note({ entityId: input.actionId, details: { meetingId: input.meetingId, outcome: input.outcome } });
  if (!(await actionsStore.actionById(db, input.actionId, sees(viewer), localToday())))
    throw new ConcordatError('NOT_FOUND', `There is no action ${input.actionId}.`, { field: 'actionId' });
  const action = (await actionsStore.actionState(db, input.actionId))!;
  const meeting = await requireMeeting(db, viewer, input.meetingId);
  requireMinutesWriter(meeting, viewer);
  requireDraftMinutes(meeting.minutes_status);
  const later =
    meeting.date > action.meeting_date ||
    (meeting.date === action.meeting_date &&
      (meeting.start_time > action.meeting_start || (meeting.start_time === action.meeting_start && meeting.id > action.meeting_id)));
  if (meeting.area.toLowerCase() !== action.area.toLowerCase() || !later) {
    throw new ConcordatError('VALIDATION', 'An action is reviewed at a later meeting of the same area.', { field: 'meetingId' });
  }
  const next = checkActionReview(action.status, input, meeting.date);
  await actionsStore.recordReview(db, {
    action_id: input.actionId,
    meeting_id: input.meetingId,
    outcome: input.outcome,
    new_due_date: next.dueDate,
    failure_reason: next.failureReason,
    note: input.note,
    by_user: viewer.userId,
    at: now(),
  });
  call.note({ entityId: input.actionId, details: { meetingId: input.meetingId, from: action.status, to: next.status } });
  return { action: (await actionsStore.actionById(db, input.actionId, sees(viewer), localToday()))! };
};

export const listActions: Handler<'actions.list'> = async (call, input) => {
  const viewer = viewerOf(call);
  const own = call.session.user.organisationId;
  // A non-statutory member sees their own organisation's actions only.
  if (!sees(viewer) && input.organisationId !== undefined && input.organisationId !== own) {
    throw new ConcordatError('FORBIDDEN', "Non-statutory members see their own organisation's actions only.", { field: 'organisationId' });
  }
  const organisationId = input.mine || !sees(viewer) ? own : input.organisationId;
  const today = localToday();
  let toReviewAt: actionsStore.ActionFilter['toReviewAt'];
  if (input.toReviewAt !== undefined) {
    const meeting = await requireMeeting(call.sql, viewer, input.toReviewAt, 'toReviewAt');
    toReviewAt = { id: meeting.id, area: meeting.area, date: meeting.date, startTime: meeting.start_time };
  }
  const { actions, total } = await actionsStore.listActions(
    call.sql,
    {
      meetingId: input.meetingId,
      caseId: input.caseId,
      area: input.area,
      status: input.status,
      organisationId,
      overdueOn: input.overdue ? today : undefined,
      toReviewAt,
    },
    sees(viewer),
    today,
    input,
  );
  call.note({
    details: {
      count: actions.length,
      organisationId: organisationId ?? null,
      caseId: input.caseId ?? null,
      meetingId: input.meetingId ?? null,
    },
  });
  const next = input.offset + actions.length;
  return { actions, total, nextOffset: next < total ? next : null };
};

export const meetingHandlers = {
  'meetings.list': listMeetings,
  'meetings.get': getMeeting,
  'meetings.forCase': meetingsForCase,
  'meetings.schedule': scheduleMeeting,
  'meetings.update': updateMeeting,
  'meetings.addAttendee': addAttendee,
  'meetings.setAttendance': setAttendance,
  'meetings.acknowledgeConfidentiality': acknowledgeConfidentiality,
  'meetings.proposeAgenda': proposeAgenda,
  'meetings.raiseCase': raiseCase,
  'meetings.addAgendaItem': addAgendaItem,
  'meetings.removeAgendaItem': removeAgendaItem,
  'meetings.reorderAgenda': reorderAgenda,
  'minutes.start': startMinutes,
  'minutes.saveItem': saveMinuteItem,
  'minutes.recordDecision': recordDecision,
  'minutes.submit': submitMinutes,
  'minutes.return': returnMinutes,
  'minutes.approve': approveMinutes,
  'minutes.addAddendum': addAddendum,
  'actions.create': createAction,
  'actions.review': reviewAction,
  'actions.list': listActions,
};
