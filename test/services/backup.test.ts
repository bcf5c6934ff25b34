// Backups through the dispatcher and the restore/verify functions the command line uses, on real stores:
// a backup taken during a stream of writes restores to exactly its manifest; one changed byte is refused;
// a restore never touches a folder that is not empty.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditHead, verifyAuditLog } from '../../src/audit/log.js';
import { backupJob, restoreBackupFile, verifyBackupFile } from '../../src/services/backup.js';
import { countTables, readBackupHeader } from '../../src/vault/backup.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { Vault } from '../../src/vault/vault.js';
import {
  attempt,
  call,
  createCase,
  createPerson,
  credentials,
  MANAGER,
  NON_STATUTORY,
  partnershipStore,
  STATUTORY,
} from '../support/partnership.js';
import { FAST_KDF, newHost, tempDir } from '../support/store.js';
import type { Host } from '../../src/host/host.js';

async function backUp(host: Host, out: string) {
  await call(host, 'backup.create', { out });
  await backupJob(host, 'create')!.finished;
  const job = await call(host, 'backup.status');
  expect(job, JSON.stringify(job.error)).toMatchObject({ state: 'done', kind: 'create', progress: 1, file: out });
  return job;
}

/** Opens a restored folder with the recovery key (no audit entry is added) and reads what it holds. */
async function readRestored(dataDir: string, recoveryKey: string) {
  const vault = Vault.open(dataDir, { migrations: MIGRATIONS, kdf: FAST_KDF });
  try {
    await vault.unlockWithRecoveryKey(recoveryKey);
    const storeId = vault.storeId;
    return {
      tables: await countTables(vault.db),
      head: await auditHead(vault.db),
      chain: await verifyAuditLog(vault.db, storeId),
      casesCreatedInLog: (await vault.db.get<{ n: number }>(
        "SELECT count(*) AS n FROM audit_log WHERE operation = 'cases.create' AND outcome = 'ok'",
      ))!.n,
    };
  } finally {
    await vault.close();
  }
}

function flipByte(file: string, offset: number): void {
  const bytes = readFileSync(file);
  bytes[offset] = bytes[offset]! ^ 0x01;
  writeFileSync(file, bytes);
}

describe('backup', () => {
  it('a backup taken during a stream of writes restores to a store whose content and audit head match its manifest', async () => {
    const store = await partnershipStore(newHost());
    const { host } = store;
    const person = await createPerson(host);
    for (let i = 0; i < 5; i++) await createCase(host, [person]);
    const out = join(tempDir(), 'during-writes.cbak');

    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await createCase(host, [person]);
        written++;
      }
    })();
    await call(host, 'backup.create', { out });
    await backupJob(host, 'create')!.finished;
    // Let a few more writes land after the snapshot, then stop.
    const target = written + 3;
    while (written < target) await new Promise((r) => setTimeout(r, 5));
    writing = false;
    await writer;

    const job = await call(host, 'backup.status');
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    const manifest = job.manifest!;
    const live = await host.vault!.db.get<{ n: number }>('SELECT count(*) AS n FROM cases');
    expect(manifest.tables.cases).toBeGreaterThanOrEqual(5);
    expect(manifest.tables.cases).toBeLessThan(live!.n);
    expect(manifest.createdBy).toEqual({ username: MANAGER.username });
    expect(manifest.auditHead!.seq).toBeLessThan((await auditHead(host.vault!.db))!.seq);

    const restoredDir = join(tempDir(), 'restored');
    const restored = await restoreBackupFile(out, restoredDir, credentials(MANAGER));
    expect(restored.manifest).toEqual(manifest);
    const read = await readRestored(restoredDir, store.recoveryKey);
    expect(read.tables).toEqual(manifest.tables);
    expect(read.head).toEqual(manifest.auditHead);
    expect(read.chain).toMatchObject({ intact: true, head: manifest.auditHead });
    // Content and log were copied at the same instant: every case in the copy has its entry, and no more.
    expect(read.casesCreatedInLog).toBe(manifest.tables.cases);

    // The restored store unlocks as usual, with no tamper warning (the copied checkpoint is not ahead of the log).
    const again = newHost(restoredDir);
    const unlocked = await call(again, 'session.unlock', credentials(MANAGER));
    expect(unlocked.tamperWarning).toBeNull();
    expect(await call(again, 'audit.verify')).toMatchObject({ intact: true });

    // The reminder: done now, so not overdue; the backup and its completion are in the live log.
    expect(await call(host, 'backup.settings')).toMatchObject({ overdue: false, lastBackupFile: out });
    const entries = await host.vault!.db.all<{ details: string }>(
      "SELECT details FROM audit_log WHERE operation = 'backup.create' ORDER BY seq",
    );
    expect(entries.map((e) => JSON.parse(e.details).phase)).toEqual(['started', 'done']);
    expect(JSON.parse(entries[1]!.details).sha256).toBe(job.sha256);
  });

  it('one changed byte anywhere is refused by verify and by restore, which leaves nothing behind', async () => {
    const store = await partnershipStore(newHost());
    const person = await createPerson(store.host);
    await createCase(store.host, [person]);
    const out = join(tempDir(), 'one.cbak');
    await backUp(store.host, out);
    expect((await verifyBackupFile(out, credentials(MANAGER))).manifest.tables.cases).toBe(1);
    expect((await verifyBackupFile(out, { recoveryKey: store.recoveryKey })).manifest.storeId).toBe(store.host.vault!.storeId);

    const { databaseOffset, header, size } = readBackupHeader(out);
    const original = readFileSync(out);
    // In the header's manifest, deep in the database, and in the tag.
    const headerText = original.subarray(0, databaseOffset).toString('latin1');
    const places = {
      manifest: headerText.indexOf('"cases":1') + 8,
      keyFile: headerText.indexOf('"keyFile":"') + 40,
      database: databaseOffset + Math.floor(header.database.bytes / 2),
      lastPage: size - 32 - 100,
      tag: size - 1,
    };
    for (const [where, offset] of Object.entries(places)) {
      writeFileSync(out, original);
      flipByte(out, offset);
      const verified = verifyBackupFile(out, credentials(MANAGER));
      await expect(verified, where).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
      const target = join(tempDir(), `restore-${where}`);
      await expect(restoreBackupFile(out, target, credentials(MANAGER)), where).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
      expect(existsSync(target), where).toBe(false);
    }
    writeFileSync(out, original.subarray(0, size - 10));
    await expect(verifyBackupFile(out, credentials(MANAGER))).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
  });

  it('restore refuses a folder that is not empty, and a wrong passphrase, and writes nothing', async () => {
    const store = await partnershipStore(newHost());
    const out = join(tempDir(), 'refuse.cbak');
    await backUp(store.host, out);
    const occupied = tempDir();
    writeFileSync(join(occupied, 'notes.txt'), 'keep me');
    await expect(restoreBackupFile(out, occupied, credentials(MANAGER))).rejects.toMatchObject({
      code: 'FOLDER_NOT_EMPTY',
      field: 'dataDir',
    });
    expect(readdirSync(occupied)).toEqual(['notes.txt']);
    // The live store's own folder is never a target.
    await expect(restoreBackupFile(out, store.dataDir, credentials(MANAGER))).rejects.toMatchObject({ code: 'FOLDER_NOT_EMPTY' });

    const empty = join(tempDir(), 'empty');
    mkdirSync(empty);
    await expect(
      restoreBackupFile(out, empty, { username: MANAGER.username, passphrase: 'not the passphrase at all' }),
    ).rejects.toMatchObject({
      code: 'AUTH_FAILED',
    });
    expect(readdirSync(empty)).toEqual([]);
    // A statutory partner's slot is in the backup too; theirs opens it.
    await restoreBackupFile(out, empty, credentials(STATUTORY));
    expect(readdirSync(empty).sort()).toEqual(['concordat-closed.db', 'concordat.db', 'concordat.keys']);
  });

  it('backup.create refuses an existing file and a missing folder; backup.verify checks a file in the app', async () => {
    const store = await partnershipStore(newHost());
    const folder = tempDir();
    writeFileSync(join(folder, 'taken.cbak'), 'x');
    expect(await attempt(store.host, 'backup.create', { out: join(folder, 'taken.cbak') })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'out' },
    });
    expect(await attempt(store.host, 'backup.create', { out: join(folder, 'nowhere', 'b.cbak') })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'out' },
    });
    expect(await attempt(store.host, 'backup.create', { out: 'relative.cbak' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'out' },
    });
    // Without a folder setting, `out` is needed; with one, the file is named for the time.
    expect(await attempt(store.host, 'backup.create', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'out' } });
    expect(await call(store.host, 'backup.settings')).toMatchObject({ folder: null, reminderDays: 7, overdue: true, lastBackupAt: null });
    await call(store.host, 'backup.configure', { folder, reminderDays: 3 });
    const { file } = await call(store.host, 'backup.create', {});
    expect(file.startsWith(join(folder, 'concordat-backup-'))).toBe(true);
    await backupJob(store.host, 'create')!.finished;
    expect(await call(store.host, 'backup.settings')).toMatchObject({ folder, reminderDays: 3, overdue: false, lastBackupFile: file });

    await call(store.host, 'backup.verify', { file });
    await backupJob(store.host, 'verify')!.finished;
    expect(await call(store.host, 'backup.status')).toMatchObject({
      state: 'done',
      kind: 'verify',
      manifest: { storeId: store.host.vault!.storeId },
    });
    flipByte(file, readBackupHeader(file).databaseOffset + 5000);
    await call(store.host, 'backup.verify', { file });
    await backupJob(store.host, 'verify')!.finished;
    expect(await call(store.host, 'backup.status')).toMatchObject({ state: 'failed', error: { code: 'BACKUP_CORRUPT' } });
  });

  it('restore looks up the anchors the user holds: a head after the backup is reported, one the log contradicts refuses it', async () => {
    const store = await partnershipStore(newHost());
    const { host } = store;
    const person = await createPerson(host);
    await createCase(host, [person]);
    const out = join(tempDir(), 'anchored.cbak');
    const { manifest } = await backUp(host, out);
    const inBackup = manifest!.auditHead!;
    // Work goes on after the backup; an export would print this head, which the backup cannot hold.
    await createCase(host, [person]);
    const later = (await auditHead(host.vault!.db))!;
    expect(later.seq).toBeGreaterThan(inBackup.seq);

    const target = join(tempDir(), 'restored');
    const restored = await restoreBackupFile(out, target, credentials(MANAGER), [inBackup, later]);
    expect(restored.anchors).toEqual([
      { anchor: inBackup, finding: 'present' },
      { anchor: later, finding: 'behind' },
    ]);
    expect(readdirSync(target).sort()).toEqual(['concordat-closed.db', 'concordat.db', 'concordat.keys']);
    expect((await verifyBackupFile(out, credentials(MANAGER), [later])).anchors).toEqual([{ anchor: later, finding: 'behind' }]);

    // An export's head at a place the backup's log holds another entry: the history was rewritten.
    const contradicted = { seq: inBackup.seq, hash: 'f'.repeat(64) };
    const refusedDir = join(tempDir(), 'refused');
    await expect(restoreBackupFile(out, refusedDir, credentials(MANAGER), [contradicted])).rejects.toMatchObject({
      code: 'AUDIT_TAMPERED',
      field: 'anchor',
    });
    expect(existsSync(refusedDir)).toBe(false);
    // verify reports it and leaves the decision to the caller (the command line exits 6).
    expect((await verifyBackupFile(out, credentials(MANAGER), [contradicted])).anchors).toEqual([
      { anchor: contradicted, finding: 'differs' },
    ]);
  });

  it('carries the closed database: a closed-only note survives backup, restore and a statutory unlock; its bytes are authenticated', async () => {
    const store = await partnershipStore(newHost());
    const { host } = store;
    const person = await createPerson(host);
    const caseId = await createCase(host, [person]);
    const marker = 'Zanthorpe-closed-only-backup';
    await call(host, 'cases.addNote', { caseId, body: `${marker} said at the closed meeting`, closedOnly: true });
    await call(host, 'cases.addNote', { caseId, body: 'An open note' });
    const out = join(tempDir(), 'closed.cbak');
    const job = await backUp(host, out);

    const layout = readBackupHeader(out);
    expect(layout.header.closedDatabase?.bytes).toBeGreaterThan(0);
    // The manifest is readable without a key, but not the closed database's row counts: they are sealed under its key.
    expect(layout.header.manifest.closedTables).toBeUndefined();
    expect(layout.header.manifest.sealedClosedTables?.data).toBeTruthy();
    expect(JSON.stringify(layout.header)).not.toContain('closed_case_notes');
    // The note's words are not readable either, in the open store's copy or the header.
    expect(readFileSync(out).includes(marker)).toBe(false);
    expect(job.manifest!.tables.case_notes).toBe(2);

    // A non-statutory member's slot opens the backup but not the closed copy: its bytes are checked by the tag alone.
    await expect(verifyBackupFile(out, credentials(NON_STATUTORY))).resolves.toMatchObject({ manifest: { storeId: host.vault!.storeId } });

    const restoredDir = join(tempDir(), 'restored-closed');
    await restoreBackupFile(out, restoredDir, credentials(STATUTORY));
    expect(readdirSync(restoredDir).sort()).toEqual(['concordat-closed.db', 'concordat.db', 'concordat.keys']);
    const again = newHost(restoredDir);
    const unlocked = await call(again, 'session.unlock', credentials(STATUTORY));
    expect(unlocked.tamperWarning).toBeNull();
    await call(again, 'session.setJustification', { justification: 'Checking the restored store' });
    const read = await call(again, 'cases.get', { caseId });
    expect(read.case.notes.map((n) => n.body).sort()).toEqual(['An open note', `${marker} said at the closed meeting`]);
    const opened = await again.vault!.db.get<{ details: string }>(
      "SELECT details FROM audit_log WHERE operation = 'session.unlock' ORDER BY seq DESC LIMIT 1",
    );
    expect(opened!.details).not.toMatch(/closedDatabaseMissing/);

    // One changed byte inside the closed copy is refused, with every credential.
    const original = readFileSync(out);
    flipByte(out, layout.closedOffset + Math.floor(layout.header.closedDatabase!.bytes / 2));
    for (const who of [MANAGER, NON_STATUTORY]) {
      await expect(verifyBackupFile(out, credentials(who)), who.username).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
    }
    const target = join(tempDir(), 'restore-closed-flipped');
    await expect(restoreBackupFile(out, target, credentials(STATUTORY))).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
    expect(existsSync(target)).toBe(false);
    writeFileSync(out, original);
  });
});
