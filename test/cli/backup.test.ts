// `concordat backup create | verify | restore` as a user's shell runs them (the built CLI in a child process).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/store.js';
import { MANAGER } from '../support/partnership.js';
import { asManager, assertBuilt, concordat, inStore, initStore } from './run.js';

beforeAll(assertBuilt);

describe('concordat backup', () => {
  it('creates, verifies and restores a backup; refuses a changed byte (exit 5) and a folder that is not empty', async () => {
    const dataDir = tempDir();
    const cli = inStore(dataDir);
    const recoveryKey = await initStore(cli);
    expect((await cli(['org', 'add', 'West Midlands Police', '--statutory'], asManager)).code).toBe(0);
    const out = join(tempDir(), 'store.cbak');

    const made = await cli(['backup', 'create', '--out', out, '--json'], asManager);
    expect(made.code, made.stderr).toBe(0);
    const { manifest, sha256 } = JSON.parse(made.stdout) as {
      manifest: { tables: Record<string, number>; auditHead: { seq: number } };
      sha256: string;
    };
    expect(manifest.tables.organisations).toBe(2);
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    // Never overwrites.
    expect((await cli(['backup', 'create', '--out', out], asManager)).code).toBe(4);

    const verified = await concordat(['backup', 'verify', out, '--user', MANAGER.username], {
      env: { CONCORDAT_PASSPHRASE: MANAGER.passphrase },
    });
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain('is intact');
    const byRecovery = await concordat(['backup', 'verify', out, '--recovery', '--json'], { env: { CONCORDAT_RECOVERY_KEY: recoveryKey } });
    expect(byRecovery.code, byRecovery.stderr).toBe(0);
    expect(JSON.parse(byRecovery.stdout)).toMatchObject({ intact: true, manifest: { auditHead: { seq: manifest.auditHead.seq } } });
    const wrong = await concordat(['backup', 'verify', out, '--user', MANAGER.username], {
      env: { CONCORDAT_PASSPHRASE: 'not the right passphrase' },
    });
    expect(wrong.code).toBe(3);

    const occupied = tempDir();
    writeFileSync(join(occupied, 'keep.txt'), 'mine');
    const refused = await concordat(['backup', 'restore', out, '--data-dir', occupied, '--user', MANAGER.username], {
      env: { CONCORDAT_PASSPHRASE: MANAGER.passphrase },
    });
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('FOLDER_NOT_EMPTY');
    expect(readdirSync(occupied)).toEqual(['keep.txt']);

    // An anchor beyond the backup's head is reported, not fatal.
    const target = join(tempDir(), 'restored');
    const beyond = `${manifest.auditHead.seq + 5}:${'a'.repeat(64)}`;
    const restored = await concordat(['backup', 'restore', out, '--data-dir', target, '--recovery', '--anchor', beyond], {
      env: { CONCORDAT_RECOVERY_KEY: recoveryKey },
    });
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stderr).toContain('AUDIT_BEHIND_ANCHOR');
    expect(readdirSync(target).sort()).toEqual(['concordat-closed.db', 'concordat.db', 'concordat.keys']);
    // An anchor another entry stands at: exit 6, and nothing is restored.
    const contradicted = join(tempDir(), 'contradicted');
    const tampered = await concordat(
      ['backup', 'restore', out, '--data-dir', contradicted, '--recovery', '--anchor', `${manifest.auditHead.seq}:${'f'.repeat(64)}`],
      { env: { CONCORDAT_RECOVERY_KEY: recoveryKey } },
    );
    expect(tampered.code, tampered.stderr).toBe(6);
    expect(tampered.stderr).toContain('AUDIT_TAMPERED');
    expect(existsSync(contradicted)).toBe(false);
    // The restored store works: unlock, and its audit log verifies.
    const audit = await inStore(target)(['audit', 'verify'], asManager);
    expect(audit.code, audit.stderr).toBe(0);

    const bytes = readFileSync(out);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x40;
    writeFileSync(out, bytes);
    const changed = await concordat(['backup', 'verify', out, '--user', MANAGER.username], {
      env: { CONCORDAT_PASSPHRASE: MANAGER.passphrase },
    });
    expect(changed.code).toBe(5);
    expect(changed.stderr).toContain('BACKUP_CORRUPT');
    const fresh = join(tempDir(), 'never');
    mkdirSync(fresh);
    const notRestored = await concordat(['backup', 'restore', out, '--data-dir', fresh, '--user', MANAGER.username], {
      env: { CONCORDAT_PASSPHRASE: MANAGER.passphrase },
    });
    expect(notRestored.code).toBe(5);
    expect(readdirSync(fresh)).toEqual([]);
    expect(existsSync(join(fresh, 'concordat.db'))).toBe(false);
  }, 120_000);
});
