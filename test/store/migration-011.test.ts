// Migration 011 (prefix indexes for search) on a real encrypted file written by the schema before it:
// seeded as bench/cases seeds a store, searched, migrated, searched again. The tables are made again with
// their prefix indexes and filled from what they index; every search finds exactly what it found before;
// the triggers keep the new tables in step; an option set on an old table is set on the new one.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type Generated } from '../../bench/cases-data.js';
import type { CaseSearchInput } from '../../src/contract/ops/cases.js';
import { localToday } from '../../src/domain/risk.js';
import { searchCaseIds, type CaseIdPage } from '../../src/store/case-queries.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { ftsQuery } from '../../src/store/search.js';
import { Database, rawKeyPragma } from '../../src/vault/database.js';
import { migrate, schemaVersion } from '../../src/vault/migrate.js';
import { tempDir } from '../support/store.js';

const VERSION = 11;
const before = MIGRATIONS.filter((m) => m.version < VERSION);
const today = localToday();
let db: Database;
let g: Generated;

const definition = async (table: string) =>
  (await db.get<{ sql: string }>('SELECT sql FROM sqlite_master WHERE name = ?', [table]))?.sql ?? '';

function inputs(): CaseSearchInput[] {
  const page = { limit: 25, offset: 0 } as const;
  const queries = [
    g.surnames[0]!,
    g.surnames[1]!.slice(0, 4),
    g.surnames[2]!.slice(0, 3),
    g.postcodes[0]!,
    g.references[0]!,
    g.references[1]!.slice(0, 4),
    g.policeRefs[0]!,
    'Church Road',
    'road',
    'grove',
    'graffiti',
    'stai',
  ];
  return queries.flatMap((query) => [
    { query, sort: 'relevance', ...page },
    { query, sort: 'reviewDate', status: ['active', 'under_review'], ...page },
    { query, sort: 'risk', ...page, offset: 5 },
  ]);
}

async function searchAll(): Promise<{ input: CaseSearchInput; page: CaseIdPage }[]> {
  const out = [];
  for (const input of inputs())
    for (const role of ['manager', 'non_statutory'] as const)
      out.push({ input, page: await searchCaseIds(db, { role }, input, ftsQuery(input.query)!, today) });
  return out;
}

beforeAll(async () => {
  db = await Database.open(join(tempDir(), 'before-011.db'), 'create');
  await db.exec(rawKeyPragma(randomBytes(32)));
  await db.get('PRAGMA journal_mode = WAL');
  await migrate(db, before);
  await db.run("INSERT INTO organisations (name, statutory, created_at) VALUES ('Northfield Council', 1, '2026-01-01T00:00:00.000Z')");
  await db.run(
    "INSERT INTO users (username, display_name, role, organisation_id, created_at) VALUES ('alex', 'Alex', 'manager', 1, '2026-01-01T00:00:00.000Z')",
  );
  g = await db.transaction((sql) => generate(sql, 1, 20261130, 150));
});

afterAll(async () => {
  await db?.close();
});

describe('migration 011: prefix indexes for search', () => {
  it('remakes the FTS tables with their prefix indexes, finds exactly what it found before, and keeps options', async () => {
    expect(await schemaVersion(db)).toBe(before.at(-1)!.version);
    expect(await definition('notes_fts')).not.toMatch(/prefix/);
    // An option a store may carry (migration 010 sets this one), so that the remade table must keep it.
    await db.run("INSERT INTO notes_fts (notes_fts, rank) VALUES ('secure-delete', 1)");
    const found = await searchAll();
    expect(found.filter((f) => f.page.rows.length > 0).length).toBeGreaterThan(found.length / 2);

    // To 011 alone: from 013 on, closed-only text leaves these indexes for the closed database's (migration-013.test.ts).
    expect(await migrate(db, MIGRATIONS, VERSION)).toBe(VERSION);

    expect(await definition('people_fts')).toMatch(/prefix = '2 3 4'/);
    expect(await definition('cases_fts')).toMatch(/prefix = '2 3 4'/);
    expect(await definition('notes_fts')).toMatch(/prefix = '4'/);
    expect(await db.get("SELECT v FROM notes_fts_config WHERE k = 'secure-delete'")).toEqual({ v: 1 });
    for (const table of ['people_fts', 'cases_fts', 'notes_fts'])
      await db.run(`INSERT INTO ${table} (${table}, rank) VALUES ('integrity-check', 1)`);
    const counts = await db.get<Record<string, number>>(
      `SELECT (SELECT count(*) FROM people_fts) AS people, (SELECT count(*) FROM people) AS people_rows,
         (SELECT count(*) FROM cases_fts) AS cases, (SELECT count(*) FROM cases) AS case_rows,
         (SELECT count(*) FROM notes_fts) AS notes, (SELECT count(*) FROM case_notes) AS note_rows`,
    );
    expect([counts!.people, counts!.cases, counts!.notes]).toEqual([counts!.people_rows, counts!.case_rows, counts!.note_rows]);
    expect(await searchAll()).toEqual(found);
  });

  it('the triggers keep the new tables in step: a new note and a renamed person are found by a four-letter prefix', async () => {
    const caseId = (await db.get<{ id: number }>('SELECT min(id) AS id FROM cases'))!.id;
    await db.run(
      "INSERT INTO case_notes (case_id, author_id, at, classification, body) VALUES (?, 1, '2026-01-02T00:00:00.000Z', 'free_text', 'Zephyrine seen at the shops')",
      [caseId],
    );
    const person = (await db.get<{ id: number }>('SELECT min(id) AS id FROM people'))!.id;
    await db.run("UPDATE people SET family_name = 'Quarrington' WHERE id = ?", [person]);
    const search = (query: string) =>
      searchCaseIds(db, { role: 'manager' }, { query, sort: 'relevance', limit: 25, offset: 0 }, ftsQuery(query)!, today);
    expect((await search('Zeph')).rows.map((r) => r.sources)).toEqual([['note']]);
    expect((await search('Quar')).rows.length).toBeGreaterThan(0);
    expect((await search('Quar')).rows.every((r) => r.sources.includes('person'))).toBe(true);
  });
});
