// Finding cases: full-text search over names, aliases, references, addresses and notes, and filtered
// lists, both sorted and paged. Closed-only cases and notes are filtered in the queries themselves.
import type { CaseSummary } from '../contract/ops/people.js';
import type { CaseListInput, CasePage, CaseSearchInput } from '../contract/ops/cases.js';
import { isOpenStatus, type CaseOutcome, type CaseStatus } from '../domain/lifecycle.js';
import { isReviewOverdue, localToday, type HarmLevel } from '../domain/risk.js';
import type { Sql } from '../vault/database.js';
import type { Handler } from './types.js';
import { listCaseIds, searchCaseIds, type MatchSource } from '../store/case-queries.js';
import { placeholders, viewerOf, type Viewer } from './visibility.js';

type Filters = Pick<CaseListInput, 'status' | 'risk' | 'area' | 'concern' | 'reviewOverdue'>;
type Paging = Pick<CaseListInput, 'limit' | 'offset'>;

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

async function page(sql: Sql, found: { rows: { id: number; sources: MatchSource[] }[]; total: number; nextCursor: string | null }, paging: Paging, today: string): Promise<CasePage> {
  const ids = found.rows.map((r) => r.id);
  const sources = new Map(found.rows.map((r) => [r.id, r.sources]));
  const summaries = await loadCaseSummaries(sql, ids, today);
  const nextOffset = paging.offset + ids.length < found.total ? paging.offset + ids.length : null;
  return { cases: summaries.map((s) => ({ ...s, matchedIn: sources.get(s.id) ?? [] })), total: found.total, nextOffset, nextCursor: found.nextCursor };
}

export async function listCases(sql: Sql, viewer: Viewer, input: CaseListInput, today = localToday()): Promise<CasePage> {
  return page(sql, await listCaseIds(sql, viewer, input, today), input, today);
}

export async function searchCases(sql: Sql, viewer: Viewer, input: CaseSearchInput, today = localToday()): Promise<CasePage> {
  const match = ftsQuery(input.query);
  if (match === null) return { cases: [], total: 0, nextOffset: null, nextCursor: null };
  return page(sql, await searchCaseIds(sql, viewer, input, match, today), input, today);
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
