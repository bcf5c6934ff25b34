// Database keeps the prepared statements of its reads (src/vault/database.ts): they are used again, they
// follow schema changes, a read leaves its statement reset (no read transaction held open), an interrupt
// leaves it usable, and close finalises them all (SQLite refuses to close with statements unfinalised).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database, STATEMENT_CACHE_SIZE } from '../../src/vault/database.js';
import { migrate, type Migration } from '../../src/vault/migrate.js';
import { Ticket } from '../../src/dispatch/supersede.js';
import { call, createCase, createPerson, partnershipStore } from '../support/partnership.js';
import { newHost, tempDir } from '../support/store.js';

async function plainStore(): Promise<Database> {
  const db = await Database.open(join(tempDir(), 'cache.db'), 'create');
  await db.get('PRAGMA journal_mode = WAL');
  await db.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3);');
  return db;
}

/** Runs `test` on a fresh plainStore, closing it afterwards whatever happens. */
async function onPlainStore(test: (db: Database) => Promise<void>): Promise<void> {
  const db = await plainStore();
  try {
    await test(db);
  } finally {
    await db.close();
  }
}

/** A read that steps until interrupted: counts to `n` (about a second for 10^8). */
const LONG_COUNT = 'WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ?) SELECT count(*) AS n FROM c';

describe('the statement cache', () => {
  it('serves a real store: the same reads give the same answers from kept statements, and closing finalises them', async () => {
    const host = newHost();
    await partnershipStore(host);
    const person = await createPerson(host);
    const caseId = await createCase(host, [person]);
    const db = host.vault!.db;
    const first = await call(host, 'cases.get', { caseId });
    const kept = db.keptStatements;
    expect(kept).toBeGreaterThan(5);
    const again = await call(host, 'cases.get', { caseId });
    expect(again.case).toEqual(first.case);
    // The second call prepared nothing new: every read it made was kept from the first.
    expect(db.keptStatements).toBe(kept);
    await call(host, 'cases.search', { query: first.case.reference, limit: 25, offset: 0 });
    expect(db.keptStatements).toBeGreaterThan(kept);

    await host.close();
    expect(db.keptStatements).toBe(0);
  });

  it('finalises every kept statement before closing (SQLite would refuse: SQLITE_BUSY)', async () => {
    const db = await plainStore();
    expect(await db.all('SELECT x FROM t ORDER BY x')).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }]);
    expect(await db.get('SELECT x FROM t ORDER BY x')).toEqual({ x: 1 });
    expect(db.keptStatements).toBe(2);
    await expect(db.close()).resolves.toBeUndefined();
    expect(db.keptStatements).toBe(0);
  });

  it('keeps only reads, up to its size, dropping the least recently used', async () => {
    await onPlainStore(async (db) => {
      await db.run('INSERT INTO t VALUES (?)', [4]);
      await db.get('PRAGMA user_version');
      expect(db.keptStatements).toBe(0);
      await db.get('SELECT 0 AS k');
      for (let i = 1; i <= STATEMENT_CACHE_SIZE + 10; i++) {
        expect(await db.get(`SELECT ${i} AS k`)).toEqual({ k: i });
        if (i === STATEMENT_CACHE_SIZE - 1) await db.get('SELECT 0 AS k'); // used again: no longer the oldest
      }
      expect(db.keptStatements).toBe(STATEMENT_CACHE_SIZE);
      // 'SELECT 0' was kept (recently used); 'SELECT 1' was dropped, so reading it again prepares it anew.
      await db.get('SELECT 0 AS k');
      expect(db.keptStatements).toBe(STATEMENT_CACHE_SIZE);
      expect(await db.get('SELECT 1 AS k')).toEqual({ k: 1 });
    });
  });

  it('answers a get from the first row every time, and leaves no read open (DETACH of what it read works)', async () => {
    await onPlainStore(async (db) => {
      const other = join(tempDir(), 'other.db');
      await db.run('ATTACH DATABASE ? AS other', [other]);
      await db.exec('CREATE TABLE other.u (y INTEGER); INSERT INTO other.u VALUES (7), (8);');
      expect(await db.get('SELECT y FROM other.u ORDER BY y')).toEqual({ y: 7 });
      expect(await db.get('SELECT y FROM other.u ORDER BY y')).toEqual({ y: 7 });
      // A statement left stepping would make this fail with "database other is locked".
      await db.exec('DETACH DATABASE other');
      await expect(db.get('SELECT y FROM other.u ORDER BY y')).rejects.toThrow(/no such table/);
      await db.run('ATTACH DATABASE ? AS other', [other]);
      expect(await db.get('SELECT y FROM other.u ORDER BY y')).toEqual({ y: 7 });
    });
  });

  it('follows schema changes: a migration, and a TEMP view shadowing a table (as the closed store’s do)', async () => {
    await onPlainStore(async (db) => {
      const read = 'SELECT * FROM t ORDER BY x';
      expect(await db.all(read)).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }]);
      const migrations: Migration[] = [
        {
          version: 1,
          name: 'a column and a rebuilt table',
          up: async (sql) => {
            // Read inside the migration through the kept statement, then change what it reads.
            expect(await sql.all(read)).toHaveLength(3);
            await sql.exec(`ALTER TABLE t ADD COLUMN y TEXT NOT NULL DEFAULT 'y'`);
            await sql.exec(`CREATE TABLE t2 (x INTEGER, y TEXT, z INTEGER); INSERT INTO t2 SELECT x, y, x * 10 FROM t WHERE x > 1;`);
            await sql.exec('DROP TABLE t; ALTER TABLE t2 RENAME TO t;');
            expect(await sql.all(read)).toEqual([
              { x: 2, y: 'y', z: 20 },
              { x: 3, y: 'y', z: 30 },
            ]);
          },
        },
      ];
      expect(await migrate(db, migrations)).toBe(1);
      expect(await db.all(read)).toEqual([
        { x: 2, y: 'y', z: 20 },
        { x: 3, y: 'y', z: 30 },
      ]);
      const count = 'SELECT count(*) AS n FROM t';
      expect(await db.get(count)).toEqual({ n: 2 });
      await db.exec('CREATE TEMP VIEW t AS SELECT 42 AS x');
      expect(await db.get(count)).toEqual({ n: 1 });
      await db.exec('DROP VIEW temp.t');
      expect(await db.get(count)).toEqual({ n: 2 });
    });
  });

  it('lets rekey and VACUUM run beside kept statements, which read the same rows after them', async () => {
    const path = join(tempDir(), 'keyed.db');
    const db = await Database.open(path, 'create');
    await db.exec(`PRAGMA key = "x'${'11'.repeat(32)}'"`);
    await db.get('PRAGMA journal_mode = WAL');
    await db.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3);');
    const read = 'SELECT x FROM t ORDER BY x';
    expect(await db.all(read)).toHaveLength(3);
    expect(await db.get(read)).toEqual({ x: 1 });
    await db.exec(`PRAGMA rekey = "x'${'22'.repeat(32)}'"`);
    await db.exec('DELETE FROM t WHERE x = 2');
    await db.exec('VACUUM');
    expect(await db.all(read)).toEqual([{ x: 1 }, { x: 3 }]);
    expect(db.keptStatements).toBe(2);
    await db.close();
    const again = await Database.open(path);
    try {
      await again.exec(`PRAGMA key = "x'${'22'.repeat(32)}'"`);
      expect(await again.all(read)).toEqual([{ x: 1 }, { x: 3 }]);
    } finally {
      await again.close();
    }
  });

  it('leaves a statement an interrupt stopped usable, through a superseded read as the dispatcher makes it', async () => {
    await onPlainStore(async (db) => {
      for (const method of ['all', 'get'] as const) {
        const ticket = new Ticket();
        expect(ticket.start(db)).toBe(true);
        const reads = ticket.reads(db);
        const long = reads[method](LONG_COUNT, [1e9]);
        setTimeout(() => ticket.supersede(), 50);
        await expect(long).rejects.toMatchObject({ code: 'CANCELLED' });
        ticket.finish();
        const kept = db.keptStatements;
        expect(kept).toBe(method === 'all' ? 1 : 2);
        // The same statement, from the cache (nothing new prepared), runs to its end.
        const short = await db[method]<{ n: number }>(LONG_COUNT, [1000]);
        expect(method === 'all' ? short : [short]).toEqual([{ n: 1000 }]);
        expect(db.keptStatements).toBe(kept);
      }
      // And the connection writes as before: nothing was left open by the interrupted reads.
      await db.transaction((sql) => sql.run('INSERT INTO t VALUES (?)', [9]));
      expect(await db.get('SELECT max(x) AS m FROM t')).toEqual({ m: 9 });
    });
  });

  it('gives two reads of the same text at once their own statements, each its own answer', async () => {
    await onPlainStore(async (db) => {
      const text = 'SELECT x FROM t WHERE x >= ? ORDER BY x';
      const answers = await Promise.all([db.all(text, [1]), db.all(text, [3]), db.get(text, [2]), db.get(text, [3])]);
      expect(answers).toEqual([[{ x: 1 }, { x: 2 }, { x: 3 }], [{ x: 3 }], { x: 2 }, { x: 3 }]);
      expect(db.keptStatements).toBe(2);
    });
  });
});
