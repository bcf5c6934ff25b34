// Meetings, attendance, agendas and minutes: the SQL, the row types and the row → contract mappers.
// What a reader may not see is left out here, where it is read: for someone who may not receive
// closed-only data, closed meetings, agenda items about closed-only cases, closed-only paragraphs,
// decisions and addenda never leave the database, and closed-only spans are cut out of the text.
import type {
  AgendaItem,
  AgendaProposal,
  Attendee,
  CaseRef,
  MeetingSummary,
  MinuteAddendum,
  MinuteDecision,
  MinuteItem,
  MinuteParagraph,
} from '../contract/ops/meetings.js';
import type { CaseOutcome, CaseStatus } from '../domain/lifecycle.js';
import {
  proposedByDefault,
  redactSpans,
  type AgendaItemKind,
  type Attendance,
  type DecisionKind,
  type MeetingKind,
  type MeetingStatus,
  type MinutesStatus,
  type ProposalReason,
  type Span,
} from '../domain/meetings.js';
import type { HarmLevel } from '../domain/risk.js';
import type { Sql, SqlValue } from '../vault/database.js';
import { unsealIfContent } from './closed-store.js';
import { unguessableId } from './ids.js';
import { SQL_TRUE, sql, sqlAnd, sqlAssignments, sqlIdentifier, sqlInsertColumns, type SqlQuery } from './sql.js';

/** Whether the reader may receive closed-meeting-only data (statutory partners and the manager). */
export type SeesClosedOnly = boolean;

const userRef = (id: number, displayName: string) => ({ id, displayName });
const userRefOrNull = (id: number | null, displayName: string | null) => (id === null || displayName === null ? null : { id, displayName });

// ── visibility fragments ──────────────────────────────────────────────────────────────────────────────

export function meetingVisible(sees: SeesClosedOnly, alias = 'm'): SqlQuery {
  return sees ? SQL_TRUE : sql`${rawAlias(alias)}.closed = 0`;
}

/** An agenda item (by alias) that is not about a closed-only case. */
function itemVisible(sees: SeesClosedOnly, alias = 'ai'): SqlQuery {
  return sees
    ? SQL_TRUE
    : sql`(${rawAlias(alias)}.case_id IS NULL OR (SELECT vc.closed_only FROM cases vc WHERE vc.id = ${rawAlias(alias)}.case_id) = 0)`;
}

function rowVisible(sees: SeesClosedOnly, alias: string): SqlQuery {
  return sees ? SQL_TRUE : sql`${rawAlias(alias)}.closed_only = 0`;
}

const rawAlias = sqlIdentifier;

// ── meetings ──────────────────────────────────────────────────────────────────────────────────────────

export interface MeetingRow {
  id: number;
  kind: MeetingKind;
  area: string;
  date: string;
  start_time: string;
  end_time: string | null;
  place: string | null;
  online: number;
  place_focus: string | null;
  closed: number;
  status: MeetingStatus;
  chair_id: number;
  chair_name: string;
  minute_taker_id: number;
  minute_taker_name: string;
  quorum_organisations: number;
  quorum_chair: number;
  confidentiality: string;
  minutes_status: MinutesStatus;
  minutes_started_at: string | null;
  minutes_started_by: number | null;
  started_by_name: string | null;
  minutes_submitted_at: string | null;
  minutes_submitted_by: number | null;
  submitted_by_name: string | null;
  minutes_approved_at: string | null;
  minutes_approved_by: number | null;
  approved_by_name: string | null;
  minutes_returned: string | null;
  created_at: string;
  created_by: number;
  creator_name: string;
  updated_at: string;
  item_count: number;
}

export type MeetingColumns = Partial<{
  kind: MeetingKind;
  area: string;
  date: string;
  start_time: string;
  end_time: string | null;
  place: string | null;
  online: boolean;
  place_focus: string | null;
  closed: boolean;
  status: MeetingStatus;
  chair_id: number;
  minute_taker_id: number;
  quorum_organisations: number;
  quorum_chair: boolean;
  confidentiality: string;
  minutes_status: MinutesStatus;
  minutes_started_at: string;
  minutes_started_by: number;
  minutes_submitted_at: string;
  minutes_submitted_by: number;
  minutes_approved_at: string;
  minutes_approved_by: number;
  minutes_returned: string | null;
  created_at: string;
  created_by: number;
  updated_at: string;
  updated_by: number;
}>;

function meetingSelect(sees: SeesClosedOnly): SqlQuery {
  return sql`SELECT m.*, ch.display_name AS chair_name, mt.display_name AS minute_taker_name, st.display_name AS started_by_name,
      sb.display_name AS submitted_by_name, ap.display_name AS approved_by_name, cr.display_name AS creator_name,
      (SELECT count(*) FROM agenda_items ai WHERE ai.meeting_id = m.id AND ai.removed_at IS NULL AND ${itemVisible(sees)}) AS item_count
    FROM meetings m
    JOIN users ch ON ch.id = m.chair_id JOIN users mt ON mt.id = m.minute_taker_id JOIN users cr ON cr.id = m.created_by
    LEFT JOIN users st ON st.id = m.minutes_started_by LEFT JOIN users sb ON sb.id = m.minutes_submitted_by
    LEFT JOIN users ap ON ap.id = m.minutes_approved_by`;
}

export async function insertMeeting(db: Sql, columns: MeetingColumns): Promise<number> {
  const id = await unguessableId(db, 'meetings');
  await db.run(sql`INSERT INTO main.meetings ${sqlInsertColumns({ id, ...(columns as Record<string, SqlValue | boolean>) })}`);
  return id;
}

export async function updateMeeting(db: Sql, meetingId: number, columns: MeetingColumns): Promise<void> {
  await unsealIfContent(db, 'meetings', Object.keys(columns), sql`t.id = ${meetingId}`);
  await db.run(sql`UPDATE main.meetings SET ${sqlAssignments(columns as Record<string, SqlValue | boolean>)} WHERE id = ${meetingId}`);
}

export async function meetingRow(db: Sql, meetingId: number, sees: SeesClosedOnly): Promise<MeetingRow | undefined> {
  return db.get<MeetingRow>(sql`${meetingSelect(sees)} WHERE m.id = ${meetingId} AND ${meetingVisible(sees)}`);
}

export function toMeetingSummary(r: MeetingRow): MeetingSummary {
  return {
    id: r.id,
    kind: r.kind,
    area: r.area,
    date: r.date,
    startTime: r.start_time,
    endTime: r.end_time,
    place: r.place,
    online: r.online === 1,
    placeFocus: r.place_focus,
    closed: r.closed === 1,
    status: r.status,
    minutesStatus: r.minutes_status,
    chair: userRef(r.chair_id, r.chair_name),
    minuteTaker: userRef(r.minute_taker_id, r.minute_taker_name),
    agendaItems: r.item_count,
    closedOnly: r.closed === 1,
  };
}

export interface MeetingListFilter {
  when: 'upcoming' | 'past' | 'all';
  today: string;
  area?: string | undefined;
  kind?: MeetingKind | undefined;
  caseId?: number | undefined;
  limit: number;
  offset: number;
}

export async function listMeetings(
  db: Sql,
  filter: MeetingListFilter,
  sees: SeesClosedOnly,
): Promise<{ rows: MeetingRow[]; total: number }> {
  const where = sqlAnd([
    meetingVisible(sees),
    filter.when === 'upcoming' ? sql`m.date >= ${filter.today}` : filter.when === 'past' ? sql`m.date < ${filter.today}` : SQL_TRUE,
    filter.area === undefined ? SQL_TRUE : sql`m.area = ${filter.area} COLLATE NOCASE`,
    filter.kind === undefined ? SQL_TRUE : sql`m.kind = ${filter.kind}`,
  ]);
  const order = filter.when === 'upcoming' ? sql`m.date ASC, m.start_time ASC, m.id ASC` : sql`m.date DESC, m.start_time DESC, m.id DESC`;
  const rows = await db.all<MeetingRow>(
    sql`${meetingSelect(sees)} WHERE ${where} ORDER BY ${order} LIMIT ${filter.limit} OFFSET ${filter.offset}`,
  );
  const total = (await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM meetings m WHERE ${where}`))?.n ?? 0;
  return { rows, total };
}

/** Meetings that had the case on their agenda (latest first), with the item. */
export async function meetingsForCase(
  db: Sql,
  caseId: number,
  sees: SeesClosedOnly,
): Promise<(MeetingRow & { agenda_item_id: number; item_removed: number })[]> {
  return db.all(sql`SELECT * FROM (${meetingSelect(sees)} WHERE ${meetingVisible(sees)}) mm
    JOIN (SELECT ai.meeting_id, min(ai.id) AS agenda_item_id, min(ai.removed_at IS NOT NULL) AS item_removed FROM agenda_items ai WHERE ai.case_id = ${caseId} GROUP BY ai.meeting_id) x
      ON x.meeting_id = mm.id
    ORDER BY mm.date DESC, mm.start_time DESC, mm.id DESC`);
}

/** The latest earlier meeting of the same area and kind that was not cancelled. */
export async function previousMeeting(
  db: Sql,
  meeting: { id: number; area: string; kind: MeetingKind; date: string; start_time: string },
  sees: SeesClosedOnly,
): Promise<{ id: number; date: string; minutes_status: MinutesStatus } | undefined> {
  return db.get(sql`SELECT m.id, m.date, m.minutes_status FROM meetings m
    WHERE m.area = ${meeting.area} COLLATE NOCASE AND m.kind = ${meeting.kind} AND m.status = 'scheduled' AND m.id <> ${meeting.id}
      AND (m.date < ${meeting.date} OR (m.date = ${meeting.date} AND (m.start_time < ${meeting.start_time} OR (m.start_time = ${meeting.start_time} AND m.id < ${meeting.id}))))
      AND ${meetingVisible(sees)}
    ORDER BY m.date DESC, m.start_time DESC, m.id DESC LIMIT 1`);
}

// ── organisations, users, invitees ────────────────────────────────────────────────────────────────────

export interface OrganisationRow {
  id: number;
  name: string;
  statutory: number;
}
export interface UserRow {
  id: number;
  display_name: string;
  role: 'manager' | 'statutory' | 'non_statutory';
  organisation_id: number;
  removed_at: string | null;
}

export async function organisationRow(db: Sql, id: number): Promise<OrganisationRow | undefined> {
  return db.get<OrganisationRow>(sql`SELECT id, name, statutory FROM organisations WHERE id = ${id}`);
}

export async function userRow(db: Sql, id: number): Promise<UserRow | undefined> {
  return db.get<UserRow>(sql`SELECT id, display_name, role, organisation_id, removed_at FROM users WHERE id = ${id}`);
}

export const toOrganisationRef = (o: OrganisationRow) => ({ id: o.id, name: o.name, statutory: o.statutory === 1 });

export async function setInvitees(db: Sql, meetingId: number, organisationIds: readonly number[]): Promise<void> {
  await db.run(sql`DELETE FROM meeting_invitees WHERE meeting_id = ${meetingId}`);
  for (const id of organisationIds)
    await db.run(sql`INSERT INTO meeting_invitees (meeting_id, organisation_id) VALUES (${meetingId}, ${id})`);
}

export async function invitees(db: Sql, meetingId: number): Promise<OrganisationRow[]> {
  return db.all<OrganisationRow>(sql`SELECT o.id, o.name, o.statutory FROM meeting_invitees i JOIN organisations o ON o.id = i.organisation_id
    WHERE i.meeting_id = ${meetingId} ORDER BY o.name`);
}

// ── attendance ────────────────────────────────────────────────────────────────────────────────────────

export interface AttendeeRow {
  id: number;
  meeting_id: number;
  name: string;
  organisation_id: number;
  org_name: string;
  org_statutory: number;
  role: string;
  user_id: number | null;
  user_name: string | null;
  attendance: Attendance;
  arrived_at: string | null;
  left_at: string | null;
  ack_at: string | null;
  ack_by: number | null;
  ack_by_name: string | null;
}

const attendeeSelect = sql`SELECT a.*, o.name AS org_name, o.statutory AS org_statutory, u.display_name AS user_name,
    k.at AS ack_at, k.recorded_by AS ack_by, kb.display_name AS ack_by_name
  FROM meeting_attendees a JOIN organisations o ON o.id = a.organisation_id LEFT JOIN users u ON u.id = a.user_id
  LEFT JOIN meeting_acknowledgements k ON k.attendee_id = a.id LEFT JOIN users kb ON kb.id = k.recorded_by`;

export async function attendeeRows(db: Sql, meetingId: number): Promise<AttendeeRow[]> {
  return db.all<AttendeeRow>(sql`${attendeeSelect} WHERE a.meeting_id = ${meetingId} ORDER BY a.id`);
}

export async function attendeeRow(db: Sql, meetingId: number, attendeeId: number): Promise<AttendeeRow | undefined> {
  return db.get<AttendeeRow>(sql`${attendeeSelect} WHERE a.meeting_id = ${meetingId} AND a.id = ${attendeeId}`);
}

export function toAttendee(r: AttendeeRow, meeting: { chair_id: number; minute_taker_id: number }): Attendee {
  return {
    id: r.id,
    name: r.name,
    organisation: { id: r.organisation_id, name: r.org_name, statutory: r.org_statutory === 1 },
    role: r.role,
    user: userRefOrNull(r.user_id, r.user_name),
    attendance: r.attendance,
    arrivedAt: r.arrived_at,
    leftAt: r.left_at,
    acknowledgement:
      r.ack_at && r.ack_by !== null && r.ack_by_name !== null ? { at: r.ack_at, recordedBy: userRef(r.ack_by, r.ack_by_name) } : null,
    isChair: r.user_id !== null && r.user_id === meeting.chair_id,
    isMinuteTaker: r.user_id !== null && r.user_id === meeting.minute_taker_id,
  };
}

export async function insertAttendee(
  db: Sql,
  columns: {
    meeting_id: number;
    name: string;
    organisation_id: number;
    role: string;
    user_id: number | null;
    attendance: Attendance;
    created_at: string;
    created_by: number;
  },
): Promise<number> {
  const id = await unguessableId(db, 'meeting_attendees');
  await db.run(sql`INSERT INTO main.meeting_attendees ${sqlInsertColumns({ id, ...columns })}`);
  return id;
}

export async function updateAttendance(
  db: Sql,
  attendeeId: number,
  columns: { attendance: Attendance; arrived_at?: string | null; left_at?: string | null },
): Promise<void> {
  const set: Record<string, SqlValue> = { attendance: columns.attendance };
  if (columns.arrived_at !== undefined) set.arrived_at = columns.arrived_at;
  if (columns.left_at !== undefined) set.left_at = columns.left_at;
  await db.run(sql`UPDATE main.meeting_attendees SET ${sqlAssignments(set)} WHERE id = ${attendeeId}`);
}

export async function attendeeForUser(db: Sql, meetingId: number, userId: number): Promise<{ id: number } | undefined> {
  return db.get(sql`SELECT id FROM meeting_attendees WHERE meeting_id = ${meetingId} AND user_id = ${userId}`);
}

export async function insertAcknowledgement(db: Sql, meetingId: number, attendeeId: number, at: string, recordedBy: number): Promise<void> {
  await db.run(
    sql`INSERT INTO meeting_acknowledgements (attendee_id, meeting_id, at, recorded_by) VALUES (${attendeeId}, ${meetingId}, ${at}, ${recordedBy})`,
  );
}

// ── cases as the agenda shows them ────────────────────────────────────────────────────────────────────

export interface CaseRefRow {
  case_id: number;
  reference: string;
  case_status: CaseStatus;
  overall_risk: HarmLevel;
  review_date: string;
  supported_by_service: string | null;
  supported_decision: 'discuss' | 'do_not_discuss' | null;
  case_closed_only: number;
  subjects: string;
}

const caseRefColumns = sql`c.id AS case_id, c.reference, c.status AS case_status, c.overall_risk, c.review_date, c.supported_by_service,
  c.supported_decision, c.closed_only AS case_closed_only,
  (SELECT json_group_array(name) FROM (SELECT p.given_name || ' ' || p.family_name AS name FROM case_subjects s JOIN people p ON p.id = s.person_id
     WHERE s.case_id = c.id ORDER BY s.position)) AS subjects`;

export function toCaseRef(r: CaseRefRow): CaseRef {
  return {
    id: r.case_id,
    reference: r.reference,
    status: r.case_status,
    overallRisk: r.overall_risk,
    reviewDate: r.review_date,
    alreadySupported:
      r.supported_by_service && r.supported_decision ? { service: r.supported_by_service, decision: r.supported_decision } : null,
    subjects: JSON.parse(r.subjects) as string[],
    closedOnly: r.case_closed_only === 1,
  };
}

export async function caseForAgenda(db: Sql, caseId: number, sees: SeesClosedOnly): Promise<(CaseRefRow & { area: string }) | undefined> {
  return db.get(sql`SELECT ${caseRefColumns}, c.area FROM cases c WHERE c.id = ${caseId} AND ${rowVisible(sees, 'c')}`);
}

// ── agenda ────────────────────────────────────────────────────────────────────────────────────────────

export interface AgendaItemRow extends Partial<CaseRefRow> {
  id: number;
  meeting_id: number;
  position: number;
  kind: AgendaItemKind;
  title: string;
  proposal_reasons: string;
  added_reason: string;
  added_by: number;
  added_by_name: string;
  added_at: string;
  removed_reason: string | null;
  removed_by: number | null;
  removed_by_name: string | null;
  removed_at: string | null;
}

// The case's columns include sealed content (supported_by_service), so `cases` is the merged view, not main's.
export async function agendaRows(db: Sql, meetingId: number, sees: SeesClosedOnly): Promise<AgendaItemRow[]> {
  return db.all<AgendaItemRow>(sql`SELECT ai.*, ab.display_name AS added_by_name, rb.display_name AS removed_by_name, ${caseRefColumns}
    FROM agenda_items ai JOIN users ab ON ab.id = ai.added_by LEFT JOIN users rb ON rb.id = ai.removed_by LEFT JOIN cases c ON c.id = ai.case_id
    WHERE ai.meeting_id = ${meetingId} AND ${itemVisible(sees)} ORDER BY ai.position, ai.id`);
}

export function toAgendaItem(r: AgendaItemRow): AgendaItem {
  const caseRef = r.case_id != null ? toCaseRef(r as CaseRefRow) : null;
  return {
    id: r.id,
    position: r.position,
    kind: r.kind,
    title: r.title,
    case: caseRef,
    proposalReasons: JSON.parse(r.proposal_reasons) as ProposalReason[],
    addedReason: r.added_reason,
    addedBy: userRef(r.added_by, r.added_by_name),
    addedAt: r.added_at,
    removed:
      r.removed_at && r.removed_reason !== null && r.removed_by !== null && r.removed_by_name !== null
        ? { reason: r.removed_reason, by: userRef(r.removed_by, r.removed_by_name), at: r.removed_at }
        : null,
    closedOnly: caseRef?.closedOnly ?? false,
  };
}

export async function agendaItemRow(
  db: Sql,
  meetingId: number,
  itemId: number,
): Promise<
  { id: number; kind: AgendaItemKind; case_id: number | null; removed_at: string | null; case_closed_only: number | null } | undefined
> {
  return db.get(sql`SELECT ai.id, ai.kind, ai.case_id, ai.removed_at, c.closed_only AS case_closed_only
    FROM agenda_items ai LEFT JOIN main.cases c ON c.id = ai.case_id WHERE ai.meeting_id = ${meetingId} AND ai.id = ${itemId}`);
}

export async function insertAgendaItem(
  db: Sql,
  columns: {
    meeting_id: number;
    kind: AgendaItemKind;
    case_id: number | null;
    title: string;
    proposal_reasons: readonly ProposalReason[];
    added_reason: string;
    added_by: number;
    added_at: string;
  },
): Promise<number> {
  const position =
    ((await db.get<{ p: number | null }>(sql`SELECT max(position) AS p FROM agenda_items WHERE meeting_id = ${columns.meeting_id}`))?.p ??
      0) + 1;
  const { proposal_reasons, ...rest } = columns;
  const id = await unguessableId(db, 'agenda_items');
  await db.run(
    sql`INSERT INTO main.agenda_items ${sqlInsertColumns({ id, ...rest, position, proposal_reasons: JSON.stringify(proposal_reasons) })}`,
  );
  return id;
}

export async function activeCaseItem(db: Sql, meetingId: number, caseId: number): Promise<{ id: number } | undefined> {
  return db.get(sql`SELECT id FROM agenda_items WHERE meeting_id = ${meetingId} AND case_id = ${caseId} AND removed_at IS NULL`);
}

export async function activeKindItem(db: Sql, meetingId: number, kind: AgendaItemKind): Promise<{ id: number } | undefined> {
  return db.get(sql`SELECT id FROM agenda_items WHERE meeting_id = ${meetingId} AND kind = ${kind} AND removed_at IS NULL`);
}

export async function markAgendaItemRemoved(db: Sql, itemId: number, reason: string, by: number, at: string): Promise<void> {
  await unsealIfContent(db, 'agenda_items', ['removed_reason'], sql`t.id = ${itemId}`);
  await db.run(sql`UPDATE main.agenda_items SET removed_reason = ${reason}, removed_by = ${by}, removed_at = ${at} WHERE id = ${itemId}`);
}

export async function agendaItemIds(db: Sql, meetingId: number): Promise<number[]> {
  return (await db.all<{ id: number }>(sql`SELECT id FROM agenda_items WHERE meeting_id = ${meetingId} ORDER BY position, id`)).map(
    (r) => r.id,
  );
}

export async function reorderAgenda(
  db: Sql,
  meetingId: number,
  itemIds: readonly number[],
  reason: string,
  by: number,
  at: string,
): Promise<void> {
  for (const [i, id] of itemIds.entries())
    await db.run(sql`UPDATE main.agenda_items SET position = ${i + 1} WHERE id = ${id} AND meeting_id = ${meetingId}`);
  await db.run(
    sql`INSERT INTO main.agenda_reorders (meeting_id, item_ids, reason, by_user, at) VALUES (${meetingId}, ${JSON.stringify(itemIds)}, ${reason}, ${by}, ${at})`,
  );
}

export async function insertRaise(
  db: Sql,
  columns: { meeting_id: number; case_id: number; reason: string; raised_by: number; organisation_id: number; at: string },
): Promise<void> {
  await db.run(sql`INSERT INTO main.meeting_case_raises ${sqlInsertColumns(columns)}`);
}

// ── agenda proposals ──────────────────────────────────────────────────────────────────────────────────

interface ProposalRow extends CaseRefRow {
  incomplete: number;
  overdue: number;
  raised: string | null;
  on_agenda: number;
}

/**
 * The area's open cases whose review is due by the meeting date, new referrals, cases with incomplete
 * (or overdue) actions, and cases a partner raised for this meeting. One pass over narrow indexes.
 */
export async function agendaProposals(
  db: Sql,
  meeting: { id: number; area: string; date: string; closed: boolean },
): Promise<AgendaProposal[]> {
  // An open meeting never discusses a closed-only case, so none is proposed for it.
  const caseOpen = meeting.closed ? SQL_TRUE : sql`c.closed_only = 0`;
  // The area's open cases come from the narrow cases_by_area_review index; their incomplete actions are
  // counted by probing the partial index on actions per case, so neither the wide case rows nor the
  // finished actions are read until a case is known to be proposed.
  const rows = await db.all<ProposalRow>(sql`
    WITH area AS (
      SELECT c.id, c.status, c.review_date FROM cases c
      WHERE c.area = ${meeting.area} COLLATE NOCASE AND c.status IN ('referred', 'accepted', 'active', 'under_review') AND ${caseOpen}
    ),
    raised AS (
      SELECT r.case_id, json_group_array(json_object('organisation', o.name, 'reason', r.reason, 'at', r.at)) AS raised
      FROM meeting_case_raises r JOIN organisations o ON o.id = r.organisation_id WHERE r.meeting_id = ${meeting.id} GROUP BY r.case_id
    ),
    acts AS (
      SELECT a.case_id, count(*) AS incomplete, sum(a.due_date < ${meeting.date}) AS overdue FROM actions a
      WHERE a.status IN ('open', 'carried_over') AND a.case_id IN (SELECT id FROM area UNION SELECT case_id FROM raised)
      GROUP BY a.case_id
    ),
    candidates AS (
      SELECT area.id FROM area LEFT JOIN acts ON acts.case_id = area.id
      WHERE area.status = 'referred' OR area.review_date <= ${meeting.date} OR acts.case_id IS NOT NULL
      UNION SELECT case_id FROM raised
    )
    SELECT ${caseRefColumns}, coalesce(acts.incomplete, 0) AS incomplete, coalesce(acts.overdue, 0) AS overdue, raised.raised,
      EXISTS (SELECT 1 FROM agenda_items ai WHERE ai.meeting_id = ${meeting.id} AND ai.case_id = c.id AND ai.removed_at IS NULL) AS on_agenda
    FROM candidates k JOIN cases c ON c.id = k.id LEFT JOIN acts ON acts.case_id = c.id LEFT JOIN raised ON raised.case_id = c.id
    WHERE ${caseOpen} AND c.status NOT IN ('declined', 'closed')
    ORDER BY c.risk_rank DESC, c.review_date ASC, c.id ASC`);
  return rows.map((r) => {
    const reasons: ProposalReason[] = [];
    if (r.case_status === 'referred') reasons.push('new_referral');
    else if (r.review_date <= meeting.date) reasons.push('review_due');
    if (r.overdue > 0) reasons.push('overdue_actions');
    if (r.incomplete > 0) reasons.push('incomplete_actions');
    if (r.raised !== null) reasons.push('raised_by_partner');
    const caseRef = toCaseRef(r);
    return {
      case: caseRef,
      reasons,
      incompleteActions: r.incomplete,
      overdueActions: r.overdue,
      raisedBy: r.raised === null ? [] : (JSON.parse(r.raised) as { organisation: string; reason: string; at: string }[]),
      proposedByDefault: proposedByDefault(caseRef.alreadySupported),
      alreadyOnAgenda: r.on_agenda === 1,
      closedOnly: caseRef.closedOnly,
    };
  });
}

// ── minutes ───────────────────────────────────────────────────────────────────────────────────────────

interface MinuteItemRow {
  agenda_item_id: number;
  revision: number;
  updated_at: string;
  updated_by: number;
  updated_by_name: string;
}
interface ParagraphRow {
  id: number;
  agenda_item_id: number;
  position: number;
  text: string;
  closed_only: number;
}
interface SpanRow {
  paragraph_id: number;
  start_offset: number;
  end_offset: number;
}
interface DecisionRow {
  id: number;
  agenda_item_id: number;
  kind: DecisionKind;
  text: string;
  closed_only: number;
  from_status: CaseStatus | null;
  to_status: CaseStatus | null;
  outcome: CaseOutcome | null;
  risk_from: HarmLevel | null;
  risk_to: HarmLevel | null;
  personal_harm: HarmLevel | null;
  community_harm: HarmLevel | null;
  environmental_harm: HarmLevel | null;
  by_user: number;
  by_name: string;
  at: string;
}
interface AddendumRow {
  id: number;
  agenda_item_id: number;
  text: string;
  reason: string;
  closed_only: number;
  author_id: number;
  author_name: string;
  at: string;
}

/** Every visible agenda item's minutes, in agenda order; an item with nothing written yet is revision 0. */
export async function minuteItems(db: Sql, meetingId: number, sees: SeesClosedOnly, onlyItemId?: number): Promise<MinuteItem[]> {
  const only = (alias: string) => (onlyItemId === undefined ? SQL_TRUE : sql`${rawAlias(alias)}.agenda_item_id = ${onlyItemId}`);
  const items = await db.all<{
    id: number;
  }>(sql`SELECT ai.id FROM agenda_items ai WHERE ai.meeting_id = ${meetingId} AND ${itemVisible(sees)}
    AND ${onlyItemId === undefined ? SQL_TRUE : sql`ai.id = ${onlyItemId}`} ORDER BY ai.position, ai.id`);
  const heads =
    await db.all<MinuteItemRow>(sql`SELECT mi.*, u.display_name AS updated_by_name FROM minute_items mi JOIN users u ON u.id = mi.updated_by
    WHERE mi.meeting_id = ${meetingId} AND ${only('mi')}`);
  const paragraphs =
    await db.all<ParagraphRow>(sql`SELECT p.id, p.agenda_item_id, p.position, p.text, p.closed_only FROM minute_paragraphs p
    WHERE p.meeting_id = ${meetingId} AND ${only('p')} AND ${rowVisible(sees, 'p')} ORDER BY p.agenda_item_id, p.position`);
  const spans = await db.all<SpanRow>(sql`SELECT s.paragraph_id, s.start_offset, s.end_offset FROM minute_spans s
    WHERE s.meeting_id = ${meetingId} ORDER BY s.paragraph_id, s.start_offset`);
  const decisions =
    await db.all<DecisionRow>(sql`SELECT d.*, u.display_name AS by_name FROM minute_decisions d JOIN users u ON u.id = d.by_user
    WHERE d.meeting_id = ${meetingId} AND ${only('d')} AND ${rowVisible(sees, 'd')} ORDER BY d.id`);
  const addenda =
    await db.all<AddendumRow>(sql`SELECT x.*, u.display_name AS author_name FROM minute_addenda x JOIN users u ON u.id = x.author_id
    WHERE x.meeting_id = ${meetingId} AND ${only('x')} AND ${rowVisible(sees, 'x')} ORDER BY x.id`);

  const spansBy = groupBy(spans, (s) => s.paragraph_id);
  const paragraphsBy = groupBy(paragraphs, (p) => p.agenda_item_id);
  const decisionsBy = groupBy(decisions, (d) => d.agenda_item_id);
  const addendaBy = groupBy(addenda, (a) => a.agenda_item_id);
  const headBy = new Map(heads.map((h) => [h.agenda_item_id, h]));
  return items.map(({ id }) => {
    const head = headBy.get(id);
    return {
      agendaItemId: id,
      revision: head?.revision ?? 0,
      paragraphs: (paragraphsBy.get(id) ?? []).map((p) => toParagraph(p, spansBy.get(p.id) ?? [], sees)),
      decisions: (decisionsBy.get(id) ?? []).map(toDecision),
      addenda: (addendaBy.get(id) ?? []).map(toAddendum),
      updatedAt: head?.updated_at ?? null,
      updatedBy: head ? userRef(head.updated_by, head.updated_by_name) : null,
    };
  });
}

function toParagraph(p: ParagraphRow, spans: readonly SpanRow[], sees: SeesClosedOnly): MinuteParagraph {
  const ranges: Span[] = spans.map((s) => ({ start: s.start_offset, end: s.end_offset }));
  if (!sees) return { id: p.id, position: p.position, text: redactSpans(p.text, ranges), closedOnly: false, closedOnlySpans: [] };
  return {
    id: p.id,
    position: p.position,
    text: p.text,
    closedOnly: p.closed_only === 1,
    closedOnlySpans: ranges.map((r) => ({ ...r, closedOnly: true as const })),
  };
}

export function toDecision(d: DecisionRow): MinuteDecision {
  return {
    id: d.id,
    kind: d.kind,
    text: d.text,
    caseStatus: d.from_status && d.to_status ? { from: d.from_status, to: d.to_status, outcome: d.outcome } : null,
    risk:
      d.risk_from && d.risk_to && d.personal_harm && d.community_harm && d.environmental_harm
        ? {
            from: d.risk_from,
            to: d.risk_to,
            personalHarm: d.personal_harm,
            communityHarm: d.community_harm,
            environmentalHarm: d.environmental_harm,
          }
        : null,
    by: userRef(d.by_user, d.by_name),
    at: d.at,
    closedOnly: d.closed_only === 1,
  };
}

function toAddendum(a: AddendumRow): MinuteAddendum {
  return {
    id: a.id,
    text: a.text,
    reason: a.reason,
    author: userRef(a.author_id, a.author_name),
    at: a.at,
    closedOnly: a.closed_only === 1,
  };
}

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

export async function minuteRevision(db: Sql, agendaItemId: number): Promise<number> {
  return (await db.get<{ revision: number }>(sql`SELECT revision FROM minute_items WHERE agenda_item_id = ${agendaItemId}`))?.revision ?? 0;
}

/** The item's paragraphs exactly as stored (for the idempotence check), spans sorted. */
export async function storedParagraphs(db: Sql, agendaItemId: number): Promise<{ text: string; closedOnly: boolean; spans: Span[] }[]> {
  const paragraphs = await db.all<ParagraphRow>(
    sql`SELECT id, agenda_item_id, position, text, closed_only FROM minute_paragraphs WHERE agenda_item_id = ${agendaItemId} ORDER BY position`,
  );
  const spans =
    await db.all<SpanRow>(sql`SELECT s.paragraph_id, s.start_offset, s.end_offset FROM minute_spans s JOIN minute_paragraphs p ON p.id = s.paragraph_id
    WHERE p.agenda_item_id = ${agendaItemId} ORDER BY s.paragraph_id, s.start_offset`);
  const by = groupBy(spans, (s) => s.paragraph_id);
  return paragraphs.map((p) => ({
    text: p.text,
    closedOnly: p.closed_only === 1,
    spans: (by.get(p.id) ?? []).map((s) => ({ start: s.start_offset, end: s.end_offset })),
  }));
}

/** Replaces an item's paragraphs and spans whole and moves its revision on. */
export async function replaceParagraphs(
  db: Sql,
  meetingId: number,
  agendaItemId: number,
  paragraphs: readonly { text: string; closedOnly: boolean; spans: readonly Span[] }[],
  revision: number,
  by: number,
  at: string,
): Promise<void> {
  await db.run(
    sql`DELETE FROM minute_spans WHERE paragraph_id IN (SELECT id FROM minute_paragraphs WHERE agenda_item_id = ${agendaItemId})`,
  );
  await db.run(sql`DELETE FROM main.minute_paragraphs WHERE agenda_item_id = ${agendaItemId}`);
  for (const [i, p] of paragraphs.entries()) {
    const lastID = await unguessableId(db, 'minute_paragraphs');
    await db.run(sql`INSERT INTO main.minute_paragraphs (id, meeting_id, agenda_item_id, position, text, closed_only)
      VALUES (${lastID}, ${meetingId}, ${agendaItemId}, ${i + 1}, ${p.text}, ${p.closedOnly})`);
    for (const s of p.spans) {
      await db.run(
        sql`INSERT INTO minute_spans (meeting_id, paragraph_id, start_offset, end_offset) VALUES (${meetingId}, ${lastID}, ${s.start}, ${s.end})`,
      );
    }
  }
  await db.run(sql`INSERT INTO minute_items (agenda_item_id, meeting_id, revision, updated_at, updated_by) VALUES (${agendaItemId}, ${meetingId}, ${revision}, ${at}, ${by})
    ON CONFLICT (agenda_item_id) DO UPDATE SET revision = excluded.revision, updated_at = excluded.updated_at, updated_by = excluded.updated_by`);
}

export async function insertDecision(
  db: Sql,
  columns: {
    meeting_id: number;
    agenda_item_id: number;
    kind: DecisionKind;
    text: string;
    closed_only: boolean;
    case_id: number | null;
    from_status?: CaseStatus | null;
    to_status?: CaseStatus | null;
    outcome?: CaseOutcome | null;
    risk_from?: HarmLevel | null;
    risk_to?: HarmLevel | null;
    personal_harm?: HarmLevel | null;
    community_harm?: HarmLevel | null;
    environmental_harm?: HarmLevel | null;
    by_user: number;
    at: string;
  },
): Promise<MinuteDecision> {
  const lastID = await unguessableId(db, 'minute_decisions');
  await db.run(sql`INSERT INTO main.minute_decisions ${sqlInsertColumns({ id: lastID, ...columns })}`);
  const row = await db.get<DecisionRow>(
    sql`SELECT d.*, u.display_name AS by_name FROM minute_decisions d JOIN users u ON u.id = d.by_user WHERE d.id = ${lastID}`,
  );
  return toDecision(row!);
}

export async function insertAddendum(
  db: Sql,
  columns: {
    meeting_id: number;
    agenda_item_id: number;
    text: string;
    reason: string;
    closed_only: boolean;
    author_id: number;
    at: string;
  },
): Promise<MinuteAddendum> {
  const lastID = await unguessableId(db, 'minute_addenda');
  await db.run(sql`INSERT INTO main.minute_addenda ${sqlInsertColumns({ id: lastID, ...columns })}`);
  const row = await db.get<AddendumRow>(
    sql`SELECT x.*, u.display_name AS author_name FROM minute_addenda x JOIN users u ON u.id = x.author_id WHERE x.id = ${lastID}`,
  );
  return toAddendum(row!);
}
