// Issue 16, finding 9: every file of the data folder is its owner's alone (files 0600, folder 0700) from
// set-up on, and an unlock takes away modes that a copy or a restore widened, logging which it found.
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import type { Host } from '../../src/host/host.js';
import { call, credentials, MANAGER } from '../support/partnership.js';
import { newHost, tempDir } from '../support/store.js';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = { '.': modeOf(dir) };
  const walk = (folder: string, prefix: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      out[prefix + name] = modeOf(path);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
    }
  };
  walk(dir, '');
  return out;
}

async function fileModeEntries(host: Host) {
  const { entries } = await call(host, 'audit.query', { filter: { kind: 'settings' }, limit: 100 });
  return entries.filter((e) => e.operation === 'store.fileModes');
}

describe.skipIf(process.platform === 'win32')('modes in the data folder', () => {
  it('creates the folder 0700 and every file 0600 (the database, its WAL and SHM, the key file, the lock)', async () => {
    // A folder made beforehand with the usual umask, as `mkdir` would.
    const dataDir = join(tempDir(), 'store');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const host = newHost(dataDir);
    expect((await dispatch(host, 'store.init', MANAGER)).ok).toBe(true);

    const found = modes(dataDir);
    expect(Object.keys(found)).toEqual(
      expect.arrayContaining(['.', 'concordat.db', 'concordat.db-wal', 'concordat.keys', 'concordat.lock']),
    );
    for (const [name, mode] of Object.entries(found)) expect(mode, name).toBe(name === '.' ? '700' : '600');
  });

  it('takes group and other bits away at unlock, logs what it found, and leaves other files alone', async () => {
    const dataDir = tempDir();
    let host = newHost(dataDir);
    expect((await dispatch(host, 'store.init', MANAGER)).ok).toBe(true);
    await host.close();
    // A restore from a backup tool or an unzip that ignored modes.
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'concordat.db'), 0o644);
    chmodSync(join(dataDir, 'concordat.keys'), 0o664);
    mkdirSync(join(dataDir, 'logs'), { mode: 0o755 });
    chmodSync(join(dataDir, 'logs'), 0o755);
    writeFileSync(join(dataDir, 'logs', 'concordat.log'), 'x', { mode: 0o644 });
    writeFileSync(join(dataDir, 'notes.txt'), 'the user’s own file', { mode: 0o644 });

    host = newHost(dataDir);
    expect((await dispatch(host, 'session.unlock', credentials(MANAGER))).ok).toBe(true);
    const found = modes(dataDir);
    expect(found).toMatchObject({
      '.': '700',
      'concordat.db': '600',
      'concordat.keys': '600',
      logs: '700',
      'logs/concordat.log': '600',
      'notes.txt': '644',
    });

    await call(host, 'session.setJustification', { justification: 'Checking file modes' });
    const entries = await fileModeEntries(host);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.details).toEqual({
      loose: expect.arrayContaining([
        { path: '.', was: '755', tightened: true },
        { path: 'concordat.db', was: '644', tightened: true },
        { path: 'concordat.keys', was: '664', tightened: true },
        { path: 'logs', was: '755', tightened: true },
        { path: 'logs/concordat.log', was: '644', tightened: true },
      ]),
    });
    const loose = (entries[0]!.details as { loose: { path: string; tightened: boolean }[] }).loose;
    expect(loose.filter((e) => e.path === 'notes.txt')).toEqual([]);
    expect(loose.every((e) => e.tightened)).toBe(true);

    // Nothing loose, nothing logged.
    await call(host, 'session.lock', {});
    expect((await dispatch(host, 'session.unlock', credentials(MANAGER))).ok).toBe(true);
    await call(host, 'session.setJustification', { justification: 'Checking file modes' });
    expect(await fileModeEntries(host)).toHaveLength(1);
  });
});
