// Cases and what hangs on a case (concerns, subjects, locations, transitions, links): their rows and the
// objects made from them. Notes have their own module; finding cases by filter or text is search.ts.
import type { CaseSummary, Person } from '../contract/ops/people.js';
import type { CaseCreateInput, CaseDetail, CaseUpdateInput } from '../contract/ops/cases.js';
import { CONCERNS } from '../domain/concerns.js';
import { allowedTransitions, isOpenStatus, type CaseOutcome, type CaseStatus } from '../domain/lifecycle.js';
import { randomCaseReference } from '../domain/reference.js';
import { harmRank, isReviewOverdue, localToday, overallRisk, reviewDateFor, type HarmLevel } from '../domain/risk.js';
import type { Sql } from '../vault/database.js';
import { randomInt } from 'node:crypto';
import { unguessableId, unguessableIds } from './ids.js';
import { loadNotes } from './notes.js';
import { loadPeople } from './people.js';
import { sql, sqlAssignments, sqlInsertColumns, sqlJoin, sqlRows } from './sql.js';
import { caseVisible, markedVisible, type Viewer } from './visibility.js';
import { unsealForWrite } from './closed-store.js';
import { SEALED_TABLES } from './closed-tables.js';

const SEALED_CASE_COLUMNS = SEALED_TABLES.find((t) => t.table === 'cases')!.columns.map((c) => c.name);

export type CaseChanges = Omit<CaseUpdateInput, 'caseId'>;

export interface CaseRow {
  id: number;
  reference: string;
  ref_year: number;
  ref_seq: number;
  area: string;
  summary: string;
  referral_org: string;
  referral_officer: string;
  referral_date: string;
  referral_reason: string;
  consent: CaseDetail['referral']['consent'];
  personal_harm: HarmLevel;
  community_harm: HarmLevel;
  environmental_harm: HarmLevel;
  overall_risk: HarmLevel;
  risk_rank: number;
  vulnerability_factors: string;
  risk_reasons: string;
  risk_assessed_by: number;
  risk_assessed_at: string;
  review_date: string;
  status: CaseStatus;
  outcome: CaseOutcome | null;
  supported_by_service: string | null;
  supported_decision: 'discuss' | 'do_not_discuss' | null;
  closed_only: number;
  created_at: string;
  created_by: number;
  updated_at: string;
  updated_by: number;
}

/** A case row with the display names of its assessor and creator. */
export interface CaseDetailRow extends CaseRow {
  assessor: string;
  creator: string;
}

export type CaseSummaryRow = Pick<
  CaseRow,
  'id' | 'reference' | 'area' | 'status' | 'outcome' | 'overall_risk' | 'referral_date' | 'review_date' | 'closed_only' | 'updated_at'
>;

/** What a rule about a case needs to know before changing it. */
export interface CaseState {
  status: CaseStatus;
  reference: string;
  closedOnly: boolean;
}

export interface LocationRow {
  id: number;
  label: string;
  address: string;
  postcode: string | null;
  ward: string | null;
}

export interface LinkRow {
  id: number;
  reference: string;
  status: CaseStatus;
  reason: string;
  closed_only: number;
  /** The link's own mark: written while either case was closed-only. */
  link_closed_only: number;
  created_at: string;
}

export interface TransitionRow {
  closed_only: number;
  from_status: CaseStatus | null;
  to_status: CaseStatus;
  outcome: CaseOutcome | null;
  reason: string;
  by_user: number;
  by_name: string;
  at: string;
}

export interface NewTransition {
  caseId: number;
  from: CaseStatus | null;
  to: CaseStatus;
  outcome: CaseOutcome | null;
  reason: string;
  userId: number;
  at: string;
  /** Written about a closed-only case: the reason stays closed-only even if the case is released. */
  closedOnly: boolean;
}

// ── writing ───────────────────────────────────────────────────────────────────────────────────────────

function riskColumns(risk: CaseCreateInput['risk'], userId: number, today: string) {
  const overall = overallRisk(risk);
  const assessedOn = risk.assessedOn ?? today;
  return {
    personal_harm: risk.personalHarm,
    community_harm: risk.communityHarm,
    environmental_harm: risk.environmentalHarm,
    overall_risk: overall,
    risk_rank: harmRank(overall),
    vulnerability_factors: JSON.stringify(risk.vulnerabilityFactors),
    risk_reasons: risk.reasons,
    risk_assessed_by: userId,
    risk_assessed_at: assessedOn,
    review_date: reviewDateFor(overall, assessedOn),
  } satisfies Partial<CaseRow>;
}

/**
 * Records a case. The reference is a random one in the year of `now` (src/domain/reference.ts says why),
 * and the id is unguessable (ids.ts); the review date follows from the risk. Used by the handler and by bulk
 * loaders (bench), so it checks nothing the schema already has.
 */
export async function insertCase(
  db: Sql,
  input: CaseCreateInput,
  userId: number,
  now = new Date(),
): Promise<{ id: number; reference: string }> {
  const at = now.toISOString();
  const year = now.getFullYear();
  const id = await unguessableId(db, 'cases');
  const reference = await freshReference(db, year);
  const columns = sqlInsertColumns({
    id,
    reference,
    ref_year: year,
    // Sorting by reference sorts by (ref_year, ref_seq): the case's id keeps that the order references were
    // given in, after the numbered ones a store already holds, and is unique as (ref_year, ref_seq) must be.
    ref_seq: id,
    area: input.area,
    summary: input.summary,
    referral_org: input.referral.organisation,
    referral_officer: input.referral.officer,
    referral_date: input.referral.date,
    referral_reason: input.referral.reason,
    consent: input.referral.consent,
    ...riskColumns(input.risk, userId, localToday(now)),
    status: 'referred',
    outcome: null,
    supported_by_service: input.alreadySupported?.service ?? null,
    supported_decision: input.alreadySupported?.decision ?? null,
    closed_only: input.closedOnly ? 1 : 0,
    created_at: at,
    created_by: userId,
    updated_at: at,
    updated_by: userId,
  } satisfies CaseRow);
  await db.run(sql`INSERT INTO main.cases ${columns}`);
  await writeConcerns(db, id, input.concerns);
  await writeSubjects(db, id, input.subjectIds);
  await writeLocations(db, id, input.locations);
  await insertTransition(db, {
    caseId: id,
    from: null,
    to: 'referred',
    outcome: null,
    reason: 'Referral recorded',
    userId,
    at,
    closedOnly: input.closedOnly,
  });
  return { id, reference };
}

/**
 * A reference no case has. With 32^5 suffixes a year a draw is taken about once in 3,000 at 10,000 cases,
 * so a few tries are plenty; `randomBelow` is given only by tests that force a collision.
 */
export async function freshReference(db: Sql, year: number, randomBelow: (n: number) => number = randomInt): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const reference = randomCaseReference(year, randomBelow);
    if (!(await db.get(sql`SELECT 1 FROM cases WHERE reference = ${reference}`))) return reference;
  }
  throw new Error(`no free case reference in ${year}`);
}

/** Changes the fields given and replaces the lists given; leaves the others as they are. */
export async function updateCase(db: Sql, caseId: number, changes: CaseChanges, userId: number, now = new Date()): Promise<void> {
  const columns: Partial<CaseRow> = {};
  if (changes.area !== undefined) columns.area = changes.area;
  if (changes.summary !== undefined) columns.summary = changes.summary;
  if (changes.referral !== undefined) {
    Object.assign(columns, {
      referral_org: changes.referral.organisation,
      referral_officer: changes.referral.officer,
      referral_date: changes.referral.date,
      referral_reason: changes.referral.reason,
      consent: changes.referral.consent,
    } satisfies Partial<CaseRow>);
  }
  if (changes.risk !== undefined) Object.assign(columns, riskColumns(changes.risk, userId, localToday(now)));
  if (changes.alreadySupported !== undefined) {
    columns.supported_by_service = changes.alreadySupported?.service ?? null;
    columns.supported_decision = changes.alreadySupported?.decision ?? null;
  }
  if (changes.closedOnly !== undefined) columns.closed_only = changes.closedOnly ? 1 : 0;
  columns.updated_at = now.toISOString();
  columns.updated_by = userId;
  if (SEALED_CASE_COLUMNS.some((c) => c in columns)) await unsealForWrite(db, 'cases', sql`t.id = ${caseId}`);
  await db.run(sql`UPDATE main.cases SET ${sqlAssignments(columns)} WHERE id = ${caseId}`);
  if (changes.concerns) await writeConcerns(db, caseId, changes.concerns);
  if (changes.subjectIds) await writeSubjects(db, caseId, changes.subjectIds);
  if (changes.locations) await writeLocations(db, caseId, changes.locations);
}

/** Marks a case as changed (by a note added to it, for example). */
export async function touchCase(db: Sql, caseId: number, userId: number, at = new Date().toISOString()): Promise<void> {
  await db.run(sql`UPDATE main.cases SET updated_at = ${at}, updated_by = ${userId} WHERE id = ${caseId}`);
}

/** Moves a case to a new status and records the step. The lifecycle rules are the caller's. */
export async function recordTransition(db: Sql, step: NewTransition & { from: CaseStatus }): Promise<void> {
  await db.run(
    sql`UPDATE main.cases SET status = ${step.to}, outcome = ${step.outcome}, updated_at = ${step.at}, updated_by = ${step.userId} WHERE id = ${step.caseId}`,
  );
  await insertTransition(db, step);
}

async function insertTransition(db: Sql, step: NewTransition): Promise<void> {
  const columns = sqlInsertColumns({
    case_id: step.caseId,
    from_status: step.from,
    to_status: step.to,
    outcome: step.outcome,
    reason: step.reason,
    by_user: step.userId,
    at: step.at,
    closed_only: step.closedOnly ? 1 : 0,
    id: await unguessableId(db, 'case_transitions'),
  });
  await db.run(sql`INSERT INTO main.case_transitions ${columns}`);
}

async function writeConcerns(db: Sql, caseId: number, concerns: readonly string[]): Promise<void> {
  await db.run(sql`DELETE FROM case_concerns WHERE case_id = ${caseId}`);
  if (concerns.length === 0) return;
  await db.run(sql`INSERT INTO case_concerns (case_id, concern) VALUES ${sqlRows(concerns.map((concern) => [caseId, concern]))}`);
}

async function writeSubjects(db: Sql, caseId: number, personIds: readonly number[]): Promise<void> {
  await db.run(sql`DELETE FROM case_subjects WHERE case_id = ${caseId}`);
  if (personIds.length === 0) return;
  const rows = personIds.map((personId, position) => [caseId, personId, position]);
  await db.run(sql`INSERT INTO case_subjects (case_id, person_id, position) VALUES ${sqlRows(rows)}`);
}

async function writeLocations(db: Sql, caseId: number, locations: CaseCreateInput['locations']): Promise<void> {
  await db.run(sql`DELETE FROM main.case_locations WHERE case_id = ${caseId}`);
  if (locations.length === 0) return;
  const ids = await unguessableIds(db, 'case_locations', locations.length);
  const rows = locations.map((l, i) => [ids[i]!, caseId, l.label, l.address, l.postcode, l.ward]);
  await db.run(sql`INSERT INTO main.case_locations (id, case_id, label, address, postcode, ward) VALUES ${sqlRows(rows)}`);
}

/** Links two cases, stored once with the lower id first. */
export async function insertLink(
  db: Sql,
  link: { caseId: number; otherCaseId: number; reason: string; userId: number; at: string; closedOnly: boolean },
): Promise<void> {
  const [a, b] = orderedPair(link.caseId, link.otherCaseId);
  const columns = sqlInsertColumns({
    case_id: a,
    other_case_id: b,
    reason: link.reason,
    created_at: link.at,
    created_by: link.userId,
    closed_only: link.closedOnly ? 1 : 0,
  });
  await db.run(sql`INSERT INTO main.case_links ${columns}`);
}

export async function linkExists(db: Sql, caseId: number, otherCaseId: number): Promise<boolean> {
  const [a, b] = orderedPair(caseId, otherCaseId);
  return (await db.get(sql`SELECT 1 FROM case_links WHERE case_id = ${a} AND other_case_id = ${b}`)) !== undefined;
}

function orderedPair(x: number, y: number): [number, number] {
  return x < y ? [x, y] : [y, x];
}

// ── reading ───────────────────────────────────────────────────────────────────────────────────────────

/** The state of a case the viewer may see; undefined for a hidden case and a missing one alike. */
export async function findVisibleCase(db: Sql, viewer: Viewer, caseId: number): Promise<CaseState | undefined> {
  const row = await db.get<Pick<CaseRow, 'status' | 'reference' | 'closed_only'>>(
    sql`SELECT status, reference, closed_only FROM cases c WHERE c.id = ${caseId} AND ${caseVisible(viewer)}`,
  );
  return row && { status: row.status, reference: row.reference, closedOnly: row.closed_only === 1 };
}

/** The full profile of a case the viewer may see, with only the notes and links they may see; undefined if hidden or missing. */
export async function loadCaseDetail(db: Sql, viewer: Viewer, caseId: number, today = localToday()): Promise<CaseDetail | undefined> {
  const r = await db.get<CaseDetailRow>(
    sql`SELECT c.*, a.display_name AS assessor, u.display_name AS creator FROM cases c
     JOIN users a ON a.id = c.risk_assessed_by JOIN users u ON u.id = c.created_by WHERE c.id = ${caseId} AND ${caseVisible(viewer)}`,
  );
  if (!r) return undefined;
  const concerns = await db.all<{ concern: CaseDetail['concerns'][number] }>(
    sql`SELECT concern FROM case_concerns WHERE case_id = ${caseId}`,
  );
  const order = new Map<string, number>(CONCERNS.map((c, i) => [c.code, i]));
  const subjectIds = (
    await db.all<{ person_id: number }>(sql`SELECT person_id FROM case_subjects WHERE case_id = ${caseId} ORDER BY position`)
  ).map((s) => s.person_id);
  const people = await loadPeople(db, subjectIds);
  const locations = await db.all<LocationRow>(
    sql`SELECT id, label, address, postcode, ward FROM case_locations WHERE case_id = ${caseId} ORDER BY id`,
  );
  const links = await db.all<LinkRow>(
    sql`SELECT c.id, c.reference, c.status, l.reason, c.closed_only, l.closed_only AS link_closed_only, l.created_at
     FROM (SELECT other_case_id AS id, reason, created_at, closed_only FROM case_links WHERE case_id = ${caseId}
           UNION ALL SELECT case_id, reason, created_at, closed_only FROM case_links WHERE other_case_id = ${caseId}) l
     JOIN cases c ON c.id = l.id WHERE ${caseVisible(viewer)} AND ${markedVisible(viewer, 'l')} ORDER BY l.created_at, c.id`,
  );
  const notes = await loadNotes(db, viewer, caseId);
  const transitions = await db.all<TransitionRow>(
    sql`SELECT t.from_status, t.to_status, t.outcome, t.reason, t.by_user, u.display_name AS by_name, t.at, t.closed_only
     FROM case_transitions t JOIN users u ON u.id = t.by_user WHERE t.case_id = ${caseId} AND ${markedVisible(viewer, 't')} ORDER BY t.id`,
  );
  return {
    id: r.id,
    reference: r.reference,
    area: r.area,
    summary: r.summary,
    referral: {
      organisation: r.referral_org,
      officer: r.referral_officer,
      date: r.referral_date,
      reason: r.referral_reason,
      consent: r.consent,
    },
    concerns: concerns.map((c) => c.concern).sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)),
    risk: {
      personalHarm: r.personal_harm,
      communityHarm: r.community_harm,
      environmentalHarm: r.environmental_harm,
      overall: r.overall_risk,
      vulnerabilityFactors: JSON.parse(r.vulnerability_factors) as string[],
      reasons: r.risk_reasons,
      assessedBy: { id: r.risk_assessed_by, displayName: r.assessor },
      assessedOn: r.risk_assessed_at,
    },
    reviewDate: r.review_date,
    reviewOverdue: isReviewOverdue(r.review_date, isOpenStatus(r.status), today),
    status: r.status,
    outcome: r.outcome,
    allowedTransitions: [...allowedTransitions(r.status)],
    alreadySupported:
      r.supported_by_service && r.supported_decision ? { service: r.supported_by_service, decision: r.supported_decision } : null,
    closedOnly: r.closed_only === 1,
    subjects: subjectIds.map((id) => people.get(id)!),
    locations,
    links: links.map((l) => ({
      caseId: l.id,
      reference: l.reference,
      status: l.status,
      reason: l.reason,
      closedOnly: l.closed_only === 1 || l.link_closed_only === 1,
      linkedAt: l.created_at,
    })),
    notes,
    transitions: transitions.map((t) => ({
      from: t.from_status,
      to: t.to_status,
      outcome: t.outcome,
      reason: t.reason,
      by: { id: t.by_user, displayName: t.by_name },
      at: t.at,
      closedOnly: t.closed_only === 1,
    })),
    createdAt: r.created_at,
    createdBy: { id: r.created_by, displayName: r.creator },
    updatedAt: r.updated_at,
  };
}

/** The cases the viewer may see that a person is a subject of, latest referral first. */
export async function visibleCaseIdsOfPerson(db: Sql, viewer: Viewer, personId: number): Promise<number[]> {
  const rows = await db.all<{ id: number }>(
    sql`SELECT c.id FROM case_subjects s JOIN cases c ON c.id = s.case_id WHERE s.person_id = ${personId} AND ${caseVisible(viewer)}
     ORDER BY c.referral_date DESC, c.id DESC`,
  );
  return rows.map((r) => r.id);
}

/** Summaries of the given cases, in the order given. The caller has already applied visibility. */
export async function loadCaseSummaries(db: Sql, ids: readonly number[], today = localToday()): Promise<CaseSummary[]> {
  if (ids.length === 0) return [];
  const inList = sqlJoin(ids);
  const rows = await db.all<CaseSummaryRow>(
    sql`SELECT id, reference, area, status, outcome, overall_risk, referral_date, review_date, closed_only, updated_at FROM cases WHERE id IN (${inList})`,
  );
  const concerns = await db.all<{ case_id: number; concern: string }>(
    sql`SELECT case_id, concern FROM case_concerns WHERE case_id IN (${inList})`,
  );
  const subjects = await db.all<{ case_id: number; id: number; given_name: string; family_name: string }>(
    sql`SELECT s.case_id, p.id, p.given_name, p.family_name FROM case_subjects s JOIN people p ON p.id = s.person_id
     WHERE s.case_id IN (${inList}) ORDER BY s.case_id, s.position`,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        id: r.id,
        reference: r.reference,
        area: r.area,
        status: r.status,
        outcome: r.outcome,
        overallRisk: r.overall_risk,
        concerns: concerns.filter((c) => c.case_id === id).map((c) => c.concern),
        referralDate: r.referral_date,
        reviewDate: r.review_date,
        reviewOverdue: isReviewOverdue(r.review_date, isOpenStatus(r.status), today),
        closedOnly: r.closed_only === 1,
        updatedAt: r.updated_at,
        subjects: subjects.filter((s) => s.case_id === id).map((s) => ({ id: s.id, givenName: s.given_name, familyName: s.family_name })),
      },
    ];
  });
}

/** The subjects of each case, in case order, for the redactor of an export (every known identifier of each). */
export async function loadSubjectsOfCases(db: Sql, caseIds: readonly number[]): Promise<Map<number, Person[]>> {
  const out = new Map<number, Person[]>(caseIds.map((id) => [id, []]));
  if (caseIds.length === 0) return out;
  const rows = await db.all<{ case_id: number; person_id: number }>(
    sql`SELECT case_id, person_id FROM case_subjects WHERE case_id IN (${sqlJoin(caseIds)}) ORDER BY case_id, position`,
  );
  const people = await loadPeople(db, [...new Set(rows.map((r) => r.person_id))]);
  for (const r of rows) out.get(r.case_id)!.push(people.get(r.person_id)!);
  return out;
}
