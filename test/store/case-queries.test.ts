// The new query shapes (src/store/case-queries.ts, issue 18) return exactly what the old ones did: the
// same ids in the same order, the same totals and the same match sources, on a seeded store, for every
// sort and direction, each filter, both kinds of viewer, and pages at the start, in the middle and past
// the end. The old query text is kept here, verbatim, as the reference, with the one rule the contract
// has changed since (cases.search: a flat case tier): when the query matches at least half the rows of
// cases_fts, bm25 gives it no weight, so its reference and location matches are not ranked but tie (and
// come by review date, then id). Then: keyset pages walk the same rows as offsets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../bench/cases-data.js';
import { CONCERN_CODES } from '../../src/domain/concerns.js';
import { harmRank, localToday } from '../../src/domain/risk.js';
import { ftsQuery } from '../../src/store/search.js';
import {
  FLAT_CASE_SCORE,
  RANK_PEOPLE_UP_TO,
  SEARCH_TOTAL_CAP,
  TOTAL_CAP,
  flatCaseTier,
  listCaseIds,
  searchCaseIds,
  seeksByRowid,
  cutToKeptPrefixes,
  walkThreshold,
  type CaseIdPage,
} from '../../src/store/case-queries.js';
import { ftsRowCount, readVarint } from '../../src/store/fts-rows.js';
import type { CaseListInput, CaseSearchInput, CaseSort } from '../../src/contract/ops/cases.js';
import type { Host } from '../../src/host/host.js';
import type { Database, SqlValue } from '../../src/vault/database.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Host as StoreHost } from '../../src/host/host.js';
import { MANAGER, call } from '../support/partnership.js';
import { FAST_KDF } from '../support/store.js';

// ── the reference: the queries as they were before issue 18 (src/services/search.ts) ─────────────────

type Role = 'manager' | 'non_statutory';
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const caseVisible = (role: Role) => (role === 'manager' ? '1' : 'c.closed_only = 0');
const noteVisible = (role: Role) => (role === 'manager' ? '1' : 'n.closed_only = 0');

function oldFilterSql(
  role: Role,
  filters: Pick<CaseListInput, 'status' | 'risk' | 'area' | 'concern' | 'reviewOverdue'>,
  today: string,
): { where: string; params: SqlValue[] } {
  const clauses = [caseVisible(role)];
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
  relevance: 'asc',
  reviewDate: 'asc',
  risk: 'desc',
  reference: 'desc',
  referralDate: 'desc',
  updatedAt: 'desc',
};

function oldOrderSql(sort: CaseSort, direction: 'asc' | 'desc' | undefined): string {
  const dir = (direction ?? DEFAULT_DIRECTION[sort]).toUpperCase();
  switch (sort) {
    case 'relevance':
      return `m.score ${dir}, c.review_date ASC, c.id ASC`;
    case 'reviewDate':
      return `c.review_date ${dir}, c.risk_rank DESC, c.id ASC`;
    case 'risk':
      return `c.risk_rank ${dir}, c.review_date ASC, c.id ASC`;
    case 'reference':
      return `c.ref_year ${dir}, c.ref_seq ${dir}`;
    case 'referralDate':
      return `c.referral_date ${dir}, c.id ${dir}`;
    case 'updatedAt':
      return `c.updated_at ${dir}, c.id ${dir}`;
  }
}

interface Reference {
  ids: number[];
  total: number;
  sources: string[][];
}

async function oldList(db: Database, role: Role, input: CaseListInput, today: string): Promise<Reference> {
  const { where, params } = oldFilterSql(role, input, today);
  const total = (await db.get<{ n: number }>(`SELECT count(*) AS n FROM cases c WHERE ${where}`, params))?.n ?? 0;
  const rows = await db.all<{ id: number }>(
    `SELECT c.id FROM cases c WHERE ${where} ORDER BY ${oldOrderSql(input.sort, input.direction)} LIMIT ? OFFSET ?`,
    [...params, input.limit, input.offset],
  );
  return { ids: rows.map((r) => r.id), total, sources: rows.map(() => []) };
}

async function oldSearch(
  db: Database,
  role: Role,
  input: CaseSearchInput,
  today: string,
  rankPeopleUpTo = RANK_PEOPLE_UP_TO,
): Promise<Reference> {
  const match = ftsQuery(input.query);
  if (match === null) return { ids: [], total: 0, sources: [] };
  const { where, params } = oldFilterSql(role, input, today);
  const scored = input.sort === 'relevance';
  const score = (tier: number) => (scored ? `${tier} + 1.0 / (1.0 - f.rank)` : '0');
  // The new rule: a query found in at least half the rows of cases_fts leaves its case tier unranked.
  const indexed = (await db.get<{ n: number }>('SELECT count(*) AS n FROM cases_fts'))!.n;
  const matched = (await db.get<{ n: number }>('SELECT count(*) AS n FROM cases_fts WHERE cases_fts MATCH ?', [match.short]))!.n;
  const caseScore = scored && 2 * matched >= indexed ? String(FLAT_CASE_SCORE) : score(0);
  // And a query found in more than RANK_PEOPLE_UP_TO people leaves its person tier unranked.
  const people = (await db.get<{ n: number }>('SELECT count(*) AS n FROM people_fts WHERE people_fts MATCH ?', [match.short]))!.n;
  const personScore = scored && people > rankPeopleUpTo ? '1.5' : score(1);
  const rows = await db.all<{ id: number; sources: string; total: number }>(
    `WITH hits(case_id, score, source) AS (
       SELECT f.rowid, ${caseScore}, 'case' FROM cases_fts f WHERE cases_fts MATCH ?1
       UNION ALL
       SELECT s.case_id, ${personScore}, 'person' FROM people_fts f JOIN case_subjects s ON s.person_id = f.rowid WHERE people_fts MATCH ?1
       UNION ALL
       SELECT n.case_id, ${scored ? 3 : 0}, 'note' FROM notes_fts f JOIN case_notes n ON n.id = f.rowid WHERE notes_fts MATCH ?2 AND ${noteVisible(role)}
     ),
     m AS (SELECT case_id, min(score) AS score, group_concat(DISTINCT source) AS sources FROM hits GROUP BY case_id)
     SELECT c.id, m.sources, count(*) OVER () AS total FROM m JOIN cases c ON c.id = m.case_id WHERE ${where}
     ORDER BY ${oldOrderSql(input.sort, input.direction)} LIMIT ? OFFSET ?`,
    [match.short, match.notes, ...params, input.limit, input.offset],
  );
  const total =
    rows[0]?.total ??
    (input.offset === 0 ? 0 : (await oldSearch(db, role, { ...input, offset: 0, limit: 1 }, today, rankPeopleUpTo)).total);
  return { ids: rows.map((r) => r.id), total, sources: rows.map((r) => r.sources.split(',')) };
}

// ── the seeded store and the inputs ──────────────────────────────────────────────────────────────────

const CASES = 400;
let host: Host;
let db: Database;
let folder: string;
let words: { surnames: string[]; postcodes: string[]; references: string[]; policeRefs: string[] };
const today = localToday();

beforeAll(async () => {
  // Made here, not by the per-test helpers, which close their stores after each test.
  folder = mkdtempSync(join(tmpdir(), 'concordat-case-queries-'));
  host = new StoreHost(folder, { kdf: FAST_KDF });
  await call(host, 'store.init', MANAGER);
  db = host.vault!.db;
  words = await db.transaction((sql) => generate(sql, 1, 20261123, CASES));
  // A few cases updated at the same instant, so ties on a sort column are exercised.
  await db.run("UPDATE main.cases SET updated_at = '2026-01-01T00:00:00.000Z' WHERE id % 17 = 0");
});

afterAll(async () => {
  await host?.close();
  rmSync(folder, { recursive: true, force: true });
});

const SORTS: CaseSort[] = ['reviewDate', 'risk', 'reference', 'referralDate', 'updatedAt'];
const FILTERS: Partial<CaseListInput>[] = [
  {},
  { status: ['active'] },
  { status: ['referred', 'accepted', 'active', 'under_review'] },
  { risk: ['high'] },
  { risk: ['low', 'medium'], reviewOverdue: false },
  { reviewOverdue: true },
  { area: 'northfield' },
  { concern: CONCERN_CODES[0] },
  { area: 'Selly Oak', concern: CONCERN_CODES[1], status: ['active', 'closed'] },
];
const PAGES = [
  { limit: 25, offset: 0 },
  { limit: 10, offset: 37 },
  { limit: 25, offset: 10_000 },
];
const ROLES: Role[] = ['manager', 'non_statutory'];

function listInputs(): CaseListInput[] {
  const out: CaseListInput[] = [];
  for (const sort of SORTS)
    for (const direction of [undefined, 'asc', 'desc'] as const)
      for (const filters of FILTERS)
        for (const page of PAGES) {
          out.push({ ...filters, sort, ...(direction ? { direction } : {}), ...page } as CaseListInput);
        }
  return out;
}

function searchInputs(): CaseSearchInput[] {
  const queries = [
    words.surnames[0]!,
    words.surnames[3]!.slice(0, 3),
    `${words.surnames[1]!} ${words.surnames[2]!.slice(0, 2)}`,
    words.postcodes[0]!,
    words.references[0]!,
    words.policeRefs[0]!,
    'Lime Grove',
    'graffiti',
    'stairw',
    'no',
    '%%',
    'B3',
    // In every reference: every case matches by reference, so relevance takes its whole page from cases_fts.
    'LCS',
  ];
  const out: CaseSearchInput[] = [];
  for (const query of queries)
    for (const sort of ['relevance', ...SORTS] as CaseSort[])
      for (const filters of [FILTERS[0]!, FILTERS[2]!, FILTERS[3]!, FILTERS[7]!]) {
        for (const page of PAGES) out.push({ query, ...filters, sort, ...page } as CaseSearchInput);
      }
  out.push({ query: 'graffiti', sort: 'relevance', direction: 'desc', limit: 25, offset: 5 });
  return out;
}

const asReference = (page: CaseIdPage): Reference => ({
  ids: page.rows.map((r) => r.id),
  total: page.total,
  sources: page.rows.map((r) => r.sources),
});

describe('new query shapes against the old', () => {
  it('lists: the same ids, order and totals for every sort, direction, filter, page and viewer, by either plan', async () => {
    let compared = 0;
    let nonEmpty = 0;
    for (const role of ROLES)
      for (const input of listInputs()) {
        const expected = await oldList(db, role, input, today);
        // This store is small: the walk along the sort's index is forced once, and the filter-first plan once;
        // then the plan the list chooses for itself (from the expected index reads).
        for (const walkFrom of [0, Infinity, undefined]) {
          expect(
            asReference(await listCaseIds(db, { role }, input, today, { walkFrom })),
            `${role} walkFrom=${walkFrom} ${JSON.stringify(input)}`,
          ).toEqual(expected);
        }
        compared += 1;
        if (expected.ids.length > 0) nonEmpty += 1;
      }
    // The comparison means something only if most of it compares rows.
    expect(nonEmpty).toBeGreaterThan(compared / 2);
  });

  it('search: the same ids, order, totals and match sources, by either plan', async () => {
    let nonEmpty = 0;
    const inputs = searchInputs();
    for (const role of ROLES)
      for (const input of inputs) {
        const match = ftsQuery(input.query);
        const expected = await oldSearch(db, role, input, today);
        // As for lists: the walk along the sort's index (non-relevance sorts) is forced once, the join and sort once.
        for (const walkFrom of [0, Infinity]) {
          const actual =
            match === null
              ? { ids: [], total: 0, sources: [] }
              : asReference(await searchCaseIds(db, { role }, input, match, today, { walkFrom, totalCap: TOTAL_CAP }));
          expect(actual, `${role} walkFrom=${walkFrom} ${JSON.stringify(input)}`).toEqual(expected);
        }
        // A surname's people here are a few dozen: a bound of 3 makes most person tiers too large to rank.
        if (match !== null && input.sort === 'relevance') {
          const unranked = await oldSearch(db, role, input, today, 3);
          for (const walkFrom of [0, Infinity])
            expect(
              asReference(await searchCaseIds(db, { role }, input, match, today, { walkFrom, rankPeopleUpTo: 3, totalCap: TOTAL_CAP })),
              `${role} walkFrom=${walkFrom} rankPeopleUpTo=3 ${JSON.stringify(input)}`,
            ).toEqual(unranked);
        }
        if (expected.ids.length > 0) nonEmpty += 1;
      }
    expect(nonEmpty).toBeGreaterThan(inputs.length / 2);
    // About 2,400 searches, each run by every plan: minutes on a loaded two-core machine.
  }, 300_000);
});

describe('totals up to a cap', () => {
  // The store holds 400 cases, under TOTAL_CAP: a cap of 30 stands in for it.
  const CAP = 30;
  const capped = (expected: Reference, offset: number) =>
    expected.total > offset + CAP
      ? { ...expected, total: offset + CAP, totalIsLowerBound: true }
      : { ...expected, totalIsLowerBound: false };
  const withFlag = (page: CaseIdPage) => ({ ...asReference(page), totalIsLowerBound: page.totalIsLowerBound });

  it('lists: exact up to the cap past the offset, then the cap and a lower bound; the rows are unchanged', async () => {
    let bounded = 0;
    let exact = 0;
    for (const input of listInputs()) {
      const expected = capped(await oldList(db, 'manager', input, today), input.offset);
      for (const walkFrom of [0, Infinity]) {
        const actual = withFlag(await listCaseIds(db, { role: 'manager' }, input, today, { walkFrom, totalCap: CAP }));
        expect(actual, `walkFrom=${walkFrom} ${JSON.stringify(input)}`).toEqual(expected);
      }
      if (expected.totalIsLowerBound) bounded += 1;
      else if (expected.total > 0) exact += 1;
    }
    // Both sides of the cap are compared.
    expect(bounded).toBeGreaterThan(20);
    expect(exact).toBeGreaterThan(20);
  });

  it('search: the same, for every sort and both plans', async () => {
    let bounded = 0;
    let exact = 0;
    for (const input of searchInputs()) {
      const match = ftsQuery(input.query);
      if (match === null) continue;
      // Both viewers: an unfiltered manager's count skips the cases (every hit names one), anyone else's reads them.
      for (const role of ROLES) {
        const expected = capped(await oldSearch(db, role, input, today), input.offset);
        for (const walkFrom of [0, Infinity]) {
          const actual = withFlag(await searchCaseIds(db, { role }, input, match, today, { walkFrom, totalCap: CAP }));
          expect(actual, `${role} walkFrom=${walkFrom} ${JSON.stringify(input)}`).toEqual(expected);
        }
        if (expected.totalIsLowerBound) bounded += 1;
        else if (expected.total > 0) exact += 1;
      }
    }
    expect(bounded).toBeGreaterThan(20);
    expect(exact).toBeGreaterThan(20);
  }, 300_000);

  it('a page past the cap counts further: the total grows as the list is scrolled', async () => {
    const input = { sort: 'reviewDate', limit: 25, offset: 0 } as CaseListInput;
    const all = await oldList(db, 'manager', input, today);
    expect(all.total).toBeGreaterThan(3 * CAP);
    const first = await listCaseIds(db, { role: 'manager' }, input, today, { totalCap: CAP });
    const later = await listCaseIds(db, { role: 'manager' }, { ...input, offset: 50 }, today, { totalCap: CAP });
    const last = await listCaseIds(db, { role: 'manager' }, { ...input, offset: all.total - 10 }, today, { totalCap: CAP });
    expect([first.total, first.totalIsLowerBound]).toEqual([CAP, true]);
    expect([later.total, later.totalIsLowerBound]).toEqual([50 + CAP, true]);
    expect([last.total, last.totalIsLowerBound, last.rows.length, last.nextCursor]).toEqual([all.total, false, 10, null]);
  });

  it('a search counts to SEARCH_TOTAL_CAP past its offset, a list to TOTAL_CAP, each sort of search alike', async () => {
    // "graffiti" is in the notes of most of the store's 400 cases: more than a search's cap, fewer than a list's.
    for (const sort of ['relevance', 'reviewDate', 'risk'] as CaseSort[]) {
      const input = { query: 'graffiti', sort, limit: 25, offset: 0 } as CaseSearchInput;
      const all = await oldSearch(db, 'manager', input, today);
      expect(all.total).toBeGreaterThan(SEARCH_TOTAL_CAP + 25);
      const first = await searchCaseIds(db, { role: 'manager' }, input, ftsQuery(input.query)!, today);
      expect([first.total, first.totalIsLowerBound, first.rows.map((r) => r.id)], sort).toEqual([SEARCH_TOTAL_CAP, true, all.ids]);
      const deep = await searchCaseIds(db, { role: 'manager' }, { ...input, offset: 25 }, ftsQuery(input.query)!, today);
      expect([deep.total, deep.totalIsLowerBound], sort).toEqual([
        Math.min(all.total, 25 + SEARCH_TOTAL_CAP),
        all.total > 25 + SEARCH_TOTAL_CAP,
      ]);
    }
    const list = await listCaseIds(db, { role: 'manager' }, { sort: 'reviewDate', limit: 25, offset: 0 }, today);
    expect([list.total, list.totalIsLowerBound]).toEqual([400, false]);
    expect(TOTAL_CAP).toBeGreaterThan(400);
  });
});

describe('keyset pages', () => {
  async function walk(next: (after: string | undefined) => Promise<CaseIdPage>): Promise<{ ids: number[]; totals: number[] }> {
    const ids: number[] = [];
    const totals: number[] = [];
    let after: string | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const page = await next(after);
      ids.push(...page.rows.map((r) => r.id));
      totals.push(page.total);
      if (page.nextCursor === null) break;
      after = page.nextCursor;
    }
    return { ids, totals };
  }

  it('following nextCursor walks the same rows as offsets, for every list sort and direction', async () => {
    for (const sort of SORTS)
      for (const direction of ['asc', 'desc'] as const)
        for (const filters of [FILTERS[0]!, FILTERS[5]!]) {
          const input = { ...filters, sort, direction, limit: 30, offset: 0 } as CaseListInput;
          const all = await oldList(db, 'non_statutory', { ...input, limit: 100_000 }, today);
          const walked = await walk((after) =>
            listCaseIds(db, { role: 'non_statutory' }, { ...input, ...(after ? { after } : {}) }, today, { walkFrom: 0 }),
          );
          expect(walked.ids, `${sort} ${direction} ${JSON.stringify(filters)}`).toEqual(all.ids);
          expect(new Set(walked.totals)).toEqual(new Set([all.total]));
        }
  });

  it('and for search, relevance included', async () => {
    for (const sort of ['relevance', 'reviewDate', 'updatedAt'] as CaseSort[]) {
      const input = { query: 'graffiti', sort, limit: 40, offset: 0 } as CaseSearchInput;
      const all = await oldSearch(db, 'manager', { ...input, limit: 100 }, today);
      expect(all.total).toBeGreaterThan(100);
      const everything = await oldSearch(db, 'manager', { ...input, limit: 100_000 }, today);
      const walked = await walk((after) =>
        searchCaseIds(db, { role: 'manager' }, { ...input, ...(after ? { after } : {}) }, ftsQuery(input.query)!, today, {
          totalCap: TOTAL_CAP,
        }),
      );
      expect(walked.ids, sort).toEqual(everything.ids);
      expect(new Set(walked.totals)).toEqual(new Set([everything.total]));
    }
  });

  it('and for a filtered search sorted on a column, by either plan and for either viewer', async () => {
    // A street: found in few cases' subjects and notes, so the walk passes many cases between matches.
    for (const role of ROLES)
      for (const [sort, filters] of [
        ['reviewDate', { status: ['active', 'under_review'] }],
        ['risk', { risk: ['high', 'medium'] }],
        ['referralDate', { concern: CONCERN_CODES[0] }],
      ] as const) {
        const input = { query: 'Lime Grove', ...filters, sort, limit: 7, offset: 0 } as CaseSearchInput;
        const everything = await oldSearch(db, role, { ...input, limit: 100_000 }, today);
        expect(everything.total, `${role} ${sort}`).toBeGreaterThan(7);
        for (const walkFrom of [0, Infinity, undefined]) {
          const walked = await walk((after) =>
            searchCaseIds(db, { role }, { ...input, ...(after ? { after } : {}) }, ftsQuery(input.query)!, today, {
              walkFrom,
              totalCap: TOTAL_CAP,
            }),
          );
          expect(walked.ids, `${role} ${sort} walkFrom=${walkFrom}`).toEqual(everything.ids);
          expect(new Set(walked.totals)).toEqual(new Set([everything.total]));
        }
      }
  });

  it('a cursor that is not one, or is from another sort, is refused naming the field', async () => {
    const first = await listCaseIds(db, { role: 'manager' }, { sort: 'risk', limit: 5, offset: 0 }, today);
    await expect(
      listCaseIds(db, { role: 'manager' }, { sort: 'reviewDate', limit: 5, offset: 0, after: first.nextCursor! }, today),
    ).rejects.toMatchObject({ code: 'VALIDATION', field: 'after' });
    await expect(
      listCaseIds(db, { role: 'manager' }, { sort: 'risk', limit: 5, offset: 0, after: 'not-a-cursor' }, today),
    ).rejects.toMatchObject({ code: 'VALIDATION', field: 'after' });
  });
});

describe("a flat case tier (the contract's rule for a word most cases match)", () => {
  it('is a query found in at least half the rows of cases_fts, and then ranks its case matches by review date and id', async () => {
    const lcs = ftsQuery('LCS')!;
    expect(await flatCaseTier(db, lcs)).toBe(true);
    expect(await flatCaseTier(db, ftsQuery(words.surnames[0]!)!)).toBe(false);
    expect(await flatCaseTier(db, ftsQuery(words.references[0]!)!)).toBe(false);
    const page = await searchCaseIds(db, { role: 'manager' }, { query: 'LCS', sort: 'relevance', limit: 25, offset: 0 }, lcs, today);
    const byReviewDate = await db.all<{ id: number }>('SELECT id FROM cases ORDER BY review_date, id LIMIT 25');
    expect(page.rows.map((r) => r.id)).toEqual(byReviewDate.map((r) => r.id));
    expect(page.rows.every((r) => r.sources[0] === 'case')).toBe(true);
    // bm25 would have ordered them by the length of their text: a different page.
    const scored = await db.all<{ id: number }>(
      `SELECT c.id FROM cases_fts f JOIN cases c ON c.id = f.rowid WHERE cases_fts MATCH ? ORDER BY f.rank DESC, c.review_date, c.id LIMIT 25`,
      [lcs.short],
    );
    expect(scored.map((r) => r.id)).not.toEqual(byReviewDate.map((r) => r.id));
  });
});

describe("a person tier too large to rank (the contract's rule for a common name)", () => {
  it('is a query found in more people than the bound, and then ranks its person matches by review date and id', async () => {
    const surname = words.surnames[0]!;
    const match = ftsQuery(surname)!;
    const people = (await db.get<{ n: number }>('SELECT count(*) AS n FROM people_fts WHERE people_fts MATCH ?', [match.short]))!.n;
    expect(people).toBeGreaterThan(10);
    const input = { query: surname, sort: 'relevance', limit: 10, offset: 0 } as CaseSearchInput;
    const search = (rankPeopleUpTo: number) => searchCaseIds(db, { role: 'manager' }, input, match, today, { walkFrom: 0, rankPeopleUpTo });
    const unranked = await search(people - 1);
    const byReviewDate = await db.all<{ id: number }>(
      `SELECT DISTINCT c.id, c.review_date FROM people_fts f JOIN case_subjects s ON s.person_id = f.rowid JOIN cases c ON c.id = s.case_id
       WHERE people_fts MATCH ? AND c.id NOT IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?) ORDER BY c.review_date, c.id LIMIT 10`,
      [match.short, match.short],
    );
    expect(unranked.rows.map((r) => r.id)).toEqual(byReviewDate.map((r) => r.id));
    expect(unranked.rows.every((r) => r.sources.includes('person'))).toBe(true);
    // At the bound itself the tier is ranked by bm25, which orders this page otherwise.
    const ranked = await search(people);
    expect(ranked.total).toBe(unranked.total);
    expect(ranked.rows.map((r) => r.id)).not.toEqual(unranked.rows.map((r) => r.id));
  });
});

describe('the row counts the plans are chosen by', () => {
  it('reads the number of cases, people and notes from the counts FTS5 keeps', async () => {
    const counts = (await db.get<{ cases: number; people: number; notes: number }>(
      'SELECT (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM people WHERE closed_only = 0) AS people, (SELECT count(*) FROM case_notes WHERE closed_only = 0) AS notes',
    ))!;
    expect(await ftsRowCount(db, 'cases_fts')).toBe(counts.cases);
    expect(await ftsRowCount(db, 'people_fts')).toBe(counts.people);
    expect(await ftsRowCount(db, 'notes_fts')).toBe(counts.notes);
    expect(readVarint(Uint8Array.from([0x86, 0x8d, 0x20]))).toBe(100_000);
    expect(readVarint(Uint8Array.from([0x05]))).toBe(5);
  });

  it("the list walks its sort's index from a count set by the number of cases, not by the largest id", async () => {
    // Ids are unguessable (milliseconds × 4,096): the largest is no count of anything.
    const largest = (await db.get<{ n: number }>('SELECT max(id) AS n FROM cases'))!.n;
    expect(largest).toBeGreaterThan(1e9);
    // A page of 25 walks when it expects to read at most 4,000 index entries: 25 × 400 / 4,000 → from 3 matches.
    expect(await walkThreshold(db, 25)).toBe(Math.ceil((25 * CASES) / 4000));
    expect(await walkThreshold(db, 25 + 10_000)).toBe(1000);
  });

  it('probes an index by rowid only where one doclist answers each word', () => {
    expect(seeksByRowid('"lcs"*', [2, 3, 4])).toBe(true);
    expect(seeksByRowid('"church" "road"*', [4])).toBe(true);
    expect(seeksByRowid('"turner"*', [2, 3, 4])).toBe(false);
    expect(seeksByRowid('"a"*', [2, 3, 4])).toBe(false);
  });

  it('cuts a prefix no index keeps to the longest one kept, leaving whole words and kept or shorter prefixes', () => {
    expect(cutToKeptPrefixes('"lcsp" "2026" "dnqtm"*', [4])).toBe('"lcsp" "2026" "dnqt"*');
    expect(cutToKeptPrefixes('"lcsp"* "2026"* "dnqtm"*', [2, 3, 4])).toBe('"lcsp"* "2026"* "dnqt"*');
    expect(cutToKeptPrefixes('"church" "road"*', [4])).toBe('"church" "road"*');
    expect(cutToKeptPrefixes('"a"* "zoë"*', [2, 3, 4])).toBe('"a"* "zoë"*');
    expect(cutToKeptPrefixes('"zoëlle"*', [2, 3, 4])).toBe('"zoël"*');
  });
});
