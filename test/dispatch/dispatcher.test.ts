// The one door: typed results and errors for anything a caller sends, and calls that overlap (a busy UI,
// an idle lock arriving mid-work) still give one consecutive, verifiable chain.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { OPERATION_NAMES, operations } from '../../src/contract/operations.js';
import { ERROR_CODES } from '../../src/contract/errors.js';
import { call, credentials, MANAGER } from '../support/partnership.js';
import { initialisedStore, newHost, tempDir } from '../support/store.js';
import { latestCheckpoint, readKeyFileJson } from '../vault/raw.js';

const entryCount = async (host: Awaited<ReturnType<typeof initialisedStore>>['host']) =>
  (await host.vault!.db.get<{ n: number }>('SELECT count(*) AS n FROM audit_log'))!.n;

describe('dispatch', () => {
  it('answers an unknown operation with UNKNOWN_OPERATION, inherited object keys included, and logs nothing', async () => {
    const { host } = await initialisedStore();
    const before = await entryCount(host);
    for (const name of ['cases.delete', '__proto__', 'constructor', 'toString', '', 'x'.repeat(10_000)]) {
      const result = await dispatch(host, name, {});
      expect(result, name.slice(0, 20)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
      if (!result.ok) expect(result.error.message.length).toBeLessThan(200);
    }
    expect(await entryCount(host)).toBe(before);
  });

  it('never throws, whatever the input: every operation answers garbage with a typed error', async () => {
    const { host } = await initialisedStore();
    await call(host, 'session.setJustification', { justification: 'Testing the dispatcher' });
    const garbage: unknown[] = ['a string', 42, [1, 2], { unexpected: true }, { filter: 'nope' }, Symbol('s')];
    for (const name of OPERATION_NAMES.filter((n) => n !== 'session.lock')) {
      for (const input of garbage) {
        const result = await dispatch(host, name, input);
        if (result.ok) continue; // an operation with no input may accept anything that parses as empty
        expect(ERROR_CODES, `${name} ${String(input)}`).toContain(result.error.code);
        expect(result.error.code, `${name} ${String(input)}`).not.toBe('INTERNAL');
      }
    }
    expect(await call(host, 'audit.verify')).toMatchObject({ intact: true });
  });

  it('refuses audited operations while locked (LOCKED), and reports status without creating files', async () => {
    const dataDir = tempDir();
    const host = newHost(dataDir);
    expect(await call(host, 'store.status')).toMatchObject({ state: 'uninitialised', user: null });
    for (const name of OPERATION_NAMES.filter((n) => operations[n].access !== 'public')) {
      expect(await dispatch(host, name, {}), name).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    }
    expect(readdirSync(dataDir)).toEqual([]);
    const bad = await dispatch(host, 'store.init', { ...MANAGER, passphrase: 'short' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'passphrase' } });
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('overlapping calls each get their own transaction: consecutive entries, an intact chain', async () => {
    const { host } = await initialisedStore();
    const before = await entryCount(host);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 4 === 3
          ? dispatch(host, 'organisations.add', { name: 'Duplicate Partner', statutory: true })
          : i % 4 === 2
            ? dispatch(host, 'users.list', {})
            : dispatch(host, 'organisations.add', { name: `Partner ${i}`, statutory: i % 2 === 0 }),
      ),
    );
    const refused = results.filter((r) => !r.ok);
    // The first duplicate succeeds; the other nine are refused as conflicts.
    expect(refused).toHaveLength(9);
    expect(refused.every((r) => !r.ok && r.error.code === 'CONFLICT')).toBe(true);
    expect(await entryCount(host)).toBe(before + 40);
    expect(await call(host, 'audit.verify')).toMatchObject({ intact: true });
  });

  it('calls queued behind a lock are refused LOCKED and write nothing after the lock entry', async () => {
    const { host, dataDir } = await initialisedStore();
    const results = await Promise.all([
      dispatch(host, 'organisations.add', { name: 'Before Lock A', statutory: true }),
      dispatch(host, 'organisations.add', { name: 'Before Lock B', statutory: true }),
      dispatch(host, 'session.lock', {}),
      dispatch(host, 'organisations.add', { name: 'After Lock C', statutory: true }),
      dispatch(host, 'users.list', {}),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'ok', 'ok', 'LOCKED', 'LOCKED']);
    const checkpoint = latestCheckpoint(readKeyFileJson(dataDir));

    await call(host, 'session.unlock', credentials(MANAGER));
    const entries = await host.vault!.db.all<{ seq: number; operation: string }>('SELECT seq, operation FROM audit_log ORDER BY seq');
    const lockAt = entries.findIndex((e) => e.operation === 'session.lock');
    expect(entries.slice(lockAt).map((e) => e.operation)).toEqual(['session.lock', 'session.unlock']);
    expect(checkpoint.seq).toBe(entries[lockAt]!.seq);
    expect((await call(host, 'organisations.list')).organisations.map((o) => o.name)).not.toContain('After Lock C');
  });

  it('an idle lock (host.lock) while calls are queued: the same, and the next unlock sees no tampering', async () => {
    const { host } = await initialisedStore();
    const pending = [
      dispatch(host, 'organisations.add', { name: 'Queued One', statutory: true }),
      host.lock('idle'),
      dispatch(host, 'organisations.add', { name: 'Queued Two', statutory: true }),
    ];
    const [first, , second] = await Promise.all(pending);
    expect(first).toMatchObject({ ok: true });
    expect(second).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    const unlocked = await call(host, 'session.unlock', credentials(MANAGER));
    expect(unlocked.tamperWarning).toBeNull();
    const lockEntry = (await call(host, 'audit.query', { filter: { kind: 'lock' } }, { justification: 'Testing idle lock' })).entries[0]!;
    expect(lockEntry.details).toEqual({ reason: 'idle' });
  });

  it('two overlapping unlocks: one opens the store, the other is refused, and no connection is left behind', async () => {
    const { host } = await initialisedStore();
    await call(host, 'session.lock');
    const results = await Promise.all([1, 2].map(() => dispatch(host, 'session.unlock', credentials(MANAGER))));
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code)).sort()).toEqual(['CONFLICT', 'ok']);
    expect((await call(host, 'audit.query', { filter: { kind: 'unlock' } }, { justification: 'Testing unlock' })).total).toBe(1);
    await call(host, 'session.lock');
    expect(host.vault!.isUnlocked).toBe(false);
    await call(host, 'session.unlock', credentials(MANAGER));
  });
});
