// Brute force, beyond test/vault/failed-unlock.test.ts (the first few failures, and the delay surviving a
// restart): twenty wrong passphrases in a row, each from a fresh process handle as a scripted attacker
// would restart the app, follow the designed schedule all the way to its cap; even the right passphrase is
// held back while a delay runs; nothing in the database or the key slots changes; and once the delay has
// passed, the right passphrase opens an intact store that has logged every failure. Waiting is skipped by
// moving the failure counter's lastAt into the past in the key file (the store's own format, no mock).
// Also: a burst of concurrent wrong attempts against one handle leaves the key file whole.
import { readFileSync } from 'node:fs';
import { ANY_NAME, storeDelayMs } from '../../src/vault/failed-unlocks.js';
import { describe, expect, it } from 'vitest';
import { dispatch, type DispatchResult } from '../../src/dispatch/dispatcher.js';
import { unlockDelayMs } from '../../src/vault/vault.js';
import { expectAuditIntact, expectIntegrity } from '../support/proving-store.js';
import { call, credentials, MANAGER } from '../support/partnership.js';
import { initialisedStore, newHost } from '../support/store.js';
import { dbFile, keyFilePath, readKeyFileJson, writeKeyFileJson } from '../vault/raw.js';

const WRONG_ATTEMPTS = 20;
const CAP_MS = 5 * 60 * 1000;

function errorOf(result: DispatchResult) {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

/** Moves every failure counter (the user's and the store-wide one) far enough into the past that its delay has passed. */
function letDelayPass(dataDir: string): void {
  const keyFile = readKeyFileJson(dataDir);
  for (const counter of Object.values(keyFile.failureCounters))
    counter.lastAt = new Date(Date.now() - unlockDelayMs(counter.count) - 50).toISOString();
  writeKeyFileJson(dataDir, keyFile);
}

describe('brute force', () => {
  it(`${WRONG_ATTEMPTS} wrong passphrases in a row: the delay grows on schedule to its cap, nothing is corrupted, the right passphrase still works`, async () => {
    const { host, dataDir } = await initialisedStore();
    await call(host, 'session.lock');
    await host.close();
    const databaseBefore = readFileSync(dbFile(dataDir));
    const slotsBefore = readKeyFileJson(dataDir).slots;

    const delays: number[] = [];
    const attempt = async (passphrase: string) => {
      const restarted = newHost(dataDir);
      try {
        return await dispatch(restarted, 'session.unlock', { username: MANAGER.username, passphrase });
      } finally {
        await restarted.close();
      }
    };

    for (let i = 1; i <= WRONG_ATTEMPTS; i += 1) {
      if (unlockDelayMs(i - 1) > 0) {
        // While the delay runs, the right passphrase is refused too, and the refusal does not count.
        const held = errorOf(await attempt(MANAGER.passphrase));
        expect(held.code, `attempt ${i}`).toBe('UNLOCK_DELAYED');
        expect(Number(held.details?.retryAfterMs)).toBeGreaterThan(unlockDelayMs(i - 1) - 5000);
        expect(Number(held.details?.retryAfterMs)).toBeLessThanOrEqual(unlockDelayMs(i - 1));
        expect(readKeyFileJson(dataDir).failureCounters[MANAGER.username]?.count).toBe(i - 1);
        letDelayPass(dataDir);
      }
      const error = errorOf(await attempt(`wrong guess number ${i} for the passphrase`));
      expect(error, `attempt ${i}`).toMatchObject({ code: 'AUTH_FAILED', field: 'passphrase', details: { consecutiveFailures: i } });
      delays.push(Number(error.details?.retryAfterMs));
    }

    expect(delays).toEqual(Array.from({ length: WRONG_ATTEMPTS }, (_, i) => unlockDelayMs(i + 1)));
    expect(delays.slice(0, 2)).toEqual([0, 0]);
    for (let i = 3; i < delays.length; i += 1) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(delays.at(-1)).toBe(CAP_MS);
    console.log(`brute force: ${WRONG_ATTEMPTS} wrong passphrases; delay after each (s): ${delays.map((d) => d / 1000).join(', ')}`);

    // Nothing the attacker did touched the database or any key slot.
    expect(readFileSync(dbFile(dataDir)).equals(databaseBefore)).toBe(true);
    expect(readKeyFileJson(dataDir).slots).toEqual(slotsBefore);

    letDelayPass(dataDir);
    const owner = newHost(dataDir);
    const unlocked = await call(owner, 'session.unlock', credentials(MANAGER));
    expect(unlocked).toMatchObject({ failedAttemptsSinceLastUnlock: WRONG_ATTEMPTS, tamperWarning: null });
    await expectIntegrity(owner.vault!.db, 'after the brute force');
    await expectAuditIntact(owner, 'after the brute force');
    const failures = await call(
      owner,
      'audit.query',
      { filter: { kind: 'failed_unlock' }, limit: 100 },
      { justification: 'Reviewing failed unlocks' },
    );
    expect(failures.total).toBe(WRONG_ATTEMPTS);
    expect(readKeyFileJson(dataDir).failureCounters).toEqual({});
  });

  it('a burst of concurrent wrong attempts on one handle leaves a whole key file and a counter that only counts real tries', async () => {
    const { host, dataDir } = await initialisedStore();
    await call(host, 'session.lock');
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        dispatch(host, 'session.unlock', { username: MANAGER.username, passphrase: `concurrent wrong guess ${i}` }),
      ),
    );
    const codes = results.map((r) => errorOf(r).code);
    // One attempt at a time: the rest are turned away at once, without running Argon2id or counting.
    expect(codes.filter((c) => c === 'AUTH_FAILED')).toHaveLength(1);
    expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(11);
    const keyFile = JSON.parse(readFileSync(keyFilePath(dataDir), 'utf8')) as { failureCounters: Record<string, { count: number }> };
    expect(keyFile.failureCounters[MANAGER.username]?.count).toBe(1);
    await host.close();
    const again = newHost(dataDir);
    expect(await call(again, 'session.unlock', credentials(MANAGER))).toMatchObject({ failedAttemptsSinceLastUnlock: 1 });
    await expectIntegrity(again.vault!.db);
  });

  it('a passphrase typed into the user-name field is never kept: not in the key file, not in the log', async () => {
    const { host, dataDir } = await initialisedStore();
    await call(host, 'session.lock');
    // The user-name pattern accepts it, and it is exactly what a hurried user types into the wrong field.
    const passphraseAsName = 'correct-horse-battery-staple';
    const refused = errorOf(await dispatch(host, 'session.unlock', { username: passphraseAsName, passphrase: 'whatever they typed next' }));
    expect(refused.code).toBe('AUTH_FAILED');
    const keyFileText = readFileSync(keyFilePath(dataDir), 'utf8');
    expect(keyFileText).not.toContain(passphraseAsName);
    const pending = readKeyFileJson(dataDir).pendingFailedUnlocks;
    expect(pending).toHaveLength(1);
    expect(pending[0]!.username).toMatch(/^\(unknown name [0-9a-f]{4}\)$/);

    // A key file written by an older version may still hold one: it does not reach the log either.
    const keyFile = readKeyFileJson(dataDir);
    keyFile.pendingFailedUnlocks.push({ id: 'legacy-failure', username: 'tr0ub4dor-and-3', at: new Date().toISOString() });
    writeKeyFileJson(dataDir, keyFile);
    await host.close();
    const owner = newHost(dataDir);
    await call(owner, 'session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase });
    const failures = await call(owner, 'audit.query', { filter: { kind: 'failed_unlock' } }, { justification: 'Reviewing failed unlocks' });
    expect(failures.total).toBe(2);
    const exported = JSON.stringify(await call(owner, 'audit.query', { limit: 500 }, { justification: 'Reviewing failed unlocks' }));
    expect(exported).not.toContain(passphraseAsName);
    expect(exported).not.toContain('tr0ub4dor-and-3');
    for (const entry of failures.entries) expect(entry.username).toMatch(/^\(unknown name/);
    // A real user's name is kept, so their own failures are still reported to them.
    await call(owner, 'session.lock');
    errorOf(await dispatch(owner, 'session.unlock', { username: MANAGER.username, passphrase: 'not the right one at all' }));
    expect(readKeyFileJson(dataDir).pendingFailedUnlocks.map((f) => f.username)).toEqual([MANAGER.username]);
  });

  it('made-up names share a store-wide counter: a different name for every guess is held back too', async () => {
    const { host, dataDir } = await initialisedStore();
    await call(host, 'session.lock');
    const codes: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      codes.push(errorOf(await dispatch(host, 'session.unlock', { username: `made.up.${i}`, passphrase: `guess number ${i} here` })).code);
    }
    expect(codes).toEqual(Array.from({ length: 10 }, () => 'AUTH_FAILED'));
    const keyFile = readKeyFileJson(dataDir);
    expect(keyFile.failureCounters[ANY_NAME]?.count).toBe(10);
    expect(storeDelayMs(10)).toBeGreaterThan(0);
    // The next try, under any name, even the right one, waits.
    expect(errorOf(await dispatch(host, 'session.unlock', { username: 'made.up.99', passphrase: 'one more guess here' })).code).toBe(
      'UNLOCK_DELAYED',
    );
    expect(errorOf(await dispatch(host, 'session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase })).code).toBe(
      'UNLOCK_DELAYED',
    );
    // Made-up names leave no readable trace and the map stays bounded (one entry per slot, per hashed group, plus one).
    expect(JSON.stringify(keyFile)).not.toContain('made.up');
    await host.close();
    letDelayPass(dataDir);
    await call(newHost(dataDir), 'session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase });
    expect(readKeyFileJson(dataDir).failureCounters[ANY_NAME]).toBeUndefined();
  });

  it('a wrong current passphrase in users.changePassphrase counts and waits like a failed unlock', async () => {
    const { host, dataDir } = await initialisedStore();
    const codes: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      codes.push(
        errorOf(
          await dispatch(host, 'users.changePassphrase', {
            currentPassphrase: `wrong current passphrase ${i}`,
            newPassphrase: 'a brand new passphrase here',
          }),
        ).code,
      );
    }
    expect(codes).toEqual(['AUTH_FAILED', 'AUTH_FAILED', 'AUTH_FAILED', 'UNLOCK_DELAYED']);
    expect(readKeyFileJson(dataDir).failureCounters[MANAGER.username]?.count).toBe(3);
    // Even the right one waits while the delay runs.
    expect(
      errorOf(
        await dispatch(host, 'users.changePassphrase', {
          currentPassphrase: MANAGER.passphrase,
          newPassphrase: 'a brand new passphrase here',
        }),
      ).code,
    ).toBe('UNLOCK_DELAYED');
    // The refusals were logged by the dispatcher, with nothing queued twice for the next unlock.
    expect(readKeyFileJson(dataDir).pendingFailedUnlocks).toEqual([]);
  });
});
