// One process at a time per data folder. SQLite would let two processes share the file, but two copies of
// the app would each keep their own audit head and checkpoint, so a second opener is refused outright.
import { openSync, writeSync, closeSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { ConcordatError } from '../contract/errors.js';

interface Owner {
  pid: number;
  host: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Longer than writing a few bytes could ever take: an unreadable lock this old was abandoned mid-write. */
const UNREADABLE_LOCK_GRACE_MS = 10_000;

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function readOwner(path: string): Owner | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Owner;
  } catch {
    return null;
  }
}

export class ProcessLock {
  private released = false;

  private constructor(readonly path: string) {}

  static acquire(path: string): ProcessLock {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        const owner: Owner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
        writeSync(fd, JSON.stringify(owner));
        closeSync(fd);
        return new ProcessLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const owner = readOwner(path);
        // A lock left by a process that died on this machine is stale; one from another host or a live
        // process is not. An unreadable lock is a process caught mid-write: treat it as live, unless it has
        // stayed unreadable for longer than any write takes (the process died between creating and writing it).
        const abandoned = owner === null && ageMs(path) > UNREADABLE_LOCK_GRACE_MS;
        const stale = abandoned || (owner !== null && owner.host === hostname() && owner.pid !== process.pid && !isAlive(owner.pid));
        if (!stale) {
          const who = owner ? `process ${owner.pid} on ${owner.host} since ${owner.since}` : 'another process';
          throw new ConcordatError('STORE_IN_USE', `The store is already open in ${who}. Close Concordat there first.`);
        }
        unlinkSync(path);
      }
    }
    throw new ConcordatError('STORE_IN_USE', 'The store is already open in another process.');
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      unlinkSync(this.path);
    } catch {
      // already gone: nothing to release
    }
  }
}
