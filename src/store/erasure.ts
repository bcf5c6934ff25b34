// Erasure's SQL: what an erasure of a person or a case reaches, and the writes that remove it. Rows about
// the erased cases and people are deleted; records that are never deleted (approved minutes, the actions
// agreed in them) keep their place with the erased identifiers replaced by a pseudonym. The writes run
// with the erasure pass held (see migrations/010-erasure.ts), with secure_delete on (every connection has
// it), and the full-text tables delete securely; `compactAfterErasure` then takes the old pages out of the
// WAL and the file.
import type { ErasureCounts } from '../contract/ops/erasure.js';
import { rewrite, type Rewritten } from '../domain/erasure.js';
import type { RedactionSpan, Redactor } from '../domain/redaction.js';
import type { Database, Sql } from '../vault/database.js';
import { insertAddendum } from './meetings.js';
import { unguessableId } from './ids.js';
import { sql, sqlAssignments, sqlIdentifier, sqlJoin, type SqlQuery } from './sql.js';
import { isSealedTable, unsealForWrite, withoutMergedViews } from './closed-store.js';

export interface CaseRef {
  id: number;
  reference: string;
}

export interface PersonRef {
  id: number;
  name: string;
}

/** What one erasure removes: cases and people deleted, and the cases a person is only taken off. */
export interface ErasureScope {
  cases: CaseRef[];
  people: PersonRef[];
  casesKept: CaseRef[];
}

interface SubjectCaseRow {
  id: number;
  reference: string;
  others: number;
}

interface SubjectRow {
  id: number;
  given_name: string;
  family_name: string;
  others: number;
}

const personName = (r: Pick<SubjectRow, 'given_name' | 'family_name'>) => `${r.given_name.trim()} ${r.family_name.trim()}`;

/** A person and the cases they are the only subject of (erased with them); undefined if there is no such person. */
export async function personErasureScope(db: Sql, personId: number): Promise<ErasureScope | undefined> {
  const person = await db.get<SubjectRow>(sql`SELECT id, given_name, family_name, 0 AS others FROM people WHERE id = ${personId}`);
  if (!person) return undefined;
  const cases = await db.all<SubjectCaseRow>(
    sql`SELECT c.id, c.reference,
          (SELECT count(*) FROM case_subjects o WHERE o.case_id = c.id AND o.person_id <> ${personId}) AS others
        FROM case_subjects s JOIN cases c ON c.id = s.case_id WHERE s.person_id = ${personId} ORDER BY c.id`,
  );
  return {
    people: [{ id: person.id, name: personName(person) }],
    cases: cases.filter((c) => c.others === 0).map(({ id, reference }) => ({ id, reference })),
    casesKept: cases.filter((c) => c.others > 0).map(({ id, reference }) => ({ id, reference })),
  };
}

/** A case and its subjects who are on no other case (erased with it); undefined if there is no such case. */
export async function caseErasureScope(db: Sql, caseId: number): Promise<ErasureScope | undefined> {
  const found = await db.get<CaseRef>(sql`SELECT id, reference FROM cases WHERE id = ${caseId}`);
  if (!found) return undefined;
  const subjects = await db.all<SubjectRow>(
    sql`SELECT p.id, p.given_name, p.family_name,
          (SELECT count(*) FROM case_subjects o WHERE o.person_id = p.id AND o.case_id <> ${caseId}) AS others
        FROM case_subjects s JOIN people p ON p.id = s.person_id WHERE s.case_id = ${caseId} ORDER BY s.position, p.id`,
  );
  return {
    cases: [found],
    people: subjects.filter((s) => s.others === 0).map((s) => ({ id: s.id, name: personName(s) })),
    casesKept: [],
  };
}

const ids = (list: readonly { id: number }[]) => sqlJoin(list.length > 0 ? list.map((x) => x.id) : [null]);

/** Rows in the erased cases' meetings that are not approved (deleted) and approved (kept, pseudonymised). */
const APPROVED = (meeting: SqlQuery) => sql`(SELECT minutes_status FROM meetings WHERE id = ${meeting}) = 'approved'`;

async function countOf(db: Sql, query: SqlQuery): Promise<number> {
  return (await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM (${query})`))?.n ?? 0;
}

/** What the erasure will delete; `textsRewritten` and `approvedMeetings` come from the scan of free text. */
export async function countErasure(db: Sql, scope: ErasureScope): Promise<Omit<ErasureCounts, 'textsRewritten' | 'approvedMeetings'>> {
  const people = ids(scope.people);
  const cases = ids(scope.cases);
  const draftItems = sql`SELECT id FROM agenda_items a WHERE a.case_id IN (${cases}) AND NOT ${APPROVED(sql`a.meeting_id`)}`;
  return {
    people: scope.people.length,
    aliases: await countOf(db, sql`SELECT 1 FROM person_aliases WHERE person_id IN (${people})`),
    addresses: await countOf(db, sql`SELECT 1 FROM person_addresses WHERE person_id IN (${people})`),
    identifiers: await countOf(db, sql`SELECT 1 FROM person_identifiers WHERE person_id IN (${people})`),
    cases: scope.cases.length,
    notes: await countOf(db, sql`SELECT 1 FROM case_notes WHERE case_id IN (${cases})`),
    transitions: await countOf(db, sql`SELECT 1 FROM case_transitions WHERE case_id IN (${cases})`),
    links: await countOf(db, sql`SELECT 1 FROM case_links WHERE case_id IN (${cases}) OR other_case_id IN (${cases})`),
    locations: await countOf(db, sql`SELECT 1 FROM case_locations WHERE case_id IN (${cases})`),
    draftAgendaItems: await countOf(db, draftItems),
    draftParagraphs: await countOf(db, sql`SELECT 1 FROM minute_paragraphs WHERE agenda_item_id IN (${draftItems})`),
    actions: await countOf(db, sql`SELECT 1 FROM actions WHERE case_id IN (${cases})`),
    enforcement: await countOf(db, sql`SELECT 1 FROM enforcement WHERE case_id IN (${cases})`),
    escalations: await countOf(db, sql`SELECT 1 FROM escalations WHERE case_id IN (${cases})`),
  };
}

/** Approved meetings with an agenda item for one of the erased cases: their minutes keep it, pseudonymised. */
export async function approvedMeetingsOfCases(db: Sql, scope: ErasureScope): Promise<number[]> {
  const rows = await db.all<{ meeting_id: number }>(
    sql`SELECT DISTINCT meeting_id FROM agenda_items a WHERE a.case_id IN (${ids(scope.cases)}) AND ${APPROVED(sql`a.meeting_id`)}`,
  );
  return rows.map((r) => r.meeting_id);
}

// ── the erased people's identifiers in free text ──────────────────────────────────────────────────────

/**
 * Every column a user can type a person's identifiers into, by table; rows are found by rowid. `json`
 * columns hold lists or objects whose strings are rewritten one by one (so the JSON stays valid). Columns
 * not listed hold codes, dates, ids or hashes, or belong to sealed organisational records (agreements):
 * test/store/erasure-coverage.test.ts walks every TEXT column of the schema and fails on one that is in
 * neither list, so a new table has to say which it is.
 */
export const FREE_TEXT: readonly { table: string; columns: readonly string[]; json?: readonly string[]; meeting?: 'id' | 'meeting_id' }[] =
  [
    // Another person's household list can name the erased person. (Their own contact details stay theirs,
    // even a landline the two shared.)
    { table: 'people', columns: [], json: ['household'] },
    {
      table: 'cases',
      columns: ['area', 'summary', 'referral_org', 'referral_officer', 'referral_reason', 'risk_reasons', 'supported_by_service'],
      json: ['vulnerability_factors'],
    },
    { table: 'case_notes', columns: ['body'] },
    { table: 'case_transitions', columns: ['reason'] },
    { table: 'case_releases', columns: ['reason'] },
    { table: 'meetings', columns: ['area', 'place', 'place_focus', 'confidentiality', 'minutes_returned'], meeting: 'id' },
    { table: 'meeting_attendees', columns: ['name', 'role'], meeting: 'meeting_id' },
    { table: 'agenda_items', columns: ['title', 'added_reason', 'removed_reason'], json: ['proposal_reasons'], meeting: 'meeting_id' },
    { table: 'agenda_reorders', columns: ['reason'], meeting: 'meeting_id' },
    { table: 'minute_decisions', columns: ['text'], meeting: 'meeting_id' },
    { table: 'minute_addenda', columns: ['text', 'reason'], meeting: 'meeting_id' },
    { table: 'meeting_case_raises', columns: ['reason'], meeting: 'meeting_id' },
    { table: 'actions', columns: ['description', 'officer'], meeting: 'meeting_id' },
    { table: 'action_reviews', columns: ['note'], meeting: 'meeting_id' },
    { table: 'enforcement', columns: ['area', 'location', 'conditions'], json: ['prohibitions'] },
    { table: 'enforcement_breaches', columns: ['reported_by', 'action_taken'] },
    { table: 'escalations', columns: ['shared', 'outcome'], json: ['recipients'] },
    {
      table: 'community_triggers',
      columns: ['area', 'applicant', 'on_behalf_of', 'decision_reasons', 'review_notes', 'outcome', 'appeal'],
    },
    { table: 'community_trigger_incidents', columns: ['agency', 'reference'] },
    { table: 'community_trigger_recommendations', columns: ['text', 'owner'] },
    { table: 'partnership_activities', columns: ['area', 'description'] },
    { table: 'retention_decisions', columns: ['reason'] },
    { table: 'pseudonymised_people', columns: ['ward'] },
    // The erasure's own reason, typed by the manager, may name whom it erases.
    { table: 'erasures', columns: ['reason'] },
    // A user's remembered working context (the copy in the audit log is beyond reach: see docs/erasure.md).
    { table: 'users', columns: ['last_justification'] },
  ];

/** Free text kept outside FREE_TEXT's rowid tables: links are keyed by their two cases, locations are replaced (their search rows follow), paragraphs carry spans. */
export const FREE_TEXT_ELSEWHERE: readonly { table: string; columns: readonly string[] }[] = [
  { table: 'case_links', columns: ['reason'] },
  { table: 'case_locations', columns: ['label', 'address', 'postcode', 'ward'] },
  { table: 'minute_paragraphs', columns: ['text'] },
];

export interface ScrubResult {
  /** Texts (one column of one row) that held an erased identifier. */
  texts: number;
  /** Meetings whose text changed (the caller adds an addendum to the approved ones). */
  meetings: Set<number>;
}

type TextRow = Record<string, string | number | null>;

/** A JSON value with each string rewritten; a date of birth that held an identifier is dropped, not marked. */
function rewriteJson(value: string, rewriteOf: (text: string) => Rewritten | null): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return rewriteOf(value)?.text ?? null;
  }
  let changed = false;
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') {
      const rewritten = rewriteOf(v);
      if (!rewritten) return v;
      changed = true;
      return key === 'dateOfBirth' ? null : rewritten.text;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  const next = walk(parsed);
  return changed ? JSON.stringify(next) : null;
}

/**
 * Finds every erased identifier in the store's free text and replaces it. Minutes
 * paragraphs carry closed-only spans by offset: those move with the words they marked. Case links are
 * keyed by their two cases (no rowid), so they are read by that key; case locations are replaced under
 * the same id, so the case's search row is rebuilt without the old words.
 */
export async function scrubFreeText(db: Sql, redactor: Redactor, replace: (span: RedactionSpan) => string): Promise<ScrubResult> {
  const result: ScrubResult = { texts: 0, meetings: new Set() };
  const rewriteOf = (value: string | number | null): Rewritten | null => {
    if (typeof value !== 'string' || value === '') return null;
    const spans = redactor.findKnown(value);
    return spans.length === 0 ? null : rewrite(value, spans, replace);
  };
  for (const { table, columns, json = [], meeting } of FREE_TEXT) {
    const selected = sqlJoin([
      sql`rowid AS row_id`,
      ...(meeting ? [sql`${sqlIdentifier(meeting)} AS meeting_ref`] : []),
      ...[...columns, ...json].map(sqlIdentifier),
    ]);
    for (const row of await db.all<TextRow>(sql`SELECT ${selected} FROM ${sqlIdentifier(table)}`)) {
      const changes: Record<string, string> = {};
      for (const column of columns) {
        const rewritten = rewriteOf(row[column] ?? null);
        if (rewritten) changes[column] = rewritten.text;
      }
      for (const column of json) {
        const value = row[column];
        const rewritten = typeof value === 'string' ? rewriteJson(value, rewriteOf) : null;
        if (rewritten !== null) changes[column] = rewritten;
      }
      if (Object.keys(changes).length === 0) continue;
      result.texts += Object.keys(changes).length;
      if (meeting) result.meetings.add(Number(row.meeting_ref));
      if (isSealedTable(table)) await unsealForWrite(db, table, sql`t.rowid = ${Number(row.row_id)}`);
      await db.run(sql`UPDATE main.${sqlIdentifier(table)} SET ${sqlAssignments(changes)} WHERE rowid = ${Number(row.row_id)}`);
    }
  }
  for (const link of await db.all<{ case_id: number; other_case_id: number; reason: string }>(
    sql`SELECT case_id, other_case_id, reason FROM case_links`,
  )) {
    const rewritten = rewriteOf(link.reason);
    if (!rewritten) continue;
    result.texts += 1;
    await unsealForWrite(db, 'case_links', sql`t.case_id = ${link.case_id} AND t.other_case_id = ${link.other_case_id}`);
    await db.run(
      sql`UPDATE main.case_links SET reason = ${rewritten.text} WHERE case_id = ${link.case_id} AND other_case_id = ${link.other_case_id}`,
    );
  }
  for (const location of await db.all<{
    id: number;
    case_id: number;
    label: string;
    address: string;
    postcode: string | null;
    ward: string | null;
  }>(sql`SELECT id, case_id, label, address, postcode, ward FROM case_locations`)) {
    const label = rewriteOf(location.label);
    const address = rewriteOf(location.address);
    const postcode = rewriteOf(location.postcode);
    const ward = rewriteOf(location.ward);
    const changed = [label, address, postcode, ward].filter((r) => r !== null).length;
    if (changed === 0) continue;
    result.texts += changed;
    await db.run(sql`DELETE FROM main.case_locations WHERE id = ${location.id}`);
    // A postcode is an identifier or it is not: a marker in its place would read as one.
    await db.run(
      sql`INSERT INTO main.case_locations (id, case_id, label, address, postcode, ward)
          VALUES (${location.id}, ${location.case_id}, ${label?.text ?? location.label}, ${address?.text ?? location.address},
                  ${postcode ? null : location.postcode}, ${ward?.text ?? location.ward})`,
    );
  }
  for (const paragraph of await db.all<{ id: number; meeting_id: number; text: string }>(
    sql`SELECT id, meeting_id, text FROM minute_paragraphs`,
  )) {
    const rewritten = rewriteOf(paragraph.text);
    if (!rewritten) continue;
    result.texts += 1;
    result.meetings.add(paragraph.meeting_id);
    await unsealForWrite(db, 'minute_paragraphs', sql`t.id = ${paragraph.id}`);
    await db.run(sql`UPDATE main.minute_paragraphs SET text = ${rewritten.text} WHERE id = ${paragraph.id}`);
    const spans = await db.all<{ id: number; start_offset: number; end_offset: number }>(
      sql`SELECT id, start_offset, end_offset FROM minute_spans WHERE paragraph_id = ${paragraph.id}`,
    );
    for (const span of spans) {
      const start = rewritten.mapStart(span.start_offset);
      const end = rewritten.mapEnd(span.end_offset);
      if (end > start) await db.run(sql`UPDATE minute_spans SET start_offset = ${start}, end_offset = ${end} WHERE id = ${span.id}`);
      else await db.run(sql`DELETE FROM minute_spans WHERE id = ${span.id}`);
    }
  }
  return result;
}

// ── the writes ───────────────────────────────────────────────────────────────────────────────────────

/** Runs `work` and undoes everything it wrote: a preview is the erasure itself, rolled back, so its counts are exact. */
export async function rolledBack<T>(db: Sql, work: () => Promise<T>): Promise<T> {
  await db.exec('SAVEPOINT erasure_preview');
  try {
    return await work();
  } finally {
    await db.exec('ROLLBACK TO erasure_preview');
    await db.exec('RELEASE erasure_preview');
  }
}

/** Opens the erasure pass for this transaction (the guards of never-changed records stand aside). */
export async function beginErasurePass(db: Sql): Promise<void> {
  await db.run(sql`INSERT INTO erasure_pass (id) VALUES (1)`);
}

export async function endErasurePass(db: Sql): Promise<void> {
  await db.run(sql`DELETE FROM erasure_pass`);
}

export async function insertErasure(
  db: Sql,
  row: { kind: 'person' | 'case'; subject_id: number; reason: string; by_user: number; at: string },
): Promise<number> {
  const id = await unguessableId(db, 'erasures');
  await db.run(
    sql`INSERT INTO erasures (id, kind, subject_id, pseudonym, reason, by_user, at) VALUES (${id}, ${row.kind}, ${row.subject_id}, '', ${row.reason}, ${row.by_user}, ${row.at})`,
  );
  return id;
}

export async function completeErasure(db: Sql, erasureId: number, pseudonym: string, counts: ErasureCounts): Promise<void> {
  await db.run(sql`UPDATE erasures SET pseudonym = ${pseudonym}, counts = ${JSON.stringify(counts)} WHERE id = ${erasureId}`);
}

/**
 * Deletes the erased cases with everything hung on them. In approved minutes a case's agenda item stays,
 * as an "other" item titled by the case's pseudonym; its decisions and actions lose their link to the case.
 * Everything in minutes that are not approved (the item, its minutes, decisions and actions) is deleted.
 */
export async function deleteCases(db: Sql, cases: readonly CaseRef[], pseudonymOf: (caseId: number) => string): Promise<void> {
  if (cases.length === 0) return;
  const inCases = ids(cases);
  for (const c of cases) {
    await unsealForWrite(db, 'agenda_items', sql`t.case_id = ${c.id} AND ${APPROVED(sql`t.meeting_id`)}`);
    await db.run(
      sql`UPDATE main.agenda_items SET kind = 'other', case_id = NULL, title = ${pseudonymOf(c.id)}
          WHERE case_id = ${c.id} AND ${APPROVED(sql`meeting_id`)}`,
    );
  }
  const draftItems = sql`SELECT id FROM agenda_items WHERE case_id IN (${inCases})`;
  const draftActions = sql`SELECT id FROM actions a WHERE (a.agenda_item_id IN (${draftItems}) OR a.case_id IN (${inCases})) AND NOT ${APPROVED(sql`a.meeting_id`)}`;
  const draftDecisions = sql`SELECT id FROM minute_decisions WHERE agenda_item_id IN (${draftItems})`;
  const statements: SqlQuery[] = [
    sql`DELETE FROM minute_spans WHERE paragraph_id IN (SELECT id FROM minute_paragraphs WHERE agenda_item_id IN (${draftItems}))`,
    sql`DELETE FROM main.minute_paragraphs WHERE agenda_item_id IN (${draftItems})`,
    sql`UPDATE main.enforcement SET decision_id = NULL WHERE decision_id IN (${draftDecisions})`,
    sql`DELETE FROM main.minute_decisions WHERE id IN (${draftDecisions})`,
    sql`DELETE FROM minute_items WHERE agenda_item_id IN (${draftItems})`,
    sql`DELETE FROM main.action_reviews WHERE action_id IN (${draftActions})`,
    sql`DELETE FROM main.actions WHERE id IN (${draftActions})`,
    sql`DELETE FROM main.agenda_items WHERE case_id IN (${inCases})`,
    sql`UPDATE main.minute_decisions SET case_id = NULL WHERE case_id IN (${inCases})`,
    sql`UPDATE main.actions SET case_id = NULL WHERE case_id IN (${inCases})`,
    sql`DELETE FROM main.meeting_case_raises WHERE case_id IN (${inCases})`,
    sql`DELETE FROM main.enforcement_breaches WHERE enforcement_id IN (SELECT id FROM enforcement WHERE case_id IN (${inCases}))`,
    sql`UPDATE main.enforcement SET prior_id = NULL WHERE prior_id IN (SELECT id FROM enforcement WHERE case_id IN (${inCases}))`,
    sql`DELETE FROM main.enforcement WHERE case_id IN (${inCases})`,
    sql`DELETE FROM main.escalations WHERE case_id IN (${inCases})`,
    sql`UPDATE main.community_triggers SET case_id = NULL WHERE case_id IN (${inCases})`,
    sql`DELETE FROM main.case_notes WHERE case_id IN (${inCases})`,
    sql`DELETE FROM main.case_transitions WHERE case_id IN (${inCases})`,
    sql`DELETE FROM main.case_links WHERE case_id IN (${inCases}) OR other_case_id IN (${inCases})`,
    sql`DELETE FROM main.case_locations WHERE case_id IN (${inCases})`,
    sql`DELETE FROM case_concerns WHERE case_id IN (${inCases})`,
    sql`DELETE FROM main.case_releases WHERE case_id IN (${inCases})`,
    sql`DELETE FROM case_subjects WHERE case_id IN (${inCases})`,
    sql`DELETE FROM main.cases WHERE id IN (${inCases})`,
  ];
  for (const statement of statements) await db.run(statement);
}

/** Deletes the erased people (and takes them off the cases that stay). */
export async function deletePeople(db: Sql, people: readonly PersonRef[]): Promise<void> {
  if (people.length === 0) return;
  const inPeople = ids(people);
  for (const statement of [
    sql`DELETE FROM case_subjects WHERE person_id IN (${inPeople})`,
    sql`DELETE FROM main.person_aliases WHERE person_id IN (${inPeople})`,
    sql`DELETE FROM main.person_addresses WHERE person_id IN (${inPeople})`,
    sql`DELETE FROM main.person_identifiers WHERE person_id IN (${inPeople})`,
    sql`DELETE FROM main.people WHERE id IN (${inPeople})`,
  ])
    await db.run(statement);
}

/** One addendum per approved meeting whose minutes changed, on its first agenda item, saying why. */
export async function addErasureAddenda(
  db: Sql,
  meetingIds: Iterable<number>,
  text: string,
  reason: string,
  authorId: number,
  at: string,
): Promise<number> {
  let added = 0;
  for (const meetingId of meetingIds) {
    const first = await db.get<{ id: number }>(
      sql`SELECT a.id FROM agenda_items a WHERE a.meeting_id = ${meetingId} AND ${APPROVED(sql`a.meeting_id`)} ORDER BY a.removed_at IS NOT NULL, a.position, a.id LIMIT 1`,
    );
    if (!first) continue;
    await insertAddendum(db, {
      meeting_id: meetingId,
      agenda_item_id: first.id,
      text,
      reason,
      closed_only: false,
      author_id: authorId,
      at,
    });
    added += 1;
  }
  return added;
}

// ── after the commit ─────────────────────────────────────────────────────────────────────────────────

/**
 * Takes the erased content's old pages out of the WAL and the file. secure_delete has zeroed the freed
 * space already; the checkpoint moves the WAL's copies into the file and truncates the WAL, and VACUUM
 * rewrites the file without free pages (the store runs with auto_vacuum NONE, so there is no incremental
 * vacuum to ask for), then the WAL it went through is checkpointed and truncated again. The truncations do
 * not wait for a backup's snapshot (it reads the file as it was before the erasure anyway): the backup
 * empties the WAL when its snapshot ends. Call outside any transaction, inside the connection's exclusive
 * section.
 */
export async function compactAfterErasure(db: Database): Promise<void> {
  // Every attached file's WAL, not only main's: in a key holder's session the closed database's WAL holds
  // the erased rows' old frames too.
  const files = (await db.all<{ name: string }>('PRAGMA database_list')).map((f) => f.name).filter((name) => name !== 'temp');
  for (const file of files) await db.truncateWal(file);
  await withoutMergedViews(db, () => db.exec('VACUUM'));
  for (const file of files) await db.truncateWal(file);
}
