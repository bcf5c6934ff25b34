// The rows behind the case list: fetched a page at a time as they scroll into view, from cases.list or
// cases.search. A change of query, filter or sort starts a new generation; late answers to an older one
// are dropped so the list never shows results for words no longer in the box.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorShape } from '../../src/contract/errors.js';
import type { CasePage, CaseSort } from '../../src/contract/ops/cases.js';
import type { InputOf } from '../../src/contract/operations.js';
import { useSession } from '../session.js';

export const PAGE_SIZE = 50;

export type CaseRow = CasePage['cases'][number];
export type ListParams = Omit<InputOf<'cases.search'>, 'limit' | 'offset' | 'query' | 'sort'> & { query?: string; sort?: CaseSort };

interface Pages {
  key: string;
  /** Counts result sets, so a test or bench can tell the list for a new query has arrived. */
  generation: number;
  total: number | null;
  rows: Map<number, CaseRow[]>;
  error: ErrorShape | null;
}

/** True when the search box holds something FTS can match (a letter or digit). */
export function isSearch(query: string | undefined): query is string {
  return query !== undefined && /[\p{L}\p{N}]/u.test(query);
}

export function useCasePages(params: ListParams) {
  const { call } = useSession();
  const key = JSON.stringify(params);
  const [pages, setPages] = useState<Pages>({ key, generation: 0, total: null, rows: new Map(), error: null });
  const inFlight = useRef(new Set<string>());
  const current = useRef(key);
  current.current = key;

  const load = useCallback(async (page: number, forKey: string, forParams: ListParams) => {
    const flight = `${forKey}#${page}`;
    if (inFlight.current.has(flight)) return;
    inFlight.current.add(flight);
    const { query, ...filters } = forParams;
    const paging = { limit: PAGE_SIZE, offset: page * PAGE_SIZE };
    // For bench/renderer: when the first page of a new result set was asked for.
    if (page === 0) performance.mark('concordat:cases-requested');
    const { sort, ...rest } = filters;
    const result = isSearch(query)
      ? await call('cases.search', { ...rest, sort: sort ?? 'relevance', query, ...paging })
      : await call('cases.list', { ...rest, sort: sort === undefined || sort === 'relevance' ? 'reviewDate' : sort, ...paging });
    inFlight.current.delete(flight);
    if (current.current !== forKey) return;
    setPages((prev) => {
      if (prev.key !== forKey) return prev;
      if (!result.ok) return { ...prev, error: result.error };
      const rows = new Map(prev.rows);
      rows.set(page, result.value.cases);
      return { ...prev, total: result.value.total, rows, error: null };
    });
  }, [call]);

  useEffect(() => {
    setPages((prev) => ({ key, generation: prev.generation + 1, total: null, rows: new Map(), error: null }));
    inFlight.current.clear();
    void load(0, key, JSON.parse(key) as ListParams);
  }, [key, load]);

  const view = pages.key === key ? pages : { key, generation: pages.generation + 1, total: null, rows: new Map<number, CaseRow[]>(), error: null };

  const rowAt = (index: number): CaseRow | undefined => view.rows.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  const ensure = useCallback((first: number, last: number) => {
    for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
      if (!view.rows.has(page)) void load(page, key, JSON.parse(key) as ListParams);
    }
  }, [view.rows, load, key]);
  const reload = useCallback(() => {
    inFlight.current.clear();
    setPages((prev) => ({ key, generation: prev.generation + 1, total: null, rows: new Map(), error: null }));
    void load(0, key, JSON.parse(key) as ListParams);
  }, [key, load]);

  return { key, generation: view.generation, total: view.total, error: view.error, rowAt, ensure, reload, loading: view.total === null && !view.error };
}
