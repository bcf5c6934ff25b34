// The closed database's key (issue 15: 1): sealed to the manager, statutory and recovery slots the roster
// names and to no other; attached only in their sessions; turned over with the master key; handed over by
// `recovery raw-key` beside the store's own, each line naming its file.
import { describe, expect, it } from 'vitest';
import { CLOSED_CACHE_KIB } from '../../src/vault/closed-database.js';
import { Vault } from '../../src/vault/vault.js';
import { NON_STATUTORY, STATUTORY, actAs, call, createCase, createPerson, partnershipStore } from '../support/partnership.js';
import { newHost } from '../support/store.js';
import { opensWith, readKeyFileJson } from './raw.js';

const holders = (dataDir: string) =>
  readKeyFileJson(dataDir)
    .slots.filter((s) => s.sealedClosedKey)
    .map((s) => s.username ?? s.kind)
    .sort();

describe('the closed key', () => {
  it('is sealed to the manager, statutory and recovery slots only, and survives a reset and a new recovery key', async () => {
    const host = newHost();
    const { dataDir } = await partnershipStore(host);
    expect(readKeyFileJson(dataDir).closedDatabaseSalt).toMatch(/^[0-9a-f]{32}$/);
    expect(holders(dataDir)).toEqual(['alex.manager', STATUTORY.username, 'recovery'].sort());
    await call(host, 'users.resetPassphrase', { username: STATUTORY.username, newPassphrase: 'a brand new passphrase here' });
    await call(host, 'users.resetPassphrase', { username: NON_STATUTORY.username, newPassphrase: 'another new passphrase here' });
    await call(host, 'store.rotateRecoveryKey', {});
    expect(holders(dataDir)).toEqual(['alex.manager', STATUTORY.username, 'recovery'].sort());
  });

  it('is attached for a statutory session, never for a non-statutory one', async () => {
    const host = newHost();
    await partnershipStore(host);
    await actAs(host, 'statutory');
    expect(host.vault!.holdsClosedKey).toBe(true);
    expect(host.vault!.rawKeyPragmas().map((k) => k.file)).toEqual([
      Vault.paths(host.dataDir).database,
      Vault.paths(host.dataDir).closedDatabase,
    ]);
    expect((await host.vault!.db.all<{ name: string }>('PRAGMA database_list')).map((d) => d.name)).toContain('closed');
    await actAs(host, 'non_statutory');
    expect(host.vault!.holdsClosedKey).toBe(false);
    expect(host.vault!.rawKeyPragmas()).toHaveLength(1);
    expect((await host.vault!.db.all<{ name: string }>('PRAGMA database_list')).map((d) => d.name)).not.toContain('closed');
  });

  it("is attached with a page cache of its own, on every path that attaches it (an attached schema does not take the connection's)", async () => {
    const host = newHost();
    await partnershipStore(host);
    const cacheKiB = async (schema: string) =>
      -(await host.vault!.db.get<{ cache_size: number }>(`PRAGMA ${schema}.cache_size`))!.cache_size;
    expect(await cacheKiB('closed')).toBe(CLOSED_CACHE_KIB);
    expect(await cacheKiB('main')).toBe(65536);
    await actAs(host, 'statutory');
    expect(await cacheKiB('closed')).toBe(CLOSED_CACHE_KIB);
    await actAs(host, 'manager');
    await call(host, 'store.rotateMasterKey', {});
    expect(await cacheKiB('closed')).toBe(CLOSED_CACHE_KIB);
  });

  it('turns over with the master key: the old key no longer opens the closed database, the new one does, and content is kept', async () => {
    const host = newHost();
    const { dataDir } = await partnershipStore(host);
    const person = await createPerson(host);
    const caseId = await createCase(host, [person], { closedOnly: true, summary: 'Kept across the rotation' });
    const before = host.vault!.rawKeyPragmas()[1]!.pragma;
    await call(host, 'store.rotateMasterKey', {});
    const after = host.vault!.rawKeyPragmas()[1]!.pragma;
    expect(after).not.toBe(before);
    const closedFile = Vault.paths(dataDir).closedDatabase;
    expect(await opensWith(closedFile, before)).toBe(false);
    expect(await opensWith(closedFile, after)).toBe(true);
    expect(readKeyFileJson(dataDir).slots.some((s) => s.sealedNextClosedKey || s.sealedNextMasterKey)).toBe(false);
    await actAs(host, 'statutory');
    expect((await call(host, 'cases.get', { caseId })).case.summary).toBe('Kept across the rotation');
  });

  it('comes out of the key file alone with the recovery key, one line per file, each naming it', async () => {
    const host = newHost();
    const { dataDir, recoveryKey } = await partnershipStore(host);
    const live = host.vault!.rawKeyPragmas();
    await call(host, 'session.lock');
    await host.close();
    const fromKeyFile = await Vault.rawKeyPragmasFromKeyFile(dataDir, recoveryKey);
    expect(fromKeyFile).toEqual(live);
    expect(await opensWith(fromKeyFile[1]!.file, fromKeyFile[1]!.pragma)).toBe(true);
    expect(await opensWith(fromKeyFile[1]!.file, fromKeyFile[0]!.pragma)).toBe(false);
  });
});
