// Backups of the open store: a consistent snapshot taken while the store is in use, still encrypted under the
// master key, with the key file as it was at that moment and a manifest, in one file authenticated as a whole.
//
// The snapshot is a read transaction on a second connection, so (WAL) writers on the main connection go on
// while it is copied. The key file is read, and the read transaction begun, inside the main connection's
// exclusive section: no checkpoint can be written between the two, so the copied checkpoint is never ahead of
// the copied log.
//
// The copy is the live file's own bytes (`copyLiveFile`) when the WAL could be emptied into the file just
// before the read transaction began: SQLite's reader then takes WAL read-lock 0 and reads the file alone, and
// no checkpoint may write into the file while that lock is held (a checkpointer needs it exclusively), so the
// file holds exactly the snapshot until COMMIT, whatever the writers append to the WAL meanwhile. No page is
// decrypted, and the copy steps aside for the store's calls a chunk at a time. When another reader pins an
// older state (the WAL cannot be emptied), the snapshot is exported instead (`sqlcipher_export` into an
// attached database keyed with the same raw key and the same salt, so the copied key file opens it and still
// names its salt): one statement of the whole store's pages decrypted and encrypted again.
//
// The closed database (concordat-closed.db, closed-only content under its own key) is copied the same way on
// the same connection, its read transaction begun in the same exclusive section, so the two copies are of one
// moment (the reconciliation between the files runs in that section too). Its copy keeps its own key and salt.
//
// File layout: "CONCORDAT-BACKUP" | u32 format | u32 header length | header JSON | database | closed database
// (when the store has one) | HMAC-SHA256 tag.
// The tag covers every byte before it, under a key derived (HKDF) from the master key and a random salt in the
// header: a changed byte anywhere is refused, and nothing is trusted before the tag has been checked.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
  type Hash,
  type Hmac,
} from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { ConcordatError } from '../contract/errors.js';
import { sql, sqlIdentifier } from '../store/sql.js';
import { Database, rawKeyPragma, type Sql } from './database.js';
import { fsyncFolder, fsyncFolderInBackground, readHead } from './files.js';
import { checkWholeFile } from './integrity.js';
import { keyFileSchema, type KeyFile } from './keyfile.js';
import { keepWrittenOut, removeGradually } from './write-out.js';

const MAGIC = Buffer.from('CONCORDAT-BACKUP', 'ascii');
const FORMAT_VERSION = 1;
const PREFIX_BYTES = MAGIC.length + 8;
const TAG_BYTES = 32;
const MAX_HEADER_BYTES = 16 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
/**
 * How much of a copy is written, and sent to the disk, in one step taken between the store's calls
 * (`inTurn`): a call that comes meanwhile waits for the step, at most this much read, written and fsync'd.
 */
const STEP_BYTES = 2 * CHUNK_BYTES;
/** How long a step waits at most for a gap between the store's calls before it runs beside them. */
const STEP_ASIDE_MS = 50;
const DATABASE_FILE = 'concordat.db';
const KEY_FILE = 'concordat.keys';
const CLOSED_FILE = 'concordat-closed.db';

const manifestSchema = z.looseObject({
  storeId: z.string().min(1),
  createdAt: z.string(),
  schemaVersion: z.number().int().nonnegative(),
  /** Rows per table of the snapshot (virtual tables are counted through their shadow tables). */
  tables: z.record(z.string(), z.number().int().nonnegative()),
  /**
   * Rows per table of the closed database's snapshot, as backups before sealedClosedTables wrote them: in
   * the clear, where anyone holding only the file could count the closed-only cases and notes.
   */
  closedTables: z.record(z.string(), z.number().int().nonnegative()).optional(),
  /** The same counts, sealed under the closed key (sealClosedCounts), when the store has a closed database. */
  sealedClosedTables: z.object({ iv: z.string(), data: z.string(), tag: z.string() }).optional(),
});

const closedCountsSchema = z.record(z.string(), z.number().int().nonnegative());
/** The sealed counts are padded to a multiple of this, so their length does not tell the counts' digits apart. */
const COUNTS_PADDING = 1024;

function countsKey(closedKey: Buffer, storeId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', closedKey, Buffer.alloc(0), `concordat backup closed counts v1|${storeId}`, 32));
}

/**
 * The closed database's row counts, encrypted (AES-256-GCM) under a key derived from the closed key: the
 * manifest is read before anything is authenticated or unsealed, and only the closed key's holders may
 * know how many closed-only rows there are. The tag over the whole file authenticates them as well.
 */
function sealClosedCounts(
  counts: Record<string, number>,
  closedKey: Buffer,
  storeId: string,
): NonNullable<BackupManifest['sealedClosedTables']> {
  const json = Buffer.from(JSON.stringify(counts), 'utf8');
  const padded = Buffer.concat([json, Buffer.alloc(COUNTS_PADDING - (json.length % COUNTS_PADDING), 0x20)]);
  const iv = randomBytes(12);
  const key = countsKey(closedKey, storeId);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(storeId, 'utf8'));
  const data = Buffer.concat([cipher.update(padded), cipher.final()]);
  key.fill(0);
  return { iv: iv.toString('base64'), data: data.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** The closed counts a backup's manifest gives: unsealed with the closed key, or in the clear from an older backup. */
function closedCountsOf(manifest: BackupManifest, closedKey: Buffer): Record<string, number> {
  const sealed = manifest.sealedClosedTables;
  if (!sealed) return manifest.closedTables ?? {};
  const key = countsKey(closedKey, manifest.storeId);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(manifest.storeId, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
    return closedCountsSchema.parse(JSON.parse(plain.toString('utf8')));
  } catch (err) {
    throw new ConcordatError('BACKUP_CORRUPT', "The closed database's counts in the backup's manifest do not open with its key.", {
      field: 'file',
      cause: err,
    });
  } finally {
    key.fill(0);
  }
}

const headerSchema = z.object({
  storeId: z.string().min(1),
  /** HKDF salt of the tag's key, base64. */
  macSalt: z.string().min(1),
  manifest: manifestSchema,
  /**
   * A check value of the master key the backup was made under (HKDF of it and the salt above, base64; it
   * reveals nothing of the key): a session holding another key, since a rotation, says so at once instead
   * of reading the whole file to call it changed. Absent from backups made before it was added.
   */
  keyCheck: z.string().optional(),
  /** The key file's bytes as they were at the snapshot, base64. */
  keyFile: z.string(),
  database: z.object({ bytes: z.number().int().positive(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  /** The closed database's copy, after the database's bytes (absent for a store without one). */
  closedDatabase: z.object({ bytes: z.number().int().positive(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
});

export type BackupManifest = z.infer<typeof manifestSchema>;
export type BackupHeader = z.infer<typeof headerSchema>;

export interface BackupProgress {
  phase: 'snapshot' | 'writing' | 'checking';
  /** Bytes done of `total` in the whole job (snapshot and writing count the database once each). */
  done: number;
  total: number;
}

/** What the open store lends a backup. The key is a copy: the backup wipes it when done. */
export interface BackupSource {
  databasePath: string;
  keyFilePath: string;
  storeId: string;
  masterKey: Buffer;
  /** The closed database and its key (a copy: wiped with the master key), when this session holds it. */
  closed: { path: string; key: Buffer } | null;
  /** The main connection: the snapshot's starting point is taken inside its exclusive section. */
  db: Database;
  /** False once the store's master key has been rotated since this source was lent. */
  keyIsCurrent(): boolean;
  /**
   * Declares a snapshot reading the live database; a master-key rotation calls `stop` and waits for it before
   * re-keying. Returns the function that withdraws the declaration.
   */
  snapshotRunning(stop: () => Promise<void>): () => void;
  /** Resolves once the store's writes made outside its queue (the key file's background checkpoint) are on the disk. */
  writesSettled(): Promise<void>;
}

export interface CreateBackupOptions {
  /** Adds to the manifest, read from the snapshot's copy (e.g. the audit head, who made it). */
  describe(sql: Sql): Promise<Record<string, unknown>>;
  onProgress?(progress: BackupProgress): void;
  /** Stops the backup (the store is locking); the partial files are removed. */
  signal?: AbortSignal;
}

export interface BackupWritten {
  manifest: BackupManifest;
  bytes: number;
  /** SHA-256 of the whole backup file, for the audit entry. */
  sha256: string;
  /** How long the backup held the main connection's queue (to fix its starting point): the only wait it imposes. */
  exclusiveMs: number;
  /**
   * How the snapshot was taken: the live files' bytes copied, or (another reader pinned an older state, so
   * the WAL could not be emptied first) exported by SQLCipher page by page.
   */
  snapshot: 'copied' | 'exported';
  /** How long the snapshot's read transaction lasted (the copy or the export), and the manifest's reading after it. */
  snapshotMs: number;
  describeMs: number;
}

function macKey(masterKey: Buffer, salt: Buffer, storeId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, salt, `concordat backup v1|${storeId}`, 32));
}

function keyCheck(masterKey: Buffer, salt: Buffer, storeId: string): string {
  return Buffer.from(hkdfSync('sha256', masterKey, salt, `concordat backup key check v1|${storeId}`, 16)).toString('base64');
}

/**
 * Refuses, before reading the file, a key other than the one the backup was made under: the app's own
 * check after a master-key rotation (its session holds only the new key). Not authentic (the header is
 * checked by the tag later): it only chooses which refusal to give. The command line unseals the key from
 * the backup's own key file, with a passphrase or the recovery key that opened the store then.
 */
export function requireKeyOfBackup(path: string, masterKey: Buffer): void {
  const { keyCheck: expected, macSalt, storeId } = readBackupHeader(path).header;
  if (expected === undefined || expected === keyCheck(masterKey, Buffer.from(macSalt, 'base64'), storeId)) return;
  throw new ConcordatError(
    'CONFLICT',
    "This backup was made under the store's earlier master key (before a key rotation or a user's removal), which this session no longer holds. Check it with `concordat backup verify FILE` and a passphrase or the recovery key that opened the store when it was made.",
    { field: 'file' },
  );
}

/** A backup never completes across a rotation: its key slots would open a key the store no longer uses. */
function rotatedDuringBackup(): ConcordatError {
  return new ConcordatError(
    'CONFLICT',
    "The store's master key was rotated (a key rotation, or a user's removal) while this backup was being made: it was stopped and nothing was written, because its key slots would no longer be the store's. Make the backup again.",
  );
}

function corrupt(message: string): ConcordatError {
  return new ConcordatError('BACKUP_CORRUPT', message, { field: 'file' });
}

/** The SQLCipher key of the copy: the master key and the original's salt, so the copied key file still fits. */
function keyWithSalt(masterKey: Buffer, salt: Buffer): string {
  return `x'${masterKey.toString('hex')}${salt.toString('hex')}'`;
}

async function openKeyed(path: string, masterKey: Buffer, mode: 'existing' | 'readonly'): Promise<Database> {
  const connection = await Database.open(path, mode);
  try {
    await connection.exec('PRAGMA cipher_log_level = NONE');
    await connection.exec(rawKeyPragma(masterKey));
    // Sorts stay in memory: SQLite's temporary files are not encrypted.
    await connection.exec('PRAGMA temp_store = MEMORY');
    await connection.exec('PRAGMA busy_timeout = 5000');
    return connection;
  } catch (err) {
    await connection.close().catch(() => undefined);
    throw err;
  }
}

/** Row counts of every ordinary table of `schema`, read on `sql` (inside the caller's transaction). */
export async function countTables(db: Sql, schema = 'main'): Promise<Record<string, number>> {
  const tables = await db.all<{ name: string }>(
    sql`SELECT name FROM ${sqlIdentifier(schema)}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    counts[name] = (await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${sqlIdentifier(schema)}.${sqlIdentifier(name)}`))?.n ?? 0;
  }
  return counts;
}

/** The master key and, when the credential holds it, the closed database's key. */
export interface BackupKeys {
  master: Buffer;
  closed: Buffer | null;
}

const keysOf = (keys: Buffer | BackupKeys): BackupKeys => (Buffer.isBuffer(keys) ? { master: keys, closed: null } : keys);

function wipe(keys: BackupKeys): void {
  keys.master.fill(0);
  keys.closed?.fill(0);
}

function partialPath(outPath: string, suffix: string): string {
  return join(dirname(outPath), `.${basename(outPath)}.${randomBytes(6).toString('hex')}.${suffix}`);
}

/**
 * The manifest, read from the snapshot's copies themselves (the rows as they were exported) on a connection
 * of their own: its row counts, minutes of reading at 100,000 cases, keep no reader on the live files.
 */
async function describeCopy(
  copyPath: string,
  closedCopy: { path: string; key: Buffer } | null,
  source: BackupSource,
  { schemaVersion, describe, opened }: { schemaVersion: number; describe: CreateBackupOptions['describe']; opened(copy: Database): void },
): Promise<BackupManifest> {
  const copy = await openKeyed(copyPath, source.masterKey, 'readonly');
  opened(copy);
  try {
    if (closedCopy) await copy.run(`ATTACH ? AS closedcopy KEY "x'${closedCopy.key.toString('hex')}'"`, [closedCopy.path]);
    return {
      ...(await describe(copy)),
      storeId: source.storeId,
      createdAt: new Date().toISOString(),
      schemaVersion,
      tables: await countTables(copy),
      ...(closedCopy
        ? { sealedClosedTables: sealClosedCounts(await countTables(copy, 'closedcopy'), closedCopy.key, source.storeId) }
        : {}),
    };
  } finally {
    await copy.close();
  }
}

/** Writes the backup to `outPath` (which must not exist yet; it is never overwritten). */
export async function createBackup(source: BackupSource, outPath: string, options: CreateBackupOptions): Promise<BackupWritten> {
  const { signal } = options;
  if (!existsSync(dirname(outPath)) || !statSync(dirname(outPath)).isDirectory()) {
    throw new ConcordatError('VALIDATION', `The folder ${dirname(outPath)} does not exist.`, { field: 'out' });
  }
  if (existsSync(outPath))
    throw new ConcordatError('CONFLICT', `${outPath} already exists; a backup never overwrites a file.`, { field: 'out' });
  const snapshotPath = partialPath(outPath, 'db.partial');
  const closedSnapshotPath = partialPath(outPath, 'closed.partial');
  const partialOut = partialPath(outPath, 'partial');
  let connection: Database | null = null;
  const stopOnAbort = () => connection?.interrupt();
  signal?.addEventListener('abort', stopOnAbort);
  // A rotation stops the snapshot and waits until its connection has closed before re-keying.
  let rotated = false;
  let snapshotClosed = (): void => undefined;
  const closed = new Promise<void>((resolve) => (snapshotClosed = resolve));
  const stopForRotation = () => {
    rotated = true;
    connection?.interrupt();
    return closed;
  };
  let withdraw = (): void => undefined;
  try {
    connection = await openKeyed(source.databasePath, source.masterKey, 'existing');
    const salt = readHead(source.databasePath, 16);
    // Made here, private to its owner: the connection may not create files, and the copy holds the whole store.
    closeSync(openSync(snapshotPath, 'wx', 0o600));
    await connection.run(`ATTACH ? AS backup KEY "${keyWithSalt(source.masterKey, salt)}"`, [snapshotPath]);
    // The snapshot is scratch, read back at once and removed (a crash leaves only a partial file to delete): no
    // journal and no fsync. A commit-time fsync of gigabytes would make every other fsync on the disk wait,
    // the store's commits among them; it is written out a little at a time instead (keepWrittenOut below).
    await connection.exec('PRAGMA backup.journal_mode = OFF');
    await connection.exec('PRAGMA backup.synchronous = OFF');
    const closed = source.closed;
    const closedSalt = closed ? readHead(closed.path, 16) : null;
    if (closed && closedSalt) {
      await connection.run(`ATTACH ? AS closedlive KEY "x'${closed.key.toString('hex')}'"`, [closed.path]);
      closeSync(openSync(closedSnapshotPath, 'wx', 0o600));
      await connection.run(`ATTACH ? AS closedbackup KEY "${keyWithSalt(closed.key, closedSalt)}"`, [closedSnapshotPath]);
      await connection.exec('PRAGMA closedbackup.journal_mode = OFF');
      await connection.exec('PRAGMA closedbackup.synchronous = OFF');
    }
    const snapshot = connection;
    // What the WAL holds now goes into the file here, outside the store's queue, so that little is left to
    // checkpoint inside it. PASSIVE never waits nor makes a writer wait.
    await snapshot.get('PRAGMA main.wal_checkpoint(PASSIVE)');
    if (closed) await snapshot.get('PRAGMA closedlive.wal_checkpoint(PASSIVE)');
    const liveSchemas = closed ? ['main', 'closedlive'] : ['main'];
    let copied = false;
    let exclusiveMs = 0;
    const keyFileBytes = await source.db.exclusive(async () => {
      // A rotation queued before this section has re-keyed the store under the key this backup was lent.
      if (!source.keyIsCurrent()) throw rotatedDuringBackup();
      withdraw = source.snapshotRunning(stopForRotation);
      const start = performance.now();
      // Nothing writes while this section holds the queue (the main connection is the store's only writer):
      // once the WALs are empty, the read transaction below begins on the files alone (WAL read-lock 0).
      copied = await emptyWals(snapshot, liveSchemas);
      await snapshot.exec('BEGIN');
      // The first read fixes the snapshot the whole transaction sees.
      await snapshot.get('SELECT count(*) AS n FROM main.sqlite_master');
      if (closed) await snapshot.get('SELECT count(*) AS n FROM closedlive.sqlite_master');
      if (!readHead(source.databasePath, 16).equals(salt) || (closed && closedSalt && !readHead(closed.path, 16).equals(closedSalt))) {
        throw new ConcordatError('CONFLICT', 'The store was re-keyed while the backup started; try again.');
      }
      // Still empty as the transaction began: it reads the files alone, which no checkpoint can change before COMMIT.
      copied &&= walIsEmpty(source.databasePath) && (!closed || walIsEmpty(closed.path));
      const bytes = readFileSync(source.keyFilePath);
      exclusiveMs = performance.now() - start;
      return bytes;
    });
    const pagesOf = async (schema: string) => {
      const pageSize = (await snapshot.get<{ page_size: number }>(sql`PRAGMA ${sqlIdentifier(schema)}.page_size`))?.page_size ?? 4096;
      const pageCount = (await snapshot.get<{ page_count: number }>(sql`PRAGMA ${sqlIdentifier(schema)}.page_count`))?.page_count ?? 0;
      return pageSize * pageCount;
    };
    const schemaVersion = (await snapshot.get<{ user_version: number }>('PRAGMA main.user_version'))?.user_version ?? 0;
    const closedVersion = closed
      ? ((await snapshot.get<{ user_version: number }>('PRAGMA closedlive.user_version'))?.user_version ?? 0)
      : 0;
    const expected = await pagesOf('main');
    const closedExpected = closed ? await pagesOf('closedlive') : 0;
    const total = expected * 2;
    options.onProgress?.({ phase: 'snapshot', done: 0, total });
    const snapshotStart = performance.now();
    if (copied) {
      const stopped = () => {
        signal?.throwIfAborted();
        if (rotated) throw rotatedDuringBackup();
      };
      await copyLiveFile(source.databasePath, snapshotPath, expected, source, stopped, (done) =>
        options.onProgress?.({ phase: 'snapshot', done, total }),
      );
      if (closed) await copyLiveFile(closed.path, closedSnapshotPath, closedExpected, source, stopped, () => undefined);
    } else {
      const poll = setInterval(() => {
        const size = existsSync(snapshotPath) ? statSync(snapshotPath).size : 0;
        options.onProgress?.({ phase: 'snapshot', done: Math.min(size, expected), total });
      }, 100);
      // The copies are scratch (no journal, no fsync) but are still written out as they grow: left to pile up
      // in the OS cache, their writeback made the store's own commits wait seconds (see write-out.ts).
      const writeOut = keepWrittenOut(closed ? [snapshotPath, closedSnapshotPath] : [snapshotPath]);
      try {
        // A rotation that came between statements had nothing to interrupt.
        if (rotated) throw rotatedDuringBackup();
        await snapshot.get("SELECT sqlcipher_export('backup') AS done");
        if (closed) await snapshot.get("SELECT sqlcipher_export('closedbackup', 'closedlive') AS done");
      } finally {
        clearInterval(poll);
        await writeOut.stop();
      }
      // sqlcipher_export copies schema and rows but not the header's user_version, which is the schema version.
      await snapshot.exec(`PRAGMA backup.user_version = ${schemaVersion}`);
      if (closed) await snapshot.exec(`PRAGMA closedbackup.user_version = ${closedVersion}`);
    }
    // The live files are read no more: the snapshot ends here, and everything else is read from the copies.
    await snapshot.exec('COMMIT');
    const snapshotMs = performance.now() - snapshotStart;
    // The store's writes since the snapshot began are all in the WAL (no checkpoint could pass its reader).
    // Copied into the file here, on this connection's thread, so that the store's next commit does not find
    // them all to copy inside its call, nor the truncation below. PASSIVE never waits nor makes a writer wait;
    // best effort (a rotation may interrupt it, and the store's own checkpoints copy whatever is left).
    await snapshot.get('PRAGMA main.wal_checkpoint(PASSIVE)').catch(() => undefined);
    if (closed) await snapshot.get('PRAGMA closedlive.wal_checkpoint(PASSIVE)').catch(() => undefined);
    await snapshot.exec('DETACH backup');
    if (closed) {
      await snapshot.exec('DETACH closedbackup');
      await snapshot.exec('DETACH closedlive');
    }
    await snapshot.close();
    connection = null;
    withdraw();
    snapshotClosed();
    // The WAL truncations the store's reconciliation could not make while the snapshot read, made now.
    await source.db.exclusive(() => source.db.truncateLeftWals());
    signal?.throwIfAborted();
    if (rotated || !source.keyIsCurrent()) throw rotatedDuringBackup();
    if (copied) {
      await leaveWalMode(snapshotPath, source.masterKey);
      if (closed) await leaveWalMode(closedSnapshotPath, closed.key);
    }
    const describeStart = performance.now();
    const manifest = await describeCopy(snapshotPath, closed ? { path: closedSnapshotPath, key: closed.key } : null, source, {
      schemaVersion,
      describe: options.describe,
      opened: (copy) => (connection = copy),
    });
    connection = null;
    const describeMs = performance.now() - describeStart;
    signal?.throwIfAborted();
    if (rotated || !source.keyIsCurrent()) throw rotatedDuringBackup();

    const written = await assemble(source, snapshotPath, closed ? closedSnapshotPath : null, partialOut, manifest, keyFileBytes, (done) =>
      options.onProgress?.({ phase: 'writing', done: expected + Math.min(done, expected), total }),
    );
    signal?.throwIfAborted();
    if (!source.keyIsCurrent()) throw rotatedDuringBackup();
    if (existsSync(outPath))
      throw new ConcordatError('CONFLICT', `${outPath} appeared while the backup ran; it was left alone.`, { field: 'out' });
    // On the thread pool: the disk is still busy with the backup's bytes, and the main thread must not wait on it.
    await rename(partialOut, outPath);
    await fsyncFolderInBackground(dirname(outPath));
    options.onProgress?.({ phase: 'writing', done: total, total });
    return { manifest, ...written, exclusiveMs, snapshot: copied ? 'copied' : 'exported', snapshotMs, describeMs };
  } catch (err) {
    // Whatever a stopped snapshot or a connection keyed with the old key reports, the reason is the rotation.
    if (rotated || !source.keyIsCurrent()) throw rotatedDuringBackup();
    throw err;
  } finally {
    signal?.removeEventListener('abort', stopOnAbort);
    await connection?.close().catch(() => undefined);
    withdraw();
    snapshotClosed();
    // Off the main thread, and a slice at a time: unlinking gigabytes at once made the store's commits wait.
    await removeGradually(snapshotPath);
    await removeGradually(closedSnapshotPath);
    for (const path of [snapshotPath, closedSnapshotPath])
      for (const suffix of ['-journal', '-wal', '-shm']) await rm(`${path}${suffix}`, { force: true });
    await rm(partialOut, { force: true });
    source.masterKey.fill(0);
    source.closed?.key.fill(0);
  }
}

/**
 * Checkpoints every WAL of `schemas` into its file and empties it, without waiting: true when all are empty
 * (none busy: no other reader holds a state of its own, nothing left unwritten). False on any failure: the
 * snapshot is then exported, which needs none of this. For a connection outside any transaction, inside
 * the store's exclusive section.
 */
async function emptyWals(connection: Database, schemas: readonly string[]): Promise<boolean> {
  try {
    return await connection.withoutWaiting(async () => {
      for (const schema of schemas) {
        const result = await connection.get<{ busy: number; log: number }>(sql`PRAGMA ${sqlIdentifier(schema)}.wal_checkpoint(TRUNCATE)`);
        if (result?.busy !== 0 || result.log !== 0) return false;
      }
      return true;
    });
  } catch {
    return false;
  }
}

function walIsEmpty(databasePath: string): boolean {
  const wal = `${databasePath}-wal`;
  return !existsSync(wal) || statSync(wal).size === 0;
}

/**
 * Runs one step of a copy (its reads, writes and fsync) between the store's calls, never beside one: a
 * commit's fsync that shares the disk with a backup's writes waits behind them, and a call makes up to
 * four (bench/backup). The key file's checkpoint, written outside the store's queue, is waited for too.
 */
async function inTurn(source: BackupSource, step: () => Promise<void>): Promise<void> {
  await source.db.between(STEP_ASIDE_MS, async () => {
    await source.writesSettled();
    await step();
  });
}

/**
 * Copies the first `bytes` of a live database file (its pages at the snapshot) into `to`, a step at a time,
 * each written out to the disk in a gap between the store's calls (`inTurn`).
 * `stopped` throws to stop it (an abort, a rotation) between steps.
 */
async function copyLiveFile(
  from: string,
  to: string,
  bytes: number,
  source: BackupSource,
  stopped: () => void,
  onBytes: (done: number) => void,
): Promise<void> {
  const input = await open(from, 'r');
  try {
    const output = await open(to, 'r+');
    try {
      const buffer = Buffer.alloc(CHUNK_BYTES);
      for (let position = 0; position < bytes;) {
        stopped();
        const end = Math.min(position + STEP_BYTES, bytes);
        await inTurn(source, async () => {
          for (; position < end;) {
            const length = Math.min(CHUNK_BYTES, end - position);
            const { bytesRead } = await input.read(buffer, 0, length, position);
            if (bytesRead !== length) throw new Error(`${from} is shorter than its snapshot's ${bytes} bytes`);
            let written = 0;
            while (written < length) written += (await output.write(buffer, written, length - written, position + written)).bytesWritten;
            position += length;
          }
          await output.datasync();
        });
        onBytes(position);
      }
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
  }
}

/**
 * A copy of a WAL-mode file says so in its header, and a read-only connection (verify, restore) would then
 * make -wal and -shm files beside it: the copy is switched to a rollback journal, as an exported one is.
 */
async function leaveWalMode(path: string, key: Buffer): Promise<void> {
  const copy = await openKeyed(path, key, 'existing');
  try {
    // Scratch: nothing to sync.
    await copy.exec('PRAGMA synchronous = OFF');
    await copy.get('PRAGMA journal_mode = DELETE');
  } finally {
    await copy.close();
  }
}

async function writeAll(handle: FileHandle, bytes: Buffer, mac: Hmac, hash: Hash): Promise<void> {
  mac.update(bytes);
  hash.update(bytes);
  let written = 0;
  while (written < bytes.length) written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
}

async function assemble(
  source: BackupSource,
  snapshotPath: string,
  closedSnapshotPath: string | null,
  outPath: string,
  manifest: BackupManifest,
  keyFile: Buffer,
  onBytes: (done: number) => void,
): Promise<{ bytes: number; sha256: string }> {
  const databaseBytes = statSync(snapshotPath).size;
  const databaseHash = createHash('sha256');
  await forEachChunk(snapshotPath, 0, databaseBytes, (chunk) => void databaseHash.update(chunk));
  const closedBytes = closedSnapshotPath ? statSync(closedSnapshotPath).size : 0;
  const closedHash = createHash('sha256');
  if (closedSnapshotPath) await forEachChunk(closedSnapshotPath, 0, closedBytes, (chunk) => void closedHash.update(chunk));
  const salt = randomBytes(16);
  const header: BackupHeader = {
    storeId: source.storeId,
    macSalt: salt.toString('base64'),
    keyCheck: keyCheck(source.masterKey, salt, source.storeId),
    manifest,
    keyFile: keyFile.toString('base64'),
    database: { bytes: databaseBytes, sha256: databaseHash.digest('hex') },
    ...(closedSnapshotPath ? { closedDatabase: { bytes: closedBytes, sha256: closedHash.digest('hex') } } : {}),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32BE(FORMAT_VERSION, MAGIC.length);
  prefix.writeUInt32BE(headerBytes.length, MAGIC.length + 4);
  const key = macKey(source.masterKey, salt, source.storeId);
  const mac = createHmac('sha256', key);
  key.fill(0);
  const whole = createHash('sha256');
  const handle = await open(outPath, 'wx', 0o600);
  try {
    await writeAll(handle, Buffer.concat([prefix, headerBytes]), mac, whole);
    let done = 0;
    // Written and sent to the disk a step at a time, in the gaps between the store's calls (`inTurn`).
    const writeSteps = (path: string, bytes: number, each: () => void) =>
      forEachStep(path, bytes, (chunks) =>
        inTurn(source, async () => {
          for (const chunk of chunks) {
            await writeAll(handle, chunk, mac, whole);
            done += chunk.length;
          }
          await handle.datasync();
          each();
        }),
      );
    await writeSteps(snapshotPath, databaseBytes, () => onBytes(done));
    if (closedSnapshotPath) await writeSteps(closedSnapshotPath, closedBytes, () => undefined);
    const tag = mac.digest();
    whole.update(tag);
    await handle.write(tag);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { bytes: PREFIX_BYTES + headerBytes.length + databaseBytes + closedBytes + TAG_BYTES, sha256: whole.digest('hex') };
}

/** The first `length` bytes of `path`, STEP_BYTES at a time (as CHUNK_BYTES chunks). */
async function forEachStep(path: string, length: number, each: (chunks: Buffer[]) => Promise<void>): Promise<void> {
  let chunks: Buffer[] = [];
  let bytes = 0;
  await forEachChunk(path, 0, length, async (chunk) => {
    chunks.push(chunk);
    bytes += chunk.length;
    if (bytes < STEP_BYTES) return;
    await each(chunks);
    chunks = [];
    bytes = 0;
  });
  if (chunks.length > 0) await each(chunks);
}

async function forEachChunk(path: string, start: number, length: number, each: (chunk: Buffer) => unknown): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    let position = start;
    const end = start + length;
    while (position < end) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, end - position), position);
      if (bytesRead === 0) throw corrupt('The backup file is shorter than its header says.');
      await each(Buffer.from(buffer.subarray(0, bytesRead)));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

export interface BackupLayout {
  header: BackupHeader;
  databaseOffset: number;
  /** Where the closed database's copy starts (right after the database's). */
  closedOffset: number;
  size: number;
}

/** The header of a backup file, checked for shape only: nothing in it is authentic until `authenticateBackup`. */
export function readBackupHeader(path: string): BackupLayout {
  if (!existsSync(path) || !statSync(path).isFile())
    throw new ConcordatError('NOT_FOUND', `There is no backup file at ${path}.`, { field: 'file' });
  const size = statSync(path).size;
  const prefix = readHead(path, PREFIX_BYTES);
  if (prefix.length < PREFIX_BYTES || !prefix.subarray(0, MAGIC.length).equals(MAGIC)) throw corrupt(`${path} is not a Concordat backup.`);
  const version = prefix.readUInt32BE(MAGIC.length);
  if (version !== FORMAT_VERSION) throw corrupt(`The backup's format (${version}) is not one this version of Concordat reads.`);
  const headerLength = prefix.readUInt32BE(MAGIC.length + 4);
  if (headerLength > MAX_HEADER_BYTES || PREFIX_BYTES + headerLength + TAG_BYTES > size)
    throw corrupt('The backup file is damaged or cut short.');
  const headerBytes = readHead(path, PREFIX_BYTES + headerLength).subarray(PREFIX_BYTES);
  let parsed: BackupHeader;
  try {
    parsed = headerSchema.parse(JSON.parse(headerBytes.toString('utf8')));
  } catch {
    throw corrupt('The backup header is damaged.');
  }
  const databaseOffset = PREFIX_BYTES + headerLength;
  const closedOffset = databaseOffset + parsed.database.bytes;
  if (closedOffset + (parsed.closedDatabase?.bytes ?? 0) + TAG_BYTES !== size)
    throw corrupt('The backup file is damaged or cut short: its size does not match its header.');
  return { header: parsed, databaseOffset, closedOffset, size };
}

/** The key file inside a backup (for unsealing the master key that authenticates it). */
export function backupKeyFile(layout: BackupLayout): KeyFile {
  try {
    return keyFileSchema.parse(JSON.parse(Buffer.from(layout.header.keyFile, 'base64').toString('utf8')));
  } catch {
    throw corrupt('The key file inside the backup is damaged.');
  }
}

/** Where `authenticateAndUnpack` writes the parts, and whether they must reach the disk (a restore) or are scratch (a check). */
interface UnpackTo {
  folder: string;
  names: FileNames;
  durable: boolean;
}

/** A part of the backup being written out as the one pass reaches it. */
interface PartOut {
  offset: number;
  bytes: number;
  hash: Hash;
  handle: FileHandle;
  written: number;
}

/**
 * Reads the backup once: every byte before the tag goes into the tag's HMAC, and the database's (and the
 * closed database's) bytes also into their hashes and out to their files in `to`. Throws BACKUP_CORRUPT if
 * one byte differs (or the key is another store's); the caller then removes what was written, which nothing
 * has opened: the parts are opened only after this returns. One pass instead of four (the tag, each part's
 * hash, the copy out), and what is checked is what was written (a second read could see other bytes).
 */
export async function authenticateAndUnpack(
  path: string,
  layout: BackupLayout,
  masterKey: Buffer,
  to: UnpackTo,
  onBytes?: (done: number) => void,
): Promise<void> {
  const salt = Buffer.from(layout.header.macSalt, 'base64');
  const key = macKey(masterKey, salt, layout.header.storeId);
  const mac = createHmac('sha256', key);
  key.fill(0);
  const parts: PartOut[] = [];
  const closedCopy = layout.header.closedDatabase;
  try {
    const part = async (offset: number, bytes: number, name: string) =>
      parts.push({ offset, bytes, hash: createHash('sha256'), handle: await open(join(to.folder, name), 'wx', 0o600), written: 0 });
    await part(layout.databaseOffset, layout.header.database.bytes, to.names.database);
    if (closedCopy) await part(layout.closedOffset, closedCopy.bytes, to.names.closedDatabase);
    const bodyEnd = layout.size - TAG_BYTES;
    let position = 0;
    await forEachChunk(path, 0, bodyEnd, async (chunk) => {
      mac.update(chunk);
      for (const out of parts) {
        const from = Math.max(position, out.offset);
        const until = Math.min(position + chunk.length, out.offset + out.bytes);
        if (from >= until) continue;
        const slice = chunk.subarray(from - position, until - position);
        out.hash.update(slice);
        let written = 0;
        while (written < slice.length) written += (await out.handle.write(slice, written, slice.length - written)).bytesWritten;
        out.written += slice.length;
        // Written out as it goes (as a backup is made), so no fsync of the store's waits behind gigabytes of it.
        if (out.written % STEP_BYTES < slice.length) await out.handle.datasync();
      }
      position += chunk.length;
      onBytes?.(position);
    });
    const tag = await readAt(path, bodyEnd, TAG_BYTES);
    const expected = mac.digest();
    const [database, closed] = parts.map((out) => out.hash.digest('hex'));
    if (
      tag.length !== TAG_BYTES ||
      !timingSafeEqual(tag, expected) ||
      database !== layout.header.database.sha256 ||
      (closedCopy !== undefined && closed !== closedCopy.sha256)
    ) {
      throw corrupt('The backup has been changed since it was made (or it was made under another key): it is refused.');
    }
    if (to.durable) for (const out of parts) await out.handle.sync();
  } finally {
    for (const out of parts) await out.handle.close();
  }
  const keys = await open(join(to.folder, to.names.keyFile), 'wx', 0o600);
  try {
    await keys.write(Buffer.from(layout.header.keyFile, 'base64'));
    if (to.durable) await keys.sync();
  } finally {
    await keys.close();
  }
}

/** `length` bytes of `path` at `position`, read on the thread pool. */
async function readAt(path: string, position: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

interface FileNames {
  database: string;
  keyFile: string;
  closedDatabase: string;
}

/**
 * The checks on an unpacked copy, read-only: every page's MAC and the structure, the store id, the schema
 * version and the row count of every table in the manifest; then the caller's own (the audit chain).
 */
async function checkCopy(
  paths: { database: string; closedDatabase: string },
  layout: BackupLayout,
  keys: BackupKeys,
  check: (sql: Sql) => Promise<void>,
): Promise<void> {
  const masterKey = keys.master;
  const databasePath = paths.database;
  let connection: Database;
  try {
    connection = await openKeyed(databasePath, masterKey, 'readonly');
    await connection.get('SELECT count(*) AS n FROM sqlite_master');
  } catch (err) {
    throw new ConcordatError('BACKUP_CORRUPT', 'The database inside the backup does not open with its key.', { field: 'file', cause: err });
  }
  try {
    await checkWholeFile(connection);
    const { manifest } = layout.header;
    const storeId = await connection.get<{ value: string }>(sql`SELECT value FROM meta WHERE key = 'store_id'`);
    if (storeId?.value !== manifest.storeId) throw corrupt('The database inside the backup is not the store its manifest names.');
    const version = (await connection.get<{ user_version: number }>('PRAGMA user_version'))?.user_version ?? 0;
    if (version !== manifest.schemaVersion)
      throw corrupt(`The backup's schema version is ${version}; its manifest says ${manifest.schemaVersion}.`);
    const counts = await countTables(connection);
    for (const [table, expected] of Object.entries(manifest.tables)) {
      if (counts[table] !== expected) {
        throw corrupt(`The backup's table ${table} holds ${counts[table] ?? 'no'} rows; its manifest says ${expected}.`);
      }
    }
    await check(connection);
  } finally {
    await connection.close();
  }
  if (layout.header.closedDatabase && keys.closed) await checkClosedCopy(paths.closedDatabase, layout, keys.closed);
}

/**
 * The closed database's copy, checked as the open store's is, for a credential that holds its key; without
 * that key (a non-statutory member) its bytes are still authenticated by the tag and their hash.
 */
async function checkClosedCopy(path: string, layout: BackupLayout, closedKey: Buffer): Promise<void> {
  let connection: Database;
  try {
    connection = await openKeyed(path, closedKey, 'readonly');
    await connection.get('SELECT count(*) AS n FROM sqlite_master');
  } catch (err) {
    throw new ConcordatError('BACKUP_CORRUPT', 'The closed database inside the backup does not open with its key.', {
      field: 'file',
      cause: err,
    });
  }
  try {
    await checkWholeFile(connection);
    const { manifest } = layout.header;
    const storeId = await connection.get<{ value: string }>(sql`SELECT value FROM closed_meta WHERE key = 'store_id'`);
    if (storeId?.value !== manifest.storeId) throw corrupt('The closed database inside the backup is not the store its manifest names.');
    const counts = await countTables(connection);
    for (const [table, expected] of Object.entries(closedCountsOf(manifest, closedKey))) {
      if (counts[table] !== expected) {
        throw corrupt(`The backup's closed table ${table} holds ${counts[table] ?? 'no'} rows; its manifest says ${expected}.`);
      }
    }
  } finally {
    await connection.close();
  }
}

export interface CheckBackupOptions {
  /** The feature-level checks on the copy (the audit chain against the manifest's head). */
  check(sql: Sql): Promise<void>;
  onProgress?(progress: BackupProgress): void;
}

function progressOf(layout: BackupLayout, onProgress: CheckBackupOptions['onProgress']) {
  const total = layout.size * 2;
  return {
    authenticating: (done: number) => onProgress?.({ phase: 'checking', done, total }),
    checking: () => onProgress?.({ phase: 'checking', done: layout.size, total }),
    done: () => onProgress?.({ phase: 'checking', done: total, total }),
  };
}

/**
 * Verifies a backup without restoring it: the tag, then every check of a restore on a copy in a private
 * temporary folder (encrypted as in the backup), removed afterwards.
 */
export async function verifyBackup(
  path: string,
  masterKey: (keyFile: KeyFile) => Promise<Buffer | BackupKeys>,
  options: CheckBackupOptions,
): Promise<BackupManifest> {
  const layout = readBackupHeader(path);
  const keys = keysOf(await masterKey(backupKeyFile(layout)));
  const progress = progressOf(layout, options.onProgress);
  const folder = mkdtempSync(join(tmpdir(), 'concordat-verify-'));
  const names = { database: DATABASE_FILE, keyFile: KEY_FILE, closedDatabase: CLOSED_FILE };
  try {
    // A scratch copy, removed below: written out as it goes but never fsync'd.
    await authenticateAndUnpack(path, layout, keys.master, { folder, names, durable: false }, progress.authenticating);
    progress.checking();
    await checkCopy({ database: join(folder, DATABASE_FILE), closedDatabase: join(folder, CLOSED_FILE) }, layout, keys, options.check);
    progress.done();
    return layout.header.manifest;
  } finally {
    wipe(keys);
    // Off the main thread and a slice at a time, as a backup's scratch copies are.
    await removeGradually(join(folder, DATABASE_FILE));
    await removeGradually(join(folder, CLOSED_FILE));
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Restores a backup into `folder`, which must be empty or not exist: nothing is ever overwritten. The files are
 * written under temporary names and take their real names only once every check has passed; on any failure
 * they are removed (and the folder too, if the restore made it).
 */
export async function restoreBackup(
  path: string,
  folder: string,
  masterKey: (keyFile: KeyFile) => Promise<Buffer | BackupKeys>,
  options: CheckBackupOptions,
): Promise<BackupManifest> {
  const existed = existsSync(folder);
  if (existed && (!statSync(folder).isDirectory() || readdirSync(folder).length > 0)) {
    throw new ConcordatError('FOLDER_NOT_EMPTY', `${folder} is not an empty folder; a restore never overwrites anything.`, {
      field: 'dataDir',
    });
  }
  const layout = readBackupHeader(path);
  const keys = keysOf(await masterKey(backupKeyFile(layout)));
  const progress = progressOf(layout, options.onProgress);
  const staged = {
    database: `.${DATABASE_FILE}.restoring`,
    keyFile: `.${KEY_FILE}.restoring`,
    closedDatabase: `.${CLOSED_FILE}.restoring`,
  };
  const hasClosed = layout.header.closedDatabase !== undefined;
  let made = false;
  try {
    if (!existed) {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      made = true;
    }
    await authenticateAndUnpack(path, layout, keys.master, { folder, names: staged, durable: true }, progress.authenticating);
    progress.checking();
    await checkCopy(
      { database: join(folder, staged.database), closedDatabase: join(folder, staged.closedDatabase) },
      layout,
      keys,
      options.check,
    );
    if (existsSync(join(folder, DATABASE_FILE)) || existsSync(join(folder, KEY_FILE)) || existsSync(join(folder, CLOSED_FILE))) {
      throw new ConcordatError('FOLDER_NOT_EMPTY', `A store appeared in ${folder} while the restore ran; it was left alone.`, {
        field: 'dataDir',
      });
    }
    // The closed database first: a store whose key file names a closed database it lacks opens without it.
    if (hasClosed) renameSync(join(folder, staged.closedDatabase), join(folder, CLOSED_FILE));
    renameSync(join(folder, staged.database), join(folder, DATABASE_FILE));
    renameSync(join(folder, staged.keyFile), join(folder, KEY_FILE));
    fsyncFolder(folder);
    progress.done();
    return layout.header.manifest;
  } catch (err) {
    rmSync(join(folder, staged.database), { force: true });
    rmSync(join(folder, staged.keyFile), { force: true });
    rmSync(join(folder, staged.closedDatabase), { force: true });
    if (made) rmSync(folder, { recursive: true, force: true });
    throw err;
  } finally {
    wipe(keys);
  }
}
