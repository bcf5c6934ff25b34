// The mix of searches, lists and detail reads bench/cases times, on the synthetic data set of
// bench/support/case-seed.ts (re-exported here for the benches that load it).
import type { Sql } from '../src/vault/database.js';
import { loadCaseDetail } from '../src/store/cases.js';
import { listCases, searchCases } from '../src/store/search.js';
import type { Viewer } from '../src/store/visibility.js';
import type { CaseListInput, CaseSearchInput } from '../src/contract/ops/cases.js';
import { CONCERN_CODES } from '../src/domain/concerns.js';
import { AREAS, GIVEN, STREETS, type Generated } from './support/case-seed.js';

export { NOTES_PER_CASE, PEOPLE_PER_CASE, generate, type Generated } from './support/case-seed.js';

export const VIEWER: Viewer = { userId: 1, role: 'manager' };

// ── the queries ───────────────────────────────────────────────────────────────────────────────────────

export type Query = { label: string; run: (sql: Sql, i: number) => Promise<unknown> };

export function queries(g: Generated): {
  search: Query;
  list: Query;
  detail: Query;
  searchInputs: (i: number) => CaseSearchInput;
  listInputs: (i: number) => CaseListInput;
} {
  const paging = { limit: 25, offset: 0 } as const;
  const searchInputs = (i: number): CaseSearchInput => {
    const kinds: CaseSearchInput[] = [
      { query: g.surnames[i % g.surnames.length]!, sort: 'relevance', ...paging },
      { query: `${GIVEN[i % GIVEN.length]} ${g.surnames[i % g.surnames.length]}`, sort: 'relevance', ...paging },
      { query: g.postcodes[i % g.postcodes.length]!, sort: 'relevance', ...paging },
      { query: g.references[i % g.references.length]!, sort: 'relevance', ...paging },
      { query: g.policeRefs[i % g.policeRefs.length]!, sort: 'relevance', ...paging },
      { query: STREETS[i % STREETS.length]!, status: ['active', 'under_review'], sort: 'reviewDate', ...paging },
      { query: g.surnames[(i * 7) % g.surnames.length]!.slice(0, 3), risk: ['high'], sort: 'risk', ...paging },
    ];
    return kinds[i % kinds.length]!;
  };
  const listInputs = (i: number): CaseListInput => {
    const kinds: CaseListInput[] = [
      { sort: 'reviewDate', ...paging },
      { status: ['active'], sort: 'reviewDate', ...paging },
      { risk: ['high'], reviewOverdue: true, sort: 'reviewDate', ...paging },
      { area: AREAS[i % AREAS.length]!, concern: CONCERN_CODES[i % CONCERN_CODES.length]!, sort: 'risk', ...paging },
      {
        concern: CONCERN_CODES[i % CONCERN_CODES.length]!,
        status: ['referred', 'accepted', 'active', 'under_review'],
        sort: 'referralDate',
        ...paging,
      },
      { reviewOverdue: true, sort: 'risk', ...paging, offset: 50 },
    ];
    return kinds[i % kinds.length]!;
  };
  return {
    searchInputs,
    listInputs,
    search: { label: 'search (FTS + filters, page of 25)', run: (sql, i) => searchCases(sql, VIEWER, searchInputs(i)) },
    list: { label: 'filtered list (page of 25)', run: (sql, i) => listCases(sql, VIEWER, listInputs(i)) },
    detail: {
      label: 'case detail (full profile)',
      run: (sql, i) => loadCaseDetail(sql, VIEWER, g.caseIds[(i * 7919) % g.caseIds.length]!),
    },
  };
}
