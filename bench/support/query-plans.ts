// Writes docs/query-plans.md: EXPLAIN QUERY PLAN of every shape the case list and case search run
// (src/store/case-queries.ts), on an encrypted store seeded as bench/cases seeds it.
//
//   node dist/bench/support/query-plans.js [--cases=N]   (default 3,000; the plans do not depend on it,
//                                                        except which side of the walk threshold a count falls)
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { Host } from '../../src/host/host.js';
import { KDF_FLOOR } from '../../src/vault/slot-crypto.js';
import type { Sql } from '../../src/vault/database.js';
import type { SqlQuery } from '../../src/store/sql.js';
import { listCaseIds, searchCaseIds, type CaseViewer } from '../../src/store/case-queries.js';
import { ftsQuery } from '../../src/store/search.js';
import { localToday } from '../../src/domain/risk.js';
import type { CaseListInput, CaseSearchInput } from '../../src/contract/ops/cases.js';
import { generate, queries } from '../cases-data.js';
import { progress, size, tempDir } from './harness.js';

const CASES = size('cases', 3_000, 3_000);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const MANAGER = {
  username: 'plan.manager',
  displayName: 'Plan Manager',
  organisation: 'Plan Team',
  passphrase: 'query plans are not secret',
};

interface Captured {
  text: string;
  params: readonly unknown[];
}

/** A Sql that records each statement it runs, so the plan shown is of the very text the module built. */
function recording(db: Sql, into: Captured[]): Sql {
  const note = (query: string | SqlQuery) =>
    into.push(typeof query === 'string' ? { text: query, params: [] } : { text: query.text, params: query.params });
  return {
    run: (q, p) => (note(q), db.run(q, p)),
    get: (q, p) => (note(q), db.get(q, p)),
    all: (q, p) => (note(q), db.all(q, p)),
    exec: (q) => db.exec(q),
    prepare: (q) => db.prepare(q),
  };
}

async function main(): Promise<void> {
  const host = new Host(tempDir(), { kdf: KDF_FLOOR });
  const init = await dispatch(host, 'store.init', MANAGER);
  if (!init.ok) throw new Error(init.error.message);
  const db = host.vault!.db;
  progress(`seeding ${CASES} cases`);
  const g = await db.transaction((sql) => generate(sql, 1, 20261123, CASES));
  const q = queries(g);
  const today = localToday();
  const manager: CaseViewer = { role: 'manager' };
  const partner: CaseViewer = { role: 'non_statutory' };

  const shapes: { title: string; run: (sql: Sql) => Promise<unknown> }[] = [];
  for (let i = 0; i < 6; i++) {
    const input = q.listInputs(i);
    shapes.push({ title: `cases.list ${JSON.stringify(input)}`, run: (sql) => listCaseIds(sql, manager, input, today) });
  }
  const sparse: CaseListInput = { area: 'Northfield', concern: 'alcohol', risk: ['high'], sort: 'updatedAt', limit: 25, offset: 0 };
  shapes.push({
    title: `cases.list, few matches (filters first, then sort) ${JSON.stringify(sparse)}`,
    run: (sql) => listCaseIds(sql, manager, sparse, today),
  });
  const byReference: CaseListInput = { sort: 'reference', direction: 'asc', limit: 25, offset: 0 };
  shapes.push({
    title: `cases.list as a non-statutory member ${JSON.stringify(byReference)}`,
    run: (sql) => listCaseIds(sql, partner, byReference, today),
  });
  const first = await listCaseIds(db, manager, { sort: 'reviewDate', limit: 25, offset: 0 }, today);
  const keyset = { sort: 'reviewDate', limit: 25, offset: 0, after: first.nextCursor! } as const;
  shapes.push({
    title: 'cases.list, the next page by cursor (after: nextCursor of the first page, sort reviewDate)',
    run: (sql) => listCaseIds(sql, manager, keyset, today),
  });
  for (let i = 0; i < 7; i++) {
    const input: CaseSearchInput = q.searchInputs(i);
    shapes.push({
      title: `cases.search ${JSON.stringify(input)}`,
      run: (sql) => searchCaseIds(sql, manager, input, ftsQuery(input.query)!, today),
    });
  }
  const dense = q.searchInputs(5);
  shapes.push({
    title: `cases.search, many matches (the walk along the sort's index, forced here: at 100,000 cases this search has thousands) ${JSON.stringify(dense)}`,
    run: (sql) => searchCaseIds(sql, manager, dense, ftsQuery(dense.query)!, today, { walkFrom: 0 }),
  });
  const common = q.searchInputs(0);
  shapes.push({
    title: `cases.search by relevance, many matches (people read in rank order as far as the page, forced here: at 100,000 cases a surname has thousands) ${JSON.stringify(common)}`,
    run: (sql) => searchCaseIds(sql, manager, common, ftsQuery(common.query)!, today, { walkFrom: 0 }),
  });
  const flat: CaseSearchInput = { query: 'LCS', sort: 'relevance', limit: 25, offset: 0 };
  shapes.push({
    title: `cases.search by relevance, a flat case tier (the word is in every reference: not scored, the review-date index walked with a seek by rowid per case) ${JSON.stringify(flat)}`,
    run: (sql) => searchCaseIds(sql, manager, flat, ftsQuery(flat.query)!, today),
  });
  const partnerSearch: CaseSearchInput = { query: g.surnames[0]!, sort: 'relevance', limit: 25, offset: 0 };
  shapes.push({
    title: `cases.search as a non-statutory member ${JSON.stringify(partnerSearch)}`,
    run: (sql) => searchCaseIds(sql, partner, partnerSearch, ftsQuery(partnerSearch.query)!, today),
  });

  const out: string[] = [
    '# Query plans: the case list and case search',
    '',
    `Written by \`node dist/bench/support/query-plans.js\` on an encrypted store of ${CASES.toLocaleString('en-GB')} cases seeded as bench/cases seeds it (schema version ${(await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version ?? '?'}). Each shape is the text src/store/case-queries.ts builds, then SQLite's \`EXPLAIN QUERY PLAN\` of it. Parameters are shown as \`?\`.`,
    '',
    'What to look for:',
    '',
    "- A list page `SCAN`s its sort's index (`cases_by_*`, migration 005) with no `TEMP B-TREE` (or one only for the last terms, sorting the few rows that tie on the first), and stops at its last row. It walks when it expects to read few index entries (the page's rows × cases ÷ matches, cases read from the row count FTS5 keeps for `cases_fts` (`SELECT block FROM main.cases_fts_data WHERE id = 1`, one row per case), at most 4,000); otherwise it starts from a filter's index and sorts the few matches. In a walk a concern filter is a look-up of the case's concerns by primary key (`EXISTS`), not a list of every case with that concern built first.",
    "- Counts `SEARCH` a filter's covering index (a range, not the table) inside `LIMIT offset + 1001`: they stop at the cap (TOTAL_CAP) and the page says `totalIsLowerBound`. A concern filter without an area starts from `case_concerns_by_concern` and looks each case up in the narrow `cases_listing` index, never the wide rows; with an area, from `cases_by_area`.",
    "- Search first counts: the distinct matching case ids, mapped from each FTS5 index (`VIRTUAL TABLE INDEX 0:M…`; notes to cases through `case_notes_owner`, people through `case_subjects_by_person`), `LIMIT offset + 201` (SEARCH_TOTAL_CAP; by relevance `offset + 1001`, the plan being chosen by it), no scores, counted inside SQLite (`SELECT count(*)`: the ids are not sent back); for an unfiltered manager the hits are not looked up in `cases_listing` at all. Under the cap, few matches are sorted from the ids in hand (`json_each`). Otherwise a page walks the sort's index, testing each case against the rowids each FTS5 query found, read once per statement (`MATERIALIZE found_*`, then `LIST SUBQUERY` with a bloom filter), and takes each row's sources from the same lists. Relevance with many matches reads references and locations (few) and then people in bm25 order inside FTS5 (`ORDER BY rank … LIMIT`, flag 32 in the index number), mapping only as many to cases as the page needs (a second pass collects every person that ties with the page's last case); with few matches, or past the people into note-only matches, it scores and groups every hit in one statement. The prefix indexes of migration 011 (`'2 3 4'`; notes `'4'`) let a four-letter prefix such as `\"road\"*` read one doclist instead of merging every term that starts with it. The sources of a page found by relevance are tested case by case with a seek into each index (`VIRTUAL TABLE INDEX 0:M…` with `=` on the rowid) where every word is one doclist (a whole word, or a prefix of a length the index keeps); a longer prefix would merge its terms on every seek, so it is read once as a list. A query found in at least half the rows of `cases_fts` (counted with `LIMIT` half) makes the case tier flat: those matches are not scored, and the page walks `cases_by_review_date` testing each case with a seek. The summaries of the page's 25 cases are read afterwards.",
    '- What these shapes cost at 100,000 cases, statement by statement, and what still misses the goal: [search-at-scale.md](search-at-scale.md).',
    '',
  ];
  for (const shape of shapes) {
    const captured: Captured[] = [];
    await shape.run(recording(db, captured));
    out.push(`## ${shape.title}`, '');
    for (const statement of captured) {
      const plan = await db.all<{ id: number; parent: number; detail: string }>(
        `EXPLAIN QUERY PLAN ${statement.text}`,
        statement.params as never,
      );
      const depth = new Map<number, number>([[0, 0]]);
      const lines = plan.map((row) => {
        const d = (depth.get(row.parent) ?? 0) + 1;
        depth.set(row.id, d);
        return `${'  '.repeat(d - 1)}${row.detail}`;
      });
      out.push('```sql', statement.text.replace(/\s+/g, ' ').trim(), '```', '', '```', ...lines, '```', '');
    }
  }
  await host.close();
  const file = join(repo, 'docs', 'query-plans.md');
  writeFileSync(file, `${out.join('\n').trimEnd()}\n`);
  process.stderr.write(`wrote ${file}\n`);
}

await main();
