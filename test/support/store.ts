// Real stores in temporary folders, removed after each test. Slots use the Argon2id floor so the suite
// stays fast; the production default is exercised by its own test and by bench/unlock. The personas, the
// dispatch helpers and the seeded stores are in ./partnership.ts: pass them a host from newHost().
import { mkdtempSync, rmSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Host } from '../../src/host/host.js';
import { KDF_FLOOR } from '../../src/vault/slot-crypto.js';
import { managerStore } from './partnership.js';

export const FAST_KDF = { ...KDF_FLOOR };

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

/** A fresh store in a temporary folder, unlocked as its manager (managerStore on a new host). */
export function initialisedStore() {
  return managerStore(newHost());
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

/** Holds the store's queue until released, as a long call ahead of the searches would. */
export async function holdQueue(host: Host) {
  let release!: () => void;
  let holding!: () => void;
  const isHolding = new Promise<void>((resolve) => (holding = resolve));
  const held = host.vault!.db.exclusive(() => {
    holding();
    return new Promise<void>((resolve) => (release = resolve));
  });
  await isHolding;
  return { release: () => (release(), held) };
}
