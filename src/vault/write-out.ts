// Keeps files that another connection is filling (a backup's snapshot copies, gigabytes written with no
// fsync) from piling up unwritten pages in the OS cache. A pile that size is written back all at once
// later, and on ext4 (data=ordered) every commit that must reach the disk, the store's WAL commits and the
// key file's checkpoints among them, then waits behind the part of it the journal has taken in: seconds
// of stall for every window and call (bench/backup). Written out a few MiB at a time instead, no
// commit waits long. The syncs run on libuv's thread pool, one at a time, so the main thread never waits.
import { open, rm, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** How often the files are looked at; what has been written since is sent to the disk. */
const EVERY_MS = 50;

export interface WriteOut {
  /** Stops looking and waits for the sync in flight, if any. */
  stop(): Promise<void>;
}

/**
 * Starts writing out each of `paths` (files that exist already) every EVERY_MS until stopped. Best effort:
 * a failed sync only ends the writing out (whoever owns the files syncs what must last).
 */
export function keepWrittenOut(paths: readonly string[]): WriteOut {
  let stopped = false;
  const run = async () => {
    const handles: FileHandle[] = [];
    try {
      for (const path of paths) handles.push(await open(path, 'r'));
      while (!stopped) {
        await sleep(EVERY_MS);
        // A file with nothing new to write returns at once.
        for (const handle of handles) if (!stopped) await handle.datasync();
      }
    } finally {
      for (const handle of handles) await handle.close();
    }
  };
  const running = run().catch(() => undefined);
  return {
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}

/** How much of a scratch file one step of `removeGradually` frees. */
const REMOVE_STEP_BYTES = 32 * 2 ** 20;
/** The pause after each step, in which the store's own commits reach the disk's journal first. */
const REMOVE_PAUSE_MS = 20;

/**
 * Removes a scratch file of gigabytes a slice at a time from its end, each slice's freeing committed on its
 * own: unlinked whole, its freed blocks (and, on a file system mounted with `discard`, their discards) all
 * fall in one journal commit, which the store's next commit then waits for. Best effort: whatever fails,
 * the file is removed at the end.
 */
export async function removeGradually(path: string): Promise<void> {
  try {
    const handle = await open(path, 'r+');
    try {
      for (let size = (await handle.stat()).size; size > 0;) {
        size = Math.max(0, size - REMOVE_STEP_BYTES);
        await handle.truncate(size);
        await handle.datasync();
        await sleep(REMOVE_PAUSE_MS);
      }
    } finally {
      await handle.close();
    }
  } catch {
    // Removed below, whole.
  }
  await rm(path, { force: true });
}
