// Key slots: changing and resetting passphrases, rotating the master key (and surviving a crash half way),
// recovery with the recovery key, and the Argon2id floor.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import sqlcipher from '@journeyapps/sqlcipher';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { Host } from '../../src/host/host.js';
import { ConcordatError } from '../../src/contract/errors.js';
import { DEFAULT_KDF, formatRecoveryKey, sealToPublicKey } from '../../src/vault/slot-crypto.js';
import type { Slot } from '../../src/vault/keyfile.js';
import { attempt, call, credentials, MANAGER, NON_STATUTORY, partnershipStore, STATUTORY } from '../support/partnership.js';
import { initialisedStore, newHost, tempDir } from '../support/store.js';
import { dbFile, openRaw, opensWith, rawKeyHex, rawKeyOf, readKeyFileJson, writeKeyFileJson } from './raw.js';

/** The partnership (a manager, a statutory and a non-statutory user), unlocked as the manager. */
const storeWithUsers = () => partnershipStore(newHost(), { justification: null });

const unlockAs = (host: Host, user: { username: string; passphrase: string }) => attempt(host, 'session.unlock', credentials(user));

/** One unlock attempt from a fresh process-like Host, which then lets the folder go. */
async function unlockOnce(dataDir: string, user: { username: string; passphrase: string }) {
  const host = newHost(dataDir);
  try {
    return await unlockAs(host, user);
  } finally {
    await host.close();
  }
}

/** Unlocks as each user in turn (locking between), failing on the first refusal. */
async function expectEveryUserUnlocks(host: Host, users: { username: string; passphrase: string }[]) {
  for (const user of users) {
    const result = await unlockAs(host, user);
    expect(result, user.username).toMatchObject({ ok: true, value: { tamperWarning: null } });
    await call(host, 'session.lock');
  }
}

const slotsByName = (dataDir: string) =>
  new Map(readKeyFileJson(dataDir).slots.map((s) => [s.kind === 'recovery' ? '(recovery)' : s.username!, JSON.stringify(s)]));

/** Rows read through a fresh connection of the binding, keyed with nothing but `pragma`. */
function readWithOnly(file: string, pragma: string, sql: string): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlcipher.Database(file, sqlcipher.OPEN_READWRITE, (openErr: Error | null) => {
      if (openErr) return reject(openErr);
      db.exec(pragma, (keyErr: Error | null) => {
        if (keyErr) return db.close(() => reject(keyErr));
        db.all(sql, (err: Error | null, rows: Record<string, unknown>[]) => db.close(() => (err ? reject(err) : resolve(rows))));
      });
    });
  });
}

describe('passphrase change', () => {
  it('refuses the old passphrase, accepts the new, and rewrites only that slot', async () => {
    const { host, dataDir } = await storeWithUsers();
    await call(host, 'session.lock');
    await call(host, 'session.unlock', { username: STATUTORY.username, passphrase: STATUTORY.passphrase });
    const before = slotsByName(dataDir);

    const wrong = await dispatch(host, 'users.changePassphrase', {
      currentPassphrase: 'not my passphrase',
      newPassphrase: 'new lamp morning shift',
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED', field: 'currentPassphrase' } });
    expect(slotsByName(dataDir)).toEqual(before);

    await call(host, 'users.changePassphrase', { currentPassphrase: STATUTORY.passphrase, newPassphrase: 'new lamp morning shift' });
    const after = slotsByName(dataDir);
    expect(after.get(STATUTORY.username)).not.toBe(before.get(STATUTORY.username));
    for (const name of [MANAGER.username, NON_STATUTORY.username, '(recovery)']) expect(after.get(name), name).toBe(before.get(name));

    await call(host, 'session.lock');
    expect(await unlockAs(host, STATUTORY)).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    await expectEveryUserUnlocks(host, [{ ...STATUTORY, passphrase: 'new lamp morning shift' }, MANAGER, NON_STATUTORY]);
  });

  it("lets a manager reset another user's passphrase, touching only that slot", async () => {
    const { host, dataDir } = await storeWithUsers();
    const before = slotsByName(dataDir);
    await call(host, 'users.resetPassphrase', { username: NON_STATUTORY.username, newPassphrase: 'a fresh start for sam' });
    const after = slotsByName(dataDir);
    expect(after.get(NON_STATUTORY.username)).not.toBe(before.get(NON_STATUTORY.username));
    for (const name of [MANAGER.username, STATUTORY.username, '(recovery)']) expect(after.get(name), name).toBe(before.get(name));
    await call(host, 'session.lock');
    expect(await unlockAs(host, NON_STATUTORY)).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    await expectEveryUserUnlocks(host, [{ ...NON_STATUTORY, passphrase: 'a fresh start for sam' }, MANAGER, STATUTORY]);
  });
});

describe('master-key rotation', () => {
  it('re-keys the database: the old raw key no longer opens it, every slot and the recovery key still do, data intact', async () => {
    const { host, dataDir, recoveryKey } = await storeWithUsers();
    const oldPragma = rawKeyOf(host);
    const headBefore = (await call(host, 'store.info')).auditHead!;

    await call(host, 'store.rotateMasterKey');
    const newPragma = rawKeyOf(host);
    expect(newPragma).not.toBe(oldPragma);
    const keyFile = readKeyFileJson(dataDir);
    expect(keyFile.slots.every((s) => s.sealedNextMasterKey === undefined)).toBe(true);
    await call(host, 'session.lock');

    expect(await opensWith(dbFile(dataDir), oldPragma)).toBe(false);
    expect(await opensWith(dbFile(dataDir), newPragma)).toBe(true);

    await expectEveryUserUnlocks(host, [MANAGER, STATUTORY, NON_STATUTORY]);
    const vault = host.openVault();
    await vault.unlockWithRecoveryKey(recoveryKey);
    expect(vault.rawKeyPragma()).toBe(newPragma);
    await vault.lock();

    await call(host, 'session.unlock', credentials(MANAGER));
    expect((await call(host, 'users.list', {})).users.map((u) => u.username)).toEqual([
      MANAGER.username,
      STATUTORY.username,
      NON_STATUTORY.username,
    ]);
    expect((await call(host, 'organisations.list')).organisations.map((o) => o.name)).toContain('West Midlands Police');
    const rotated = await call(host, 'audit.query', { filter: { kind: 'settings' } }, { justification: 'Checking key rotation' });
    expect(rotated.entries.some((e) => e.operation === 'store.rotateMasterKey' && e.outcome === 'ok' && e.seq > headBefore.seq)).toBe(true);
    expect(await call(host, 'audit.verify')).toMatchObject({ intact: true });
  });

  /** The key file after the first half of a rotation: every slot also carries `nextKey`. */
  function stageNextKey(dataDir: string, nextKey: Buffer): void {
    const keyFile = readKeyFileJson(dataDir);
    // Mirrors the vault's sealing AAD; if that format changes this staging no longer opens and the tests fail loudly.
    keyFile.slots = keyFile.slots.map((slot: Slot) => ({
      ...slot,
      sealedNextMasterKey: sealToPublicKey(slot.publicKey, nextKey, `concordat master key v1|${keyFile.storeId}|${slot.id}`),
    }));
    writeKeyFileJson(dataDir, keyFile);
  }

  it('unlocks after a crash between re-keying the database and dropping the old key from the key file', async () => {
    const { host, dataDir, recoveryKey } = await storeWithUsers();
    const oldPragma = rawKeyOf(host);
    await call(host, 'session.lock');
    await host.close();

    const nextKey = randomBytes(32);
    const nextPragma = `PRAGMA key = "x'${nextKey.toString('hex')}'";`;
    stageNextKey(dataDir, nextKey);
    const raw = await openRaw(dataDir, oldPragma);
    await raw.exec(`PRAGMA rekey = "x'${nextKey.toString('hex')}'"`);
    await raw.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    await raw.close();
    expect(await opensWith(dbFile(dataDir), oldPragma)).toBe(false);

    const again = newHost(dataDir);
    const unlocked = await unlockAs(again, STATUTORY);
    expect(unlocked).toMatchObject({ ok: true, value: { tamperWarning: null } });
    expect(rawKeyOf(again)).toBe(nextPragma);
    // The rotation was finished on the way: the key file now names only the new key.
    expect(readKeyFileJson(dataDir).slots.every((s) => s.sealedNextMasterKey === undefined)).toBe(true);
    await call(again, 'session.lock');
    await expectEveryUserUnlocks(again, [MANAGER, NON_STATUTORY, STATUTORY]);
    const vault = again.openVault();
    await vault.unlockWithRecoveryKey(recoveryKey);
    expect(vault.rawKeyPragma()).toBe(nextPragma);
    await vault.lock();
    await call(again, 'session.unlock', credentials(MANAGER));
    expect(await call(again, 'audit.verify')).toMatchObject({ intact: true });
  });

  it('unlocks after a crash between staging the new key and re-keying the database, and a later rotation completes', async () => {
    const { host, dataDir } = await storeWithUsers();
    const oldPragma = rawKeyOf(host);
    await call(host, 'session.lock');
    await host.close();
    stageNextKey(dataDir, randomBytes(32));

    const again = newHost(dataDir);
    await call(again, 'session.unlock', credentials(MANAGER));
    expect(rawKeyOf(again)).toBe(oldPragma);
    await call(again, 'store.rotateMasterKey');
    expect(readKeyFileJson(dataDir).slots.every((s) => s.sealedNextMasterKey === undefined)).toBe(true);
    await call(again, 'session.lock');
    expect(await opensWith(dbFile(dataDir), oldPragma)).toBe(false);
    await expectEveryUserUnlocks(again, [STATUTORY, NON_STATUTORY, MANAGER]);
  });
});

describe('recovery key', () => {
  it('opens the store; its raw-key PRAGMA alone opens the file in a fresh SQLCipher connection', async () => {
    const { host, dataDir, recoveryKey } = await storeWithUsers();
    await call(host, 'session.lock');
    const vault = host.openVault();
    // Typed loosely: lower case, spaces instead of dashes.
    await vault.unlockWithRecoveryKey(recoveryKey.toLowerCase().replace(/-/g, ' '));
    const pragma = vault.rawKeyPragma();
    expect(pragma).toMatch(/^PRAGMA key = "x'[0-9a-f]{64}'";$/);
    await vault.lock();

    const users = await readWithOnly(dbFile(dataDir), pragma, 'SELECT username FROM users ORDER BY username');
    expect(users.map((u) => u.username)).toEqual([MANAGER.username, STATUTORY.username, NON_STATUTORY.username]);
    const [count] = await readWithOnly(dbFile(dataDir), pragma, 'SELECT count(*) AS n FROM audit_log');
    expect(Number(count!.n)).toBeGreaterThan(0);
    await expect(readWithOnly(dbFile(dataDir), `PRAGMA key = "x'${'00'.repeat(32)}'";`, 'SELECT 1 FROM users')).rejects.toThrow();
  });

  it('says which field is wrong when the recovery key is mistyped, and refuses a well-formed key of another store', async () => {
    const { host, recoveryKey } = await initialisedStore();
    await call(host, 'session.lock');
    const vault = host.openVault();
    const at = 6;
    const typo = recoveryKey.slice(0, at) + (recoveryKey[at] === 'A' ? 'B' : 'A') + recoveryKey.slice(at + 1);
    for (const bad of [typo, recoveryKey.slice(0, -4), `${recoveryKey}-AAAA`, recoveryKey.replace(/^./, '1')]) {
      const error = await vault.unlockWithRecoveryKey(bad).then(
        () => null,
        (err: unknown) => err,
      );
      expect(error, bad).toBeInstanceOf(ConcordatError);
      expect(error, bad).toMatchObject({ code: 'VALIDATION', field: 'recoveryKey' });
    }
    const foreign = await vault.unlockWithRecoveryKey(formatRecoveryKey(randomBytes(32))).then(
      () => null,
      (err: unknown) => err,
    );
    expect(foreign).toMatchObject({ code: 'AUTH_FAILED', field: 'recoveryKey' });
    expect(vault.isUnlocked).toBe(false);
  });

  it('resets a forgotten passphrase: the old one is refused, the new one works', async () => {
    const { host, recoveryKey } = await storeWithUsers();
    await call(host, 'session.lock');
    const vault = host.openVault();
    await vault.unlockWithRecoveryKey(recoveryKey);
    await vault.resetPassphrase(MANAGER.username, 'remembered at last, finally');
    await vault.lock();
    expect(await unlockAs(host, MANAGER)).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    await expectEveryUserUnlocks(host, [{ ...MANAGER, passphrase: 'remembered at last, finally' }, STATUTORY]);
  });

  it('never resets the slot a session unlocked, by the operation or by the vault itself: that slot signs for the session', async () => {
    const { host } = await storeWithUsers();
    const own = () => readKeyFileJson(host.dataDir).slots.find((s) => s.username === MANAGER.username)!;
    const before = own();
    const refusal = { code: 'CONFLICT', field: 'username', message: 'Change your own passphrase from your account, not by a reset.' };
    expect(
      await attempt(host, 'users.resetPassphrase', { username: MANAGER.username, newPassphrase: 'a reset of my own slot' }),
    ).toMatchObject({
      ok: false,
      error: refusal,
    });
    // Below the service: any other path that reaches the vault (the command line, a later service) is refused the same way.
    await expect(host.vault!.resetPassphrase(MANAGER.username, 'a reset of my own slot')).rejects.toMatchObject(refusal);
    expect(own()).toEqual(before);
    // Someone else's slot is still reset, and the session keeps signing as itself.
    await call(host, 'users.resetPassphrase', { username: STATUTORY.username, newPassphrase: 'a fresh start for kim' });
    await call(host, 'session.lock');
    await expectEveryUserUnlocks(host, [MANAGER, { ...STATUTORY, passphrase: 'a fresh start for kim' }]);
  });

  it('rotating the recovery key retires the old one at once', async () => {
    const { host, recoveryKey } = await initialisedStore();
    const { recoveryKey: fresh } = await call(host, 'store.rotateRecoveryKey');
    expect(fresh).not.toBe(recoveryKey);
    await call(host, 'session.lock');
    const vault = host.openVault();
    await expect(vault.unlockWithRecoveryKey(recoveryKey)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await vault.unlockWithRecoveryKey(fresh);
    expect(vault.isUnlocked).toBe(true);
  });
});

describe('Argon2id parameters', () => {
  it('refuses a slot edited below the floor (KDF_TOO_WEAK), for users and the recovery slot', async () => {
    const { host, dataDir, recoveryKey } = await initialisedStore();
    await call(host, 'session.lock');
    await host.close();
    const original = readKeyFileJson(dataDir);
    const weaken = (kind: 'user' | 'recovery', change: Partial<Slot['kdf']>) => {
      const keyFile = structuredClone(original);
      keyFile.slots = keyFile.slots.map((s) => (s.kind === kind ? { ...s, kdf: { ...s.kdf, ...change } } : s));
      writeKeyFileJson(dataDir, keyFile);
    };
    for (const change of [{ memoryKiB: 8 * 1024 }, { iterations: 1 }]) {
      weaken('user', change);
      const before = readFileSync(`${dataDir}/concordat.keys`);
      const refused = await unlockOnce(dataDir, MANAGER);
      expect(refused, JSON.stringify(change)).toMatchObject({ ok: false, error: { code: 'KDF_TOO_WEAK' } });
      // Refused before any key derivation: not even a failure counter was written.
      expect(readFileSync(`${dataDir}/concordat.keys`).equals(before)).toBe(true);
    }
    weaken('recovery', { memoryKiB: 1024 });
    const host2 = newHost(dataDir);
    await expect(host2.openVault().unlockWithRecoveryKey(recoveryKey)).rejects.toMatchObject({ code: 'KDF_TOO_WEAK' });
  });

  it('a slot whose parameters or name were edited does not open (they are bound into its encryption)', async () => {
    const { host, dataDir } = await initialisedStore();
    await call(host, 'session.lock');
    await host.close();
    const original = readKeyFileJson(dataDir);
    const edits: [string, (s: Slot) => Slot, string][] = [
      ['iterations raised', (s) => ({ ...s, kdf: { ...s.kdf, iterations: s.kdf.iterations + 1 } }), MANAGER.username],
      ['memory raised', (s) => ({ ...s, kdf: { ...s.kdf, memoryKiB: s.kdf.memoryKiB + 1024 } }), MANAGER.username],
      // Same passphrase, same Argon2id output: only the authenticated slot name differs.
      ['slot renamed', (s) => ({ ...s, username: 'mallory.admin' }), 'mallory.admin'],
    ];
    for (const [what, edit, username] of edits) {
      const keyFile = structuredClone(original);
      keyFile.slots = keyFile.slots.map((s) => (s.kind === 'user' ? edit(s) : s));
      writeKeyFileJson(dataDir, keyFile);
      const refused = await unlockOnce(dataDir, { username, passphrase: MANAGER.passphrase });
      expect(refused, what).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    }
    writeKeyFileJson(dataDir, original);
    expect(await unlockOnce(dataDir, MANAGER)).toMatchObject({ ok: true });
  });

  it('refuses to create a store with parameters below the floor, leaving no files', async () => {
    const dataDir = tempDir();
    const host = new Host(dataDir, { kdf: { memoryKiB: 4096, iterations: 1, parallelism: 1 } });
    expect(await dispatch(host, 'store.init', MANAGER)).toMatchObject({ ok: false, error: { code: 'KDF_TOO_WEAK' } });
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('works at the production default (64 MiB, t=3, p=4)', async () => {
    const dataDir = tempDir();
    const host = new Host(dataDir);
    try {
      await call(host, 'store.init', MANAGER);
      const slots = readKeyFileJson(dataDir).slots;
      expect(slots).toHaveLength(2);
      for (const slot of slots) expect(slot.kdf).toMatchObject({ algorithm: 'argon2id', ...DEFAULT_KDF });
      await call(host, 'session.lock');
      const started = performance.now();
      expect(await unlockAs(host, MANAGER)).toMatchObject({ ok: true });
      // Recorded for the report; bench/unlock is the real measurement.
      console.info(`production-default unlock: ${Math.round(performance.now() - started)} ms`);
      expect(await unlockAs(host, MANAGER)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    } finally {
      await host.close();
    }
    expect(existsSync(dbFile(dataDir))).toBe(true);
  });
});

// rawKeyHex is used by the at-rest test; keep the helper's contract checked here too.
it('rawKeyHex reads the key out of a raw-key PRAGMA', () => {
  expect(rawKeyHex(`PRAGMA key = "x'${'ab'.repeat(32)}'";`)).toBe('ab'.repeat(32));
});
