// The progress of an upgrade: the migration runner reports every migration it runs, in order, and what a
// migration says of its own progress; an unlock of a store made by older code reports each step it runs
// (the whole-file check, the store's migrations, the closed database's, the move of closed-only content),
// counted before the first begins, and store.status shows the step while the unlock is still running.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Host } from '../../src/host/host.js';
import { CLOSED_MIGRATIONS } from '../../src/store/closed-migrations/index.js';
import { CLOSED_STORE } from '../../src/store/closed-store.js';
import { SEALED_TABLES } from '../../src/store/closed-tables.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { Database, rawKeyPragma } from '../../src/vault/database.js';
import { migrate, type Migration, type MigrationProgress } from '../../src/vault/migrate.js';
import type { UpgradeProgress } from '../../src/vault/upgrade-progress.js';
import { Vault } from '../../src/vault/vault.js';
import { storeMadeAt015 } from '../store/upgrade.js';
import { MANAGER, NON_STATUTORY, call, credentials } from '../support/partnership.js';
import { FAST_KDF, tempDir } from '../support/store.js';

async function freshEncryptedFile(): Promise<Database> {
  const db = await Database.open(join(tempDir(), 'migrate.db'), 'create');
  await db.exec(rawKeyPragma(randomBytes(32)));
  await db.get('PRAGMA journal_mode = WAL');
  return db;
}

describe('migration progress', () => {
  it('the runner reports every migration it runs, in order, each as step n of the run, and what a migration says of itself', async () => {
    const db = await freshEncryptedFile();
    try {
      const newest = MIGRATIONS.at(-1)!.version;
      const counting: Migration = {
        version: newest + 1,
        name: 'counting',
        up: async (sql, context) => {
          await sql.exec('CREATE TABLE counted (n INTEGER)');
          for (let n = 1; n <= 3; n++) {
            await sql.run('INSERT INTO counted (n) VALUES (?)', [n]);
            context.progress(n, 3);
          }
        },
      };
      const heard: MigrationProgress[] = [];
      await migrate(db, MIGRATIONS, 2, (p) => heard.push(p));
      expect(heard).toEqual([
        { version: 1, name: MIGRATIONS[0]!.name, step: 1, steps: 2, done: null, total: null },
        { version: 2, name: MIGRATIONS[1]!.name, step: 2, steps: 2, done: null, total: null },
      ]);

      heard.length = 0;
      expect(await migrate(db, [...MIGRATIONS, counting], undefined, (p) => heard.push(p))).toBe(newest + 1);
      const rest = MIGRATIONS.slice(2);
      const steps = rest.length + 1;
      expect(heard).toEqual([
        ...rest.map((m, i) => ({ version: m.version, name: m.name, step: i + 1, steps, done: null, total: null })),
        { version: newest + 1, name: 'counting', step: steps, steps, done: null, total: null },
        ...[1, 2, 3].map((done) => ({ version: newest + 1, name: 'counting', step: steps, steps, done, total: 3 })),
      ]);
      expect(await db.all('SELECT n FROM counted ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);

      // A store that is up to date runs nothing and reports nothing.
      heard.length = 0;
      await migrate(db, [...MIGRATIONS, counting], undefined, (p) => heard.push(p));
      expect(heard).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('an unlock of an older store reports each step of its upgrade, counted before the first, and store.status shows it while it runs', async () => {
    const dataDir = tempDir();
    await storeMadeAt015(dataDir);
    const heard: UpgradeProgress[] = [];
    let seenByStatus: unknown = null;
    // The closed database's last migration waits until store.status has been read during the unlock.
    const lastClosed = CLOSED_MIGRATIONS.at(-1)!;
    const waiting: Migration = {
      ...lastClosed,
      up: async (sql, context) => {
        seenByStatus = (await call(host, 'store.status')).upgrade;
        await lastClosed.up(sql, context);
      },
    };
    const host = new Host(dataDir, {
      kdf: FAST_KDF,
      closed: { ...CLOSED_STORE, migrations: [...CLOSED_MIGRATIONS.slice(0, -1), waiting] },
      onUpgradeProgress: (p) => heard.push(p),
    });
    try {
      expect((await call(host, 'store.status')).upgrade).toBeNull();
      await call(host, 'session.unlock', credentials(MANAGER));

      const starts = heard.filter((p) => p.done === null).map(({ step, steps, stage, name }) => ({ step, steps, stage, name }));
      const store = MIGRATIONS.filter((m) => m.version > 15);
      const closed = CLOSED_MIGRATIONS.filter((m) => m.version > 3);
      const steps = 1 + store.length + closed.length + 1;
      expect(starts).toEqual([
        { step: 1, steps, stage: 'check', name: 'checking the store file' },
        ...store.map((m, i) => ({ step: 2 + i, steps, stage: 'store', name: m.name })),
        ...closed.map((m, i) => ({ step: 2 + store.length + i, steps, stage: 'closed', name: m.name })),
        { step: steps, steps, stage: 'seal', name: 'moving closed-only content into the closed database' },
      ]);
      // The move of closed-only content counts its tables, three passes each, to the end (a pass with
      // nothing to do counts its tables at once).
      const moving = heard.filter((p) => p.stage === 'seal' && p.done !== null);
      expect(moving.at(-1)).toMatchObject({ done: SEALED_TABLES.length * 3, total: SEALED_TABLES.length * 3 });
      const done = moving.map((p) => p.done!);
      expect(done.length).toBeGreaterThanOrEqual(SEALED_TABLES.length);
      expect(done.every((d, i) => i === 0 || d > done[i - 1]!)).toBe(true);

      // The store's file was read whole before the first migration: the check after unlock reads only the closed database.
      const paths = Vault.paths(dataDir);
      expect(host.vault!.integrity.paths).toEqual([paths.closedDatabase]);
      await host.vault!.integrity.passed();
      expect(seenByStatus).toMatchObject({ step: steps - 1, steps, stage: 'closed', name: lastClosed.name, done: null, total: null });
      // Once the unlock has ended, there is no upgrade to show; the next unlock has nothing to upgrade.
      expect((await call(host, 'store.status')).upgrade).toBeNull();
      await call(host, 'session.lock');
      heard.length = 0;
      await call(host, 'session.unlock', credentials(MANAGER));
      expect(heard).toEqual([]);
      expect(host.vault!.integrity.paths).toEqual([paths.database, paths.closedDatabase]);
    } finally {
      await host.close();
    }
  });

  it('a session without the closed key counts no step for the closed database, and its check after unlock reads nothing again', async () => {
    const dataDir = tempDir();
    await storeMadeAt015(dataDir);
    const heard: UpgradeProgress[] = [];
    const host = new Host(dataDir, { kdf: FAST_KDF, onUpgradeProgress: (p) => heard.push(p) });
    try {
      await call(host, 'session.unlock', credentials(NON_STATUTORY));
      const store = MIGRATIONS.filter((m) => m.version > 15);
      const steps = 1 + store.length;
      expect(heard.map(({ step, steps, stage, name }) => ({ step, steps, stage, name }))).toEqual([
        { step: 1, steps, stage: 'check', name: 'checking the store file' },
        ...store.map((m, i) => ({ step: 2 + i, steps, stage: 'store', name: m.name })),
      ]);
      expect(host.vault!.integrity.paths).toEqual([]);
      await host.vault!.integrity.passed();
    } finally {
      await host.close();
    }
  });
});
