// The case list: search as you type, filters and sort beside it, and a virtualised grid that stays smooth
// with tens of thousands of rows. Keyboard: arrows, Page Up/Down, Home/End move; Enter opens.
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { useVirtualizer } from '@tanstack/react-virtual';
import { CASE_STATUSES, type CaseStatus } from '../../src/domain/lifecycle.js';
import { HARM_LEVELS, type HarmLevel } from '../../src/domain/risk.js';
import type { ConcernCode } from '../../src/domain/concerns.js';
import type { CaseSort } from '../../src/contract/ops/cases.js';
import { useNavigate } from '../navigation.js';
import { Button } from '../components/Button.js';
import { Checkbox, Checkboxes, Select, TextField } from '../components/form.js';
import { PageHeading } from '../components/PageHeading.js';
import { Tag } from '../components/Tag.js';
import { RISK_COLOURS, STATUS_COLOURS, formatDate, personName } from '../lib/format.js';
import { CONCERN_OPTIONS, RISK_LABELS, SORT_DIRECTION_LABELS, SORT_LABELS, concernText, statusLabel } from '../lib/labels.js';
import { isSearch, useCasePages, type CaseCount, type CaseRow, type ListParams } from './useCasePages.js';
import { LoadRefusal } from './RefusalMessage.js';

/**
 * Only folds the input events of one burst (a held key's repeats, an input method's steps): the first change
 * after a quiet spell goes at once, and within a burst at most one request leaves every this many ms (the
 * box's latest text when they are up). A person types a key every 100 ms or more, so every key they type is
 * sent at once. A request for words since changed is superseded (src/dispatch/supersede.ts: dropped while it
 * waits, interrupted within milliseconds while it reads, never logged), so sending one per key costs the
 * start of a search, and every ms waited here is added to the answer (bench/renderer: a 40 ms and then a
 * 10 ms trailing debounce before; branch keys18b).
 */
export const SEARCH_DEBOUNCE_MS = 10;
const ROW_HEIGHT = 40;

export interface CaseListState {
  query: string;
  status: CaseStatus[];
  risk: HarmLevel[];
  area: string;
  concern: ConcernCode | '';
  overdue: boolean;
  sort: CaseSort | 'auto';
  direction: 'default' | 'asc' | 'desc';
  active: number;
}

const INITIAL: CaseListState = {
  query: '',
  status: [],
  risk: [],
  area: '',
  concern: '',
  overdue: false,
  sort: 'auto',
  direction: 'default',
  active: -1,
};

/** Held by the workspace, so coming back from a case finds the list as it was left. */
export function useCaseListState() {
  return useState<CaseListState>(INITIAL);
}

/**
 * `value` as the request should see it: passed on at once after a quiet spell of `ms`, and within a burst
 * once `ms` have gone by since the last pass, with the latest value. Passed on in the layout phase (or, at
 * the end of a wait, synchronously), so the request leaves in the task of the keystroke, not a frame later.
 */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  const passedAt = useRef(-Infinity);
  useLayoutEffect(() => {
    if (Object.is(value, settled)) return;
    const pass = () => {
      passedAt.current = performance.now();
      setSettled(value);
    };
    const wait = passedAt.current + ms - performance.now();
    if (wait <= 0) {
      pass();
      return;
    }
    const timer = setTimeout(() => flushSync(pass), wait);
    return () => clearTimeout(timer);
  }, [value, settled, ms]);
  return settled;
}

const SORT_OPTIONS = Object.entries(SORT_LABELS).map(([value, label]) => ({ value: value as CaseListState['sort'], label }));

export function CaseList({ state: [state, setState] }: { state: ReturnType<typeof useCaseListState> }) {
  const navigate = useNavigate();
  const update = (patch: Partial<CaseListState>) => setState((s) => ({ ...s, ...patch, active: 'active' in patch ? patch.active! : -1 }));
  const query = useSettled(state.query.trim(), SEARCH_DEBOUNCE_MS);
  const area = useSettled(state.area.trim(), SEARCH_DEBOUNCE_MS);

  const params = useMemo<ListParams>(
    () => ({
      ...(isSearch(query) ? { query } : {}),
      ...(state.status.length ? { status: [...state.status].sort() } : {}),
      ...(state.risk.length ? { risk: [...state.risk].sort() } : {}),
      ...(area ? { area } : {}),
      ...(state.concern ? { concern: state.concern } : {}),
      ...(state.overdue ? { reviewOverdue: true } : {}),
      ...(state.sort !== 'auto' ? { sort: state.sort } : {}),
      ...(state.direction !== 'default' ? { direction: state.direction } : {}),
    }),
    [query, area, state.status, state.risk, state.concern, state.overdue, state.sort, state.direction],
  );

  const pages = useCasePages(params);
  // Busy from the keystroke, not only once the request leaves: the rows shown are not the answer to the box.
  const busy = !pages.loaded || query !== state.query.trim() || area !== state.area.trim();
  const filtersUsed = state.status.length + state.risk.length + (state.area ? 1 : 0) + (state.concern ? 1 : 0) + (state.overdue ? 1 : 0);

  return (
    <>
      <div className="app-heading-row">
        <PageHeading>Cases</PageHeading>
        <Button onClick={() => navigate({ name: 'case-new' })}>New case</Button>
      </div>
      <div className="app-case-list">
        <div className="app-case-list__filters" role="search" aria-label="Search and filter cases">
          <TextField
            id="case-search"
            label="Search"
            labelSize="s"
            type="search"
            hint="Names, aliases, references, addresses and notes"
            value={state.query}
            onChange={(query) => update({ query })}
            autoComplete="off"
          />
          <Checkboxes
            id="filter-status"
            legend="Status"
            small
            values={state.status}
            onChange={(status) => update({ status })}
            options={CASE_STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
          />
          <Checkboxes
            id="filter-risk"
            legend="Risk"
            small
            values={state.risk}
            onChange={(risk) => update({ risk })}
            options={HARM_LEVELS.map((r) => ({ value: r, label: RISK_LABELS[r] }))}
          />
          <TextField id="filter-area" label="Area" labelSize="s" value={state.area} onChange={(a) => update({ area: a })} width="full" />
          <Select
            id="filter-concern"
            label="Concern"
            labelSize="s"
            value={state.concern}
            onChange={(concern) => update({ concern })}
            options={[{ value: '' as const, label: 'Any concern' }, ...CONCERN_OPTIONS]}
          />
          <Checkbox id="filter-overdue" label="Review overdue" checked={state.overdue} onChange={(overdue) => update({ overdue })} />
          <Select id="sort" label="Sort by" labelSize="s" value={state.sort} onChange={(sort) => update({ sort })} options={SORT_OPTIONS} />
          <Select
            id="direction"
            label="Order"
            labelSize="s"
            value={state.direction}
            onChange={(direction) => update({ direction })}
            options={Object.entries(SORT_DIRECTION_LABELS).map(([value, label]) => ({ value: value as CaseListState['direction'], label }))}
          />
          {filtersUsed > 0 && (
            <Button variant="secondary" onClick={() => update({ status: [], risk: [], area: '', concern: '', overdue: false })}>
              Clear filters
            </Button>
          )}
        </div>
        <div className="app-case-list__results">
          <p className="govuk-body app-result-count" role="status" data-testid="result-count">
            {pages.error ? '' : pages.count === null ? 'Loading cases…' : countText(pages.count, isSearch(query))}
          </p>
          {pages.error ? (
            <LoadRefusal error={pages.error} reload={pages.reload} />
          ) : (
            <CaseGrid
              total={pages.rowCount?.total ?? 0}
              totalUnknown={pages.rowCount?.lowerBound ?? false}
              loaded={pages.loaded}
              busy={busy}
              generation={pages.generation}
              rowAt={pages.rowAt}
              ensure={pages.ensure}
              active={state.active}
              setActive={(active) => setState((s) => ({ ...s, active }))}
              open={(row) => navigate({ name: 'case', caseId: row.id })}
            />
          )}
        </div>
      </div>
    </>
  );
}

/** "3 cases", "1 case found"; above the server's cap, "More than 1,000 cases" ("More than 200 cases found" for a search) (words, so it reads aloud as it shows). */
export function countText({ total, lowerBound }: CaseCount, search: boolean): string {
  const number = total.toLocaleString('en-GB');
  const found = search ? ' found' : '';
  if (lowerBound) return `More than ${number} cases${found}`;
  return `${number} ${total === 1 ? 'case' : 'cases'}${found}`;
}

const COLUMNS = ['Reference', 'Subjects', 'Status', 'Risk', 'Review', 'Area', 'Concerns'] as const;

function CaseGrid({
  total,
  totalUnknown,
  loaded,
  busy,
  generation,
  rowAt,
  ensure,
  active,
  setActive,
  open,
}: {
  /** The rows the grid holds (with `totalUnknown`, those known so far: scrolling to the end loads more). */
  total: number;
  totalUnknown: boolean;
  /** False while the first page of a new result set is on its way. */
  loaded: boolean;
  /** The rows shown stay until the new ones arrive; assistive technology is told they are being replaced. */
  busy: boolean;
  generation: number;
  rowAt: (index: number) => CaseRow | undefined;
  ensure: (first: number, last: number) => void;
  active: number;
  setActive: (index: number) => void;
  open: (row: CaseRow) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const activeRef = useRef(active);
  activeRef.current = active;
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (last >= 0) ensure(first, last);
  }, [first, last, ensure]);

  useEffect(() => {
    if (active >= 0 && active < total) virtualizer.scrollToIndex(active, { align: 'auto' });
  }, [active, total, virtualizer]);

  // A new result set starts at the top (unless a row is active, e.g. coming back from a case).
  useEffect(() => {
    if (activeRef.current < 0 && scroller.current) scroller.current.scrollTop = 0;
  }, [generation]);

  // Every row in view has its data: the moment a person sees the answer (bench/renderer waits for it).
  const rendered = loaded && (total === 0 || (items.length > 0 && items.every((i) => rowAt(i.index) !== undefined)));

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    if (total === 0) return;
    const pageRows = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW_HEIGHT) - 2);
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + pageRows,
      PageUp: active - pageRows,
      Home: 0,
      End: total - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      setActive(Math.min(total - 1, Math.max(0, moves[event.key]!)));
    } else if (event.key === 'Enter' && active >= 0) {
      event.preventDefault();
      const row = rowAt(active);
      if (row) open(row);
    }
  };

  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = items.length ? virtualizer.getTotalSize() - items.at(-1)!.end : 0;

  return (
    <div className="app-case-grid__scroller" ref={scroller}>
      <table
        className="app-case-grid"
        role="grid"
        aria-label="Cases"
        // -1: the number of rows is not known (ARIA), rather than a count that would grow under a screen reader.
        aria-rowcount={totalUnknown ? -1 : total + 1}
        aria-readonly="true"
        aria-describedby="case-grid-help"
        aria-activedescendant={active >= 0 && rowAt(active) ? `case-cell-${active}` : undefined}
        data-generation={generation}
        aria-busy={busy}
        data-rendered={rendered ? 'true' : 'false'}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onFocus={() => {
          if (active < 0 && total > 0) setActive(0);
        }}
      >
        <thead>
          <tr aria-rowindex={1}>
            {COLUMNS.map((c) => (
              <th key={c} scope="col" className={`app-case-grid__col--${c.toLowerCase()}`}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {paddingTop > 0 && (
            <tr aria-hidden="true" className="app-case-grid__spacer">
              <td colSpan={COLUMNS.length} style={{ height: paddingTop }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rowAt(item.index);
            const selected = item.index === active;
            return (
              <tr
                key={item.key}
                aria-rowindex={item.index + 2}
                aria-selected={selected}
                className={selected ? 'app-case-grid__row app-case-grid__row--active' : 'app-case-grid__row'}
                data-case-id={row?.id}
                onClick={() => {
                  setActive(item.index);
                  if (row) open(row);
                }}
              >
                {row ? (
                  <CaseCells row={row} index={item.index} />
                ) : (
                  <td id={`case-cell-${item.index}`} colSpan={COLUMNS.length} className="app-case-grid__loading">
                    Loading…
                  </td>
                )}
              </tr>
            );
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden="true" className="app-case-grid__spacer">
              <td colSpan={COLUMNS.length} style={{ height: paddingBottom }} />
            </tr>
          )}
          {loaded && total === 0 && (
            <tr aria-rowindex={2}>
              <td colSpan={COLUMNS.length} className="app-case-grid__empty">
                No cases match.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <p id="case-grid-help" className="govuk-visually-hidden">
        Use the arrow keys to move through the cases and Enter to open one.
      </p>
    </div>
  );
}

/**
 * A row's cells re-render only when the row itself is new (another answer): a keystroke re-renders the list
 * around them twice before its request leaves (the box, then the text the request is for).
 */
const CaseCells = memo(function CaseCells({ row, index }: { row: CaseRow; index: number }) {
  return (
    <>
      <td id={`case-cell-${index}`} className="app-case-grid__reference">
        <span className="app-case-grid__link">{row.reference}</span>
        {row.closedOnly && (
          <>
            {' '}
            <Tag colour="purple" title="Closed meeting only">
              Closed
            </Tag>
          </>
        )}
      </td>
      <td>{row.subjects.map(personName).join(', ')}</td>
      <td>
        <Tag colour={STATUS_COLOURS[row.status]}>{statusLabel(row.status)}</Tag>
      </td>
      <td>
        <Tag colour={RISK_COLOURS[row.overallRisk]}>{RISK_LABELS[row.overallRisk]}</Tag>
      </td>
      <td>
        {formatDate(row.reviewDate)}
        {row.reviewOverdue && (
          <>
            {' '}
            <Tag colour="red">Overdue</Tag>
          </>
        )}
      </td>
      <td>{row.area}</td>
      <td className="app-case-grid__concerns">{row.concerns.map(concernText).join(', ')}</td>
    </>
  );
});
