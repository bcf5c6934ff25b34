// The rows behind the case list: fetched a page at a time as they scroll into view, from cases.list or
// cases.search. While a new query, filter or sort is on its way the previous rows stay on screen (no
// flash of an empty list between keystrokes); answers to anything but the newest request are dropped,
// so the list never shows results for words no longer in the box. The list's calls share a lane with a
// round (src/dispatch/supersede.ts), one round a result set: the first page of a new query supersedes every
// page still on its way for the one before, so a search for words already gone from the box (or the pages
// of a list scrolled a moment ago) stops instead of holding up the one for the words there.
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { ErrorShape } from '../../src/contract/errors.js';
import type { CasePage, CaseSort } from '../../src/contract/ops/cases.js';
import type { InputOf } from '../../src/contract/operations.js';
import { useSession } from '../session.js';

export const PAGE_SIZE = 50;

/** Rounds of the list's lane: one per result set asked for, counted across the window's lists. */
let rounds = 0;

export type CaseRow = CasePage['cases'][number];
export type ListParams = Omit<InputOf<'cases.search'>, 'limit' | 'offset' | 'query' | 'sort'> & { query?: string; sort?: CaseSort };

/** How many cases match, as the server counted them: exact, or (above its cap) "more than". */
export interface CaseCount {
  total: number;
  lowerBound: boolean;
}

interface Pages {
  /** The request these rows answer. */
  key: string;
  /** Counts result sets shown, so a test or bench can tell the list for a new query has arrived. */
  generation: number;
  /** What the first page said: the count a person is told (it does not change as they scroll). */
  count: CaseCount | null;
  /**
   * The rows the grid holds. Above the cap each page counts further past its offset, so this grows as the
   * list is scrolled, until a page's count is exact.
   */
  rowCount: CaseCount | null;
  rows: ReadonlyMap<number, CaseRow[]>;
  error: ErrorShape | null;
}

const countOf = (page: CasePage): CaseCount => ({ total: page.total, lowerBound: page.totalIsLowerBound });

/** Pages answer out of order: an exact count wins, and of two lower bounds the larger. */
function grown(known: CaseCount | null, page: CaseCount): CaseCount {
  if (known === null || !page.lowerBound) return page;
  if (!known.lowerBound) return known;
  return page.total > known.total ? page : known;
}

/** True when the search box holds something FTS can match (a letter or digit). */
export function isSearch(query: string | undefined): query is string {
  return query !== undefined && /[\p{L}\p{N}]/u.test(query);
}

export function useCasePages(params: ListParams) {
  const { call } = useSession();
  const key = JSON.stringify(params);
  const [pages, setPages] = useState<Pages>({ key: '', generation: 0, count: null, rowCount: null, rows: new Map(), error: null });
  const inFlight = useRef(new Set<string>());
  /** The round of the result set asked for last: a new one for each new request. */
  const round = useRef({ key: '', round: 0 });
  const wanted = useRef(key);
  wanted.current = key;

  const load = useCallback(
    async (page: number, forKey: string) => {
      const flight = `${forKey}#${page}`;
      if (inFlight.current.has(flight)) return;
      inFlight.current.add(flight);
      const { query, sort, ...filters } = JSON.parse(forKey) as ListParams;
      const paging = { limit: PAGE_SIZE, offset: page * PAGE_SIZE };
      // For bench/renderer: when the first page of a new result set was asked for.
      if (page === 0) performance.mark('concordat:cases-requested');
      if (round.current.key !== forKey) round.current = { key: forKey, round: ++rounds };
      const lane = { lane: `case list@${round.current.round}` };
      const result = isSearch(query)
        ? await call('cases.search', { ...filters, sort: sort ?? 'relevance', query, ...paging }, lane)
        : await call('cases.list', { ...filters, sort: sort === undefined || sort === 'relevance' ? 'reviewDate' : sort, ...paging }, lane);
      inFlight.current.delete(flight);
      if (wanted.current !== forKey) return;
      // Superseded by a request for other words, and then these came back (typed, deleted, typed again): ask again.
      if (!result.ok && result.error.code === 'CANCELLED') return void load(page, forKey);
      setPages((prev) => {
        if (prev.key !== forKey) {
          // The first answer for a new request replaces what was shown.
          if (page !== 0) return prev;
          return result.ok
            ? {
                key: forKey,
                generation: prev.generation + 1,
                count: countOf(result.value),
                rowCount: countOf(result.value),
                rows: new Map([[0, result.value.cases]]),
                error: null,
              }
            : { key: forKey, generation: prev.generation + 1, count: null, rowCount: null, rows: new Map(), error: result.error };
        }
        if (!result.ok) return { ...prev, error: result.error };
        const rows = new Map(prev.rows);
        rows.set(page, result.value.cases);
        return { ...prev, rowCount: grown(prev.rowCount, countOf(result.value)), rows, error: null };
      });
    },
    [call],
  );

  // In the layout phase: the request leaves in the task that changed the key (the keystroke's), not after
  // the frame that a passive effect waits for.
  useLayoutEffect(() => {
    void load(0, key);
  }, [key, load]);

  const pending = pages.key !== key;
  const rowAt = useCallback(
    (index: number): CaseRow | undefined => pages.rows.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    [pages.rows],
  );
  const ensure = useCallback(
    (first: number, last: number) => {
      if (pending) return;
      for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
        if (!pages.rows.has(page)) void load(page, key);
      }
    },
    [pending, pages.rows, load, key],
  );
  const reload = useCallback(() => {
    inFlight.current.clear();
    setPages((prev) => ({ ...prev, key: '' }));
    void load(0, key);
  }, [key, load]);

  return {
    generation: pages.generation,
    count: pages.count,
    rowCount: pages.rowCount,
    error: pages.error,
    rowAt,
    ensure,
    reload,
    pending,
    loaded: !pending && pages.count !== null,
  };
}
