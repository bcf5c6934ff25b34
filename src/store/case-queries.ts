// The shapes of the case list and of case search, written so that a page costs what the page needs and
// not what the store holds (issue 18). Plans for each shape are in docs/query-plans.md.
//
// - Every filter and sort the case list offers is served by an index on cases (migration 005) that leads
//   with the sort column and carries every filtered column, so a page walks the index in order and stops
//   once it has its rows: no table rows, no sort of the whole store.
// - A concern filter is an IN list from case_concerns' index, so the planner can start from it.
// - Search ranks inside FTS5 (bm25 computed only for the rows FTS5 returns), groups the hits by case, and
//   joins the filtered page to cases afterwards through the narrow listing index.
// - Totals are exact only up to a cap past the page's offset (TOTAL_CAP for a list, SEARCH_TOTAL_CAP for a
//   search): counting every match is what made a page cost what the store holds. Above the cap a page says
//   so (`totalIsLowerBound`) and the screens show "More than 1,000 cases" ("More than 200" for a search).
// - Pages can follow a keyset cursor (`after`) instead of an offset: the page after a cursor seeks to it in
//   the index instead of stepping over every row before it. Offsets still work (the list screen jumps).
import { ConcordatError } from '../contract/errors.js';
import type { CaseListInput, CaseSearchInput, CaseSort } from '../contract/ops/cases.js';
import { harmRank } from '../domain/risk.js';
import type { Sql, SqlValue } from '../vault/database.js';
import { SQL_TRUE, SqlQuery, sql, sqlAnd, sqlIdentifier, sqlJoin } from './sql.js';
import { caseVisible, noteVisible, type Viewer } from './visibility.js';
import { hasClosed } from './closed-store.js';
import { mayReceiveClosedOnly } from '../domain/access.js';
import { ftsRowCount } from './fts-rows.js';

/** Whether a search also reads the closed database's indexes: for those who may see it, when it is attached. */
function searchesClosed(db: Sql, viewer: Pick<Viewer, 'role'>): boolean {
  return mayReceiveClosedOnly(viewer.role) && hasClosed(db);
}

/** Who is looking: enough to hide closed-meeting-only cases and notes. */
export type CaseViewer = Pick<Viewer, 'role'>;

export type MatchSource = 'person' | 'case' | 'note';
type Filters = Pick<CaseListInput, 'status' | 'risk' | 'area' | 'concern' | 'reviewOverdue'>;
type Paging = Pick<CaseListInput, 'limit' | 'offset' | 'direction'> & { after?: string | undefined };

export interface CaseIdPage {
  /** The page's case ids, in order, each with where a search found it (empty for lists). */
  rows: { id: number; sources: MatchSource[] }[];
  /** The number of matches, exact up to the offset plus the cap (TOTAL_CAP, SEARCH_TOTAL_CAP); beyond it, that number and `totalIsLowerBound`. */
  total: number;
  /** True when more than `total` cases match (the count stopped at its cap). */
  totalIsLowerBound: boolean;
  /** The cursor for the page after this one, or null when this page reaches the end. */
  nextCursor: string | null;
}

const DEFAULT_DIRECTION: Record<CaseSort, 'asc' | 'desc'> = {
  relevance: 'asc',
  reviewDate: 'asc',
  risk: 'desc',
  reference: 'desc',
  referralDate: 'desc',
  updatedAt: 'desc',
};

/**
 * The index that holds each list sort's order (migration 005). Risk has one per direction: its first key
 * has three values, so walking the other index backwards would leave a third of the store to sort.
 */
function sortIndex(sort: Exclude<CaseSort, 'relevance'>, descending: boolean): SqlQuery {
  switch (sort) {
    case 'reviewDate':
      return new SqlQuery('cases_by_review_date', []);
    case 'risk':
      return new SqlQuery(descending ? 'cases_by_risk_desc' : 'cases_by_risk_asc', []);
    case 'reference':
      return new SqlQuery('cases_by_reference', []);
    case 'referralDate':
      return new SqlQuery('cases_by_referral_date', []);
    case 'updatedAt':
      return new SqlQuery('cases_by_updated_at', []);
  }
}

/**
 * From this many matching cases up, a page walks the sort's index and stops at its last row: the matches
 * are dense enough that it passes few others on the way. Below it, the planner starts from the filters'
 * own index and sorts the few matches. The count, which the page carries anyway, decides.
 */
const WALK_FROM = 1000;

/** A list page walks its sort's index if it expects to read no more than this many index entries. */
const WALK_ROWS = 4000;

/**
 * The count from which a list page walks: the page's rows times the cases per match must stay under
 * WALK_ROWS. The number of cases is the row count FTS5 keeps for cases_fts (one row per case), read in one
 * look-up; ids say nothing about it, since they are unguessable (src/store/ids.ts).
 */
export async function walkThreshold(db: Sql, rows: number): Promise<number> {
  const cases = await ftsRowCount(db, 'cases_fts');
  return Math.min(WALK_FROM, Math.ceil((rows * cases) / WALK_ROWS));
}

/**
 * Matches are counted this far past the page's offset and no further: enough to say how many there are
 * when a person can take them in, and "more than" when not. A deeper page counts further, so the list
 * grows as it is scrolled.
 */
export const TOTAL_CAP = 1000;

/**
 * A search counts this far past the page's offset ("More than 200 cases"): a list's count reads a covering
 * index, but a search's maps every FTS5 hit to its case through a random index page, one hit at a time, so
 * the count was most of what a street search cost on pages not yet decrypted (at 100,000 cases, `Church
 * Road` mapped about 2,300 hits to reach 1,001 cases: 13.5 ms and 1,574 pages of a cold search against 2.1
 * ms warm). Past a couple of hundred matches a person narrows the search rather than reads them; the list
 * still grows as it is scrolled (each page counts further).
 */
export const SEARCH_TOTAL_CAP = 200;

export interface Counted {
  total: number;
  totalIsLowerBound: boolean;
}

/** The count of `rows` (a query of one row per match), stopped once it passes `offset + cap`. */
async function countUpTo(db: Sql, rows: SqlQuery, offset: number, cap: number): Promise<Counted> {
  const ceiling = offset + cap;
  const n = (await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM (${rows} LIMIT ${ceiling + 1})`))?.n ?? 0;
  return n > ceiling ? { total: ceiling, totalIsLowerBound: true } : { total: n, totalIsLowerBound: false };
}

interface SortKey {
  /** The expression sorted on (a column of `c`, or the match score `m.score`) and its name in a row. */
  expr: SqlQuery;
  name: string;
  descending: boolean;
}

const key = (expr: string, name: string, descending: boolean): SortKey => ({ expr: new SqlQuery(expr, []), name, descending });

/** The sort as a list of keys, ending in one that is unique, so every row has one place and a cursor one meaning. */
function sortKeys(sort: CaseSort, direction: 'asc' | 'desc' | undefined): SortKey[] {
  const desc = (direction ?? DEFAULT_DIRECTION[sort]) === 'desc';
  switch (sort) {
    // bm25: lower is better, so "ascending" relevance lists the best match first.
    case 'relevance':
      return [key('m.score', 'score', desc), key('c.review_date', 'review_date', false), key('c.id', 'id', false)];
    case 'reviewDate':
      return [key('c.review_date', 'review_date', desc), key('c.risk_rank', 'risk_rank', true), key('c.id', 'id', false)];
    case 'risk':
      return [key('c.risk_rank', 'risk_rank', desc), key('c.review_date', 'review_date', false), key('c.id', 'id', false)];
    case 'reference':
      return [key('c.ref_year', 'ref_year', desc), key('c.ref_seq', 'ref_seq', desc)];
    case 'referralDate':
      return [key('c.referral_date', 'referral_date', desc), key('c.id', 'id', desc)];
    case 'updatedAt':
      return [key('c.updated_at', 'updated_at', desc), key('c.id', 'id', desc)];
  }
}

const orderBy = (keys: readonly SortKey[]) => sqlJoin(keys.map((k) => sql`${k.expr} ${new SqlQuery(k.descending ? 'DESC' : 'ASC', [])}`));
const orderByName = (keys: readonly SortKey[]) =>
  sqlJoin(keys.map((k) => new SqlQuery(`k_${k.name} ${k.descending ? 'DESC' : 'ASC'}`, [])));
const keyColumns = (keys: readonly SortKey[]) => sqlJoin(keys.map((k) => sql`${k.expr} AS ${new SqlQuery(`k_${k.name}`, [])}`));

// ── cursors ───────────────────────────────────────────────────────────────────────────────────────────

/** A cursor names its sort, so one from another sort or direction is refused instead of misread. */
interface Cursor {
  s: string;
  v: SqlValue[];
}

function cursorTag(sort: CaseSort, direction: 'asc' | 'desc' | undefined): string {
  return `${sort}:${direction ?? DEFAULT_DIRECTION[sort]}`;
}

function encodeCursor(sort: CaseSort, direction: 'asc' | 'desc' | undefined, values: SqlValue[]): string {
  return Buffer.from(JSON.stringify({ s: cursorTag(sort, direction), v: values } satisfies Cursor)).toString('base64url');
}

function decodeCursor(text: string, sort: CaseSort, direction: 'asc' | 'desc' | undefined, keys: readonly SortKey[]): SqlValue[] {
  let cursor: Cursor | null;
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
  } catch {
    cursor = null;
  }
  const valid =
    cursor !== null &&
    typeof cursor === 'object' &&
    Array.isArray(cursor.v) &&
    cursor.v.length === keys.length &&
    cursor.v.every((v) => typeof v === 'string' || typeof v === 'number');
  if (!valid) throw new ConcordatError('VALIDATION', 'after: is not a cursor this list gave out', { field: 'after' });
  if (cursor!.s !== cursorTag(sort, direction)) {
    throw new ConcordatError('VALIDATION', 'after: belongs to a different sort or direction: start again from the first page', {
      field: 'after',
    });
  }
  return cursor!.v;
}

/**
 * Rows strictly after `values` in the order of `keys`: (k0 > v0) OR (k0 = v0 AND k1 > v1) OR …, on the
 * keys' expressions or (`byName`) on their `k_` names in an outer query.
 */
function afterCursor(keys: readonly SortKey[], values: readonly SqlValue[], byName = false): SqlQuery {
  const ref = (k: SortKey) => (byName ? new SqlQuery(`k_${k.name}`, []) : k.expr);
  const alternatives = keys.map((k, i) => {
    const equal = keys.slice(0, i).map((e, j) => sql`${ref(e)} = ${values[j]!}`);
    const beyond = k.descending ? sql`${ref(k)} < ${values[i]!}` : sql`${ref(k)} > ${values[i]!}`;
    return sqlAnd([...equal, beyond]);
  });
  return sqlJoin(
    alternatives.map((a) => sql`(${a})`),
    ' OR ',
  );
}

// ── filters ───────────────────────────────────────────────────────────────────────────────────────────

/**
 * How a concern filter is written: as the list of the concern's case ids (`list`, built once: for a plan
 * that starts from another filter's index and reads many rows), as a look-up of each case's concerns
 * (`probe`: for a walk along a sort's index that stops after a page, where building the whole list would
 * cost more than the walk), or not at all (`driven`: the query reads case_concerns itself).
 */
type ConcernAs = 'list' | 'probe' | 'driven';

function filterSql(viewer: CaseViewer, filters: Filters, today: string, concernAs: ConcernAs = 'list'): SqlQuery {
  const clauses = [caseVisible(viewer)];
  if (filters.status) clauses.push(sql`c.status IN (${sqlJoin(filters.status)})`);
  if (filters.risk) clauses.push(sql`c.risk_rank IN (${sqlJoin(filters.risk.map(harmRank))})`);
  if (filters.area !== undefined) clauses.push(sql`c.area = ${filters.area} COLLATE NOCASE`);
  if (filters.concern !== undefined && concernAs === 'list')
    clauses.push(sql`c.id IN (SELECT cc.case_id FROM case_concerns cc WHERE cc.concern = ${filters.concern})`);
  if (filters.concern !== undefined && concernAs === 'probe')
    clauses.push(sql`EXISTS (SELECT 1 FROM case_concerns cc WHERE cc.case_id = c.id AND cc.concern = ${filters.concern})`);
  if (filters.reviewOverdue !== undefined) {
    const overdue = sql`(c.review_date < ${today} AND c.status NOT IN ('declined', 'closed'))`;
    clauses.push(filters.reviewOverdue ? overdue : sql`NOT ${overdue}`);
  }
  // A clause that is always true is left out, so that an unfiltered manager's `where` is SQL_TRUE itself
  // and the count can skip the cases (matchingCountSql).
  return sqlAnd(clauses.filter((c) => c !== SQL_TRUE));
}

interface KeyedRow {
  id: number;
  [column: `k_${string}`]: SqlValue;
}

function finish<R extends KeyedRow>(
  rows: R[],
  keys: readonly SortKey[],
  counted: Counted,
  input: { sort: CaseSort } & Paging,
  sources: (row: R) => MatchSource[],
): CaseIdPage {
  const last = rows.at(-1);
  const more =
    rows.length === input.limit && (input.after !== undefined || counted.totalIsLowerBound || input.offset + rows.length < counted.total);
  return {
    rows: rows.map((r) => ({ id: r.id, sources: sources(r) })),
    ...counted,
    nextCursor:
      last && more
        ? encodeCursor(
            input.sort,
            input.direction,
            keys.map((k) => last[`k_${k.name}`]!),
          )
        : null,
  };
}

// ── the list ──────────────────────────────────────────────────────────────────────────────────────────

/** Options a test on a small store uses to run every plan and to reach the cap. */
export interface QueryTuning {
  /** Replaces the threshold between the two plans (the count from which a page walks the sort's index). */
  walkFrom?: number;
  /** Replaces TOTAL_CAP (a list) or SEARCH_TOTAL_CAP (a search). */
  totalCap?: number;
  /** Replaces RANK_PEOPLE_UP_TO. */
  rankPeopleUpTo?: number;
}

export async function listCaseIds(
  db: Sql,
  viewer: CaseViewer,
  input: CaseListInput & { after?: string | undefined },
  today: string,
  { walkFrom, totalCap = TOTAL_CAP }: QueryTuning = {},
): Promise<CaseIdPage> {
  const where = filterSql(viewer, input, today);
  const keys = sortKeys(input.sort, input.direction);
  const cursor = input.after === undefined ? null : decodeCursor(input.after, input.sort, input.direction, keys);
  const after = cursor === null ? SQL_TRUE : afterCursor(keys, cursor);
  const afterByName = cursor === null ? SQL_TRUE : afterCursor(keys, cursor, true);
  // A concern filter without an area starts from the concern's own index (its case ids in order), looking
  // each case up in the narrow listing index: the status, risk and overdue filters pass a large share of
  // the store, so starting from their index would read far more rows to find as many matches. An area is
  // as narrow as a concern, and its index carries the other filters: it starts there.
  const byConcern = input.concern !== undefined && input.area === undefined;
  const matching = (columns: SqlQuery) =>
    byConcern
      ? sql`SELECT ${columns} FROM case_concerns cc INDEXED BY case_concerns_by_concern
          CROSS JOIN main.cases c INDEXED BY cases_listing ON c.id = cc.case_id WHERE cc.concern = ${input.concern!} AND ${filterSql(viewer, input, today, 'driven')}`
      : sql`SELECT ${columns} FROM cases c WHERE ${where}`;
  const counted = await countUpTo(db, matching(SQL_TRUE), input.offset, totalCap);
  // Walk the sort's index when the matches are dense enough that a page passes few others on the way: the
  // walk reads about (offset + limit) × cases / matches index entries. A capped count walks.
  const walk =
    walkFrom === undefined
      ? counted.total >= WALK_FROM || counted.total >= (await walkThreshold(db, input.offset + input.limit))
      : counted.total >= walkFrom;
  const rows = walk
    ? await db.all<KeyedRow>(sql`SELECT c.id, ${keyColumns(keys)} FROM main.cases c INDEXED BY ${sortIndex(input.sort, keys[0]!.descending)}
        WHERE ${filterSql(viewer, input, today, 'probe')} AND (${after}) ORDER BY ${orderBy(keys)} LIMIT ${input.limit} OFFSET ${input.offset}`)
    : await db.all<KeyedRow>(
        sql`SELECT * FROM (${matching(sql`c.id, ${keyColumns(keys)}`)}) WHERE ${afterByName} ORDER BY ${orderByName(keys)} LIMIT ${input.limit} OFFSET ${input.offset}`,
      );
  return finish(rows, keys, counted, input, () => []);
}

// ── search ────────────────────────────────────────────────────────────────────────────────────────────

/** The FTS5 queries for what a person typed (see src/store/search.ts ftsQuery). */
export interface FtsMatch {
  short: string;
  notes: string;
}

/** Which tiers bm25 orders: a tier of one case needs no score (see tiersToScore). */
interface ScoredTiers {
  cases: boolean;
  people: boolean;
}

/**
 * Each index says which case it found; a case found several ways keeps its best score. Relevance: a
 * reference or location match first, then a person, then a note; bm25 orders matches within the first
 * two (mapped into (0, 1) so tiers never mix). Notes are not scored: they are the many long rows. A flat
 * case tier (flatCaseTier) is not scored either: every reference or location match scores FLAT_CASE_SCORE,
 * so they tie and are ordered by review date, then id. A tier left out of `scored` takes its tier's
 * number plus one half (no bm25: its first call counts every row of each word's list, for "lcsp"* all
 * 100,000), which ranks it the same against the other tiers.
 */
function hitsSql(viewer: CaseViewer, match: FtsMatch, scored: ScoredTiers, closed: boolean, flat = false): SqlQuery {
  const score = (tier: number, ranked: boolean) =>
    new SqlQuery(ranked ? `${tier} + 1.0 / (1.0 - f.rank)` : String(tier + UNRANKED_SCORE), []);
  const caseScore = flat ? new SqlQuery(String(FLAT_CASE_SCORE), []) : score(0, scored.cases);
  const personScore = score(1, scored.people);
  const noteScore = new SqlQuery('3', []);
  const closedHits = closed
    ? sql`
       UNION ALL
       SELECT f.rowid, ${caseScore}, 'case' FROM closed_cases_fts f WHERE closed_cases_fts MATCH ${match.short}
       UNION ALL
       SELECT s.case_id, ${personScore}, 'person' FROM closed_people_fts f JOIN case_subjects s ON s.person_id = f.rowid WHERE closed_people_fts MATCH ${match.short}
       UNION ALL
       SELECT n.case_id, ${noteScore}, 'note' FROM closed_notes_fts f JOIN main.case_notes n INDEXED BY case_notes_owner ON n.id = f.rowid WHERE closed_notes_fts MATCH ${match.notes}`
    : sql``;
  return sql`hits(case_id, score, source) AS (
       SELECT f.rowid, ${caseScore}, 'case' FROM cases_fts f WHERE cases_fts MATCH ${match.short}
       UNION ALL
       SELECT s.case_id, ${personScore}, 'person' FROM people_fts f JOIN case_subjects s ON s.person_id = f.rowid WHERE people_fts MATCH ${match.short}
       UNION ALL
       SELECT n.case_id, ${noteScore}, 'note' FROM notes_fts f JOIN main.case_notes n INDEXED BY case_notes_owner ON n.id = f.rowid WHERE notes_fts MATCH ${match.notes} AND ${noteVisible(viewer)}${closedHits}
     )`;
}

/** The score of a tier left unranked, added to the tier's number: inside the tier, like FLAT_CASE_SCORE. */
const UNRANKED_SCORE = 0.5;

/** The score every reference or location match takes when the case tier is flat: inside the tier's (0, 1). */
export const FLAT_CASE_SCORE = 0.5;

/**
 * Whether the case tier is flat: the query matches at least half the rows of cases_fts (one per case), so
 * bm25 gives it no weight (its IDF, log((N - n + 0.5) / (n + 0.5)), is at or below zero for every word,
 * and FTS5 then uses 1e-6) and would order those matches by the length of their text alone. Such a word
 * ("LCS", in every reference; a town every case is in) ranks nothing: its matches tie. Counting stops at
 * half, so this reads at most half the index, and nothing is scored.
 */
export async function flatCaseTier(db: Sql, match: FtsMatch): Promise<boolean> {
  return (await caseTier(db, match)).flat;
}

/** The rows of `index` that `query` matches, counted no further than `upTo` (unscored). */
async function matchCount(db: Sql, index: string, query: string, upTo: number): Promise<number> {
  const name = sqlIdentifier(index);
  return (
    (await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${name} WHERE ${name} MATCH ${query} LIMIT ${upTo})`))?.n ?? 0
  );
}

/** Whether the case tier is flat (flatCaseTier), and the rows of cases_fts the query matches, counted as far as that. */
async function caseTier(db: Sql, match: FtsMatch): Promise<{ flat: boolean; rows: number }> {
  const rows = await ftsRowCount(db, 'cases_fts');
  if (rows === 0) return { flat: false, rows: 0 };
  const half = Math.ceil(rows / 2);
  const found = await matchCount(db, 'cases_fts', match.short, half);
  return { flat: found >= half, rows: found };
}

/**
 * A person tier of more people than this is not ranked (the contract's rule, `cases.search`'s `sort`):
 * its people tie, so their cases come by review date, then id. Such a query is a common name, which every
 * one of them has once: bm25 would order them by the length of their name and address alone, and scoring
 * them all is most of what a surname search costs at 100,000 cases (about 1.5 µs a person, each a seek
 * into the index's row sizes).
 */
export const RANK_PEOPLE_UP_TO = 1000;

/**
 * The people the query finds (open and closed indexes), counted no further than one past `upTo`, unscored:
 * more than `upTo` makes the person tier flat (RANK_PEOPLE_UP_TO).
 */
async function personTierRows(db: Sql, match: FtsMatch, closed: boolean, upTo: number): Promise<number> {
  const open = await matchCount(db, 'people_fts', match.short, upTo + 1);
  if (open > upTo || !closed) return open;
  return open + (await matchCount(db, 'closed_people_fts', match.short, upTo + 1 - open));
}

/** The matching cases, one row each, with their best score and where they were found (all of them: materialised once). */
function matchesSql(viewer: CaseViewer, match: FtsMatch, scored: ScoredTiers, closed: boolean, flat = false): SqlQuery {
  return sql`WITH ${hitsSql(viewer, match, scored, closed, flat)},
     m AS MATERIALIZED (SELECT case_id, min(score) AS score, group_concat(DISTINCT source) AS sources FROM hits GROUP BY case_id)`;
}

const SOURCE_ORDER: readonly MatchSource[] = ['case', 'person', 'note'];

/**
 * The number of matching cases, distinct, with the filters applied, stopped at `limit`: the count. It maps
 * each hit to its case and no further (no scores, no sources), and for an unfiltered manager skips the
 * cases (every hit names a case that exists). Counted in SQLite: the ids are not needed, only how many.
 */
function matchingCountSql(viewer: CaseViewer, match: FtsMatch, where: SqlQuery, limit: number, closed: boolean): SqlQuery {
  const closedHits = closed
    ? sql`
       UNION ALL
       SELECT f.rowid FROM closed_cases_fts f WHERE closed_cases_fts MATCH ${match.short}
       UNION ALL
       SELECT s.case_id FROM closed_people_fts f JOIN case_subjects s ON s.person_id = f.rowid WHERE closed_people_fts MATCH ${match.short}
       UNION ALL
       SELECT n.case_id FROM closed_notes_fts f JOIN main.case_notes n INDEXED BY case_notes_owner ON n.id = f.rowid WHERE closed_notes_fts MATCH ${match.notes}`
    : sql``;
  const hits = sql`hits(case_id) AS (
       SELECT f.rowid FROM cases_fts f WHERE cases_fts MATCH ${match.short}
       UNION ALL
       SELECT s.case_id FROM people_fts f JOIN case_subjects s ON s.person_id = f.rowid WHERE people_fts MATCH ${match.short}
       UNION ALL
       SELECT n.case_id FROM notes_fts f JOIN main.case_notes n INDEXED BY case_notes_owner ON n.id = f.rowid WHERE notes_fts MATCH ${match.notes} AND ${noteVisible(viewer)}${closedHits}
     )`;
  const ids =
    where === SQL_TRUE
      ? sql`SELECT DISTINCT h.case_id FROM hits h LIMIT ${limit}`
      : sql`SELECT DISTINCT h.case_id FROM hits h CROSS JOIN main.cases c INDEXED BY cases_listing ON c.id = h.case_id WHERE ${where} LIMIT ${limit}`;
  return sql`WITH ${hits} SELECT count(*) AS n FROM (${ids})`;
}

/**
 * The prefix lengths each index keeps (migration 011). A phrase FTS5 answers from one doclist (a whole word,
 * or a prefix of one of these lengths) answers `MATCH ? AND rowid = ?` with a seek: a few microseconds. Any
 * other prefix ("turner"*, "graffiti"*) merges the doclists of every term that starts with it, on every
 * such probe: from a tenth of a millisecond to tens of milliseconds at 100,000 cases.
 */
const PREFIXES = { cases: [2, 3, 4], people: [2, 3, 4], notes: [4] } as const;

/** Whether every phrase of `query` (as ftsQuery writes it) is one doclist of an index keeping `prefixes`. */
export function seeksByRowid(query: string, prefixes: readonly number[]): boolean {
  return [...query.matchAll(/"([^"]*)"(\*?)/g)].every(([, word, star]) => star === '' || prefixes.includes([...word!].length));
}

/**
 * The query with each prefix of a length `prefixes` does not keep cut to the longest it does ("dnqtm"* to
 * "dnqt"*): every row the query finds, it finds too, each word by an exact look-up.
 */
export function cutToKeptPrefixes(query: string, prefixes: readonly number[]): string {
  return query.replace(/"([^"]*)"\*/g, (phrase, word: string) => {
    const letters = [...word];
    const kept = Math.max(0, ...prefixes.filter((n) => n <= letters.length));
    return kept === 0 || kept === letters.length ? phrase : `"${letters.slice(0, kept).join('')}"*`;
  });
}

/**
 * The match with its notes query replaced by one that finds the same rows (none) for a fraction of the
 * cost, where it can be. A prefix no index keeps (a reference's last part, "dnqtm"*) is found by its place
 * among the index's terms; where no term has it, FTS5 reads every page of the term before it to reach the
 * next, and in the notes index that is a common word's doclist: 485 pages, 3.6 ms cold, in every statement
 * a search for `LCSP-2019-WMPX5` runs (the first one pays it). The query cut to the kept prefixes finds a
 * superset by exact look-ups (14 pages); when it finds nothing, in either notes index, it stands in.
 */
async function withNotesCut(db: Sql, match: FtsMatch, closed: boolean): Promise<FtsMatch> {
  const cut = cutToKeptPrefixes(match.notes, PREFIXES.notes);
  if (cut === match.notes) return match;
  for (const index of closed ? ['notes_fts', 'closed_notes_fts'] : ['notes_fts'])
    if ((await matchCount(db, index, cut, 1)) > 0) return match;
  return { ...match, notes: cut };
}

/**
 * How each FTS query's matches are tested: `list`, the rowids it finds read once per statement into a
 * list (a materialised CTE, each test then a look-up in it); or `probe`, each test a seek by rowid into
 * the index (`MATCH ? AND rowid = ?`), nothing read beforehand. A probe wins when few rows are tested
 * against a long list: the sources of a page, or a walk along a word most rows match. It needs a query
 * the index seeks by rowid (seeksByRowid).
 */
interface FoundAs {
  cases: 'list' | 'probe';
  people: 'list' | 'probe';
  notes: 'list' | 'probe';
}

const ALL_LISTS: FoundAs = { cases: 'list', people: 'list', notes: 'list' };

/** Probes where the index seeks by rowid, lists otherwise. */
function probesWherePossible(match: FtsMatch): FoundAs {
  return {
    cases: seeksByRowid(match.short, PREFIXES.cases) ? 'probe' : 'list',
    people: seeksByRowid(match.short, PREFIXES.people) ? 'probe' : 'list',
    notes: seeksByRowid(match.notes, PREFIXES.notes) ? 'probe' : 'list',
  };
}

/**
 * A list this short is read whole rather than probed, when a page's sources are tested: at about 0.6 µs a
 * rowid it costs less than the probes of 25 cases' subjects and ten notes each (7 to 30 µs a probe, each a
 * new FTS5 cursor, in both databases for a key holder: 15 ms for a surname's page at 100,000 cases).
 */
const READ_LIST_UP_TO = 5000;

/** Probes where the index seeks by rowid and the query's list is long (READ_LIST_UP_TO), lists otherwise. */
async function probesWhereCheaper(db: Sql, match: FtsMatch, closed: boolean): Promise<FoundAs> {
  const possible = probesWherePossible(match);
  const shortList = async (index: 'cases' | 'people' | 'notes', query: string) => {
    let left = READ_LIST_UP_TO;
    for (const table of closed ? [`${index}_fts`, `closed_${index}_fts`] : [`${index}_fts`]) {
      left -= await matchCount(db, table, query, left + 1);
      if (left < 0) return false;
    }
    return true;
  };
  const as = async (index: 'cases' | 'people' | 'notes', query: string) =>
    possible[index] === 'list' || (await shortList(index, query)) ? 'list' : 'probe';
  return { cases: await as('cases', match.short), people: await as('people', match.short), notes: await as('notes', match.notes) };
}

/**
 * The rowids each FTS query finds, read once per statement into lists (materialised CTEs), for those
 * tested as lists: a walk tests each case it passes against them, and the page's cases take their sources
 * from them. Lists that are probed instead are not read (the CTE stays unused and costs nothing). The
 * closed index's rowids are appended, not merged (`UNION ALL`): a list is only tested with `IN` and
 * counted for a plan, so a rowid in both costs nothing, while `UNION` put every rowid through a b-tree
 * to drop them (1.7 ms of a 13 ms street search at 100,000 cases, warm).
 */
function foundListsSql(match: FtsMatch, closed: boolean): SqlQuery {
  const closedCases = closed ? sql` UNION ALL SELECT rowid FROM closed_cases_fts WHERE closed_cases_fts MATCH ${match.short}` : sql``;
  const closedNotes = closed ? sql` UNION ALL SELECT rowid FROM closed_notes_fts WHERE closed_notes_fts MATCH ${match.notes}` : sql``;
  const closedPeople = closed ? sql` UNION ALL SELECT rowid FROM closed_people_fts WHERE closed_people_fts MATCH ${match.short}` : sql``;
  return sql`found_cases AS MATERIALIZED (SELECT rowid AS id FROM cases_fts WHERE cases_fts MATCH ${match.short}${closedCases}),
     found_people AS MATERIALIZED (SELECT rowid AS id FROM people_fts WHERE people_fts MATCH ${match.short}${closedPeople}),
     found_notes AS MATERIALIZED (SELECT rowid AS id FROM notes_fts WHERE notes_fts MATCH ${match.notes}${closedNotes})`;
}

/**
 * Whether the row `id` (an expression) is among an index's matches, by a seek into each index: the closed
 * database's too, which alone holds a closed-only person (migration 014) and a closed-only case's notes.
 */
function probeSql(index: 'cases' | 'people' | 'notes', query: string, id: SqlQuery, closed: boolean): SqlQuery {
  const probe = (table: string) =>
    sql`EXISTS (SELECT 1 FROM ${sqlIdentifier(table)} WHERE ${sqlIdentifier(table)} MATCH ${query} AND rowid = ${id})`;
  const open = probe(`${index}_fts`);
  return closed ? sql`(${open} OR ${probe(`closed_${index}_fts`)})` : open;
}

/**
 * Whether the case `id` (an expression) is found by each FTS query: a case's subjects and notes are
 * tested one by one, in the lists (the unary `+` keeps SQLite from walking a whole list for every case
 * instead) or by a seek into the index.
 */
function foundBy(viewer: CaseViewer, id: SqlQuery, match: FtsMatch, closed: boolean, as: FoundAs = ALL_LISTS) {
  const personFound = as.people === 'probe' ? probeSql('people', match.short, sql`s.person_id`, closed) : sql`+s.person_id IN found_people`;
  const noteFound = as.notes === 'probe' ? probeSql('notes', match.notes, sql`n.id`, closed) : sql`+n.id IN found_notes`;
  return {
    case: as.cases === 'probe' ? probeSql('cases', match.short, id, closed) : sql`${id} IN found_cases`,
    person: sql`EXISTS (SELECT 1 FROM case_subjects s WHERE s.case_id = ${id} AND ${personFound})`,
    note: sql`EXISTS (SELECT 1 FROM main.case_notes n INDEXED BY case_notes_by_case WHERE n.case_id = ${id} AND ${noteVisible(viewer)} AND ${noteFound})`,
  };
}

/**
 * The columns that say where a case was found, as 0 or 1 each, tested against the lists. A case's people
 * and notes are read only when their list holds a rowid: a three-letter prefix finds no note (the notes
 * query takes a word that short whole), and without the guard a walk read every passed case's ten notes
 * to test them against an empty list (`Gra` with risk high: 6.0 -> 4.7 ms warm, 500 fewer pages read cold).
 */
function sourceColumns(viewer: CaseViewer, id: SqlQuery, match: FtsMatch, closed: boolean): SqlQuery {
  const by = foundBy(viewer, id, match, closed);
  const ifAny = (list: string, test: SqlQuery) => sql`CASE WHEN EXISTS (SELECT 1 FROM ${sqlIdentifier(list)}) THEN ${test} ELSE 0 END`;
  return sql`${by.case} AS by_case, ${ifAny('found_people', by.person)} AS by_person, ${ifAny('found_notes', by.note)} AS by_note`;
}

interface SourceFlags {
  by_case: number;
  by_person: number;
  by_note: number;
}

const sourcesOf = (r: SourceFlags): MatchSource[] => SOURCE_ORDER.filter((source) => r[`by_${source}`] === 1);

/**
 * Where each of a page's cases was found, in the order the sources are listed. A page is a few cases, so
 * each is tested by seeks into the indexes where they allow it, instead of reading every match first (a
 * word in every reference is 100,000 rowids). The page's tiers (topByRelevance) already say part of it:
 * a case from the case tier was found by reference or location, and one from the person tier was found by
 * a person and not by reference or location (every case match was read before the first person), so only
 * the rest is tested: the people of the few case-tier cases and the notes. For a surname, that leaves the
 * list of its thousands of people unread.
 */
async function sourcesOfPage(db: Sql, viewer: CaseViewer, match: FtsMatch, rows: readonly Scored[]): Promise<Map<number, MatchSource[]>> {
  if (rows.length === 0) return new Map();
  const closed = searchesClosed(db, viewer);
  const byCase = rows.filter((r) => r.score < 1).map((r) => r.id);
  const byPerson = rows.filter((r) => r.score >= 1).map((r) => r.id);
  const as = await probesWhereCheaper(db, match, closed);
  const by = (id: SqlQuery) => foundBy(viewer, id, match, closed, as);
  const caseTier = by(sql`p.value`);
  const personTier = by(sql`q.value`);
  const found = await db.all<{ id: number } & SourceFlags>(
    sql`WITH ${foundListsSql(match, closed)}
      SELECT p.value AS id, 1 AS by_case, ${caseTier.person} AS by_person, ${caseTier.note} AS by_note FROM json_each(${JSON.stringify(byCase)}) p
      UNION ALL
      SELECT q.value, 0, 1, ${personTier.note} FROM json_each(${JSON.stringify(byPerson)}) q`,
  );
  return new Map(found.map((r) => [r.id, sourcesOf(r)]));
}

interface Scored {
  id: number;
  score: number;
  review_date: string;
}

const byRelevance = (a: Scored, b: Scored) =>
  a.score - b.score || (a.review_date < b.review_date ? -1 : a.review_date > b.review_date ? 1 : 0) || a.id - b.id;

/** The first `wanted` reference or location matches by bm25, sorted and cut to the page inside SQLite. */
async function bestCasesFirst(db: Sql, match: FtsMatch, where: SqlQuery, wanted: number, closed: boolean): Promise<Scored[]> {
  const closedCases = closed
    ? sql` UNION ALL SELECT c.id, 0 + 1.0 / (1.0 - f.rank) AS score, c.review_date FROM closed_cases_fts f
    CROSS JOIN main.cases c INDEXED BY cases_listing ON c.id = f.rowid WHERE closed_cases_fts MATCH ${match.short} AND ${where}`
    : sql``;
  // A closed-only case found by its reference here and by a location in the closed index keeps its best score.
  const openCases = sql`SELECT c.id, 0 + 1.0 / (1.0 - f.rank) AS score, c.review_date FROM cases_fts f
    CROSS JOIN main.cases c INDEXED BY cases_listing ON c.id = f.rowid WHERE cases_fts MATCH ${match.short} AND ${where}`;
  return db.all<Scored>(
    closed
      ? sql`SELECT id, MIN(score) AS score, review_date FROM (${openCases}${closedCases})
        GROUP BY id ORDER BY score, review_date, id LIMIT ${wanted}`
      : sql`${openCases} ORDER BY score, c.review_date, c.id LIMIT ${wanted}`,
  );
}

/**
 * The first `wanted` reference or location matches of a flat case tier (flatCaseTier): they tie, so they
 * come in review-date order, then id. The walk goes along the review-date index and stops at the page,
 * testing each case by a seek into the index (a word most cases match is met every other step), or against
 * the list of matches where the index cannot seek by rowid.
 */
async function flatCasesFirst(db: Sql, match: FtsMatch, where: SqlQuery, wanted: number, closed: boolean): Promise<Scored[]> {
  const found = probesWherePossible(match).cases === 'probe' ? probeSql('cases', match.short, sql`c.id`, closed) : sql`c.id IN found_cases`;
  return db.all<Scored>(sql`WITH ${foundListsSql(match, closed)}
    SELECT c.id, ${FLAT_CASE_SCORE} AS score, c.review_date FROM main.cases c INDEXED BY cases_by_review_date
    WHERE ${where} AND ${found} ORDER BY c.review_date, c.id LIMIT ${wanted}`);
}

/**
 * The first `wanted` cases by relevance without scoring and sorting every hit: a reference or location
 * match (few) comes first; then people, scored once by FTS5 (bm25) and taken best first
 * only as far as the page needs, each mapped to its cases and filtered; a case's score is that of its
 * best person. People who tie with the last one read are read too (equal scores are common: the same
 * name and address score the same), so ties are ordered as before (review date, then id). Null when the
 * page reaches past the people into note-only matches: the caller then sorts every match.
 */
async function topByRelevance(
  db: Sql,
  match: FtsMatch,
  where: SqlQuery,
  wanted: number,
  closed: boolean,
  flat: boolean,
  flatPeople: FlatPeople,
): Promise<Scored[] | null> {
  const byCase = flat ? await flatCasesFirst(db, match, where, wanted, closed) : await bestCasesFirst(db, match, where, wanted, closed);
  if (byCase.length >= wanted) return byCase;
  if (flatPeople !== 'ranked') return flatPeopleNext(db, match, where, byCase, wanted, closed, flatPeople);
  // A closed-only person is in the closed database's index only; each index ranks against its own rows.
  const closedPeople = closed
    ? sql` UNION ALL SELECT rowid AS person_id, rank FROM closed_people_fts WHERE closed_people_fts MATCH ${match.short}`
    : sql``;
  const needed = wanted - byCase.length;
  const firstOfEach = (rows: (Scored | { id: null })[]): Scored[] => {
    const seen = new Set(byCase.map((r) => r.id));
    const out: Scored[] = [];
    for (const r of rows) {
      if (r.id === null || seen.has(r.id)) continue;
      seen.add(r.id);
      out.push(r as Scored);
    }
    return out;
  };
  // The people FTS5 finds, each scored once (bm25); then those ranked no worse than the `reach`-th, ties
  // included, mapped to their cases. Every case whose best person is among them is in hand with its best
  // score, and every other case scores worse: once they make up the page, it is exact.
  for (let reach = Math.max(64, 4 * needed); ; reach *= 8) {
    const rows = await db.all<(Scored | { id: null }) & { people: number }>(sql`WITH ranked AS MATERIALIZED (
        SELECT rowid AS person_id, rank FROM people_fts WHERE people_fts MATCH ${match.short}${closedPeople}),
      edge AS MATERIALIZED (SELECT (SELECT count(*) FROM ranked) AS people,
        coalesce((SELECT rank FROM ranked ORDER BY rank LIMIT 1 OFFSET ${reach - 1}), (SELECT max(rank) FROM ranked)) AS rank)
      SELECT e.people, x.id, x.score, x.review_date FROM edge e
      LEFT JOIN (SELECT c.id, 1 + 1.0 / (1.0 - r.rank) AS score, c.review_date FROM ranked r
        CROSS JOIN case_subjects s ON s.person_id = r.person_id CROSS JOIN main.cases c INDEXED BY cases_listing ON c.id = s.case_id
        WHERE r.rank <= (SELECT rank FROM edge) AND ${where}) x ON 1
      ORDER BY x.score`);
    const people = firstOfEach(rows);
    if (people.length >= needed) return byCase.concat(people.sort(byRelevance).slice(0, needed));
    if (rows[0]!.people <= reach) return null;
  }
}

/**
 * How a person tier is ordered: ranked by bm25, or (too large to rank: RANK_PEOPLE_UP_TO) by review date
 * and id, found by walking the review-date index and testing each case's subjects against the people found
 * (`walk`: without filters, a tier of over 1,000 people is met within a few thousand cases), or by mapping
 * every person found to their cases and sorting those (`map`: a filter may make the walk long).
 */
type FlatPeople = 'ranked' | 'walk' | 'map';

/**
 * After the case tier's `byCase`, the cases of a person tier too large to rank, by review date and id.
 * Null when they do not fill the page: it reaches into note-only matches, and the caller sorts every match.
 */
async function flatPeopleNext(
  db: Sql,
  match: FtsMatch,
  where: SqlQuery,
  byCase: Scored[],
  wanted: number,
  closed: boolean,
  how: Exclude<FlatPeople, 'ranked'>,
): Promise<Scored[] | null> {
  const closedPeople = closed ? sql` UNION ALL SELECT rowid FROM closed_people_fts WHERE closed_people_fts MATCH ${match.short}` : sql``;
  const needed = wanted - byCase.length;
  const notOnPage = sql`c.id NOT IN (SELECT value FROM json_each(${JSON.stringify(byCase.map((r) => r.id))}))`;
  const people = sql`SELECT rowid FROM people_fts WHERE people_fts MATCH ${match.short}${closedPeople}`;
  // In the walk, `+` keeps SQLite from seeking the subjects' key once per person found: a case's few
  // subjects are read by its id and each tested against the list. The list is the `IN` subquery itself
  // (built once into its b-tree), not a materialised CTE copied into one: 3.4 -> 2.8 ms for `Turner`.
  const rows = await db.all<Scored>(
    how === 'walk'
      ? sql`SELECT c.id, ${1 + UNRANKED_SCORE} AS score, c.review_date FROM main.cases c INDEXED BY cases_by_review_date
        WHERE ${where} AND ${notOnPage} AND EXISTS (SELECT 1 FROM case_subjects s WHERE s.case_id = c.id AND +s.person_id IN (${people}))
        ORDER BY c.review_date, c.id LIMIT ${needed}`
      : sql`WITH found AS MATERIALIZED (
          SELECT DISTINCT s.case_id FROM (${people}) p CROSS JOIN case_subjects s ON s.person_id = p.rowid)
        SELECT c.id, ${1 + UNRANKED_SCORE} AS score, c.review_date FROM found f CROSS JOIN main.cases c INDEXED BY cases_listing ON c.id = f.case_id
        WHERE ${where} AND ${notOnPage} ORDER BY c.review_date, c.id LIMIT ${needed}`,
  );
  return rows.length < needed ? null : byCase.concat(rows);
}

/**
 * The tiers bm25 must order on a search whose matches all fit on its first page: those that may hold two
 * cases of different scores. The page shows no score and gives no cursor, so a tier of one case (a
 * reference, a police reference) takes any score inside its tier and the page is the same; so does a
 * person tier found through one person, whose cases share that person's score. bm25's first call in a
 * statement counts every row each word is in, to weigh the words (`"lcsp"* "2026"*`: most of the index),
 * which is what a one-case reference search spent its time on. Told by the rows each index finds (counted
 * already to choose the plan, unscored): a tier is scored only if its index finds two rows or more, which
 * it must for two of the page's cases to differ. The page is then read once, scored or not; reading it
 * unscored first to count its tiers cost a second read of every match for a postcode in a common outward
 * code (`B1 8BP`: 0.8 ms of 5.7).
 */
async function tiersToScore(
  db: Sql,
  match: FtsMatch,
  closed: boolean,
  caseRows: number,
  personRows: number,
  ranked: ScoredTiers,
): Promise<ScoredTiers> {
  const cases = caseRows >= 2 || (closed && caseRows + (await matchCount(db, 'closed_cases_fts', match.short, 2 - caseRows)) >= 2);
  return { cases, people: ranked.people && personRows >= 2 };
}

export async function searchCaseIds(
  db: Sql,
  viewer: CaseViewer,
  input: CaseSearchInput & { after?: string | undefined },
  match: FtsMatch,
  today: string,
  { walkFrom, totalCap = SEARCH_TOTAL_CAP, rankPeopleUpTo = RANK_PEOPLE_UP_TO }: QueryTuning = {},
): Promise<CaseIdPage> {
  const where = filterSql(viewer, input, today);
  const keys = sortKeys(input.sort, input.direction);
  const cursor = input.after === undefined ? null : decodeCursor(input.after, input.sort, input.direction, keys);
  const ceiling = input.offset + totalCap;

  const closed = searchesClosed(db, viewer);
  if (input.sort !== 'relevance') return sortedSearch(db, viewer, input, match, where, keys, cursor, closed, ceiling, walkFrom);

  match = await withNotesCut(db, match, closed);
  // The count: the distinct matching cases, to the cap. Under it, every match is in hand. It goes on to
  // the plan's threshold when that is further, since the plan below is chosen by it.
  const manyFrom = walkFrom ?? WALK_FROM;
  const countTo = Number.isFinite(manyFrom) ? Math.max(ceiling, input.offset + manyFrom) : ceiling;
  const found = (await db.get<{ n: number }>(matchingCountSql(viewer, match, where, countTo + 1, closed)))?.n ?? 0;
  const counted: Counted = found > ceiling ? { total: ceiling, totalIsLowerBound: true } : { total: found, totalIsLowerBound: false };
  const many = found >= manyFrom;

  if (input.sort === 'relevance') {
    const { flat, rows: caseRows } = await caseTier(db, match);
    const filtered = [input.status, input.risk, input.area, input.concern, input.reviewOverdue].some((f) => f !== undefined);
    const personRows = await personTierRows(db, match, closed, rankPeopleUpTo);
    const flatPeople: FlatPeople = personRows <= rankPeopleUpTo ? 'ranked' : filtered ? 'map' : 'walk';
    const ranked: ScoredTiers = { cases: true, people: flatPeople === 'ranked' };
    // Best first and from the start, with many matches: read FTS5 in rank order only as far as the page.
    if (many && cursor === null && !keys[0]!.descending) {
      const top = await topByRelevance(db, match, where, input.offset + input.limit, closed, flat, flatPeople);
      if (top !== null) {
        const rows = top.slice(input.offset);
        const sources = await sourcesOfPage(db, viewer, match, rows);
        const keyed = rows.map((r) => ({ id: r.id, k_score: r.score, k_review_date: r.review_date, k_id: r.id }) satisfies KeyedRow);
        return finish(keyed, keys, counted, input, (r) => sources.get(r.id) ?? []);
      }
    }
    // Otherwise every match is scored, grouped by case and sorted in one statement (CROSS JOIN keeps the
    // matches as the outer loop: the planner would otherwise scan every case and look each up among them).
    // When every match is on this one page, bm25 runs only for a tier that may hold two cases (tiersToScore).
    const whole = cursor === null && input.offset === 0 && !counted.totalIsLowerBound && counted.total <= input.limit;
    const after = cursor === null ? SQL_TRUE : afterCursor(keys, cursor, true);
    const page = (scored: ScoredTiers) =>
      db.all<KeyedRow & { sources: string }>(sql`${matchesSql(viewer, match, scored, closed, flat)}
      SELECT * FROM (SELECT c.id, m.sources, ${keyColumns(keys)} FROM m CROSS JOIN main.cases c INDEXED BY cases_listing ON c.id = m.case_id WHERE ${where})
      WHERE ${after} ORDER BY ${orderByName(keys)} LIMIT ${input.limit} OFFSET ${input.offset}`);
    const rows = await page(whole ? await tiersToScore(db, match, closed, caseRows, personRows, ranked) : ranked);
    return finish(rows, keys, counted, input, (r) => r.sources.split(',') as MatchSource[]);
  }
  // The other sorts returned from sortedSearch.
  throw new Error(`searchCaseIds: unexpected sort ${input.sort}`);
}

/**
 * Up to this many hits (rowids the FTS queries find, before they are mapped to cases), a search sorted
 * on a column maps every hit to its case and sorts the matches; from it up, it walks the sort's index.
 * Measured at 100,000 cases (load 4 to 9): three-letter surname prefixes with risk high (2,600 to 3,000
 * hits each) cost 24 to 30 ms CPU median sorted and 55 to 59 walked; `Turner` with risk high (4,335
 * hits) 56 sorted, 26 walked; `Gra` (8,254) 75 sorted, 35 walked. The walk costs the cases it passes
 * before the page is full and a count that maps hits only until it passes the cap.
 */
export const SORT_HITS_UP_TO = 4000;

/**
 * A search sorted on a column, in one statement that reads each FTS5 index once: the lists of rowids
 * each FTS query finds (materialised), their size deciding the plan; then either every hit mapped to its
 * case and the matches sorted (few hits), or the count mapping hits only until it passes the cap and the
 * page walking the sort's index, testing each case it passes against the lists (many hits). The plan not
 * taken reads nothing (its LIMIT is 0). Where the page's cases were found is tested for those rows only.
 */
async function sortedSearch(
  db: Sql,
  viewer: CaseViewer,
  input: CaseSearchInput & { after?: string | undefined },
  match: FtsMatch,
  where: SqlQuery,
  keys: readonly SortKey[],
  cursor: SqlValue[] | null,
  closed: boolean,
  ceiling: number,
  walkFrom: number | undefined,
): Promise<CaseIdPage> {
  const sort = input.sort;
  if (sort === 'relevance') throw new Error('sortedSearch: relevance is ranked, not sorted on a column');
  const after = cursor === null ? SQL_TRUE : afterCursor(keys, cursor);
  const afterByName = cursor === null ? SQL_TRUE : afterCursor(keys, cursor, true);
  const walks = sql`(SELECT walk FROM plan)`;
  const casesOf = (columns: SqlQuery) =>
    sql`SELECT DISTINCT ${columns} FROM hits h CROSS JOIN main.cases c INDEXED BY cases_listing ON c.id = h.case_id WHERE ${where}`;
  const rows = await db.all<{ n: number } & (KeyedRow | { id: null }) & SourceFlags>(sql`WITH ${foundListsSql(match, closed)},
    hits(case_id) AS NOT MATERIALIZED (
      SELECT id FROM found_cases
      UNION ALL
      SELECT s.case_id FROM found_people f CROSS JOIN case_subjects s INDEXED BY case_subjects_by_person ON s.person_id = f.id
      UNION ALL
      SELECT n.case_id FROM found_notes f CROSS JOIN main.case_notes n INDEXED BY case_notes_owner ON n.id = f.id WHERE ${noteVisible(viewer)}),
    plan AS MATERIALIZED (SELECT (SELECT count(*) FROM found_cases) + (SELECT count(*) FROM found_people)
      + (SELECT count(*) FROM found_notes) >= ${walkFrom ?? SORT_HITS_UP_TO} AS walk),
    few AS MATERIALIZED (${casesOf(sql`c.id, ${keyColumns(keys)}`)} LIMIT CASE WHEN ${walks} THEN 0 ELSE -1 END),
    counted AS MATERIALIZED (SELECT (SELECT count(*) FROM few)
      + (SELECT count(*) FROM (${casesOf(sql`c.id`)} LIMIT CASE WHEN ${walks} THEN ${ceiling + 1} ELSE 0 END)) AS n),
    page AS MATERIALIZED (
      SELECT f.*, ${sourceColumns(viewer, sql`f.id`, match, closed)} FROM (SELECT * FROM few WHERE ${afterByName}
        ORDER BY ${orderByName(keys)} LIMIT ${input.limit} OFFSET ${input.offset}) f
      UNION ALL
      SELECT * FROM (SELECT * FROM (SELECT c.id, ${keyColumns(keys)}, ${sourceColumns(viewer, sql`c.id`, match, closed)}
        FROM main.cases c INDEXED BY ${sortIndex(sort, keys[0]!.descending)} WHERE ${where} AND (${after}) ORDER BY ${orderBy(keys)} LIMIT -1)
        WHERE by_case OR by_person OR by_note LIMIT CASE WHEN ${walks} THEN ${input.limit} ELSE 0 END OFFSET ${input.offset}))
    SELECT counted.n, p.* FROM counted LEFT JOIN page p ON 1 ORDER BY ${orderByName(keys)}`);
  const n = rows[0]?.n ?? 0;
  const counted: Counted = n > ceiling ? { total: ceiling, totalIsLowerBound: true } : { total: n, totalIsLowerBound: false };
  const page = rows.filter((r): r is { n: number } & KeyedRow & SourceFlags => r.id !== null);
  return finish(page, keys, counted, input, sourcesOf);
}
