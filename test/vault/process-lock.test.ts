// One process at a time per data folder, proved with real child processes (see test/support/child-open-store.mjs).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import type { ErrorShape } from '../../src/contract/errors.js';
import { CHILD_OPEN_STORE, ensureBuilt } from '../support/child-dist.js';
import { call, credentials, MANAGER } from '../support/partnership.js';
import { initialisedStore, newHost } from '../support/store.js';
import { keyFilePath, paths } from './raw.js';

type ChildReport = { ok: true; pid: number } | { ok: false; error: ErrorShape };

interface Child {
  process: ChildProcess;
  report: Promise<ChildReport>;
  exit: Promise<number | null>;
}

function startChild(dataDir: string, mode: 'once' | 'hold'): Child {
  const child = spawn(process.execPath, [CHILD_OPEN_STORE, dataDir, mode], {
    env: { ...process.env, CONCORDAT_TEST_USERNAME: MANAGER.username, CONCORDAT_TEST_PASSPHRASE: MANAGER.passphrase },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const report = new Promise<ChildReport>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) resolve(JSON.parse(line) as ChildReport);
    });
    void exit.then((code) => reject(new Error(`child exited (${code}) without a report: ${stderr}`)));
  });
  return { process: child, report, exit };
}

async function lockedStore() {
  const store = await initialisedStore();
  await call(store.host, 'session.lock');
  await store.host.close();
  return store;
}

describe('process lock', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  it('refuses a second process while this one holds the store, and changes nothing', async () => {
    const { host, dataDir } = await initialisedStore();
    const lockBefore = readFileSync(paths(dataDir).lock);
    const keysBefore = readFileSync(keyFilePath(dataDir));
    const child = startChild(dataDir, 'once');
    const report = await child.report;
    expect(report).toMatchObject({ ok: false, error: { code: 'STORE_IN_USE' } });
    expect((report as { error: ErrorShape }).error.message).toContain(`process ${process.pid}`);
    expect(await child.exit).toBe(0);
    expect(readFileSync(paths(dataDir).lock).equals(lockBefore)).toBe(true);
    expect(readFileSync(keyFilePath(dataDir)).equals(keysBefore)).toBe(true);
    // This process still has its store.
    expect((await call(host, 'store.status')).state).toBe('unlocked');
  });

  it('refuses this process while a child holds the store, then opens once the child lets go', async () => {
    const { dataDir } = await lockedStore();
    const child = startChild(dataDir, 'hold');
    try {
      const report = await child.report;
      expect(report).toEqual({ ok: true, pid: child.process.pid });

      const host = newHost(dataDir);
      const refused = await dispatch(host, 'session.unlock', credentials(MANAGER));
      expect(refused).toMatchObject({ ok: false, error: { code: 'STORE_IN_USE' } });
      if (!refused.ok) expect(refused.error.message).toContain(`process ${child.process.pid}`);
      expect(host.vault).toBeNull();

      child.process.kill('SIGTERM');
      expect(await child.exit).toBe(0);
      expect(existsSync(paths(dataDir).lock)).toBe(false);
      const unlocked = await call(host, 'session.unlock', credentials(MANAGER));
      expect(unlocked.tamperWarning).toBeNull();
    } finally {
      child.process.kill('SIGKILL');
    }
  });

  it('takes over a stale lock left by a process that died', async () => {
    const { dataDir } = await lockedStore();
    const child = startChild(dataDir, 'hold');
    expect(await child.report).toMatchObject({ ok: true });
    // SIGKILL: the child gets no chance to release its lock file.
    child.process.kill('SIGKILL');
    await child.exit;
    const stale = JSON.parse(readFileSync(paths(dataDir).lock, 'utf8')) as { pid: number };
    expect(stale.pid).toBe(child.process.pid);

    const host = newHost(dataDir);
    await call(host, 'session.unlock', credentials(MANAGER));
    expect(JSON.parse(readFileSync(paths(dataDir).lock, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
  });

  it('does not take over a lock held from another machine, even if that pid is dead here', async () => {
    const { dataDir } = await lockedStore();
    const foreign = JSON.stringify({ pid: 2 ** 22 + 17, host: `not-${hostname()}`, since: '2026-01-01T00:00:00.000Z' });
    writeFileSync(paths(dataDir).lock, foreign);
    const host = newHost(dataDir);
    const result = await dispatch(host, 'session.unlock', credentials(MANAGER));
    expect(result).toMatchObject({ ok: false, error: { code: 'STORE_IN_USE' } });
    expect(readFileSync(paths(dataDir).lock, 'utf8')).toBe(foreign);
  });
});
