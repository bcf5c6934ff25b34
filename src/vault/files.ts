// File primitives the vault relies on for crash safety.
import { closeSync, fsyncSync, lstatSync, openSync, readdirSync, readSync, renameSync, writeSync, unlinkSync, existsSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';

function siblingOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes the temporary siblings of `path` (as siblingOf names them) that a process killed mid-write left
 * beside it: copies of an earlier key file, slots and all. Only regular files of exactly that name, only in
 * `path`'s own folder. Call it while holding the store's process lock, once no write of this process is in
 * flight (Vault.open: a vault waits for its writes before it releases the lock). Returns what it removed.
 */
export function removeStraySiblings(path: string): string[] {
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(path))}\\.[0-9a-f]{12}\\.tmp$`);
  const removed: string[] = [];
  for (const name of readdirSync(dirname(path))) {
    if (!pattern.test(name)) continue;
    const stray = join(dirname(path), name);
    try {
      if (!lstatSync(stray).isFile()) continue;
      unlinkSync(stray);
      removed.push(name);
    } catch (err) {
      // Gone meanwhile: nothing to remove.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return removed;
}

/**
 * Replaces `path` with `data` so that a crash leaves either the old file or the new one, never a mix:
 * write a sibling, fsync it, rename over the original, fsync the folder.
 *
 * The folder's fsync is what makes the rename itself survive a power cut; the sibling's fsync is what
 * makes whichever file survives whole.
 */
export function writeFileAtomic(path: string, data: string | Buffer): void {
  const temporary = siblingOf(path);
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    if (existsSync(temporary)) unlinkSync(temporary);
    throw err;
  }
  closeSync(fd);
  renameSync(temporary, path);
  fsyncFolder(dirname(path));
}

/**
 * writeFileAtomic for a file rewritten on the hot path (the key file's checkpoint after every
 * consultation), without making the main thread wait on the disk: the sibling is written and fsync'd on
 * the thread pool, and only the rename happens on the main thread, and only while `isCurrent()` says no
 * newer write of the same file has been made meanwhile, so a slow write can never put back older
 * contents. The folder is not fsync'd: a power cut may bring back the version before this one, whole, or
 * an older one no earlier than the last writeFileAtomic. Only for a write that is safe to lose that way.
 * Resolves to whether the file was replaced.
 */
export async function writeFileAtomicInBackground(path: string, data: string, isCurrent: () => boolean): Promise<boolean> {
  const temporary = siblingOf(path);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(temporary, { force: true });
    throw err;
  }
  await handle.close();
  if (!isCurrent()) {
    await rm(temporary, { force: true });
    return false;
  }
  renameSync(temporary, path);
  return true;
}

export function fsyncFolder(folder: string): void {
  // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsyncFolder on libuv's thread pool, for a caller beside a session (a backup finishing) that must not hold up the main thread. */
export async function fsyncFolderInBackground(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The first `length` bytes of a file (fewer if the file is shorter). */
export function readHead(path: string, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
