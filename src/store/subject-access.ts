// Everything the store holds about one person, gathered for a subject access pack: their record, the
// cases they are a subject of (with notes, steps and links), the minutes of the agenda items where those
// cases were discussed, the actions, enforcement and escalations on them, and the log's consultation and
// disclosure entries about the person, their cases, and the meetings that discussed them; and what names
// the person elsewhere: minutes under another case's item or in general business, actions, and notes on
// other cases (found by the caller's `mentions` test, the person's identifiers as the redactor knows them).
// Also the other people those records touch, whose identifiers the pack must not carry.
import type { AuditRow } from '../audit/log.js';
import type { AuditKind } from '../contract/audit-kinds.js';
import type { CaseDetail } from '../contract/ops/cases.js';
import type { Enforcement, Escalation } from '../contract/ops/enforcement.js';
import type { MeetingAction, MinuteItem } from '../contract/ops/meetings.js';
import type { Person } from '../contract/ops/people.js';
import { MEETING_KIND_LABELS, type MeetingKind } from '../domain/meetings.js';
import type { Sql } from '../vault/database.js';
import { listActions } from './actions.js';
import { loadCaseDetail, loadSubjectsOfCases, visibleCaseIdsOfPerson } from './cases.js';
import { listEnforcement, listEscalations } from './enforcement.js';
import { meetingVisible, minuteItems } from './meetings.js';
import { loadPeople } from './people.js';
import { sql, sqlJoin } from './sql.js';
import { caseVisible, noteVisible, type Viewer } from './visibility.js';

/** One agenda item where one of the person's cases was discussed, with what was minuted under it. */
export interface DiscussedAt {
  meetingId: number;
  date: string;
  kind: MeetingKind;
  area: string;
  closed: boolean;
  agendaItemId: number;
  caseId: number;
  caseReference: string;
  title: string;
  minutes: MinuteItem | null;
}

/** An audit entry as the pack shows it: who, when, what kind, why and to whom; never the entry's details. */
export interface AuditMention {
  seq: number;
  at: string;
  username: string | null;
  organisation: string | null;
  kind: AuditKind;
  operation: string;
  entityType: string | null;
  entityId: string | null;
  justification: string | null;
  recipients: string[];
  outcome: 'ok' | 'refused';
}

/** A record outside the person's own cases that names them: what was written, and where. */
export interface Mention {
  kind: 'minutes' | 'decision' | 'addendum' | 'action' | 'action_review' | 'note';
  /** The meeting's or the note's date. */
  date: string;
  /** Where it was written, without naming another case: "People meeting, Northfield: another case's item". */
  where: string;
  text: string;
  closedOnly: boolean;
  meetingId: number | null;
  /** The other case it sits under, if any (its subjects are third parties); never shown. */
  caseId: number | null;
}

/** Whether a text names the person (the caller's redactor, told only their identifiers). */
export type MentionTest = (text: string) => boolean;

export interface SubjectAccessData {
  person: Person;
  cases: CaseDetail[];
  discussedAt: DiscussedAt[];
  actions: MeetingAction[];
  enforcement: Enforcement[];
  escalations: Escalation[];
  auditEntries: AuditMention[];
  /** Records outside their own cases that name them. */
  mentions: Mention[];
  /** The references of the other cases those records touch (another person's case, taken out like their name). */
  otherCaseReferences: string[];
  /** Everyone else these records name: co-subjects, subjects of linked cases and of the same meetings' other cases. */
  thirdParties: Person[];
}

interface DiscussedRow {
  meeting_id: number;
  date: string;
  kind: MeetingKind;
  area: string;
  closed: number;
  agenda_item_id: number;
  case_id: number;
  reference: string;
  title: string;
}

async function discussedAt(db: Sql, caseIds: readonly number[], sees: boolean): Promise<DiscussedAt[]> {
  if (caseIds.length === 0) return [];
  const rows = await db.all<DiscussedRow>(
    sql`SELECT m.id AS meeting_id, m.date, m.kind, m.area, m.closed, ai.id AS agenda_item_id, ai.case_id, c.reference, ai.title
     FROM agenda_items ai JOIN meetings m ON m.id = ai.meeting_id JOIN cases c ON c.id = ai.case_id
     WHERE ai.case_id IN (${sqlJoin(caseIds)}) AND ai.removed_at IS NULL AND ${meetingVisible(sees)}
     ORDER BY m.date, m.start_time, m.id, ai.position`,
  );
  const out: DiscussedAt[] = [];
  for (const r of rows) {
    const [minutes] = await minuteItems(db, r.meeting_id, sees, r.agenda_item_id);
    out.push({
      meetingId: r.meeting_id,
      date: r.date,
      kind: r.kind,
      area: r.area,
      closed: r.closed === 1,
      agendaItemId: r.agenda_item_id,
      caseId: r.case_id,
      caseReference: r.reference,
      title: r.title,
      minutes: minutes ?? null,
    });
  }
  return out;
}

type AuditMentionRow = Pick<
  AuditRow,
  | 'seq'
  | 'at'
  | 'username'
  | 'organisation'
  | 'kind'
  | 'operation'
  | 'entity_type'
  | 'entity_id'
  | 'justification'
  | 'recipients'
  | 'outcome'
>;

/**
 * Consultations and disclosures of the person and of their cases (by the log's entity index), and the
 * disclosures of meetings that discussed their cases (minutes exports).
 */
async function auditMentions(
  db: Sql,
  personId: number,
  caseIds: readonly number[],
  meetingIds: readonly number[],
): Promise<AuditMention[]> {
  const ids = (values: readonly number[]) => sqlJoin(values.length ? values.map(String) : ['']);
  const rows = await db.all<AuditMentionRow>(
    sql`SELECT seq, at, username, organisation, kind, operation, entity_type, entity_id, justification, recipients, outcome FROM audit_log
     WHERE kind IN ('consultation', 'disclosure') AND (
       (entity_type = 'person' AND entity_id = ${String(personId)})
       OR (entity_type = 'case' AND entity_id IN (${ids(caseIds)}))
       OR (entity_type = 'meeting' AND entity_id IN (${ids(meetingIds)}) AND kind = 'disclosure'))
     ORDER BY seq`,
  );
  return rows.map((r) => ({
    seq: r.seq,
    at: r.at,
    username: r.username,
    organisation: r.organisation,
    kind: r.kind,
    operation: r.operation,
    entityType: r.entity_type,
    entityId: r.entity_id,
    justification: r.justification,
    recipients: JSON.parse(r.recipients) as string[],
    outcome: r.outcome,
  }));
}

interface MinutedItemRow {
  meeting_id: number;
  date: string;
  kind: MeetingKind;
  area: string;
  agenda_item_id: number;
  item_kind: 'case' | 'previous_minutes' | 'actions_review' | 'other';
  case_id: number | null;
  title: string;
}

/**
 * Minutes, decisions and addenda under items that are not about the person's cases (another case's item,
 * general business) that name them, in the meetings the viewer may see.
 */
async function minutesMentions(db: Sql, sees: boolean, exclude: ReadonlySet<number>, mentions: MentionTest): Promise<Mention[]> {
  const rows = await db.all<MinutedItemRow>(
    sql`SELECT m.id AS meeting_id, m.date, m.kind, m.area, ai.id AS agenda_item_id, ai.kind AS item_kind, ai.case_id, ai.title
     FROM agenda_items ai JOIN meetings m ON m.id = ai.meeting_id
     WHERE m.minutes_status <> 'not_started' AND ${meetingVisible(sees)}
       AND EXISTS (SELECT 1 FROM minute_items mi WHERE mi.agenda_item_id = ai.id)
     ORDER BY m.date, m.start_time, m.id, ai.position`,
  );
  const out: Mention[] = [];
  for (const r of rows) {
    if (exclude.has(r.agenda_item_id)) continue;
    const [item] = await minuteItems(db, r.meeting_id, sees, r.agenda_item_id);
    if (!item) continue;
    // Another case's item is not named: its reference and title are that case's, not the person's.
    const under = r.item_kind === 'case' ? "another case's item" : r.title;
    const where = `${MEETING_KIND_LABELS[r.kind]}, ${r.area}: ${under}`;
    const at = { date: r.date, where, meetingId: r.meeting_id, caseId: r.case_id };
    for (const p of item.paragraphs) if (mentions(p.text)) out.push({ kind: 'minutes', text: p.text, closedOnly: p.closedOnly, ...at });
    for (const d of item.decisions) if (mentions(d.text)) out.push({ kind: 'decision', text: d.text, closedOnly: d.closedOnly, ...at });
    for (const a of item.addenda) if (mentions(a.text)) out.push({ kind: 'addendum', text: a.text, closedOnly: a.closedOnly, ...at });
  }
  return out;
}

/** Actions (and their reviews) not on the person's cases that name them. */
function actionMentions(actions: readonly MeetingAction[], mentions: MentionTest): Mention[] {
  const out: Mention[] = [];
  for (const a of actions) {
    const at = { meetingId: a.meetingId, caseId: a.case?.id ?? null, closedOnly: a.closedOnly };
    const where = a.case ? 'an action on another case' : 'an action';
    if (mentions(a.description) || mentions(a.officer)) {
      out.push({ kind: 'action', date: a.dueDate, where, text: `${a.description} (${a.officer}, due ${a.dueDate})`, ...at });
    }
    for (const r of a.reviews) {
      if (r.note && mentions(r.note))
        out.push({ kind: 'action_review', date: r.meetingDate, where: `a review of ${where}`, text: r.note, ...at });
    }
  }
  return out;
}

/** Notes on other cases the viewer may see that name the person. */
async function noteMentions(db: Sql, viewer: Viewer, exclude: readonly number[], mentions: MentionTest): Promise<Mention[]> {
  // An empty exclusion is the id 0, which no case has: NOT IN (NULL) would keep no row at all.
  const rows = await db.all<{ case_id: number; at: string; body: string; closed_only: number }>(
    sql`SELECT n.case_id, n.at, n.body, n.closed_only FROM case_notes n JOIN cases c ON c.id = n.case_id
     WHERE n.case_id NOT IN (${sqlJoin(exclude.length ? exclude : [0])}) AND ${caseVisible(viewer)} AND ${noteVisible(viewer)}
     ORDER BY n.at, n.id`,
  );
  return (
    rows
      // (An empty exclusion is the id 0, which no case has: NOT IN (NULL) would keep no row at all.)
      .filter((r) => mentions(r.body))
      .map((r) => ({
        kind: 'note' as const,
        date: r.at.slice(0, 10),
        where: 'a note on another case',
        text: r.body,
        closedOnly: r.closed_only === 1,
        meetingId: null,
        caseId: r.case_id,
      }))
  );
}

async function referencesOf(db: Sql, caseIds: readonly number[]): Promise<string[]> {
  if (caseIds.length === 0) return [];
  const rows = await db.all<{ reference: string }>(sql`SELECT reference FROM cases WHERE id IN (${sqlJoin(caseIds)}) ORDER BY id`);
  return rows.map((r) => r.reference);
}

/** Ids of the cases on the agendas of these meetings (to name their subjects as third parties). */
async function casesOfMeetings(db: Sql, meetingIds: readonly number[]): Promise<number[]> {
  if (meetingIds.length === 0) return [];
  const rows = await db.all<{ case_id: number }>(
    sql`SELECT DISTINCT case_id FROM agenda_items WHERE meeting_id IN (${sqlJoin(meetingIds)}) AND case_id IS NOT NULL`,
  );
  return rows.map((r) => r.case_id);
}

/** Everything held about a person the viewer may see; undefined when there is no such person. */
export async function gatherSubjectAccess(
  db: Sql,
  viewer: Viewer,
  sees: boolean,
  personId: number,
  today: string,
  mentions: MentionTest,
): Promise<SubjectAccessData | undefined> {
  const person = (await loadPeople(db, [personId])).get(personId);
  if (!person) return undefined;
  const caseIds = await visibleCaseIdsOfPerson(db, viewer, personId);
  const cases: CaseDetail[] = [];
  for (const id of caseIds) {
    const detail = await loadCaseDetail(db, viewer, id, today);
    if (detail) cases.push(detail);
  }
  const discussed = await discussedAt(db, caseIds, sees);
  const meetingIds = [...new Set(discussed.map((d) => d.meetingId))];
  const actions: MeetingAction[] = [];
  const enforcement: Enforcement[] = [];
  const escalations: Escalation[] = [];
  for (const caseId of caseIds) {
    actions.push(...(await listActions(db, { caseId }, sees, today)).actions);
    enforcement.push(...(await listEnforcement(db, viewer, { caseId }, today)));
    escalations.push(...(await listEscalations(db, viewer, { caseId })));
  }
  const auditEntries = await auditMentions(db, personId, caseIds, meetingIds);
  const own = new Set(caseIds);
  const elsewhere = [
    ...(await minutesMentions(db, sees, new Set(discussed.map((d) => d.agendaItemId)), mentions)),
    ...actionMentions(
      (await listActions(db, {}, sees, today)).actions.filter((a) => !a.case || !own.has(a.case.id)),
      mentions,
    ),
    ...(await noteMentions(db, viewer, caseIds, mentions)),
  ];

  const related = new Set<number>([...caseIds, ...cases.flatMap((c) => c.links.map((l) => l.caseId))]);
  for (const m of elsewhere) if (m.caseId !== null) related.add(m.caseId);
  for (const m of elsewhere) if (m.meetingId !== null) for (const id of await casesOfMeetings(db, [m.meetingId])) related.add(id);
  for (const id of await casesOfMeetings(db, meetingIds)) related.add(id);
  const subjects = await loadSubjectsOfCases(db, [...related]);
  const thirdParties = new Map<number, Person>();
  for (const list of subjects.values()) for (const p of list) if (p.id !== personId) thirdParties.set(p.id, p);
  return {
    person,
    cases,
    discussedAt: discussed,
    actions,
    enforcement,
    escalations,
    auditEntries,
    mentions: elsewhere,
    otherCaseReferences: await referencesOf(
      db,
      [...related].filter((id) => !own.has(id)),
    ),
    thirdParties: [...thirdParties.values()].sort((a, b) => a.id - b.id),
  };
}
