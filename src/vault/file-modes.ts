// Everything in a data folder is for its owner alone: files 0600, folders 0700. SQLite creates the
// database with the process umask (0644 on most systems) and gives its -wal and -shm the database file's
// mode, so the database is created empty and private before SQLCipher opens it. At every unlock the
// folder is checked again, since a copy, a restore or an unzip can widen modes behind our back.
import { chmodSync, closeSync, lstatSync, openSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_FOLDER_MODE = 0o700;

/** Windows has no POSIX modes: its ACLs come from the profile folder the data folder lives in. */
const POSIX_MODES = process.platform !== 'win32';

/** Creates `path` empty with mode 0600; refuses (EEXIST) if it exists. */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE));
  if (POSIX_MODES) chmodSync(path, PRIVATE_FILE_MODE);
}

export interface LooseEntry {
  /** Relative to the data folder ('.' for the folder itself). */
  path: string;
  /** The mode found, as octal text (e.g. '644'). */
  was: string;
  /** False when chmod failed (a file owned by someone else): the entry stays readable and the caller must say so. */
  tightened: boolean;
}

/**
 * The data folder's entries that are the store's: its files (concordat.db, -wal, -shm, .keys, .lock, the
 * key file's temporaries) and the logs/ folder. Anything else a user keeps beside them is left alone.
 */
function isStoreEntry(name: string): boolean {
  return name.startsWith('concordat') || name.startsWith('.concordat') || name === 'logs';
}

/**
 * Finds the data folder itself and every store entry in it (logs/ with its contents; symbolic links
 * skipped) that group or others may read, write or enter, and takes those bits away. Returns what it found.
 */
export function tightenDataFolder(dataDir: string): LooseEntry[] {
  if (!POSIX_MODES) return [];
  const loose: LooseEntry[] = [];
  const visit = (path: string, all: boolean) => {
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!stat || stat.isSymbolicLink()) return;
    const folder = stat.isDirectory();
    const mode = stat.mode & 0o777;
    const wanted = folder ? PRIVATE_FOLDER_MODE : PRIVATE_FILE_MODE;
    if ((mode & 0o077) !== 0) {
      let tightened = true;
      try {
        chmodSync(path, mode & wanted);
      } catch {
        tightened = false;
      }
      loose.push({ path: relative(dataDir, path) || '.', was: mode.toString(8), tightened });
    }
    if (folder) for (const name of readdirSync(path)) if (all || isStoreEntry(name)) visit(join(path, name), true);
  };
  visit(dataDir, false);
  return loose;
}
