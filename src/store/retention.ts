// Retention: the schedule, the decisions about ended cases, and the writes that pseudonymise a case and its
// people. Which case is due, who follows it and what counts as an identifier are the service's rules;
// this module reads and writes the rows.
import type { Person } from '../contract/ops/people.js';
import type { CaseOutcome, CaseStatus } from '../domain/lifecycle.js';
import type { RetentionDecision, RetentionEnding, RetentionRecordType } from '../domain/retention.js';
import type { Sql, SqlValue } from '../vault/database.js';
import { insertPerson } from './people.js';
import { unguessableIds } from './ids.js';
import { sql, sqlAssignments, sqlIdentifier, sqlInsertColumns, sqlJoin, sqlRows, type SqlQuery } from './sql.js';
import { caseVisible, type Viewer } from './visibility.js';
import { isSealedTable, unsealForWrite } from './closed-store.js';

// ── the schedule ──────────────────────────────────────────────────────────────────────────────────────

export interface ScheduleRow {
  record_type: RetentionRecordType;
  ending: RetentionEnding;
  months: number;
  updated_at: string | null;
  updated_by: number | null;
  updated_by_name: string | null;
}

export async function loadSchedule(db: Sql): Promise<ScheduleRow[]> {
  return db.all<ScheduleRow>(
    sql`SELECT s.record_type, s.ending, s.months, s.updated_at, s.updated_by, u.display_name AS updated_by_name
     FROM retention_schedule s LEFT JOIN users u ON u.id = s.updated_by
     ORDER BY s.record_type, CASE s.ending WHEN 'resolved' THEN 0 WHEN 'not_resolved' THEN 1 WHEN 'transferred' THEN 2 ELSE 3 END`,
  );
}

export async function saveScheduleRule(
  db: Sql,
  rule: { recordType: RetentionRecordType; ending: RetentionEnding; months: number; userId: number; at: string },
): Promise<void> {
  await db.run(
    sql`UPDATE retention_schedule SET ${sqlAssignments({ months: rule.months, updated_at: rule.at, updated_by: rule.userId })}
     WHERE record_type = ${rule.recordType} AND ending = ${rule.ending}`,
  );
}

// ── ended cases and decisions ─────────────────────────────────────────────────────────────────────────

/** A case that has ended (closed or declined), with when it ended and the latest retention decision about it. */
export interface EndedCaseRow {
  id: number;
  reference: string;
  area: string;
  status: Extract<CaseStatus, 'closed' | 'declined'>;
  outcome: CaseOutcome | null;
  closed_only: number;
  /** The instant of the step into its final status. */
  ended_at: string;
  decision: RetentionDecision | null;
  decision_reason: string | null;
  review_on: string | null;
  decided_at: string | null;
}

/** Cases with when they reached their current status and their latest retention decision, where `where` holds. */
function casesWithDecision(where: SqlQuery): SqlQuery {
  return sql`SELECT c.id, c.reference, c.area, c.status, c.outcome, c.closed_only,
      (SELECT max(t.at) FROM case_transitions t WHERE t.case_id = c.id AND t.to_status = c.status) AS ended_at,
      d.decision, d.reason AS decision_reason, d.review_on, d.decided_at
    FROM cases c LEFT JOIN retention_decisions d ON d.id = (SELECT max(x.id) FROM retention_decisions x WHERE x.case_id = c.id)
    WHERE ${where}`;
}

/** Every ended case the viewer may see that has not been pseudonymised: the candidates for the queue. */
export async function loadUnpseudonymisedEndedCases(db: Sql, viewer: Viewer): Promise<EndedCaseRow[]> {
  const where = sql`c.status IN ('closed', 'declined') AND ${caseVisible(viewer)} AND (d.decision IS NULL OR d.decision <> 'pseudonymise')`;
  return db.all<EndedCaseRow>(sql`${casesWithDecision(where)} ORDER BY c.id`);
}

/** One case as the queue would see it, whatever its status (ended_at is then its last step's): undefined when hidden or missing. */
export async function loadCaseRetentionState(
  db: Sql,
  viewer: Viewer,
  caseId: number,
): Promise<(Omit<EndedCaseRow, 'status'> & { status: CaseStatus }) | undefined> {
  return db.get(casesWithDecision(sql`c.id = ${caseId} AND ${caseVisible(viewer)}`));
}

export interface NewDecision {
  caseId: number;
  decision: RetentionDecision;
  reason: string;
  reviewOn: string | null;
  userId: number;
  at: string;
}

export async function insertDecision(db: Sql, d: NewDecision): Promise<number> {
  const columns = sqlInsertColumns({
    case_id: d.caseId,
    decision: d.decision,
    reason: d.reason,
    review_on: d.reviewOn,
    decided_by: d.userId,
    decided_at: d.at,
  });
  return (await db.run(sql`INSERT INTO main.retention_decisions ${columns}`)).lastID;
}

// ── subjects and the cases they are on ────────────────────────────────────────────────────────────────

/** One subject of one of the given cases, paired with one other case they are a subject of (null: none). */
export interface SubjectLinkRow {
  case_id: number;
  person_id: number;
  given_name: string;
  family_name: string;
  other_case_id: number | null;
  other_reference: string | null;
  other_status: CaseStatus | null;
  other_decision: RetentionDecision | null;
}

export async function loadSubjectLinks(db: Sql, caseIds: readonly number[]): Promise<SubjectLinkRow[]> {
  if (caseIds.length === 0) return [];
  return db.all<SubjectLinkRow>(
    sql`SELECT s.case_id, p.id AS person_id, p.given_name, p.family_name,
        oc.id AS other_case_id, oc.reference AS other_reference, oc.status AS other_status,
        (SELECT d.decision FROM retention_decisions d WHERE d.case_id = oc.id ORDER BY d.id DESC LIMIT 1) AS other_decision
      FROM case_subjects s JOIN people p ON p.id = s.person_id
      LEFT JOIN case_subjects o ON o.person_id = s.person_id AND o.case_id <> s.case_id
      LEFT JOIN main.cases oc ON oc.id = o.case_id
      WHERE s.case_id IN (${sqlJoin(caseIds)}) ORDER BY s.case_id, s.position, oc.id`,
  );
}

// ── pseudonymising ────────────────────────────────────────────────────────────────────────────────────

/** What a pseudonymised person keeps of who they were. */
export interface KeptOfPerson {
  gender: Person['gender'];
  birthYear: number | null;
  ward: string | null;
}

type Pseudonym = { givenName: string; familyName: string };

/** Replaces a person's identifiers where they stand: names, date of birth, aliases, addresses, contacts, references, household. */
export async function pseudonymisePersonInPlace(
  db: Sql,
  personId: number,
  pseudonym: Pseudonym,
  kept: KeptOfPerson,
  userId: number,
  at: string,
): Promise<void> {
  // Lists first: their triggers rebuild the person's search row from what is left.
  await db.run(sql`DELETE FROM main.person_aliases WHERE person_id = ${personId}`);
  await db.run(sql`DELETE FROM main.person_identifiers WHERE person_id = ${personId}`);
  await db.run(sql`DELETE FROM main.person_addresses WHERE person_id = ${personId}`);
  const columns = sqlAssignments({
    given_name: pseudonym.givenName,
    family_name: pseudonym.familyName,
    date_of_birth: null,
    contacts: '[]',
    household: '[]',
    updated_at: at,
    updated_by: userId,
  });
  await unsealForWrite(db, 'people', sql`t.id = ${personId}`);
  await db.run(sql`UPDATE main.people SET ${columns} WHERE id = ${personId}`);
  await recordPseudonymised(db, personId, kept, at);
}

/**
 * A new person standing in for `personId` on one case only: the real person is still a subject of another
 * case that needs them, so the pseudonymised case is pointed at a stand-in holding nothing of who they were.
 */
export async function replaceSubjectWithStandIn(
  db: Sql,
  caseId: number,
  personId: number,
  pseudonymFor: (standInId: number) => Pseudonym,
  kept: KeptOfPerson,
  userId: number,
  at: string,
): Promise<number> {
  const empty = { aliases: [], dateOfBirth: null, gender: kept.gender, addresses: [], contacts: [], identifiers: [], household: [] };
  // The pseudonym is made from the new row's id, so the row is written first under a placeholder.
  const id = await insertPerson(db, { givenName: 'Pseudonymised', familyName: 'person', ...empty }, userId, at);
  const pseudonym = pseudonymFor(id);
  await db.run(sql`UPDATE main.people SET given_name = ${pseudonym.givenName}, family_name = ${pseudonym.familyName} WHERE id = ${id}`);
  await db.run(sql`UPDATE case_subjects SET person_id = ${id} WHERE case_id = ${caseId} AND person_id = ${personId}`);
  await recordPseudonymised(db, id, kept, at);
  return id;
}

async function recordPseudonymised(db: Sql, personId: number, p: KeptOfPerson, at: string): Promise<void> {
  // A person pseudonymised again replaces what was kept, which may be sealed.
  await unsealForWrite(db, 'pseudonymised_people', sql`t.person_id = ${personId}`);
  await db.run(
    sql`INSERT INTO main.pseudonymised_people (person_id, birth_year, ward, at) VALUES (${personId}, ${p.birthYear}, ${p.ward}, ${at})
     ON CONFLICT (person_id) DO UPDATE SET birth_year = excluded.birth_year, ward = excluded.ward, at = excluded.at`,
  );
}

export interface PseudonymisedPersonRow {
  person_id: number;
  birth_year: number | null;
  ward: string | null;
}

export async function loadPseudonymisedPeople(db: Sql, personIds: readonly number[]): Promise<PseudonymisedPersonRow[]> {
  if (personIds.length === 0) return [];
  return db.all<PseudonymisedPersonRow>(
    sql`SELECT person_id, birth_year, ward FROM pseudonymised_people WHERE person_id IN (${sqlJoin(personIds)}) ORDER BY person_id`,
  );
}

/**
 * The free text hung on a case, each column a table holds about it. Figures (status, outcome, dates, area,
 * enforcement type and stage) are not here: they stay, so the outcome indicators still count the case.
 * Meeting records (agenda, minutes, actions) are frozen once approved and are not touched.
 */
const CASE_TEXT: readonly { table: string; owner: (caseId: number) => SqlQuery; text: readonly string[]; json?: readonly string[] }[] = [
  {
    table: 'cases',
    owner: (id) => sql`id = ${id}`,
    text: ['summary', 'referral_reason', 'risk_reasons', 'supported_by_service'],
    json: ['vulnerability_factors'],
  },
  { table: 'case_notes', owner: (id) => sql`case_id = ${id}`, text: ['body'] },
  { table: 'case_transitions', owner: (id) => sql`case_id = ${id}`, text: ['reason'] },
  { table: 'case_releases', owner: (id) => sql`case_id = ${id}`, text: ['reason'] },
  { table: 'escalations', owner: (id) => sql`case_id = ${id}`, text: ['shared', 'outcome'], json: ['recipients'] },
  { table: 'enforcement', owner: (id) => sql`case_id = ${id}`, text: ['location', 'conditions'], json: ['prohibitions'] },
  {
    table: 'enforcement_breaches',
    owner: (id) => sql`enforcement_id IN (SELECT e.id FROM enforcement e WHERE e.case_id = ${id})`,
    text: ['reported_by', 'action_taken'],
  },
];

/** Rewrites every free-text column about a case through `redact`; locations keep their ward only. */
export async function redactCaseText(db: Sql, caseId: number, redact: (text: string) => string): Promise<number> {
  let changed = 0;
  for (const spec of CASE_TEXT) {
    const columns = [...spec.text, ...(spec.json ?? [])];
    const rows = await db.all<Record<string, SqlValue>>(
      sql`SELECT rowid AS row_id, ${sqlJoin(columns.map(sqlIdentifier))} FROM ${sqlIdentifier(spec.table)} WHERE ${spec.owner(caseId)}`,
    );
    for (const row of rows) {
      const updates: Record<string, SqlValue> = {};
      for (const column of spec.text) {
        const value = row[column];
        if (typeof value === 'string' && redact(value) !== value) updates[column] = redact(value);
      }
      for (const column of spec.json ?? []) {
        const value = row[column];
        if (typeof value !== 'string') continue;
        const list = JSON.parse(value) as unknown[];
        const next = JSON.stringify(list.map((item) => (typeof item === 'string' ? redact(item) : item)));
        if (next !== value) updates[column] = next;
      }
      if (Object.keys(updates).length === 0) continue;
      changed++;
      if (isSealedTable(spec.table)) await unsealForWrite(db, spec.table, sql`t.rowid = ${row.row_id!}`);
      await db.run(sql`UPDATE main.${sqlIdentifier(spec.table)} SET ${sqlAssignments(updates)} WHERE rowid = ${row.row_id!}`);
    }
  }
  // Links are stored once per pair, without a rowid.
  const links = await db.all<{ case_id: number; other_case_id: number; reason: string }>(
    sql`SELECT case_id, other_case_id, reason FROM case_links WHERE case_id = ${caseId} OR other_case_id = ${caseId}`,
  );
  for (const link of links) {
    const reason = redact(link.reason);
    if (reason === link.reason) continue;
    changed++;
    await unsealForWrite(db, 'case_links', sql`t.case_id = ${link.case_id} AND t.other_case_id = ${link.other_case_id}`);
    await db.run(
      sql`UPDATE main.case_links SET reason = ${reason} WHERE case_id = ${link.case_id} AND other_case_id = ${link.other_case_id}`,
    );
  }
  // Locations are replaced, not updated (their search rows follow): the label redacted, the street and
  // postcode gone, the ward kept.
  const locations = await db.all<{ label: string; ward: string | null }>(
    sql`SELECT label, ward FROM case_locations WHERE case_id = ${caseId} ORDER BY id`,
  );
  if (locations.length > 0) {
    await db.run(sql`DELETE FROM main.case_locations WHERE case_id = ${caseId}`);
    const ids = await unguessableIds(db, 'case_locations', locations.length);
    const rows = locations.map((l, i) => [ids[i]!, caseId, redact(l.label), '', null, l.ward]);
    await db.run(sql`INSERT INTO main.case_locations (id, case_id, label, address, postcode, ward) VALUES ${sqlRows(rows)}`);
    changed += locations.length;
  }
  return changed;
}
