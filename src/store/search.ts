// Finding cases: full-text search over names, aliases, references, addresses and notes, and filtered
// lists, both sorted and paged. The id queries (index choice, keyset cursors) are in case-queries.ts;
// this module turns a page of ids into the summaries the screens show.
import type { CaseListInput, CasePage, CaseSearchInput } from '../contract/ops/cases.js';
import { localToday } from '../domain/risk.js';
import type { Sql } from '../vault/database.js';
import { listCaseIds, searchCaseIds, type CaseIdPage } from './case-queries.js';
import { loadCaseSummaries } from './cases.js';
import type { Viewer } from './visibility.js';

export type CaseFilters = Pick<CaseListInput, 'status' | 'risk' | 'area' | 'concern' | 'reviewOverdue'>;
type Paging = Pick<CaseListInput, 'offset'>;
export type { MatchSource } from './case-queries.js';

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

async function page(db: Sql, found: CaseIdPage, paging: Paging, today: string): Promise<CasePage> {
  const ids = found.rows.map((r) => r.id);
  const sources = new Map(found.rows.map((r) => [r.id, r.sources]));
  const summaries = await loadCaseSummaries(db, ids, today);
  const more = found.totalIsLowerBound || paging.offset + ids.length < found.total;
  const nextOffset = more ? paging.offset + ids.length : null;
  return {
    cases: summaries.map((s) => ({ ...s, matchedIn: sources.get(s.id) ?? [] })),
    total: found.total,
    totalIsLowerBound: found.totalIsLowerBound,
    nextOffset,
    nextCursor: found.nextCursor,
  };
}

export async function listCases(db: Sql, viewer: Viewer, input: CaseListInput, today = localToday()): Promise<CasePage> {
  return page(db, await listCaseIds(db, viewer, input, today), input, today);
}

export async function searchCases(db: Sql, viewer: Viewer, input: CaseSearchInput, today = localToday()): Promise<CasePage> {
  const match = ftsQuery(input.query);
  if (match === null) return { cases: [], total: 0, totalIsLowerBound: false, nextOffset: null, nextCursor: null };
  return page(db, await searchCaseIds(db, viewer, input, match, today), input, today);
}
