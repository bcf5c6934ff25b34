// File primitives the vault relies on for crash safety.
import { closeSync, fsyncSync, openSync, readSync, renameSync, writeSync, unlinkSync, existsSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Replaces `path` with `data` so that a crash leaves either the old file or the new one, never a mix:
 * write a sibling, fsync it, rename over the original, fsync the folder.
 *
 * The folder's fsync is what makes the rename itself survive a power cut; the sibling's fsync is what
 * makes whichever file survives whole. `syncFolder: false` keeps the second and drops the first (on ext4
 * the folder's fsync after a rename forces a journal commit: about half the cost of the write). A crash
 * may then bring back the version before this one, whole, or an older one no earlier than the last write
 * made with the folder synced. Only for a write that is safe to lose that way.
 */
export function writeFileAtomic(path: string, data: string | Buffer, { syncFolder = true }: { syncFolder?: boolean } = {}): void {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
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
  if (syncFolder) fsyncFolder(dirname(path));
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
