// The closed database: a second SQLCipher file beside the store, under its own random key, holding what
// only statutory partners and managers may read (issue 15: 1). Sessions whose slot holds that key attach it
// to the one connection as `closed`; the schema inside it (src/store/closed-migrations) names every table
// uniquely, so triggers and views can refer to them without a schema name. See docs/closed-store.md.
import { existsSync, rmSync, statSync } from 'node:fs';
import { ConcordatError } from '../contract/errors.js';
import { Database } from './database.js';
import { readHead } from './files.js';
import { createPrivateFile } from './file-modes.js';
import { migrate, schemaVersion, type Migration, type MigrationListener } from './migrate.js';

export const CLOSED_SCHEMA = 'closed';

/** What the layer that knows the features gives the vault for the closed database. */
export interface ClosedStoreOptions {
  migrations: readonly Migration[];
  /**
   * Runs on the connection once `closed` is attached (the store builds its merged views here, and moves
   * closed-only content across); `progress` hears how far that move has got.
   */
  onAttach(db: Database, progress?: (done: number, total: number) => void): Promise<void>;
}

function keyLiteral(key: Buffer): string {
  if (key.length !== 32) throw new Error('a raw SQLCipher key is 32 bytes');
  return `"x'${key.toString('hex')}'"`;
}

async function configureClosed(db: Database, key: Buffer): Promise<void> {
  await db.exec('PRAGMA cipher_log_level = NONE');
  await db.exec(`PRAGMA key = ${keyLiteral(key)};`);
  await db.get('PRAGMA journal_mode = WAL');
  await db.exec('PRAGMA secure_delete = ON');
  await db.exec('PRAGMA temp_store = MEMORY');
  await db.exec('PRAGMA synchronous = FULL');
  await db.exec('PRAGMA recursive_triggers = ON');
}

/**
 * Makes the closed database (or brings an existing one's schema up to date) on its own short-lived
 * connection, so its schema is written without schema names. Returns the file's salt (its first 16 bytes),
 * which the key file records to bind the two together.
 */
export async function prepareClosedDatabase(
  path: string,
  key: Buffer,
  storeId: string,
  migrations: readonly Migration[],
  mode: 'create' | 'existing',
  onProgress?: MigrationListener,
): Promise<string> {
  if (mode === 'create') {
    // A file left by a set-up that crashed before the key file named it: its key is gone, so it held nothing.
    for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
    createPrivateFile(path);
  }
  const db = await Database.open(path, mode);
  try {
    try {
      await configureClosed(db, key);
      await db.get('SELECT count(*) AS n FROM sqlite_master');
    } catch (err) {
      throw new ConcordatError('DATABASE_CORRUPT', 'The closed database cannot be decrypted with its key: it is damaged or was replaced.', {
        cause: err,
      });
    }
    await migrate(db, migrations, undefined, onProgress);
    if (mode === 'create') await db.run("INSERT INTO closed_meta (key, value) VALUES ('store_id', ?)", [storeId]);
    const owner = await db.get<{ value: string }>("SELECT value FROM closed_meta WHERE key = 'store_id'");
    if (owner?.value !== storeId) throw new ConcordatError('KEYFILE_MISMATCH', 'The closed database belongs to a different store.');
    // A new file's header (its salt, read below) reaches the file only at a checkpoint, and nothing else reads
    // it yet. An existing file's is there already: its checkpoint does not wait for another reader (a backup's
    // snapshot), and what it leaves is checkpointed by the store's next writes.
    if (mode === 'create') await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    else await db.truncateWal('main');
  } finally {
    await db.close();
  }
  return readHead(path, 16).toString('hex');
}

/** Whether the closed database's schema is behind `migrations` (read on its own connection). */
export async function closedSchemaIsBehind(path: string, key: Buffer, migrations: readonly Migration[]): Promise<boolean> {
  const db = await Database.open(path, 'readonly');
  try {
    await configureClosed(db, key);
    return (await schemaVersion(db)) < (migrations.at(-1)?.version ?? 0);
  } catch {
    return false;
  } finally {
    await db.close();
  }
}

/**
 * The closed database's schema version, or null when `key` does not open it: read before the store is
 * opened, to count an upgrade's steps. A read-write connection that writes nothing, because only that one
 * removes the -wal and -shm files it made when it closes: an unlock refused afterwards leaves the folder
 * as it found it.
 */
export async function peekClosedSchemaVersion(path: string, key: Buffer): Promise<number | null> {
  const db = await Database.open(path, 'existing');
  try {
    await db.exec('PRAGMA cipher_log_level = NONE');
    await db.exec(`PRAGMA key = ${keyLiteral(key)};`);
    return await schemaVersion(db);
  } catch {
    return null;
  } finally {
    await db.close();
  }
}

/** Checks the file is there and is the one the key file names, before any key is tried on it. */
export function checkClosedHeader(path: string, salt: string): void {
  if (!existsSync(path))
    throw new ConcordatError(
      'DATABASE_MISSING',
      `The closed database is missing: ${path}. Closed-only content cannot be read without it; restore it from backup.`,
    );
  if (statSync(path).size < 1024 || readHead(path, 16).toString('hex') !== salt)
    throw new ConcordatError('KEYFILE_MISMATCH', `The closed database in ${path} is not the one the key file names.`);
}

/**
 * The attached closed database's page cache, in KiB. An attached schema does not take the connection's
 * cache_size (configureConnection's 64 MiB is the main schema's); it starts at SQLite's 2 MiB. Every search
 * of a key holder reads the closed FTS indexes several times (the count, the tiers, the page), and at
 * 2 MiB each read decrypted their pages again: at 100,000 cases (a closed file of 130 MB), a search mix
 * interleaved with lists and details costs 5.3 to 5.6 ms CPU median, 17.7 to 18.2 p95 with 2 MiB, and
 * 4.9 to 5.0, 16.0 to 16.2 with 16 MiB, for about 15 MiB more resident memory (docs/search-at-scale.md,
 * 2026-12-01). The pages are allocated only as they are read: a small closed file costs no more.
 */
export const CLOSED_CACHE_KIB = 16384;

/** Attaches the closed database with `key`; throws DATABASE_CORRUPT (and leaves nothing attached) if the key does not open it. */
export async function attachClosed(db: Database, path: string, key: Buffer): Promise<void> {
  await db.run(`ATTACH DATABASE ? AS ${CLOSED_SCHEMA} KEY ${keyLiteral(key)}`, [path]);
  try {
    await db.get(`SELECT count(*) AS n FROM ${CLOSED_SCHEMA}.sqlite_master`);
    await db.get(`PRAGMA ${CLOSED_SCHEMA}.journal_mode = WAL`);
    await db.exec(`PRAGMA ${CLOSED_SCHEMA}.secure_delete = ON`);
    await db.exec(`PRAGMA ${CLOSED_SCHEMA}.synchronous = FULL`);
    await db.exec(`PRAGMA ${CLOSED_SCHEMA}.cache_size = -${CLOSED_CACHE_KIB}`);
  } catch (err) {
    await db.exec(`DETACH DATABASE ${CLOSED_SCHEMA}`).catch(() => undefined);
    throw new ConcordatError('DATABASE_CORRUPT', 'The closed database cannot be decrypted with its key: it is damaged or was replaced.', {
      cause: err,
    });
  }
}

/** Whether `closed` is attached on this connection. */
export async function closedAttached(db: Database): Promise<boolean> {
  const rows = await db.all<{ name: string }>('PRAGMA database_list');
  return rows.some((r) => r.name === CLOSED_SCHEMA);
}
