// Database.truncateWal: the reconciliation's WAL truncation does not wait for a reader of an older state (a
// backup's snapshot), which used to hold every sealing call for the whole busy timeout; what it leaves is
// emptied once the reader has gone.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/vault/database.js';
import { tempDir } from '../support/store.js';

async function walStore(path: string): Promise<Database> {
  const db = await Database.open(path, 'create');
  await db.get('PRAGMA journal_mode = WAL');
  await db.exec('PRAGMA busy_timeout = 5000');
  return db;
}

describe('Database.truncateWal', () => {
  it('does not wait for a reader of an older state, and empties the WAL once the reader has gone', async () => {
    const path = join(tempDir(), 'wal.db');
    const writer = await walStore(path);
    await writer.exec('CREATE TABLE t (x TEXT)');
    await writer.run('INSERT INTO t VALUES (?)', ['before']);
    const reader = await walStore(path);
    try {
      await reader.exec('BEGIN');
      expect(await reader.get<{ n: number }>('SELECT count(*) AS n FROM t')).toEqual({ n: 1 });
      await writer.run('INSERT INTO t VALUES (?)', ['after the reader began']);

      const started = performance.now();
      await writer.truncateWal('main');
      // A wait for the reader would take the whole busy timeout (5 s).
      expect(performance.now() - started).toBeLessThan(2500);
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
      // The busy timeout is the connection's again.
      expect(await writer.get('PRAGMA busy_timeout')).toEqual({ timeout: 5000 });

      await reader.exec('COMMIT');
      await writer.truncateLeftWals();
      expect(statSync(`${path}-wal`).size).toBe(0);
      expect(await writer.get<{ n: number }>('SELECT count(*) AS n FROM t')).toEqual({ n: 2 });
    } finally {
      await reader.close();
      await writer.close();
    }
  });
});
