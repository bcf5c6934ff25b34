// How a backup's snapshot is taken: the live files' own bytes, copied while SQLite's WAL read-lock 0 keeps
// every checkpoint out of them, or (another reader pins an older state) sqlcipher_export. Either way the
// backup restores to exactly the store as it was when the snapshot began: not without the frames the WAL
// held then, and not with the writes made while it was copied.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditHead, verifyAuditLog } from '../../src/audit/log.js';
import type { Host } from '../../src/host/host.js';
import { restoreBackupFile } from '../../src/services/backup.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { sql } from '../../src/store/sql.js';
import { countTables, createBackup } from '../../src/vault/backup.js';
import { Database, rawKeyPragma, type Sql } from '../../src/vault/database.js';
import { Vault } from '../../src/vault/vault.js';
import { call, createCase, createPerson, credentials, MANAGER, partnershipStore, STATUTORY } from '../support/partnership.js';
import { FAST_KDF, newHost, tempDir } from '../support/store.js';

/** What the backup service adds to a manifest. */
const describeSnapshot = async (sql: Sql) => ({ auditHead: await auditHead(sql), createdBy: { username: MANAGER.username } });

/** The store's rows and audit head now (nothing else runs while the test reads them). */
async function stateOf(host: Host) {
  const db = host.vault!.db;
  return { tables: await countTables(db), closed: await countTables(db, 'closed'), head: await auditHead(db) };
}

/**
 * Grows the database file by a few MiB of free pages, so that copying it takes several chunks and the
 * store's calls get in between them.
 */
async function growFile(host: Host): Promise<void> {
  const db = host.vault!.db;
  await db.transaction(async (sql) => {
    await sql.exec('CREATE TABLE filler (b BLOB)');
    await sql.exec(
      'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO filler SELECT randomblob(4000) FROM n',
    );
  });
  await db.transaction((sql) => sql.exec('DROP TABLE filler'));
}

/** A restored folder as the store reads it: with the recovery key (no entry added), then the closed tables as a statutory member. */
async function readRestored(dataDir: string, recoveryKey: string) {
  const vault = Vault.open(dataDir, { migrations: MIGRATIONS, kdf: FAST_KDF });
  let main;
  try {
    await vault.unlockWithRecoveryKey(recoveryKey);
    main = {
      tables: await countTables(vault.db),
      head: await auditHead(vault.db),
      chain: await verifyAuditLog(vault.db, vault.storeId),
    };
  } finally {
    await vault.close();
  }
  const again = newHost(dataDir);
  await call(again, 'session.unlock', credentials(STATUTORY));
  const closed = await countTables(again.vault!.db, 'closed');
  await call(again, 'session.lock');
  return { ...main, closed };
}

describe("a backup's snapshot", () => {
  it('copies the live files while writes go on, and restores to exactly the store as the snapshot began (WAL frames from before included)', async () => {
    const store = await partnershipStore(newHost());
    const { host } = store;
    const person = await createPerson(host);
    const caseId = await createCase(host, [person]);
    await call(host, 'cases.addNote', { caseId, body: 'A closed-only note before the backup', closedOnly: true });
    await growFile(host);
    await host.vault!.integrity.passed();
    // Frames in the WAL that no checkpoint has written into the file yet: a copy of the file alone lacks them.
    const db = host.vault!.db;
    await db.exclusive(() => db.exec('PRAGMA wal_checkpoint(TRUNCATE)'));
    await createCase(host, [person]);
    await call(host, 'cases.addNote', { caseId, body: 'An open note left in the WAL' });
    const { databasePath } = host.vault!.backupSource();
    expect(statSync(`${databasePath}-wal`).size).toBeGreaterThan(0);
    const before = await stateOf(host);
    // And a write queued in the store just before the backup's section: after the checkpoint the backup runs
    // on its own first (outside the store's queue), so only one inside the section can write it into the file.
    let lastWrite = false;
    const source = host.vault!.backupSource();
    const lent = {
      ...source,
      db: {
        exclusive: <T>(work: () => Promise<T>) =>
          db.exclusive(async () => {
            if (!lastWrite) {
              lastWrite = true;
              await db.transactionNow((tx) => tx.run(sql`INSERT INTO meta (key, value) VALUES ('written before the snapshot', 'yes')`));
            }
            return work();
          }),
        between: <T>(ms: number, work: () => Promise<T>) => db.between(ms, work),
        truncateLeftWals: () => db.truncateLeftWals(),
      } as unknown as Database,
    };

    // From the copy's first chunk on, notes (open and closed-only) are written one after another, each followed by a checkpoint.
    let stop = false;
    let written = 0;
    let writtenDuringCopy = 0;
    let writing: Promise<void> | null = null;
    const out = join(tempDir(), 'copied.cbak');
    const made = await createBackup(lent, out, {
      describe: describeSnapshot,
      onProgress: (p) => {
        if (p.phase !== 'snapshot') {
          stop = true;
          return;
        }
        if (p.done > 0) writtenDuringCopy = written;
        writing ??= (async () => {
          while (!stop) {
            await call(host, 'cases.addNote', { caseId, body: `Note ${written} during the backup`, closedOnly: written % 2 === 1 });
            written++;
            // The store's own checkpoints (a sealing call's truncation, the autocheckpoint) try to write the
            // WAL into the file as the copy reads it.
            await db.exclusive(async () => {
              await db.truncateWal('main');
              await db.truncateWal('closed');
            });
          }
        })();
      },
    });
    stop = true;
    await writing;

    expect(made.snapshot).toBe('copied');
    expect(writtenDuringCopy).toBeGreaterThanOrEqual(2);
    expect(lastWrite).toBe(true);
    const atSnapshot = { ...before.tables, meta: before.tables.meta! + 1 };
    expect(made.manifest.tables).toEqual(atSnapshot);
    expect(made.manifest.auditHead).toEqual(before.head);
    const live = await stateOf(host);
    expect(live.tables.case_notes).toBeGreaterThan(before.tables.case_notes!);
    expect(live.head!.seq).toBeGreaterThan(before.head!.seq);

    const restoredDir = join(tempDir(), 'restored');
    await restoreBackupFile(out, restoredDir, credentials(MANAGER));
    // A copy of a WAL-mode file left in WAL mode would have made -wal and -shm files beside the restored one.
    expect(readdirSync(restoredDir).sort()).toEqual(['concordat-closed.db', 'concordat.db', 'concordat.keys']);
    const restored = await readRestored(restoredDir, store.recoveryKey);
    expect(restored.tables).toEqual(atSnapshot);
    expect(restored.head).toEqual(before.head);
    expect(restored.chain).toMatchObject({ intact: true, head: before.head });
    expect(restored.closed).toEqual(before.closed);
  }, 120_000);

  it('a rotation stops a copy under way (typed, nothing written), and re-keys once it has stopped', async () => {
    const store = await partnershipStore(newHost());
    const { host } = store;
    const person = await createPerson(host);
    await createCase(host, [person]);
    await growFile(host);
    await host.vault!.integrity.passed();
    const folder = tempDir();
    let rotation: Promise<unknown> | null = null;
    let copiedBytes = 0;
    let snapshotBytes = 0;
    const made = createBackup(host.vault!.backupSource(), join(folder, 'rotated.cbak'), {
      describe: describeSnapshot,
      onProgress: (p) => {
        if (p.phase !== 'snapshot') return;
        snapshotBytes = p.total / 2;
        copiedBytes = p.done;
        // After the first chunk: the rotation queues for the store and stops the copy before re-keying.
        if (p.done > 0) rotation ??= call(host, 'store.rotateMasterKey');
      },
    });
    await expect(made).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/master key was rotated/) });
    expect(rotation).not.toBeNull();
    await rotation;
    expect(snapshotBytes).toBeGreaterThan(4 * 2 ** 20);
    expect(copiedBytes).toBeLessThan(snapshotBytes);
    expect(readdirSync(folder)).toEqual([]);
    await call(host, 'session.lock');
    await call(host, 'session.unlock', credentials(MANAGER));
    expect((await host.vault!.db.get<{ n: number }>('SELECT count(*) AS n FROM cases'))!.n).toBe(1);
  }, 120_000);

  it('is exported instead when another reader pins an older state, and the backup is still exactly the store at its start', async () => {
    const store = await partnershipStore(newHost());
    const { host } = store;
    const person = await createPerson(host);
    await createCase(host, [person]);
    await host.vault!.integrity.passed();
    const { databasePath, masterKey } = host.vault!.backupSource();
    const reader = await Database.open(databasePath, 'readonly');
    try {
      await reader.exec(rawKeyPragma(masterKey));
      masterKey.fill(0);
      await reader.exec('BEGIN');
      expect((await reader.get<{ n: number }>('SELECT count(*) AS n FROM cases'))!.n).toBe(1);
      // Written after the reader's snapshot: its frames cannot all go into the file while it reads.
      await createCase(host, [person]);
      await createCase(host, [person]);
      const before = await stateOf(host);
      expect(before.tables.cases).toBe(3);

      const out = join(tempDir(), 'exported.cbak');
      const made = await createBackup(host.vault!.backupSource(), out, { describe: describeSnapshot });
      expect(made.snapshot).toBe('exported');
      expect(made.manifest.tables).toEqual(before.tables);
      expect(made.manifest.auditHead).toEqual(before.head);

      const restoredDir = join(tempDir(), 'restored-exported');
      await restoreBackupFile(out, restoredDir, credentials(MANAGER));
      const restored = await readRestored(restoredDir, store.recoveryKey);
      expect(restored.tables).toEqual(before.tables);
      expect(restored.head).toEqual(before.head);
      expect(restored.chain).toMatchObject({ intact: true });
      expect(restored.closed).toEqual(before.closed);
    } finally {
      await reader.exec('COMMIT').catch(() => undefined);
      await reader.close();
    }
  }, 120_000);
});
