// Everything the store holds about one person, gathered for a subject access pack: their record, the
// cases they are a subject of (with notes, steps and links), the minutes of the agenda items where those
// cases were discussed, the actions, enforcement and escalations on them, and the log's consultation and
// disclosure entries about the person, their cases, and the meetings that discussed them. Also the other
// people those records touch, whose identifiers the pack must not carry.
import type { AuditRow } from '../audit/log.js';
import type { AuditKind } from '../contract/audit-kinds.js';
import type { CaseDetail } from '../contract/ops/cases.js';
import type { Enforcement, Escalation } from '../contract/ops/enforcement.js';
import type { MeetingAction, MinuteItem } from '../contract/ops/meetings.js';
import type { Person } from '../contract/ops/people.js';
import type { MeetingKind } from '../domain/meetings.js';
import type { Sql } from '../vault/database.js';
import { listActions } from './actions.js';
import { loadCaseDetail, loadSubjectsOfCases, visibleCaseIdsOfPerson } from './cases.js';
import { listEnforcement, listEscalations } from './enforcement.js';
import { meetingVisible, minuteItems } from './meetings.js';
import { loadPeople } from './people.js';
import { sql, sqlJoin } from './sql.js';
import type { Viewer } from './visibility.js';

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

export interface SubjectAccessData {
  person: Person;
  cases: CaseDetail[];
  discussedAt: DiscussedAt[];
  actions: MeetingAction[];
  enforcement: Enforcement[];
  escalations: Escalation[];
  auditEntries: AuditMention[];
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

  const related = new Set<number>([...caseIds, ...cases.flatMap((c) => c.links.map((l) => l.caseId))]);
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
    thirdParties: [...thirdParties.values()].sort((a, b) => a.id - b.id),
  };
}
