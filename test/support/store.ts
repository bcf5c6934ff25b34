// Real stores in temporary folders. Slots use the Argon2id floor so the suite stays fast; the production
// default is exercised by its own test and by bench/unlock.
import { mkdtempSync, rmSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Host } from '../../src/host/host.js';
import { dispatch, type DispatchResult } from '../../src/dispatch/dispatcher.js';
import { KDF_FLOOR } from '../../src/vault/slot-crypto.js';
import type { InputOf, OperationName, OutputOf } from '../../src/contract/operations.js';

export const FAST_KDF = { ...KDF_FLOOR };
export const MANAGER = { username: 'alex.manager', displayName: 'Alex Manager', organisation: 'Northfield Community Safety Team', passphrase: 'correct horse battery staple' };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

export function tempDir(prefix = 'concordat-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function newHost(dataDir = tempDir()): Host {
  const host = new Host(dataDir, { kdf: FAST_KDF });
  cleanups.push(() => host.close());
  return host;
}

/** Dispatches and returns the value, failing the test with the typed error if the call was refused. */
export async function call<N extends OperationName>(host: Host, name: N, input: InputOf<N> | Record<string, never> = {} as never, meta?: { justification?: string }): Promise<OutputOf<N>> {
  const result = (await dispatch(host, name, input, meta)) as DispatchResult<OutputOf<N>>;
  if (!result.ok) throw new Error(`${name} refused: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** A fresh store unlocked as its manager; returns the host, the data folder and the recovery key. */
export async function initialisedStore() {
  const dataDir = tempDir();
  const host = newHost(dataDir);
  const { recoveryKey, user } = await call(host, 'store.init', MANAGER);
  return { host, dataDir, recoveryKey, manager: user };
}

/** Every file in a folder, recursively, as [path, bytes]. */
export function filesIn(dir: string): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesIn(path));
    else out.push([path, readFileSync(path)]);
  }
  return out;
}
