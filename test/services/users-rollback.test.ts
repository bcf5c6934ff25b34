// Key slots live outside the database: a call whose transaction rolls back must leave them as they were.
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { call, credentials, MANAGER } from '../support/partnership.js';
import { initialisedStore } from '../support/store.js';

/** Makes the audit append of `operation` fail, as a full disk or a damaged page would. */
async function failAuditOf(host: Awaited<ReturnType<typeof initialisedStore>>['host'], operation: string) {
  await host.vault!.db.exec(`CREATE TEMP TRIGGER inject_failure BEFORE INSERT ON main.audit_log
    WHEN NEW.operation = '${operation}' AND NEW.outcome = 'ok' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
}

describe('key slots roll back with their transaction', () => {
  it('a passphrase change whose audit entry fails leaves the old passphrase working', async () => {
    const { host } = await initialisedStore();
    await failAuditOf(host, 'users.changePassphrase');
    const result = await dispatch(host, 'users.changePassphrase', {
      currentPassphrase: MANAGER.passphrase,
      newPassphrase: 'a brand new passphrase here',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    await call(host, 'session.lock');
    expect(await dispatch(host, 'session.unlock', { username: MANAGER.username, passphrase: 'a brand new passphrase here' })).toMatchObject(
      { ok: false, error: { code: 'AUTH_FAILED' } },
    );
    await call(host, 'session.unlock', credentials(MANAGER));
  });

  it('a user added in a transaction that fails has neither a row nor a slot', async () => {
    const { host } = await initialisedStore();
    const { organisations } = await call(host, 'organisations.list');
    await failAuditOf(host, 'users.add');
    const result = await dispatch(host, 'users.add', {
      username: 'sam.probation',
      displayName: 'Sam',
      role: 'statutory',
      organisationId: organisations[0]!.id,
      passphrase: 'probation office window',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(host.vault!.hasUserSlot('sam.probation')).toBe(false);
    expect((await call(host, 'users.list', {})).users.map((u) => u.username)).toEqual([MANAGER.username]);
  });

  it('a recovery-key rotation whose audit entry fails keeps the old recovery key', async () => {
    const { host, recoveryKey } = await initialisedStore();
    await failAuditOf(host, 'store.rotateRecoveryKey');
    expect(await dispatch(host, 'store.rotateRecoveryKey', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    await call(host, 'session.lock');
    await host.vault!.unlockWithRecoveryKey(recoveryKey);
    expect(host.vault!.isUnlocked).toBe(true);
  });
});
