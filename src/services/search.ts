// Finding cases: full-text search over names, aliases, references, addresses and notes, and filtered
// lists, both sorted and paged. Closed-only cases and notes are filtered in the queries themselves.
import type { CaseSummary } from '../contract/ops/people.js';
import type { CaseListInput, CasePage, CaseSearchInput, CaseSort } from '../contract/ops/cases.js';
import { isOpenStatus, type CaseOutcome, type CaseStatus } from '../domain/lifecycle.js';
import { harmRank, isReviewOverdue, localToday, type HarmLevel } from '../domain/risk.js';
import type { Sql, SqlValue } from '../vault/database.js';
import type { Handler } from './types.js';
import { caseVisible, noteVisible, placeholders, viewerOf, type Viewer } from './visibility.js';

type Filters = Pick<CaseListInput, 'status' | 'risk' | 'area' | 'concern' | 'reviewOverdue'>;
type Paging = Pick<CaseListInput, 'limit' | 'offset' | 'direction'>;
type MatchSource = 'person' | 'case' | 'note';

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

function filterSql(viewer: Viewer, filters: Filters, today: string): { where: string; params: SqlValue[] } {
  const clauses = [caseVisible(viewer)];
  const params: SqlValue[] = [];
  if (filters.status) {
    clauses.push(`c.status IN (${placeholders(filters.status.length)})`);
    params.push(...filters.status);
  }
  if (filters.risk) {
    clauses.push(`c.risk_rank IN (${placeholders(filters.risk.length)})`);
    params.push(...filters.risk.map(harmRank));
  }
  if (filters.area !== undefined) {
    clauses.push('c.area = ? COLLATE NOCASE');
    params.push(filters.area);
  }
  if (filters.concern !== undefined) {
    clauses.push('EXISTS (SELECT 1 FROM case_concerns cc WHERE cc.case_id = c.id AND cc.concern = ?)');
    params.push(filters.concern);
  }
  if (filters.reviewOverdue !== undefined) {
    const overdue = "(c.review_date < ? AND c.status NOT IN ('declined', 'closed'))";
    clauses.push(filters.reviewOverdue ? overdue : `NOT ${overdue}`);
    params.push(today);
  }
  return { where: clauses.join(' AND '), params };
}

const DEFAULT_DIRECTION: Record<CaseSort, 'asc' | 'desc'> = {
  relevance: 'asc', reviewDate: 'asc', risk: 'desc', reference: 'desc', referralDate: 'desc', updatedAt: 'desc',
};

function orderSql(sort: CaseSort, direction: 'asc' | 'desc' | undefined): string {
  const dir = (direction ?? DEFAULT_DIRECTION[sort]).toUpperCase();
  switch (sort) {
    // bm25: lower is better, so "ascending" relevance lists the best match first.
    case 'relevance': return `m.score ${dir}, c.review_date ASC, c.id ASC`;
    case 'reviewDate': return `c.review_date ${dir}, c.risk_rank DESC, c.id ASC`;
    case 'risk': return `c.risk_rank ${dir}, c.review_date ASC, c.id ASC`;
    case 'reference': return `c.ref_year ${dir}, c.ref_seq ${dir}`;
    case 'referralDate': return `c.referral_date ${dir}, c.id ${dir}`;
    case 'updatedAt': return `c.updated_at ${dir}, c.id ${dir}`;
  }
}

interface SummaryRow {
  id: number; reference: string; area: string; status: CaseStatus; outcome: CaseOutcome | null; overall_risk: HarmLevel;
  referral_date: string; review_date: string; closed_only: number; updated_at: string;
}

/** Summaries of the given cases, in the order given. The caller has already applied visibility. */
export async function loadCaseSummaries(sql: Sql, ids: readonly number[], today = localToday()): Promise<CaseSummary[]> {
  if (ids.length === 0) return [];
  const inList = placeholders(ids.length);
  const rows = await sql.all<SummaryRow>(
    `SELECT id, reference, area, status, outcome, overall_risk, referral_date, review_date, closed_only, updated_at FROM cases WHERE id IN (${inList})`, ids);
  const concerns = await sql.all<{ case_id: number; concern: string }>(`SELECT case_id, concern FROM case_concerns WHERE case_id IN (${inList})`, ids);
  const subjects = await sql.all<{ case_id: number; id: number; given_name: string; family_name: string }>(
    `SELECT s.case_id, p.id, p.given_name, p.family_name FROM case_subjects s JOIN people p ON p.id = s.person_id
     WHERE s.case_id IN (${inList}) ORDER BY s.case_id, s.position`, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [{
      id: r.id, reference: r.reference, area: r.area, status: r.status, outcome: r.outcome, overallRisk: r.overall_risk,
      concerns: concerns.filter((c) => c.case_id === id).map((c) => c.concern),
      referralDate: r.referral_date, reviewDate: r.review_date, reviewOverdue: isReviewOverdue(r.review_date, isOpenStatus(r.status), today),
      closedOnly: r.closed_only === 1, updatedAt: r.updated_at,
      subjects: subjects.filter((s) => s.case_id === id).map((s) => ({ id: s.id, givenName: s.given_name, familyName: s.family_name })),
    }];
  });
}

async function page(sql: Sql, ids: number[], sources: Map<number, MatchSource[]>, total: number, paging: Paging, today: string): Promise<CasePage> {
  const summaries = await loadCaseSummaries(sql, ids, today);
  const nextOffset = paging.offset + ids.length < total ? paging.offset + ids.length : null;
  return { cases: summaries.map((s) => ({ ...s, matchedIn: sources.get(s.id) ?? [] })), total, nextOffset };
}

export async function listCases(sql: Sql, viewer: Viewer, input: CaseListInput, today = localToday()): Promise<CasePage> {
  const { where, params } = filterSql(viewer, input, today);
  const total = (await sql.get<{ n: number }>(`SELECT count(*) AS n FROM cases c WHERE ${where}`, params))?.n ?? 0;
  const rows = await sql.all<{ id: number }>(
    `SELECT c.id FROM cases c WHERE ${where} ORDER BY ${orderSql(input.sort, input.direction)} LIMIT ? OFFSET ?`, [...params, input.limit, input.offset]);
  return page(sql, rows.map((r) => r.id), new Map(), total, input, today);
}

export async function searchCases(sql: Sql, viewer: Viewer, input: CaseSearchInput, today = localToday()): Promise<CasePage> {
  const match = ftsQuery(input.query);
  if (match === null) return { cases: [], total: 0, nextOffset: null };
  const { where, params } = filterSql(viewer, input, today);
  // Relevance: a reference or location match first, then a person (name, alias, identifier, address),
  // then a note; bm25 orders matches within the first two (mapped into (0, 1) so tiers never mix). Notes
  // are not scored: they are the many long rows, where bm25 would cost a look-up per match.
  const scored = input.sort === 'relevance';
  const score = (tier: number) => (scored ? `${tier} + 1.0 / (1.0 - f.rank)` : '0');
  // Each index says which case it found; a case found several ways keeps its best score. The total comes
  // from the same pass as the page (a window count), so the matching runs once.
  const rows = await sql.all<{ id: number; sources: string; total: number }>(
    `WITH hits(case_id, score, source) AS (
       SELECT f.rowid, ${score(0)}, 'case' FROM cases_fts f WHERE cases_fts MATCH ?1
       UNION ALL
       SELECT s.case_id, ${score(1)}, 'person' FROM people_fts f JOIN case_subjects s ON s.person_id = f.rowid WHERE people_fts MATCH ?1
       UNION ALL
       SELECT n.case_id, ${scored ? 3 : 0}, 'note' FROM notes_fts f JOIN case_notes n ON n.id = f.rowid WHERE notes_fts MATCH ?2 AND ${noteVisible(viewer)}
     ),
     m AS (SELECT case_id, min(score) AS score, group_concat(DISTINCT source) AS sources FROM hits GROUP BY case_id)
     SELECT c.id, m.sources, count(*) OVER () AS total FROM m JOIN cases c ON c.id = m.case_id WHERE ${where}
     ORDER BY ${orderSql(input.sort, input.direction)} LIMIT ? OFFSET ?`,
    [match.short, match.notes, ...params, input.limit, input.offset]);
  // A page past the end has no rows to carry the total: count again only then.
  const total = rows[0]?.total ?? (input.offset === 0 ? 0 : await countSearch(sql, viewer, input, today));
  const sources = new Map(rows.map((r) => [r.id, r.sources.split(',') as MatchSource[]]));
  return page(sql, rows.map((r) => r.id), sources, total, input, today);
}

async function countSearch(sql: Sql, viewer: Viewer, input: CaseSearchInput, today: string): Promise<number> {
  const again = await searchCases(sql, viewer, { ...input, offset: 0, limit: 1 }, today);
  return again.total;
}

function filtersUsed(input: Filters): string[] {
  return (['status', 'risk', 'area', 'concern', 'reviewOverdue'] as const).filter((k) => input[k] !== undefined);
}

export const list: Handler<'cases.list'> = async (call, input) => {
  const result = await listCases(call.sql, viewerOf(call), input);
  call.note({ details: { filters: filtersUsed(input), sort: input.sort, total: result.total, caseIds: result.cases.map((c) => c.id) } });
  return result;
};

export const search: Handler<'cases.search'> = async (call, input) => {
  const result = await searchCases(call.sql, viewerOf(call), input);
  // The search words are content (often a name): the log keeps what was returned, not what was typed.
  call.note({ details: { filters: filtersUsed(input), sort: input.sort, total: result.total, caseIds: result.cases.map((c) => c.id) } });
  return result;
};
