// Finding cases: full-text search over names, aliases, references, addresses and notes, and filtered
// lists, both sorted and paged. Closed-only cases and notes are filtered in the queries themselves.
import type { CaseListInput, CasePage, CaseSearchInput, CaseSort } from '../contract/ops/cases.js';
import { CASE_STATUSES, isOpenStatus } from '../domain/lifecycle.js';
import { harmRank, localToday } from '../domain/risk.js';
import type { Sql } from '../vault/database.js';
import { loadCaseSummaries } from './cases.js';
import { sql, sqlAnd, sqlJoin, type SqlQuery } from './sql.js';
import { caseVisible, noteVisible, type Viewer } from './visibility.js';

export type CaseFilters = Pick<CaseListInput, 'status' | 'risk' | 'area' | 'concern' | 'reviewOverdue'>;
type Paging = Pick<CaseListInput, 'limit' | 'offset' | 'direction'>;
export type MatchSource = 'person' | 'case' | 'note';

/** One row of a search: the case, where it matched (comma-separated), and the number of matching cases. */
export interface SearchHitRow {
  id: number;
  sources: string;
  total: number;
}

const OPEN_STATUSES = CASE_STATUSES.filter(isOpenStatus);

/**
 * Turns what a person typed into FTS5 queries: each word quoted, all required. Quoting makes every FTS5
 * operator and punctuation literal, so no input can be a syntax error or reach the parser.
 * "LCSP-2026-0042" becomes "lcsp"* "2026"* "0042"*, which the unicode61 tokenizer matches as written.
 * Names, addresses and references match on prefixes (search as you type); notes are long free text, where
 * a short prefix would match most of them, so only a last word of four letters or more is a prefix there.
 */
export function ftsQuery(text: string): { short: string; notes: string } | null {
  const words = (text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12).map((w) => w.toLowerCase());
  if (words.length === 0) return null;
  const last = words.length - 1;
  return {
    short: words.map((w) => `"${w}"*`).join(' '),
    notes: words.map((w, i) => (i === last && w.length >= 4 ? `"${w}"*` : `"${w}"`)).join(' '),
  };
}

/** The condition on a cases row `c` for the viewer and the filters. */
function filterSql(viewer: Viewer, filters: CaseFilters, today: string): SqlQuery {
  const conditions = [caseVisible(viewer)];
  if (filters.status) conditions.push(sql`c.status IN (${sqlJoin(filters.status)})`);
  if (filters.risk) conditions.push(sql`c.risk_rank IN (${sqlJoin(filters.risk.map(harmRank))})`);
  if (filters.area !== undefined) conditions.push(sql`c.area = ${filters.area} COLLATE NOCASE`);
  if (filters.concern !== undefined) {
    conditions.push(sql`EXISTS (SELECT 1 FROM case_concerns cc WHERE cc.case_id = c.id AND cc.concern = ${filters.concern})`);
  }
  if (filters.reviewOverdue !== undefined) {
    const overdue = sql`c.review_date < ${today} AND c.status IN (${sqlJoin(OPEN_STATUSES)})`;
    conditions.push(filters.reviewOverdue ? overdue : sql`NOT (${overdue})`);
  }
  return sqlAnd(conditions);
}

const DEFAULT_DIRECTION: Record<CaseSort, 'asc' | 'desc'> = {
  relevance: 'asc', reviewDate: 'asc', risk: 'desc', reference: 'desc', referralDate: 'desc', updatedAt: 'desc',
};

const DIRECTION = { asc: sql`ASC`, desc: sql`DESC` } as const;

function orderSql(sort: CaseSort, direction: 'asc' | 'desc' | undefined): SqlQuery {
  const dir = DIRECTION[direction ?? DEFAULT_DIRECTION[sort]];
  switch (sort) {
    // bm25: lower is better, so "ascending" relevance lists the best match first.
    case 'relevance': return sql`m.score ${dir}, c.review_date ASC, c.id ASC`;
    case 'reviewDate': return sql`c.review_date ${dir}, c.risk_rank DESC, c.id ASC`;
    case 'risk': return sql`c.risk_rank ${dir}, c.review_date ASC, c.id ASC`;
    case 'reference': return sql`c.ref_year ${dir}, c.ref_seq ${dir}`;
    case 'referralDate': return sql`c.referral_date ${dir}, c.id ${dir}`;
    case 'updatedAt': return sql`c.updated_at ${dir}, c.id ${dir}`;
  }
}

async function page(db: Sql, ids: number[], sources: Map<number, MatchSource[]>, total: number, paging: Paging, today: string): Promise<CasePage> {
  const summaries = await loadCaseSummaries(db, ids, today);
  const nextOffset = paging.offset + ids.length < total ? paging.offset + ids.length : null;
  return { cases: summaries.map((s) => ({ ...s, matchedIn: sources.get(s.id) ?? [] })), total, nextOffset };
}

export async function listCases(db: Sql, viewer: Viewer, input: CaseListInput, today = localToday()): Promise<CasePage> {
  const where = filterSql(viewer, input, today);
  const total = (await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM cases c WHERE ${where}`))?.n ?? 0;
  const rows = await db.all<{ id: number }>(
    sql`SELECT c.id FROM cases c WHERE ${where} ORDER BY ${orderSql(input.sort, input.direction)} LIMIT ${input.limit} OFFSET ${input.offset}`);
  return page(db, rows.map((r) => r.id), new Map(), total, input, today);
}

export async function searchCases(db: Sql, viewer: Viewer, input: CaseSearchInput, today = localToday()): Promise<CasePage> {
  const match = ftsQuery(input.query);
  if (match === null) return { cases: [], total: 0, nextOffset: null };
  // Relevance: a reference or location match first, then a person (name, alias, identifier, address),
  // then a note; bm25 orders matches within the first two (mapped into (0, 1) so tiers never mix). Notes
  // are not scored: they are the many long rows, where bm25 would cost a look-up per match.
  const scored = input.sort === 'relevance';
  const score = (tier: number) => (scored ? sql`${tier} + 1.0 / (1.0 - f.rank)` : sql`0`);
  // Each index says which case it found; a case found several ways keeps its best score. The total comes
  // from the same pass as the page (a window count), so the matching runs once.
  const rows = await db.all<SearchHitRow>(
    sql`WITH hits(case_id, score, source) AS (
       SELECT f.rowid, ${score(0)}, 'case' FROM cases_fts f WHERE cases_fts MATCH ${match.short}
       UNION ALL
       SELECT s.case_id, ${score(1)}, 'person' FROM people_fts f JOIN case_subjects s ON s.person_id = f.rowid WHERE people_fts MATCH ${match.short}
       UNION ALL
       SELECT n.case_id, ${scored ? 3 : 0}, 'note' FROM notes_fts f JOIN case_notes n ON n.id = f.rowid WHERE notes_fts MATCH ${match.notes} AND ${noteVisible(viewer)}
     ),
     m AS (SELECT case_id, min(score) AS score, group_concat(DISTINCT source) AS sources FROM hits GROUP BY case_id)
     SELECT c.id, m.sources, count(*) OVER () AS total FROM m JOIN cases c ON c.id = m.case_id WHERE ${filterSql(viewer, input, today)}
     ORDER BY ${orderSql(input.sort, input.direction)} LIMIT ${input.limit} OFFSET ${input.offset}`);
  // A page past the end has no rows to carry the total: count again only then.
  const total = rows[0]?.total ?? (input.offset === 0 ? 0 : (await searchCases(db, viewer, { ...input, offset: 0, limit: 1 }, today)).total);
  const sources = new Map(rows.map((r) => [r.id, r.sources.split(',') as MatchSource[]]));
  return page(db, rows.map((r) => r.id), sources, total, input, today);
}
