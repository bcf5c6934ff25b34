// The shapes of the case list and of case search, written so that a page costs what the page needs and
// not what the store holds (issue 18). Plans for each shape are in docs/query-plans.md.
//
// - Every filter and sort the case list offers is served by an index on cases (migration 005) that leads
//   with the sort column and carries every filtered column, so a page walks the index in order and stops
//   once it has its rows: no table rows, no sort of the whole store.
// - A concern filter is an IN list from case_concerns' index, so the planner can start from it.
// - Search ranks inside FTS5 (bm25 computed only for the rows FTS5 returns), groups the hits by case, and
//   joins the filtered page to cases afterwards through the narrow listing index.
// - Totals are exact only up to a cap (TOTAL_CAP past the page's offset): counting every match is what
//   made a page cost what the store holds. Above the cap a page says so (`totalIsLowerBound`) and the
//   screens show "More than 1,000 cases".
// - Pages can follow a keyset cursor (`after`) instead of an offset: the page after a cursor seeks to it in
//   the index instead of stepping over every row before it. Offsets still work (the list screen jumps).
import { ConcordatError } from '../contract/errors.js';
import type { CaseListInput, CaseSearchInput, CaseSort } from '../contract/ops/cases.js';
import { harmRank } from '../domain/risk.js';
import type { Sql, SqlValue } from '../vault/database.js';
import { SQL_TRUE, SqlQuery, sql, sqlAnd, sqlJoin } from './sql.js';
import { caseVisible, noteVisible, type Viewer } from './visibility.js';

/** Who is looking: enough to hide closed-meeting-only cases and notes. */
export type CaseViewer = Pick<Viewer, 'role'>;

export type MatchSource = 'person' | 'case' | 'note';
type Filters = Pick<CaseListInput, 'status' | 'risk' | 'area' | 'concern' | 'reviewOverdue'>;
type Paging = Pick<CaseListInput, 'limit' | 'offset' | 'direction'> & { after?: string | undefined };

export interface CaseIdPage {
  /** The page's case ids, in order, each with where a search found it (empty for lists). */
  rows: { id: number; sources: MatchSource[] }[];
  /** The number of matches, exact up to `offset + TOTAL_CAP`; beyond it, that number and `totalIsLowerBound`. */
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

/**
 * Matches are counted this far past the page's offset and no further: enough to say how many there are
 * when a person can take them in, and "more than" when not. A deeper page counts further, so the list
 * grows as it is scrolled.
 */
export const TOTAL_CAP = 1000;

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

function filterSql(viewer: CaseViewer, filters: Filters, today: string): SqlQuery {
  const clauses = [caseVisible(viewer)];
  if (filters.status) clauses.push(sql`c.status IN (${sqlJoin(filters.status)})`);
  if (filters.risk) clauses.push(sql`c.risk_rank IN (${sqlJoin(filters.risk.map(harmRank))})`);
  if (filters.area !== undefined) clauses.push(sql`c.area = ${filters.area} COLLATE NOCASE`);
  if (filters.concern !== undefined)
    clauses.push(sql`c.id IN (SELECT cc.case_id FROM case_concerns cc WHERE cc.concern = ${filters.concern})`);
  if (filters.reviewOverdue !== undefined) {
    const overdue = sql`(c.review_date < ${today} AND c.status NOT IN ('declined', 'closed'))`;
    clauses.push(filters.reviewOverdue ? overdue : sql`NOT ${overdue}`);
  }
  return sqlAnd(clauses);
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
  /** Moves the threshold between the two list plans. */
  walkFrom?: number;
  /** Replaces TOTAL_CAP. */
  totalCap?: number;
}

export async function listCaseIds(
  db: Sql,
  viewer: CaseViewer,
  input: CaseListInput & { after?: string | undefined },
  today: string,
  { walkFrom = WALK_FROM, totalCap = TOTAL_CAP }: QueryTuning = {},
): Promise<CaseIdPage> {
  const where = filterSql(viewer, input, today);
  const keys = sortKeys(input.sort, input.direction);
  const after = input.after === undefined ? SQL_TRUE : afterCursor(keys, decodeCursor(input.after, input.sort, input.direction, keys));
  // A concern filter alone finds its cases by id: look them up in the narrow listing index, which the
  // planner would pass over for the wide rows. With another filter, that filter's index is the cheaper start.
  const concernAlone =
    input.concern !== undefined && [input.status, input.risk, input.area, input.reviewOverdue].every((f) => f === undefined);
  const countFrom = concernAlone ? sql`cases c INDEXED BY cases_listing` : sql`cases c`;
  const counted = await countUpTo(db, sql`SELECT 1 FROM ${countFrom} WHERE ${where}`, input.offset, totalCap);
  // A capped count is at least the cap, which is no lower than the threshold: a lower bound walks.
  const from = counted.total >= walkFrom ? sql`cases c INDEXED BY ${sortIndex(input.sort, keys[0]!.descending)}` : countFrom;
  const rows = await db.all<KeyedRow>(sql`SELECT c.id, ${keyColumns(keys)} FROM ${from} WHERE ${where} AND (${after})
    ORDER BY ${orderBy(keys)} LIMIT ${input.limit} OFFSET ${input.offset}`);
  return finish(rows, keys, counted, input, () => []);
}

// ── search ────────────────────────────────────────────────────────────────────────────────────────────

/** The FTS5 queries for what a person typed (see src/store/search.ts ftsQuery). */
export interface FtsMatch {
  short: string;
  notes: string;
}

/**
 * Each index says which case it found; a case found several ways keeps its best score. Relevance: a
 * reference or location match first, then a person, then a note; bm25 orders matches within the first
 * two (mapped into (0, 1) so tiers never mix). Notes are not scored: they are the many long rows.
 */
function hitsSql(viewer: CaseViewer, match: FtsMatch, scored: boolean): SqlQuery {
  const score = (tier: number) => new SqlQuery(scored ? `${tier} + 1.0 / (1.0 - f.rank)` : '0', []);
  return sql`hits(case_id, score, source) AS (
       SELECT f.rowid, ${score(0)}, 'case' FROM cases_fts f WHERE cases_fts MATCH ${match.short}
       UNION ALL
       SELECT s.case_id, ${score(1)}, 'person' FROM people_fts f JOIN case_subjects s ON s.person_id = f.rowid WHERE people_fts MATCH ${match.short}
       UNION ALL
       SELECT n.case_id, ${new SqlQuery(scored ? '3' : '0', [])}, 'note' FROM notes_fts f JOIN case_notes n INDEXED BY case_notes_owner ON n.id = f.rowid WHERE notes_fts MATCH ${match.notes} AND ${noteVisible(viewer)}
     )`;
}

/** The matching cases, one row each, with their best score and where they were found (all of them: materialised once). */
function matchesSql(viewer: CaseViewer, match: FtsMatch, scored: boolean): SqlQuery {
  return sql`WITH ${hitsSql(viewer, match, scored)},
     m AS MATERIALIZED (SELECT case_id, min(score) AS score, group_concat(DISTINCT source) AS sources FROM hits GROUP BY case_id)`;
}

const SOURCE_ORDER: readonly MatchSource[] = ['case', 'person', 'note'];
const SOURCES_PER_CASE = SOURCE_ORDER.length;

export async function searchCaseIds(
  db: Sql,
  viewer: CaseViewer,
  input: CaseSearchInput & { after?: string | undefined },
  match: FtsMatch,
  today: string,
  { walkFrom = WALK_FROM, totalCap = TOTAL_CAP }: QueryTuning = {},
): Promise<CaseIdPage> {
  const where = filterSql(viewer, input, today);
  const keys = sortKeys(input.sort, input.direction);
  const cursor = input.after === undefined ? null : decodeCursor(input.after, input.sort, input.direction, keys);
  const ceiling = input.offset + totalCap;
  const sourcesOf = (r: { sources: string }) => r.sources.split(',') as MatchSource[];

  // CROSS JOIN keeps the matches as the outer loop: the planner would otherwise scan every case and look
  // each up among them.
  if (input.sort === 'relevance') {
    // The score is known only once every hit is in: match once, count (to the cap) and sort in one statement.
    const after = cursor === null ? SQL_TRUE : afterCursor(keys, cursor, true);
    const page = (limit: number, offset: number, from: SqlQuery) =>
      db.all<KeyedRow & { sources: string; n: number }>(sql`${matchesSql(viewer, match, true)}
        SELECT *, (SELECT count(*) FROM (SELECT 1 FROM m CROSS JOIN cases c INDEXED BY cases_listing ON c.id = m.case_id WHERE ${where} LIMIT ${ceiling + 1})) AS n
        FROM (SELECT c.id, m.sources, ${keyColumns(keys)} FROM m CROSS JOIN cases c INDEXED BY cases_listing ON c.id = m.case_id WHERE ${where})
        WHERE ${from} ORDER BY ${orderByName(keys)} LIMIT ${limit} OFFSET ${offset}`);
    const rows = await page(input.limit, input.offset, after);
    // A page past the end has no row to carry the count: count again only then.
    const n = rows[0]?.n ?? (input.offset === 0 && cursor === null ? 0 : ((await page(1, 0, SQL_TRUE))[0]?.n ?? 0));
    return finish(
      rows,
      keys,
      n > ceiling ? { total: ceiling, totalIsLowerBound: true } : { total: n, totalIsLowerBound: false },
      input,
      sourcesOf,
    );
  }

  // Every (case, source) pair that matches, streamed and stopped once there are too many to be the pairs of
  // `ceiling` cases: a common word stops early, and a rare one hands over all its cases with their sources.
  const pairLimit = SOURCES_PER_CASE * (ceiling + 1);
  const pairs = await db.all<{ case_id: number; source: MatchSource }>(sql`WITH ${hitsSql(viewer, match, false)}
    SELECT DISTINCT h.case_id, h.source FROM hits h CROSS JOIN cases c INDEXED BY cases_listing ON c.id = h.case_id WHERE ${where} LIMIT ${pairLimit}`);
  const found = new Map<number, MatchSource[]>();
  for (const p of pairs) found.set(p.case_id, [...(found.get(p.case_id) ?? []), p.source]);
  // In the order the hits are listed (as group_concat gives them), whatever order the planner read them in.
  for (const sources of found.values()) sources.sort((a, b) => SOURCE_ORDER.indexOf(a) - SOURCE_ORDER.indexOf(b));

  if (pairs.length < pairLimit && found.size < walkFrom) {
    // All the matches are in hand, and few: sort just those.
    const after = cursor === null ? SQL_TRUE : afterCursor(keys, cursor);
    const rows = await db.all<KeyedRow>(sql`SELECT c.id, ${keyColumns(keys)} FROM cases c INDEXED BY cases_listing
      WHERE c.id IN (SELECT value FROM json_each(${JSON.stringify([...found.keys()])})) AND (${after})
      ORDER BY ${orderBy(keys)} LIMIT ${input.limit} OFFSET ${input.offset}`);
    const counted = found.size > ceiling ? { total: ceiling, totalIsLowerBound: true } : { total: found.size, totalIsLowerBound: false };
    return finish(rows, keys, counted, input, (r) => found.get(r.id) ?? []);
  }

  // Many matches: walk the sort's index and stop at the page's last row, looking each case up among the
  // matches, instead of joining every match to its case and sorting them all.
  const after = cursor === null ? SQL_TRUE : afterCursor(keys, cursor);
  const rows = await db.all<KeyedRow & { sources: string }>(sql`${matchesSql(viewer, match, false)}
    SELECT c.id, m.sources, ${keyColumns(keys)} FROM cases c INDEXED BY ${sortIndex(input.sort, keys[0]!.descending)} CROSS JOIN m ON m.case_id = c.id
    WHERE ${where} AND (${after}) ORDER BY ${orderBy(keys)} LIMIT ${input.limit} OFFSET ${input.offset}`);
  const counted = found.size > ceiling ? { total: ceiling, totalIsLowerBound: true } : { total: found.size, totalIsLowerBound: false };
  return finish(rows, keys, counted, input, sourcesOf);
}
