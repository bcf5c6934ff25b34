// Enforcement records and their breaches, escalations, Community Triggers and partnership activities:
// their rows and the objects made from them. An enforcement record, escalation or trigger on a closed-only
// case is closed-only (read live from the case), and so is one decided in a closed-only decision.
import type { Enforcement, EnforcementListInput, Escalation, EscalationListInput, Trigger } from '../contract/ops/enforcement.js';
import { mayReceiveClosedOnly } from '../domain/access.js';
import {
  addDays,
  triggerTest,
  type EnforcementStage,
  type EnforcementType,
  type EscalationKind,
  type TriggerStatus,
} from '../domain/enforcement.js';
import type { Sql } from '../vault/database.js';
import { SQL_TRUE, sql, sqlAnd, sqlAssignments, sqlInsertColumns, sqlJoin, type SqlQuery } from './sql.js';
import { unsealForWrite, unsealIfContent } from './closed-store.js';
import { unguessableId } from './ids.js';
import type { Viewer } from './visibility.js';

/** True when the row (alias e, with its case left-joined as c) may be seen. */
function recordVisible(viewer: Viewer, alias: 'e' | 'x' | 't'): SqlQuery {
  if (mayReceiveClosedOnly(viewer.role)) return SQL_TRUE;
  return alias === 'e' ? sql`e.closed_only = 0 AND COALESCE(c.closed_only, 0) = 0` : sql`COALESCE(c.closed_only, 0) = 0`;
}

// ── lookups the rules need ───────────────────────────────────────────────────────────────────────────

export interface CaseForEnforcement {
  id: number;
  reference: string;
  area: string;
  closed_only: number;
}

export async function visibleCase(db: Sql, viewer: Viewer, caseId: number): Promise<CaseForEnforcement | undefined> {
  const hide = mayReceiveClosedOnly(viewer.role) ? SQL_TRUE : sql`closed_only = 0`;
  return db.get<CaseForEnforcement>(sql`SELECT id, reference, area, closed_only FROM cases WHERE id = ${caseId} AND ${hide}`);
}

export async function organisation(db: Sql, id: number): Promise<{ id: number; name: string } | undefined> {
  return db.get(sql`SELECT id, name FROM organisations WHERE id = ${id}`);
}

export interface DecisionRef {
  id: number;
  meeting_id: number;
  agenda_item_id: number;
  case_id: number | null;
  closed_only: number;
  meeting_closed: number;
}

export async function decision(db: Sql, viewer: Viewer, id: number): Promise<DecisionRef | undefined> {
  const hide = mayReceiveClosedOnly(viewer.role) ? SQL_TRUE : sql`d.closed_only = 0 AND m.closed = 0`;
  return db.get<DecisionRef>(sql`SELECT d.id, d.meeting_id, d.agenda_item_id, d.case_id, d.closed_only, m.closed AS meeting_closed
    FROM minute_decisions d JOIN meetings m ON m.id = d.meeting_id WHERE d.id = ${id} AND ${hide}`);
}

// ── enforcement ───────────────────────────────────────────────────────────────────────────────────────

export interface EnforcementRow {
  id: number;
  type: EnforcementType;
  case_id: number | null;
  case_reference: string | null;
  case_closed_only: number | null;
  area: string;
  location: string | null;
  prohibitions: string;
  power_of_arrest: number;
  stage: EnforcementStage;
  organisation_id: number;
  organisation_name: string;
  issued_on: string | null;
  served_on: string | null;
  hearing_on: string | null;
  granted_on: string | null;
  expiry_on: string | null;
  conditions: string;
  decision_id: number | null;
  meeting_id: number | null;
  meeting_date: string | null;
  agenda_item_id: number | null;
  prior_id: number | null;
  closed_only: number;
  created_at: string;
}

export type EnforcementColumns = {
  type: EnforcementType;
  case_id: number | null;
  area: string;
  location: string | null;
  prohibitions: string;
  power_of_arrest: boolean;
  stage: EnforcementStage;
  organisation_id: number;
  issued_on: string | null;
  served_on: string | null;
  hearing_on: string | null;
  granted_on: string | null;
  expiry_on: string | null;
  conditions: string;
  decision_id: number | null;
  prior_id: number | null;
  closed_only: boolean;
  created_at: string;
  created_by: number;
  updated_at: string;
  updated_by: number;
};

const SELECT_ENFORCEMENT = sql`SELECT e.*, c.reference AS case_reference, c.closed_only AS case_closed_only, o.name AS organisation_name,
    d.meeting_id, d.agenda_item_id, m.date AS meeting_date
  FROM enforcement e
  LEFT JOIN main.cases c ON c.id = e.case_id
  JOIN organisations o ON o.id = e.organisation_id
  LEFT JOIN minute_decisions d ON d.id = e.decision_id
  LEFT JOIN meetings m ON m.id = d.meeting_id`;

export async function insertEnforcement(db: Sql, columns: EnforcementColumns): Promise<number> {
  const id = await unguessableId(db, 'enforcement');
  await db.run(sql`INSERT INTO main.enforcement ${sqlInsertColumns({ id, ...columns })}`);
  return id;
}

export async function updateEnforcement(db: Sql, id: number, columns: Partial<EnforcementColumns>): Promise<void> {
  await unsealIfContent(db, 'enforcement', Object.keys(columns), sql`t.id = ${id}`);
  await db.run(sql`UPDATE main.enforcement SET ${sqlAssignments(columns)} WHERE id = ${id}`);
}

export async function enforcementRow(db: Sql, viewer: Viewer, id: number): Promise<EnforcementRow | undefined> {
  return db.get<EnforcementRow>(sql`${SELECT_ENFORCEMENT} WHERE e.id = ${id} AND ${recordVisible(viewer, 'e')}`);
}

/** The case's records of a type (the earlier step a later one needs). */
export async function priorOnCase(
  db: Sql,
  caseId: number,
  id: number,
): Promise<{ id: number; type: EnforcementType; case_id: number | null } | undefined> {
  return db.get(sql`SELECT id, type, case_id FROM enforcement WHERE id = ${id} AND case_id = ${caseId}`);
}

export async function insertBreach(
  db: Sql,
  b: { enforcement_id: number; date: string; reported_by: string; action_taken: string; recorded_by: number; recorded_at: string },
): Promise<void> {
  await db.run(
    sql`INSERT INTO main.enforcement_breaches ${sqlInsertColumns({ id: await unguessableId(db, 'enforcement_breaches'), ...b })}`,
  );
}

/** The breach, only if it belongs to that enforcement record. */
export async function breachOf(db: Sql, enforcementId: number, breachId: number): Promise<{ id: number; date: string } | undefined> {
  return db.get(sql`SELECT id, date FROM enforcement_breaches WHERE id = ${breachId} AND enforcement_id = ${enforcementId}`);
}

export async function updateBreach(
  db: Sql,
  id: number,
  columns: Partial<{ date: string; reported_by: string; action_taken: string }>,
): Promise<void> {
  await unsealIfContent(db, 'enforcement_breaches', Object.keys(columns), sql`t.id = ${id}`);
  await db.run(sql`UPDATE main.enforcement_breaches SET ${sqlAssignments(columns)} WHERE id = ${id}`);
}

interface BreachRow {
  id: number;
  enforcement_id: number;
  date: string;
  reported_by: string;
  action_taken: string;
  recorded_by: number;
  recorded_by_name: string;
  recorded_at: string;
}

async function toEnforcement(db: Sql, rows: readonly EnforcementRow[]): Promise<Enforcement[]> {
  if (rows.length === 0) return [];
  const breaches =
    await db.all<BreachRow>(sql`SELECT b.*, u.display_name AS recorded_by_name FROM enforcement_breaches b JOIN users u ON u.id = b.recorded_by
    WHERE b.enforcement_id IN (${sqlJoin(rows.map((r) => r.id))}) ORDER BY b.date, b.id`);
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    case: r.case_id === null ? null : { id: r.case_id, reference: r.case_reference ?? '' },
    area: r.area,
    location: r.location,
    prohibitions: JSON.parse(r.prohibitions) as string[],
    powerOfArrest: r.power_of_arrest === 1,
    stage: r.stage,
    organisation: { id: r.organisation_id, name: r.organisation_name },
    issued: r.issued_on,
    served: r.served_on,
    hearing: r.hearing_on,
    granted: r.granted_on,
    expiry: r.expiry_on,
    conditions: r.conditions,
    decision:
      r.decision_id === null
        ? null
        : { id: r.decision_id, meetingId: r.meeting_id ?? 0, meetingDate: r.meeting_date ?? '', agendaItemId: r.agenda_item_id ?? 0 },
    priorId: r.prior_id,
    breaches: breaches
      .filter((b) => b.enforcement_id === r.id)
      .map((b) => ({
        id: b.id,
        date: b.date,
        reportedBy: b.reported_by,
        actionTaken: b.action_taken,
        recordedBy: { id: b.recorded_by, displayName: b.recorded_by_name },
        recordedAt: b.recorded_at,
      })),
    closedOnly: r.closed_only === 1 || r.case_closed_only === 1,
    createdAt: r.created_at,
  }));
}

export async function loadEnforcement(db: Sql, viewer: Viewer, id: number): Promise<Enforcement | undefined> {
  const row = await enforcementRow(db, viewer, id);
  return row && (await toEnforcement(db, [row]))[0];
}

export async function listEnforcement(db: Sql, viewer: Viewer, filter: EnforcementListInput, today: string): Promise<Enforcement[]> {
  const conditions: SqlQuery[] = [recordVisible(viewer, 'e')];
  if (filter.caseId !== undefined) conditions.push(sql`e.case_id = ${filter.caseId}`);
  if (filter.type !== undefined) conditions.push(sql`e.type = ${filter.type}`);
  if (filter.area !== undefined) conditions.push(sql`e.area = ${filter.area} COLLATE NOCASE`);
  if (filter.expiringWithinDays !== undefined)
    conditions.push(sql`e.expiry_on BETWEEN ${today} AND ${addDays(today, filter.expiringWithinDays)}`);
  if (filter.breached === true) conditions.push(sql`EXISTS (SELECT 1 FROM enforcement_breaches b WHERE b.enforcement_id = e.id)`);
  if (filter.breached === false) conditions.push(sql`NOT EXISTS (SELECT 1 FROM enforcement_breaches b WHERE b.enforcement_id = e.id)`);
  const order = filter.expiringWithinDays !== undefined ? sql`e.expiry_on, e.id` : sql`e.id DESC`;
  const rows = await db.all<EnforcementRow>(sql`${SELECT_ENFORCEMENT} WHERE ${sqlAnd(conditions)} ORDER BY ${order} LIMIT 1000`);
  return toEnforcement(db, rows);
}

// ── escalations ───────────────────────────────────────────────────────────────────────────────────────

interface EscalationRow {
  id: number;
  case_id: number;
  case_reference: string;
  case_closed_only: number;
  kind: EscalationKind;
  referred_on: string;
  referred_by: number;
  referred_by_name: string;
  shared: string;
  recipients: string;
  outcome: string | null;
  returned_on: string | null;
}

const SELECT_ESCALATION = sql`SELECT x.*, c.reference AS case_reference, c.closed_only AS case_closed_only, u.display_name AS referred_by_name
  FROM escalations x JOIN cases c ON c.id = x.case_id JOIN users u ON u.id = x.referred_by`;

function toEscalation(r: EscalationRow): Escalation {
  return {
    id: r.id,
    case: { id: r.case_id, reference: r.case_reference },
    kind: r.kind,
    referredOn: r.referred_on,
    referredBy: { id: r.referred_by, displayName: r.referred_by_name },
    shared: r.shared,
    recipients: JSON.parse(r.recipients) as string[],
    outcome: r.outcome,
    returnedOn: r.returned_on,
    closedOnly: r.case_closed_only === 1,
  };
}

export async function insertEscalation(
  db: Sql,
  e: {
    case_id: number;
    kind: EscalationKind;
    referred_on: string;
    referred_by: number;
    shared: string;
    recipients: readonly string[];
    created_at: string;
  },
): Promise<number> {
  const id = await unguessableId(db, 'escalations');
  await db.run(sql`INSERT INTO main.escalations ${sqlInsertColumns({ id, ...e, recipients: JSON.stringify(e.recipients) })}`);
  return id;
}

export async function setEscalationOutcome(db: Sql, id: number, outcome: string, returnedOn: string): Promise<void> {
  await unsealForWrite(db, 'escalations', sql`t.id = ${id}`);
  await db.run(sql`UPDATE main.escalations SET ${sqlAssignments({ outcome, returned_on: returnedOn })} WHERE id = ${id}`);
}

export async function loadEscalation(db: Sql, viewer: Viewer, id: number): Promise<Escalation | undefined> {
  const row = await db.get<EscalationRow>(sql`${SELECT_ESCALATION} WHERE x.id = ${id} AND ${recordVisible(viewer, 'x')}`);
  return row && toEscalation(row);
}

/** A case's escalations in the order they happened; across cases, newest first (at most 500). */
export async function listEscalations(db: Sql, viewer: Viewer, filter: EscalationListInput): Promise<Escalation[]> {
  const conditions: SqlQuery[] = [recordVisible(viewer, 'x')];
  if (filter.caseId !== undefined) conditions.push(sql`x.case_id = ${filter.caseId}`);
  if (filter.status === 'open') conditions.push(sql`x.returned_on IS NULL`);
  if (filter.status === 'returned') conditions.push(sql`x.returned_on IS NOT NULL`);
  if (filter.kind !== undefined) conditions.push(sql`x.kind = ${filter.kind}`);
  if (filter.area !== undefined) conditions.push(sql`c.area = ${filter.area} COLLATE NOCASE`);
  if (filter.from !== undefined) conditions.push(sql`x.referred_on >= ${filter.from}`);
  if (filter.to !== undefined) conditions.push(sql`x.referred_on <= ${filter.to}`);
  const order = filter.caseId === undefined ? sql`x.referred_on DESC, x.id DESC LIMIT 500` : sql`x.referred_on, x.id`;
  const rows = await db.all<EscalationRow>(sql`${SELECT_ESCALATION} WHERE ${sqlAnd(conditions)} ORDER BY ${order}`);
  return rows.map(toEscalation);
}

// ── Community Triggers ────────────────────────────────────────────────────────────────────────────────

export interface TriggerRow {
  id: number;
  area: string;
  applicant: string;
  consent: number;
  on_behalf_of: string | null;
  application_date: string;
  case_id: number | null;
  case_reference: string | null;
  case_closed_only: number | null;
  persistent_harm: number;
  threshold_complaints: number;
  threshold_days: number;
  status: TriggerStatus;
  decided_on: string | null;
  decision_met: number | null;
  decision_reasons: string | null;
  review_date: string | null;
  review_notes: string | null;
  outcome: string | null;
  appeal: string | null;
}

const SELECT_TRIGGER = sql`SELECT t.*, c.reference AS case_reference, c.closed_only AS case_closed_only
  FROM community_triggers t LEFT JOIN main.cases c ON c.id = t.case_id`;

export async function insertTrigger(
  db: Sql,
  t: {
    area: string;
    applicant: string;
    consent: boolean;
    on_behalf_of: string | null;
    application_date: string;
    case_id: number | null;
    persistent_harm: boolean;
    threshold_complaints: number;
    threshold_days: number;
    status: TriggerStatus;
    created_at: string;
    created_by: number;
  },
  incidents: readonly { date: string; agency: string; reference: string }[],
): Promise<number> {
  const id = await unguessableId(db, 'community_triggers');
  await db.run(sql`INSERT INTO main.community_triggers ${sqlInsertColumns({ id, ...t })}`);
  for (const i of incidents) {
    const incidentId = await unguessableId(db, 'community_trigger_incidents');
    await db.run(sql`INSERT INTO main.community_trigger_incidents ${sqlInsertColumns({ id: incidentId, trigger_id: id, ...i })}`);
  }
  return id;
}

export async function updateTrigger(
  db: Sql,
  id: number,
  columns: Partial<
    Pick<TriggerRow, 'status' | 'decided_on' | 'decision_met' | 'decision_reasons' | 'review_date' | 'review_notes' | 'outcome' | 'appeal'>
  >,
): Promise<void> {
  await unsealIfContent(db, 'community_triggers', Object.keys(columns), sql`t.id = ${id}`);
  await db.run(sql`UPDATE main.community_triggers SET ${sqlAssignments(columns)} WHERE id = ${id}`);
}

export async function insertRecommendation(db: Sql, r: { trigger_id: number; text: string; owner: string; due: string }): Promise<void> {
  await db.run(
    sql`INSERT INTO main.community_trigger_recommendations ${sqlInsertColumns({ id: await unguessableId(db, 'community_trigger_recommendations'), ...r })}`,
  );
}

export async function triggerRow(db: Sql, viewer: Viewer, id: number): Promise<TriggerRow | undefined> {
  return db.get<TriggerRow>(sql`${SELECT_TRIGGER} WHERE t.id = ${id} AND ${recordVisible(viewer, 't')}`);
}

async function toTriggers(db: Sql, rows: readonly TriggerRow[]): Promise<Trigger[]> {
  if (rows.length === 0) return [];
  const ids = sqlJoin(rows.map((r) => r.id));
  const incidents = await db.all<{ id: number; trigger_id: number; date: string; agency: string; reference: string }>(
    sql`SELECT * FROM community_trigger_incidents WHERE trigger_id IN (${ids}) ORDER BY date, id`,
  );
  const recommendations = await db.all<{ id: number; trigger_id: number; text: string; owner: string; due: string }>(
    sql`SELECT * FROM community_trigger_recommendations WHERE trigger_id IN (${ids}) ORDER BY id`,
  );
  return rows.map((r) => {
    const own = incidents.filter((i) => i.trigger_id === r.id);
    const threshold = { complaints: r.threshold_complaints, windowDays: r.threshold_days };
    return {
      id: r.id,
      area: r.area,
      applicant: r.applicant,
      consent: r.consent === 1,
      onBehalfOf: r.on_behalf_of,
      applicationDate: r.application_date,
      case: r.case_id === null ? null : { id: r.case_id, reference: r.case_reference ?? '' },
      incidents: own.map((i) => ({ id: i.id, date: i.date, agency: i.agency, reference: i.reference })),
      threshold,
      test: triggerTest(
        own.map((i) => i.date),
        r.application_date,
        r.persistent_harm === 1,
        threshold,
      ),
      status: r.status,
      decidedOn: r.decided_on,
      decisionReasons: r.decision_reasons,
      decisionDays: r.decided_on === null ? null : Math.round((Date.parse(r.decided_on) - Date.parse(r.application_date)) / 86_400_000),
      reviewDate: r.review_date,
      reviewNotes: r.review_notes,
      recommendations: recommendations
        .filter((x) => x.trigger_id === r.id)
        .map((x) => ({ id: x.id, text: x.text, owner: x.owner, due: x.due })),
      outcome: r.outcome,
      appeal: r.appeal,
      closedOnly: r.case_closed_only === 1,
    };
  });
}

export async function loadTrigger(db: Sql, viewer: Viewer, id: number): Promise<Trigger | undefined> {
  const row = await triggerRow(db, viewer, id);
  return row && (await toTriggers(db, [row]))[0];
}

export async function listTriggers(db: Sql, viewer: Viewer, filter: { area?: string; caseId?: number }): Promise<Trigger[]> {
  const byArea = filter.area === undefined ? SQL_TRUE : sql`t.area = ${filter.area} COLLATE NOCASE`;
  const byCase = filter.caseId === undefined ? SQL_TRUE : sql`t.case_id = ${filter.caseId}`;
  const rows = await db.all<TriggerRow>(
    sql`${SELECT_TRIGGER} WHERE ${byArea} AND ${byCase} AND ${recordVisible(viewer, 't')} ORDER BY t.application_date DESC, t.id DESC LIMIT 500`,
  );
  return toTriggers(db, rows);
}

export async function recommendationCount(db: Sql, triggerId: number): Promise<number> {
  return (
    (await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM community_trigger_recommendations WHERE trigger_id = ${triggerId}`))?.n ?? 0
  );
}

// ── activities ────────────────────────────────────────────────────────────────────────────────────────

export async function insertActivity(
  db: Sql,
  a: { kind: string; date: string; area: string; description: string; created_at: string; created_by: number },
): Promise<number> {
  return Number((await db.run(sql`INSERT INTO partnership_activities ${sqlInsertColumns(a)}`)).lastID);
}
