// Removing a user revokes them (issue 16, finding 2): an old copy of the key file, which still holds their
// slot, no longer opens the store once they are removed, because the master key is rotated with the removal.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { FAST_KDF, newHost, tempDir } from '../support/store.js';
import { MANAGER, NON_STATUTORY, STATUTORY, call, credentials, partnershipStore } from '../support/partnership.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { Vault } from '../../src/vault/vault.js';
import { keyFilePath } from '../vault/raw.js';

describe('removing a user', () => {
  it("an old copy of the key file with the removed user's slot no longer opens the store", async () => {
    const { host } = await partnershipStore(newHost());
    const dataDir = host.dataDir;
    const saved = join(tempDir(), 'old.keys');
    copyFileSync(keyFilePath(dataDir), saved);
    await call(host, 'users.remove', { username: STATUTORY.username });
    await call(host, 'session.lock');
    await host.close();

    // The removed user puts the old key file back and unseals their old slot with their own passphrase, as
    // their own code would (the app's unlock would refuse them as removed, but the key is what matters).
    copyFileSync(saved, keyFilePath(dataDir));
    const vault = Vault.open(dataDir, { migrations: MIGRATIONS, kdf: FAST_KDF });
    try {
      await expect(vault.unlock(STATUTORY.username, STATUTORY.passphrase)).rejects.toThrow();
      expect(vault.isUnlocked).toBe(false);
    } finally {
      await vault.close();
    }
    expect((await dispatch(newHost(dataDir), 'session.unlock', credentials(STATUTORY))).ok).toBe(false);
  });

  it('the remaining users still open the store, and the log is intact', async () => {
    const { host } = await partnershipStore(newHost());
    const dataDir = host.dataDir;
    await call(host, 'users.remove', { username: STATUTORY.username });
    await call(host, 'session.lock');
    await host.close();
    const again = newHost(dataDir);
    expect(await call(again, 'session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase })).toMatchObject({
      tamperWarning: null,
    });
    expect(await call(again, 'audit.verify')).toMatchObject({ intact: true });
    await call(again, 'session.lock');
    expect(await call(again, 'session.unlock', credentials(NON_STATUTORY))).toMatchObject({ tamperWarning: null });
  });
});
