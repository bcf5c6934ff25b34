// A manager who leaves (issue 15): every manager holds the roster key, and a departed one keeps theirs
// and their own signing key. Their removal re-signs the roster under the acting manager's key at once;
// and a roster that only the departed manager's key vouches for (an older one they signed, put back, or
// a new one they forge naming themselves a manager again) is refused at unlock, whoever unlocks.
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/host/host.js';
import type { KeyFile } from '../../src/vault/keyfile.js';
import { signRoster, verifyRoster } from '../../src/vault/roster.js';
import { attempt, call, credentials, MANAGER, partnershipStore, STATUTORY } from '../support/partnership.js';
import { newHost } from '../support/store.js';
import { readKeyFileJson, unsealAsSlotHolder, writeKeyFileJson } from './raw.js';

const DEPARTING = { username: 'dana.departing', displayName: 'Dana Departing', passphrase: 'a manager who is leaving soon' };

/** The partnership with a second manager, who signs the roster last (by resetting another user's passphrase). */
async function rosterSignedByDepartingManager(): Promise<{ host: Host; signedByDeparting: KeyFile }> {
  const { host, organisations } = await partnershipStore(newHost());
  await call(host, 'users.add', { ...DEPARTING, role: 'manager', organisationId: organisations.police.id });
  await call(host, 'session.lock');
  await call(host, 'session.unlock', credentials(DEPARTING));
  await call(host, 'users.resetPassphrase', { username: STATUTORY.username, newPassphrase: STATUTORY.passphrase });
  const signedByDeparting = readKeyFileJson(host.dataDir);
  expect(signedByDeparting.roster!.body.signedBy.username).toBe(DEPARTING.username);
  await call(host, 'session.lock');
  return { host, signedByDeparting };
}

async function removeDeparting(host: Host): Promise<void> {
  await call(host, 'session.unlock', credentials(MANAGER));
  await call(host, 'users.remove', { username: DEPARTING.username });
  await call(host, 'session.lock');
}

const refused = { ok: false, error: { code: 'ROSTER_INVALID' } };

/** Writes the key file as someone with the files would, with the app closed, and opens the folder afresh. */
async function tamperWhileClosed(host: Host, keyFile: KeyFile): Promise<Host> {
  await host.close();
  writeKeyFileJson(host.dataDir, keyFile);
  return newHost(host.dataDir);
}

describe('when the manager who signed the roster leaves', () => {
  it('their removal re-signs the roster under the acting manager, and everyone still unlocks', async () => {
    const { host } = await rosterSignedByDepartingManager();
    const before = readKeyFileJson(host.dataDir).roster!;
    await removeDeparting(host);
    const keyFile = readKeyFileJson(host.dataDir);
    const roster = verifyRoster(keyFile, null);
    expect(roster.body.signedBy.username).toBe(MANAGER.username);
    expect(roster.body.serial).toBeGreaterThan(before.body.serial);
    expect(roster.body.members.map((m) => m.username)).not.toContain(DEPARTING.username);
    for (const user of [MANAGER, STATUTORY]) {
      expect(await attempt(host, 'session.unlock', credentials(user))).toMatchObject({ ok: true, value: { tamperWarning: null } });
      await call(host, 'session.lock');
    }
    expect(await attempt(host, 'session.unlock', credentials(DEPARTING))).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
  });

  it('only a manager can remove one: a statutory partner is refused by the access rules, and the roster is unchanged', async () => {
    const { host } = await rosterSignedByDepartingManager();
    await call(host, 'session.unlock', credentials(STATUTORY));
    const before = readKeyFileJson(host.dataDir).roster;
    expect(await attempt(host, 'users.remove', { username: DEPARTING.username })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(readKeyFileJson(host.dataDir).roster).toEqual(before);
  });

  it('an older roster the departed manager signed, put back, is refused at unlock', async () => {
    const { host, signedByDeparting } = await rosterSignedByDepartingManager();
    await removeDeparting(host);
    const keyFile = readKeyFileJson(host.dataDir);
    // Their roster still verifies on its own (their key, the roster key, unchanged slot keys for the rest).
    const replayed = { ...keyFile, roster: signedByDeparting.roster };
    expect(verifyRoster(replayed, null).body.signedBy.username).toBe(DEPARTING.username);
    const reopened = await tamperWhileClosed(host, replayed);
    for (const user of [MANAGER, STATUTORY]) expect(await attempt(reopened, 'session.unlock', credentials(user))).toMatchObject(refused);
    expect(reopened.vault?.isUnlocked ?? false).toBe(false);
    // Put right, the store opens again.
    const putRight = await tamperWhileClosed(reopened, keyFile);
    expect(await attempt(putRight, 'session.unlock', credentials(MANAGER))).toMatchObject({ ok: true });
  });

  it('a new roster the departed manager forges with the keys they kept, naming themselves a manager again, is refused at unlock', async () => {
    const { host, signedByDeparting } = await rosterSignedByDepartingManager();
    // What Dana takes with her, before she is removed: her slot, opened with her own passphrase.
    const dataDir = host.dataDir;
    const kept = await unsealAsSlotHolder(dataDir, DEPARTING.username, DEPARTING.passphrase);
    expect(kept.rosterKey).not.toBeNull();
    await removeDeparting(host);

    const keyFile = readKeyFileJson(dataDir);
    const herself = signedByDeparting.roster!.body.members.find((m) => m.username === DEPARTING.username)!;
    const { body } = keyFile.roster!;
    const forged = signRoster(keyFile, [...body.members, herself], body.authorityPublicKey, body.checkpointsSince, {
      slotId: kept.slotId,
      username: DEPARTING.username,
      signingKey: kept.signingKey,
      rosterKey: kept.rosterKey!,
    });
    const tampered = { ...keyFile, roster: forged };
    expect(verifyRoster(tampered, null).body.signedBy.username).toBe(DEPARTING.username);
    const reopened = await tamperWhileClosed(host, tampered);
    for (const user of [MANAGER, STATUTORY]) expect(await attempt(reopened, 'session.unlock', credentials(user))).toMatchObject(refused);
    expect(reopened.vault?.isUnlocked ?? false).toBe(false);
  });
});
