// A master-key rotation (asked for, or the one a user's removal makes) and a backup being written at the same
// time: the backup must never complete with key slots that do not open its snapshot, nor with the slots of a
// key the store no longer uses (a removed user's among them). The rotation stops the backup, which fails with
// a typed error and leaves nothing behind; the rotation itself goes on.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditHead } from '../../src/audit/log.js';
import { isConcordatError } from '../../src/contract/errors.js';
import type { Host } from '../../src/host/host.js';
import { backupJob, verifyBackupFile } from '../../src/services/backup.js';
import { backupKeyFile, createBackup, readBackupHeader } from '../../src/vault/backup.js';
import type { Sql } from '../../src/vault/database.js';
import { attempt, call, createCase, createPerson, credentials, MANAGER, partnershipStore, STATUTORY } from '../support/partnership.js';
import { newHost, tempDir } from '../support/store.js';

const ROTATED = /master key was rotated/;

async function storeWithCases(): Promise<Host> {
  const { host } = await partnershipStore(newHost());
  const person = await createPerson(host);
  for (let i = 0; i < 5; i++) await createCase(host, [person]);
  return host;
}

/** What the backup service adds to a manifest. */
const describeSnapshot = async (sql: Sql) => ({ auditHead: await auditHead(sql), createdBy: { username: MANAGER.username } });

/** The store still opens under its (new) key after a lock, and holds what it held. */
async function reopens(host: Host): Promise<number> {
  await call(host, 'session.lock');
  await call(host, 'session.unlock', credentials(MANAGER));
  return (await host.vault!.db.get<{ n: number }>('SELECT count(*) AS n FROM cases'))!.n;
}

async function refusal(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = await work.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isConcordatError(err)) throw new Error(`expected a typed refusal, got ${String(err)}`);
  return { code: err.code, message: err.message };
}

describe('a master-key rotation while a backup is being written', () => {
  it('a rotation that comes while the snapshot is read stops the backup (typed, nothing written) and completes', async () => {
    const host = await storeWithCases();
    const folder = tempDir();
    const out = join(folder, 'rotated.cbak');
    let rotation: Promise<unknown> | null = null;
    const made = createBackup(host.vault!.backupSource(), out, {
      describe: describeSnapshot,
      // As the copy begins: the rotation queues for the store and stops the snapshot before re-keying.
      onProgress: (p) => {
        if (p.phase === 'snapshot' && rotation === null) rotation = call(host, 'store.rotateMasterKey');
      },
    });
    expect(await refusal(made)).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(ROTATED) });
    expect(rotation).not.toBeNull();
    await rotation;
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(folder)).toEqual([]);
    expect(await reopens(host)).toBe(5);
    // Made again, the backup carries the new key's slots, and they open it.
    const again = join(folder, 'again.cbak');
    await createBackup(host.vault!.backupSource(), again, { describe: describeSnapshot });
    expect((await verifyBackupFile(again, credentials(MANAGER))).manifest.tables.cases).toBe(5);
  }, 60_000);

  it('a backup lent the key before a rotation ran is refused as it starts, not failed as a damaged store', async () => {
    const host = await storeWithCases();
    const out = join(tempDir(), 'late.cbak');
    const source = host.vault!.backupSource();
    await call(host, 'store.rotateMasterKey');
    expect(await refusal(createBackup(source, out, { describe: describeSnapshot }))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(ROTATED),
    });
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it("a user's removal during a backup stops it; the next backup holds no slot of theirs and does not open with their passphrase", async () => {
    const host = await storeWithCases();
    const folder = tempDir();
    const out = join(folder, 'during-removal.cbak');
    await call(host, 'backup.create', { out });
    await call(host, 'users.remove', { username: STATUTORY.username });
    await backupJob(host, 'create')!.finished;
    const job = await call(host, 'backup.status');
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(ROTATED) });
    expect(readdirSync(folder)).toEqual([]);
    expect(await reopens(host)).toBe(5);

    const after = join(folder, 'after-removal.cbak');
    await call(host, 'backup.create', { out: after });
    await backupJob(host, 'create')!.finished;
    expect((await call(host, 'backup.status')).state).toBe('done');
    const slots = backupKeyFile(readBackupHeader(after)).slots;
    expect(JSON.stringify(slots)).not.toContain(STATUTORY.username);
    expect((await refusal(verifyBackupFile(after, credentials(STATUTORY)))).code).not.toBe('INTERNAL');
    expect((await verifyBackupFile(after, credentials(MANAGER))).manifest.tables.cases).toBe(5);
  }, 60_000);

  it('store.rotateMasterKey refuses while a backup is being made, and runs once it has finished', async () => {
    const host = await storeWithCases();
    const out = join(tempDir(), 'first.cbak');
    await call(host, 'backup.create', { out });
    const refused = await attempt(host, 'store.rotateMasterKey');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('once it has finished') });
    await backupJob(host, 'create')!.finished;
    expect((await call(host, 'backup.status')).state).toBe('done');
    expect((await attempt(host, 'store.rotateMasterKey')).ok).toBe(true);
    expect(await reopens(host)).toBe(5);
  }, 60_000);

  it("the app's own check of a backup made before a rotation says the key changed (not the file); the command line still verifies it", async () => {
    const host = await storeWithCases();
    const out = join(tempDir(), 'before-rotation.cbak');
    await call(host, 'backup.create', { out });
    await backupJob(host, 'create')!.finished;
    await call(host, 'backup.verify', { file: out });
    await backupJob(host, 'verify')!.finished;
    expect((await call(host, 'backup.status')).state).toBe('done');

    await call(host, 'store.rotateMasterKey');
    await call(host, 'backup.verify', { file: out });
    await backupJob(host, 'verify')!.finished;
    expect(await call(host, 'backup.status')).toMatchObject({
      state: 'failed',
      error: { code: 'CONFLICT', message: expect.stringMatching(/earlier master key.*concordat backup verify/) },
    });
    // With the passphrase, the key comes out of the backup's own key file.
    expect((await verifyBackupFile(out, credentials(MANAGER))).manifest.tables.cases).toBe(5);
  }, 60_000);
});
