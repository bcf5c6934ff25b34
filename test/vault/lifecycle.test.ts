import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { call, credentials, MANAGER, STATUTORY, userInput } from '../support/partnership.js';
import { initialisedStore, newHost } from '../support/store.js';

describe('store lifecycle', () => {
  it('init → write → lock → unlock again → read back', async () => {
    const { host, dataDir, recoveryKey } = await initialisedStore();
    expect(recoveryKey).toMatch(/^([A-Z2-7]{4}-){13}[A-Z2-7]{3}$/);
    const { organisation } = await call(host, 'organisations.add', { name: STATUTORY.organisation, statutory: true });
    await call(host, 'users.add', userInput('statutory', organisation.id));
    await call(host, 'session.lock');
    expect((await call(host, 'store.status')).state).toBe('locked');
    await host.close();

    const again = newHost(dataDir);
    const unlocked = await call(again, 'session.unlock', credentials(STATUTORY));
    expect(unlocked.user).toMatchObject({ username: 'pc.jones', role: 'statutory', organisation: 'West Midlands Police' });
    expect(unlocked.tamperWarning).toBeNull();
    await call(again, 'session.lock');
    await call(again, 'session.unlock', credentials(MANAGER));
    const { users } = await call(again, 'users.list', {});
    expect(users.map((u) => u.username)).toEqual(['alex.manager', 'pc.jones']);
  });

  it('refuses a wrong passphrase with a typed error and leaves the database byte-for-byte unchanged', async () => {
    const { host, dataDir } = await initialisedStore();
    await call(host, 'session.lock');
    const before = readFileSync(`${dataDir}/concordat.db`);
    const result = await dispatch(host, 'session.unlock', { username: MANAGER.username, passphrase: 'not the passphrase at all' });
    expect(result).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED', field: 'passphrase' } });
    expect(readFileSync(`${dataDir}/concordat.db`).equals(before)).toBe(true);
    // The database was never opened: no WAL or shared-memory file appeared beside it.
    expect(existsSync(`${dataDir}/concordat.db-wal`)).toBe(false);
    expect(existsSync(`${dataDir}/concordat.db-shm`)).toBe(false);
    expect(host.session).toBeNull();
    expect(host.vault?.isUnlocked).toBe(false);
    expect((await call(host, 'store.status')).state).toBe('locked');
  });

  it('answers an unknown user exactly as a wrong passphrase, and echoes neither secret', async () => {
    const { host, dataDir } = await initialisedStore();
    await call(host, 'session.lock');
    const before = readFileSync(`${dataDir}/concordat.db`);
    const wrong = await dispatch(host, 'session.unlock', { username: MANAGER.username, passphrase: 'Tr0ub4dor&3 wrong one' });
    const unknown = await dispatch(host, 'session.unlock', { username: 'no.such.user', passphrase: 'Tr0ub4dor&3 other one' });
    expect(wrong.ok || unknown.ok).toBe(false);
    if (wrong.ok || unknown.ok) return;
    expect(unknown.error.code).toBe(wrong.error.code);
    expect(unknown.error.field).toBe(wrong.error.field);
    expect(unknown.error.message).toBe(wrong.error.message);
    expect(JSON.stringify([wrong, unknown])).not.toContain('Tr0ub4dor');
    expect(readFileSync(`${dataDir}/concordat.db`).equals(before)).toBe(true);

    const unlocked = await call(host, 'session.unlock', credentials(MANAGER));
    expect(unlocked.failedAttemptsSinceLastUnlock).toBe(1);
  });
});
