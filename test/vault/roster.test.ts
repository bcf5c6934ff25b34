// The signed roster of key slots: roles come from it at unlock, every change of slots is signed into it
// by a manager (or the recovery key), a non-manager cannot sign it, and a key file made before rosters
// (wave 1) gains one at its first manager unlock, keeping every row and a verifying chain.
import { createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { deriveKey, open, parseRecoveryKey, seal } from '../../src/vault/slot-crypto.js';
import type { KeyFile, Slot } from '../../src/vault/keyfile.js';
import { attempt, call, credentials, MANAGER, NON_STATUTORY, partnershipStore, STATUTORY } from '../support/partnership.js';
import { newHost } from '../support/store.js';
import { rawKeyHex, rawKeyOf, readKeyFileJson, writeKeyFileJson } from './raw.js';

const slotAad = (keyFile: KeyFile, slot: Slot) => {
  const { memoryKiB, iterations, parallelism, salt } = slot.kdf;
  return `concordat slot v1|${keyFile.storeId}|${slot.id}|${slot.kind}|${slot.username ?? ''}|argon2id:${memoryKiB}:${iterations}:${parallelism}:${salt}`;
};

/**
 * Rewrites a key file into the shape the code before rosters wrote: bare X25519 keys under each passphrase,
 * no signing keys, no roster, no signed checkpoints, and the checkpoint MAC'd under the master key.
 */
async function downgradeToWave1(dataDir: string, secrets: Map<string, string | Buffer>, masterKeyHex: string) {
  const keyFile = readKeyFileJson(dataDir);
  for (const slot of keyFile.slots) {
    const secret = secrets.get(slot.username ?? 'recovery')!;
    const kek = await deriveKey(secret, slot.kdf);
    const payload = open(kek, slot.wrappedPrivateKey, slotAad(keyFile, slot))!;
    const { x25519 } = JSON.parse(payload.toString('utf8')) as { x25519: string };
    slot.wrappedPrivateKey = seal(kek, Buffer.from(x25519, 'base64'), slotAad(keyFile, slot));
    delete slot.signingPublicKey;
    delete slot.sealedSigningKey;
    delete slot.sealedRosterKey;
  }
  const latest = [...(keyFile.checkpoints ?? [])].sort((a, b) => b.seq - a.seq)[0]!;
  const macKey = Buffer.from(hkdfSync('sha256', Buffer.from(masterKeyHex, 'hex'), Buffer.alloc(0), 'concordat audit checkpoint v1', 32));
  const mac = createHmac('sha256', macKey).update(`${keyFile.storeId}|${latest.seq}|${latest.hash}`).digest('hex');
  keyFile.auditCheckpoint = { seq: latest.seq, hash: latest.hash, at: latest.at, mac };
  delete keyFile.roster;
  delete keyFile.checkpoints;
  delete keyFile.openSession;
  writeKeyFileJson(dataDir, keyFile);
}

describe('the roster of key slots', () => {
  it('is signed at creation and at every change of slots, and gives the role at unlock', async () => {
    const { host, organisations } = await partnershipStore(newHost());
    const roster = () => readKeyFileJson(host.dataDir).roster!;
    const roles = () => Object.fromEntries(roster().body.members.map((m) => [m.username ?? m.kind, m.role]));
    expect(roles()).toEqual({
      [MANAGER.username]: 'manager',
      [STATUTORY.username]: 'statutory',
      [NON_STATUTORY.username]: 'non_statutory',
      recovery: null,
    });
    const serial = roster().body.serial;
    await call(host, 'users.resetPassphrase', { username: NON_STATUTORY.username, newPassphrase: 'a fresh start for sam' });
    expect(roster().body.serial).toBe(serial + 1);
    await call(host, 'store.rotateRecoveryKey');
    expect(roster().body.serial).toBe(serial + 2);
    expect(roster().body.signedBy.username).toBe(MANAGER.username);
    await call(host, 'session.lock');

    // A non-manager's own passphrase change keeps their keys, so the roster needs no new signature.
    await call(host, 'session.unlock', credentials(STATUTORY));
    expect(host.session!.user.role).toBe('statutory');
    await call(host, 'users.changePassphrase', { currentPassphrase: STATUTORY.passphrase, newPassphrase: 'a new lamp for the evening' });
    expect(roster().body.serial).toBe(serial + 2);
    // Nor can they sign one: the roster key is not in their slot.
    await expect(host.vault!.addUserSlot('someone.new', 'their own passphrase here', 'manager')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await call(host, 'session.lock');
    expect(
      (await call(host, 'session.unlock', { username: STATUTORY.username, passphrase: 'a new lamp for the evening' })).tamperWarning,
    ).toBeNull();
    await call(host, 'session.lock');

    await call(host, 'session.unlock', credentials(MANAGER));
    await call(host, 'users.remove', { username: NON_STATUTORY.username });
    expect(roles()).not.toHaveProperty(NON_STATUTORY.username);
    expect(organisations).toBeDefined();
    await call(host, 'session.lock');
    expect((await call(host, 'session.unlock', credentials(MANAGER))).tamperWarning).toBeNull();
    expect(await call(host, 'audit.verify')).toMatchObject({ intact: true });
  });

  it('a key file from before rosters: non-managers unlock as before; the first manager unlock signs one; the chain and every row are kept', async () => {
    const { host, recoveryKey } = await partnershipStore(newHost());
    const masterKeyHex = rawKeyHex(rawKeyOf(host));
    const usersBefore = (await call(host, 'users.list', { includeRemoved: true })).users;
    await call(host, 'session.lock');
    const entriesBefore = (await host.vault!.checkpoint()).checkpoint!.seq;
    await host.close();
    await downgradeToWave1(
      host.dataDir,
      new Map<string, string | Buffer>([
        [MANAGER.username, MANAGER.passphrase],
        [STATUTORY.username, STATUTORY.passphrase],
        [NON_STATUTORY.username, NON_STATUTORY.passphrase],
        ['recovery', parseRecoveryKey(recoveryKey)],
      ]),
      masterKeyHex,
    );
    expect(readKeyFileJson(host.dataDir).roster).toBeUndefined();

    const again = newHost(host.dataDir);
    const statutory = await call(again, 'session.unlock', credentials(STATUTORY));
    expect(statutory).toMatchObject({ tamperWarning: null, user: { role: 'statutory' } });
    expect(readKeyFileJson(again.dataDir).roster).toBeUndefined();
    await call(again, 'session.lock');

    const manager = await call(again, 'session.unlock', credentials(MANAGER));
    expect(manager.tamperWarning).toBeNull();
    const signed = readKeyFileJson(again.dataDir);
    expect(signed.roster!.body.members).toHaveLength(4);
    expect(signed.roster!.body.checkpointsSince).toBeGreaterThanOrEqual(entriesBefore);
    expect(signed.checkpoints).toHaveLength(1);
    expect(signed.auditCheckpoint).toBeNull();
    const migration = await call(again, 'audit.query', { filter: { entityType: 'store' } }, { justification: 'checking the upgrade' });
    expect(migration.entries.map((e) => e.operation)).toContain('store.signRoster');
    expect((await call(again, 'users.list', { includeRemoved: true })).users).toEqual(usersBefore);
    expect(await call(again, 'audit.verify')).toMatchObject({ intact: true });
    await call(again, 'session.lock');

    // Every slot now unlocks under the roster; the first such unlock pins its key into the slot.
    for (const persona of [STATUTORY, NON_STATUTORY, MANAGER]) {
      const unlocked = await attempt(again, 'session.unlock', credentials(persona));
      expect(unlocked, persona.username).toMatchObject({ ok: true, value: { tamperWarning: null } });
      await call(again, 'session.lock');
    }
    const pinned = readKeyFileJson(again.dataDir);
    for (const slot of pinned.slots.filter((s) => s.kind === 'user')) {
      const persona = [STATUTORY, NON_STATUTORY, MANAGER].find((p) => p.username === slot.username)!;
      const payload = open(await deriveKey(persona.passphrase, slot.kdf), slot.wrappedPrivateKey, slotAad(pinned, slot))!;
      expect(JSON.parse(payload.toString('utf8'))).toMatchObject({ v: 2, rosterKey: pinned.roster!.body.authorityPublicKey });
    }
    // Once pinned, deleting the roster does not put the store back into the trust-what-you-find mode.
    delete pinned.roster;
    await again.close();
    writeKeyFileJson(again.dataDir, pinned);
    const third = newHost(again.dataDir);
    expect(await dispatch(third, 'session.unlock', credentials(STATUTORY))).toMatchObject({ ok: false, error: { code: 'ROSTER_INVALID' } });
  });
});
