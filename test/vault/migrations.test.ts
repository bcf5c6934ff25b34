// Each numbered migration applied to a real encrypted file, one step at a time.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { Database, rawKeyPragma } from '../../src/vault/database.js';
import { migrate, schemaVersion } from '../../src/vault/migrate.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import type { Migration } from '../../src/vault/migrate.js';
import { call, credentials, MANAGER } from '../support/partnership.js';
import { initialisedStore, newHost, tempDir } from '../support/store.js';
import { openRaw, rawKeyOf } from './raw.js';

async function freshEncryptedFile(): Promise<Database> {
  const db = await Database.open(join(tempDir(), 'migrate.db'), 'create');
  await db.exec(rawKeyPragma(randomBytes(32)));
  await db.get('PRAGMA journal_mode = WAL');
  return db;
}

const tables = async (db: Database) =>
  (await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') ORDER BY name")).map((r) => r.name);

describe('migrations', () => {
  it('are numbered 1, 2, … without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('apply one step at a time to a real SQLCipher file, keep the data, and re-run as a no-op', async () => {
    const db = await freshEncryptedFile();
    try {
      expect(await schemaVersion(db)).toBe(0);

      expect(await migrate(db, MIGRATIONS, 1)).toBe(1);
      expect(await schemaVersion(db)).toBe(1);
      expect(await tables(db)).toEqual(['meta', 'organisations', 'users']);
      await db.run("INSERT INTO organisations (name, statutory, created_at) VALUES ('Northfield Council', 1, '2026-01-01T00:00:00.000Z')");

      expect(await migrate(db, MIGRATIONS, 2)).toBe(2);
      expect(await schemaVersion(db)).toBe(2);
      expect(await tables(db)).toEqual(['audit_log', 'audit_log_no_delete', 'audit_log_no_update', 'meta', 'organisations', 'users']);
      expect(await db.get('SELECT name FROM organisations')).toEqual({ name: 'Northfield Council' });

      // A re-run (every open does one) changes nothing: the CREATE statements would fail if it ran them again.
      expect(await migrate(db, MIGRATIONS, 2)).toBe(2);
      expect(await migrate(db, MIGRATIONS)).toBe(MIGRATIONS.at(-1)!.version);
      expect(await tables(db)).toContain('audit_log');

      const check = await db.all<{ quick_check: string }>('PRAGMA quick_check');
      expect(check).toEqual([{ quick_check: 'ok' }]);
      expect(await db.all('PRAGMA cipher_integrity_check')).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('a failing migration leaves the store at the last version that completed', async () => {
    const db = await freshEncryptedFile();
    try {
      const newest = MIGRATIONS.at(-1)!.version;
      const broken: Migration[] = [
        ...MIGRATIONS,
        { version: newest + 1, name: 'broken', up: (sql) => sql.exec('CREATE TABLE half_done (x); SELECT * FROM no_such_table;') },
      ];
      await expect(migrate(db, broken)).rejects.toThrow(/no_such_table/);
      expect(await schemaVersion(db)).toBe(newest);
      expect(await tables(db)).not.toContain('half_done');
    } finally {
      await db.close();
    }
  });

  it('refuses a database written by a newer version (DATABASE_FOREIGN), and the store with it', async () => {
    const db = await freshEncryptedFile();
    try {
      await migrate(db, MIGRATIONS);
      await db.exec(`PRAGMA user_version = ${MIGRATIONS.at(-1)!.version + 1}`);
      await expect(migrate(db, MIGRATIONS)).rejects.toMatchObject({ code: 'DATABASE_FOREIGN' });
    } finally {
      await db.close();
    }

    const { host, dataDir } = await initialisedStore();
    const pragma = rawKeyOf(host);
    await call(host, 'session.lock');
    await host.close();
    const raw = await openRaw(dataDir, pragma);
    await raw.exec(`PRAGMA user_version = ${MIGRATIONS.at(-1)!.version + 5}`);
    await raw.close();
    const again = newHost(dataDir);
    const refused = await dispatch(again, 'session.unlock', credentials(MANAGER));
    expect(refused).toMatchObject({ ok: false, error: { code: 'DATABASE_FOREIGN' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/newer version/);
  });

  it('a new store reports the newest schema version', async () => {
    const { host } = await initialisedStore();
    expect((await call(host, 'store.info')).schemaVersion).toBe(MIGRATIONS.at(-1)!.version);
  });
});
