// Consecutive failed unlocks: an increasing delay kept in the key file (so a restart does not reset it),
// and the failures moved into the audit log at the next successful unlock.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { dispatch, type DispatchResult } from '../../src/dispatch/dispatcher.js';
import type { Host } from '../../src/host/host.js';
import { unlockDelayMs } from '../../src/vault/vault.js';
import { call, credentials, MANAGER } from '../support/partnership.js';
import { initialisedStore, newHost } from '../support/store.js';
import { ANY_NAME, countFailure } from '../../src/vault/failed-unlocks.js';
import type { KeyFile } from '../../src/vault/keyfile.js';
import { dbFile, readKeyFileJson, writeKeyFileJson } from './raw.js';

const attempt = (host: Host, passphrase: string, username = MANAGER.username) => dispatch(host, 'session.unlock', { username, passphrase });

function errorOf(result: DispatchResult) {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

describe('failed unlocks', () => {
  it('waits 1 s after the third consecutive failure, doubling to a 5-minute cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(unlockDelayMs)).toEqual([0, 0, 0, 1000, 2000, 4000, 8000]);
    expect(unlockDelayMs(12)).toBe(5 * 60 * 1000);
    expect(unlockDelayMs(1000)).toBe(5 * 60 * 1000);
  });

  it('keeps the counters bounded however many made-up names are tried, and real failures are never pushed out', () => {
    const keyFile = {
      storeId: 'store',
      slots: [{ kind: 'user', username: 'alex.manager' }],
      failureCounters: {},
      pendingFailedUnlocks: [],
    } as unknown as KeyFile;
    countFailure(keyFile, 'alex.manager', { pending: true });
    for (let i = 0; i < 1200; i += 1) countFailure(keyFile, `made.up.${i}`, { pending: true });
    expect(Object.keys(keyFile.failureCounters).length).toBeLessThanOrEqual(102);
    expect(keyFile.failureCounters[ANY_NAME]?.count).toBe(1201);
    expect(keyFile.failureCounters['alex.manager']?.count).toBe(1);
    expect(keyFile.pendingFailedUnlocks).toHaveLength(1000);
    expect(keyFile.pendingFailedUnlocks[0]!.username).toBe('alex.manager');
    expect(JSON.stringify(keyFile)).not.toContain('made.up');
  });

  it('delays a user after repeated failures, keeps the delay across a restart, and logs every failure at the next unlock', async () => {
    const { host, dataDir } = await initialisedStore();
    await call(host, 'session.lock');
    await host.close();
    const dbBefore = readFileSync(dbFile(dataDir));

    const first = newHost(dataDir);
    const failures = [];
    for (let i = 1; i <= 3; i += 1) {
      const error = errorOf(await attempt(first, `wrong passphrase number ${i}`));
      expect(error).toMatchObject({
        code: 'AUTH_FAILED',
        field: 'passphrase',
        details: { consecutiveFailures: i, retryAfterMs: unlockDelayMs(i) },
      });
      failures.push(error);
    }
    // Now even the right passphrase must wait.
    const delayed = errorOf(await attempt(first, MANAGER.passphrase));
    expect(delayed.code).toBe('UNLOCK_DELAYED');
    expect(delayed.details?.retryAfterMs).toBeGreaterThan(0);
    expect(delayed.details?.retryAfterMs).toBeLessThanOrEqual(1000);
    // Another user's counter is their own: an unknown name fails plainly, without inheriting the delay.
    expect(errorOf(await attempt(first, 'guessing somebody else', 'someone.else'))).toMatchObject({
      code: 'AUTH_FAILED',
      details: { consecutiveFailures: 1 },
    });

    const keyFile = readKeyFileJson(dataDir);
    expect(keyFile.failureCounters[MANAGER.username]?.count).toBe(3);
    const unknown = keyFile.pendingFailedUnlocks[3]!.username;
    expect(unknown).toMatch(/^\(unknown name [0-9a-f]{4}\)$/);
    expect(keyFile.pendingFailedUnlocks.map((f) => f.username)).toEqual([MANAGER.username, MANAGER.username, MANAGER.username, unknown]);
    expect(JSON.stringify(keyFile)).not.toContain('someone.else');
    expect(JSON.stringify(keyFile)).not.toContain('wrong passphrase');
    await first.close();

    // A restart (a new process, here a new Host on the same folder) does not reset the count. The last
    // failure is dated now, as if the restart were instant, so a slow machine cannot outwait the 1 s delay
    // while the first host closes.
    const restarted = readKeyFileJson(dataDir);
    restarted.failureCounters[MANAGER.username]!.lastAt = new Date().toISOString();
    writeKeyFileJson(dataDir, restarted);
    const second = newHost(dataDir);
    const stillDelayed = errorOf(await attempt(second, MANAGER.passphrase));
    expect(stillDelayed.code).toBe('UNLOCK_DELAYED');
    await sleep(Number(stillDelayed.details?.retryAfterMs) + 50);
    expect(errorOf(await attempt(second, 'wrong passphrase number 4'))).toMatchObject({
      code: 'AUTH_FAILED',
      details: { consecutiveFailures: 4, retryAfterMs: 2000 },
    });
    const longer = errorOf(await attempt(second, MANAGER.passphrase));
    expect(longer.code).toBe('UNLOCK_DELAYED');
    expect(longer.details?.retryAfterMs).toBeGreaterThan(1000);
    await second.close();

    // Nothing in the database changed through any of this.
    expect(readFileSync(dbFile(dataDir)).equals(dbBefore)).toBe(true);

    const third = newHost(dataDir);
    await sleep(Number(longer.details?.retryAfterMs) + 50);
    const unlocked = await call(third, 'session.unlock', credentials(MANAGER));
    expect(unlocked.failedAttemptsSinceLastUnlock).toBe(4);

    const cleared = readKeyFileJson(dataDir);
    expect(cleared.pendingFailedUnlocks).toEqual([]);
    expect(cleared.failureCounters[MANAGER.username]).toBeUndefined();

    const { entries } = await call(
      third,
      'audit.query',
      { filter: { kind: 'failed_unlock' } },
      { justification: 'Checking failed unlocks' },
    );
    const logged = entries.slice().reverse();
    expect(logged).toHaveLength(5);
    expect(logged.map((e) => e.username)).toEqual([MANAGER.username, MANAGER.username, MANAGER.username, unknown, MANAGER.username]);
    for (const entry of logged)
      expect(entry).toMatchObject({ kind: 'failed_unlock', outcome: 'refused', errorCode: 'AUTH_FAILED', operation: 'session.unlock' });
    expect(logged[0]!.userId).toBe(unlocked.user.id);
    expect(logged[3]!.userId).toBeNull();
    const attemptedAt = [...keyFile.pendingFailedUnlocks.map((f) => f.at)];
    expect(logged.slice(0, 4).map((e) => e.details.attemptedAt)).toEqual(attemptedAt);
    // The failures come before the unlock that recorded them.
    const unlockEntry = (
      await call(third, 'audit.query', { filter: { kind: 'unlock' }, limit: 1 }, { justification: 'Checking failed unlocks' })
    ).entries[0]!;
    expect(unlockEntry.details).toMatchObject({ failedAttemptsRecorded: 5 });
    expect(unlockEntry.seq).toBeGreaterThan(logged.at(-1)!.seq);
    expect(await call(third, 'audit.verify')).toMatchObject({ intact: true });

    // Moved once: the next unlock records none.
    await call(third, 'session.lock');
    expect((await call(third, 'session.unlock', credentials(MANAGER))).failedAttemptsSinceLastUnlock).toBe(0);
    expect(
      (await call(third, 'audit.query', { filter: { kind: 'failed_unlock' } }, { justification: 'Checking failed unlocks' })).total,
    ).toBe(5);
  });
});
