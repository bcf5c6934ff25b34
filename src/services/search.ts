// Finding cases: the list and search operations, and what their audit entries record (the queries are
// in src/store/search.ts).
import type { CasePage } from '../contract/ops/cases.js';
import { listCases, searchCases, type CaseFilters } from '../store/search.js';
import type { Handler } from './types.js';
import { viewerOf } from './visibility.js';

/** What an audit entry keeps of a page: the ids shown and how many matched (marked when the count stopped at its cap). */
function pageDetails(input: CaseFilters & { sort: string }, result: CasePage) {
  return {
    filters: filtersUsed(input),
    sort: input.sort,
    total: result.total,
    ...(result.totalIsLowerBound ? { totalIsLowerBound: true } : {}),
    caseIds: result.cases.map((c) => c.id),
  };
}

function filtersUsed(input: CaseFilters): string[] {
  return (['status', 'risk', 'area', 'concern', 'reviewOverdue'] as const).filter((k) => input[k] !== undefined);
}

export const list: Handler<'cases.list'> = async (call, input) => {
  const result = await listCases(call.sql, viewerOf(call), input);
  call.note({ details: pageDetails(input, result) });
  return result;
};

export const search: Handler<'cases.search'> = async (call, input) => {
  const result = await searchCases(call.sql, viewerOf(call), input);
  // The search words are content (often a name): the log keeps what was returned, not what was typed.
  call.note({ details: pageDetails(input, result) });
  return result;
};
