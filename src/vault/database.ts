// A small promise layer over the async @journeyapps/sqlcipher binding.
// Queries run on the binding's own thread, so a long query never blocks the Electron main loop.
// One connection serves the whole app; `exclusive` queues whole units of work so that two
// dispatcher calls can never interleave statements inside each other's transaction.
//
// Reads (`get`, `all` of a SELECT or WITH) keep their prepared statement, by text, in a small LRU cache:
// preparing was most of the CPU of a case detail and a good share of a search (bench/RESULTS.md,
// 2026-12-01). SQLite recompiles a kept statement itself when a schema it reads changes (a migration, the
// closed store's TEMP views, ATTACH/DETACH), and a reset statement holds no lock (DETACH, VACUUM and rekey
// run beside it). What it does not allow is closing with statements unfinalised, and a statement left
// stepping holds its read transaction and blocks DETACH of what it reads: so each read leaves its
// statement reset, and `close` finalises them all first.
import { performance } from 'node:perf_hooks';
import sqlcipher from '@journeyapps/sqlcipher';
import { SqlQuery, sql, sqlIdentifier } from '../store/sql.js';

export type SqlValue = string | number | bigint | Buffer | null;
export type Params = readonly SqlValue[] | Record<string, SqlValue>;
export type Row = Record<string, SqlValue>;

export interface RunResult {
  lastID: number;
  changes: number;
}

/** The statements a unit of work may issue. Services receive this, never the raw connection. */
export interface Sql {
  run(sql: string | SqlQuery, params?: Params): Promise<RunResult>;
  get<T = Row>(sql: string | SqlQuery, params?: Params): Promise<T | undefined>;
  all<T = Row>(sql: string | SqlQuery, params?: Params): Promise<T[]>;
  exec(sql: string): Promise<void>;
  prepare(sql: string): Promise<Prepared>;
  /**
   * The connection a wrapper's statements run on (a read-only or interruptible view of a Database), so what
   * is known about the connection, such as its attached closed database, holds for the wrapper too.
   */
  readonly connection?: Sql;
}

export interface Prepared {
  run(params?: Params): Promise<RunResult>;
  get<T = Row>(params?: Params): Promise<T | undefined>;
  all<T = Row>(params?: Params): Promise<T[]>;
  finalize(): Promise<void>;
}

function textAndParams(query: string | SqlQuery, params: Params): [string, Params] {
  return query instanceof SqlQuery ? [query.text, query.params] : [query, params];
}

type RawStatement = InstanceType<typeof sqlcipher.Statement>;

function wrapStatement(stmt: RawStatement): Prepared {
  return {
    run: (params = []) =>
      new Promise((resolve, reject) => {
        stmt.run(params, function (this: RunResult, err: Error | null) {
          if (err) reject(err);
          else resolve({ lastID: this.lastID, changes: this.changes });
        });
      }),
    get: <T>(params: Params = []) =>
      new Promise<T | undefined>((resolve, reject) => {
        stmt.get(params, (err: Error | null, row: T | undefined) => (err ? reject(err) : resolve(row)));
      }),
    all: <T>(params: Params = []) =>
      new Promise<T[]>((resolve, reject) => {
        stmt.all(params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)));
      }),
    finalize: () => new Promise((resolve) => stmt.finalize(() => resolve())),
  };
}

/** How many read statements a connection keeps prepared: a search issues about 10 distinct ones, a detail 12. */
export const STATEMENT_CACHE_SIZE = 150;

/** The texts whose statements are kept: those reads begin with (a WITH that writes is reset after it all the same). */
const CACHEABLE = /^\s*(SELECT|WITH)\b/i;

/** Texts longer than this (an IN list of thousands of ids) are rarely issued twice: not worth a slot. */
const LONGEST_CACHED = 20_000;

interface Kept {
  stmt: RawStatement;
  /** In use by a read now: a second read of the same text meanwhile prepares its own. */
  busy: boolean;
  /** No longer in the cache: finalised once its read ends. */
  dropped: boolean;
}

function onStatement<T>(start: (done: (err: Error | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value as T))));
}

export class Database implements Sql {
  private tail: Promise<unknown> = Promise.resolve();
  /** Prepared read statements by text, least recently used first (a Map keeps insertion order). */
  private readonly kept = new Map<string, Kept>();

  private constructor(
    private readonly raw: InstanceType<typeof sqlcipher.Database>,
    readonly path: string,
  ) {}

  static open(path: string, mode: 'create' | 'existing' | 'readonly' = 'existing'): Promise<Database> {
    const flags =
      mode === 'create'
        ? sqlcipher.OPEN_READWRITE | sqlcipher.OPEN_CREATE
        : mode === 'readonly'
          ? sqlcipher.OPEN_READONLY
          : sqlcipher.OPEN_READWRITE;
    return new Promise((resolve, reject) => {
      const raw = new sqlcipher.Database(path, flags, (err: Error | null) => {
        if (err) reject(err);
        else resolve(new Database(raw, path));
      });
    });
  }

  run(query: string | SqlQuery, params: Params = []): Promise<RunResult> {
    const [sql, values] = textAndParams(query, params);
    return new Promise((resolve, reject) => {
      this.raw.run(sql, values, function (this: RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve({ lastID: this.lastID, changes: this.changes });
      });
    });
  }

  async get<T = Row>(query: string | SqlQuery, params: Params = []): Promise<T | undefined> {
    const [sql, values] = textAndParams(query, params);
    const kept = await this.keptStatement('get', sql);
    if (!kept) return onStatement<T | undefined>((done) => this.raw.get(sql, values, done));
    try {
      return await onStatement<T | undefined>((done) => kept.stmt.get(values, done));
    } finally {
      // A get stops after one row, leaving the statement stepping (and its read transaction open) until reset.
      await onStatement((done) => kept.stmt.reset(done));
      await this.release(kept);
    }
  }

  async all<T = Row>(query: string | SqlQuery, params: Params = []): Promise<T[]> {
    const [sql, values] = textAndParams(query, params);
    const kept = await this.keptStatement('all', sql);
    if (!kept) return onStatement<T[]>((done) => this.raw.all(sql, values, done));
    try {
      // `all` resets the statement before it binds, and steps it to the end (or to an error, such as an interrupt).
      return await onStatement<T[]>((done) => kept.stmt.all(values, done));
    } finally {
      await this.release(kept);
    }
  }

  /** Statements prepared and kept now (for tests). */
  get keptStatements(): number {
    return this.kept.size;
  }

  /**
   * The kept statement for a read, marked busy (prepared and kept on first use, the least recently used
   * finalised past the limit); undefined when the text is not a read worth keeping or its statement is
   * busy with another read, which then prepares its own as before.
   */
  private async keptStatement(method: 'get' | 'all', sql: string): Promise<Kept | undefined> {
    if (!CACHEABLE.test(sql) || sql.length > LONGEST_CACHED) return undefined;
    // Kept apart by method: the binding's `get` without parameters steps on from where the statement is, so
    // a statement `all` ran to its end would answer nothing; a get's statement is always reset after it.
    const key = `${method} ${sql}`;
    const found = this.kept.get(key);
    if (found) {
      if (found.busy) return undefined;
      this.kept.delete(key);
      this.kept.set(key, found);
      found.busy = true;
      return found;
    }
    const stmt = await new Promise<RawStatement>((resolve, reject) => {
      const prepared: RawStatement = this.raw.prepare(sql, [], (err: Error | null) => (err ? reject(err) : resolve(prepared)));
    });
    // Another read of the same text kept its own while this one was preparing (rare): this read is not kept.
    if (this.kept.has(key)) return { stmt, busy: true, dropped: true };
    const kept: Kept = { stmt, busy: true, dropped: false };
    this.kept.set(key, kept);
    for (const [text, oldest] of this.kept) {
      if (this.kept.size <= STATEMENT_CACHE_SIZE) break;
      this.kept.delete(text);
      await this.drop(oldest);
    }
    return kept;
  }

  /** The end of a read on a kept statement: free for the next, or finalised if it was dropped meanwhile. */
  private async release(kept: Kept): Promise<void> {
    kept.busy = false;
    if (kept.dropped) await onStatement((done) => kept.stmt.finalize(done));
  }

  /** Finalises a statement no longer kept, or has the read using it do so when it ends. */
  private async drop(kept: Kept): Promise<void> {
    kept.dropped = true;
    if (!kept.busy) await onStatement((done) => kept.stmt.finalize(done));
  }

  /** Finalises every kept statement (closing requires it); later reads prepare and keep theirs again. */
  private async forgetStatements(): Promise<void> {
    const all = [...this.kept.values()];
    this.kept.clear();
    for (const kept of all) await this.drop(kept);
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.raw.exec(sql, (err: Error | null) => (err ? reject(err) : resolve()));
    });
  }

  prepare(sql: string): Promise<Prepared> {
    return new Promise((resolve, reject) => {
      const stmt: RawStatement = this.raw.prepare(sql, [], (err: Error | null) => (err ? reject(err) : resolve(wrapStatement(stmt))));
    });
  }

  /** Units of work queued or running in `exclusive`. */
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  /** Runs `work` after every earlier unit of work has finished, and before any later one starts. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    void this.tail.then(() => {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    });
    return result;
  }

  /**
   * Resolves once no unit of work is queued or running, or after `atMostMs`: a backup's writes step aside
   * for the calls in flight (their commits' fsyncs then do not queue behind its bytes) without being starved
   * by a steady stream of them.
   */
  idle(atMostMs: number): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== wake);
        resolve();
      }, atMostMs);
      this.idleWaiters.push(wake);
    });
  }

  /**
   * Runs `work` in a gap between units of work, as a unit of its own: once none is queued or running (waiting
   * at most `atMostMs` for one), so the calls that come meanwhile wait for it instead of running beside it. A
   * backup's disk writes then never share the disk with a call's commits, whose fsyncs otherwise queue
   * behind them; a call waits at most one such step. When the queue stays busy that long (a unit of work
   * waiting for the backup itself, as a key rotation does), `work` runs beside it rather than never.
   */
  async between<T>(atMostMs: number, work: () => Promise<T>): Promise<T> {
    const deadline = performance.now() + atMostMs;
    for (let left = atMostMs; left > 0; left = deadline - performance.now()) {
      await this.idle(left);
      // Another unit may have been queued between the wake-up and this turn: wait for it too.
      if (this.inFlight === 0) return this.exclusive(work);
    }
    return work();
  }

  /**
   * Runs `work` inside BEGIN IMMEDIATE … COMMIT, queued behind other units of work.
   * Any throw rolls back everything `work` wrote.
   */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.transactionNow(work));
  }

  /** The same as `transaction`, for callers already inside `exclusive`. */
  async transactionNow<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    await this.exec('BEGIN IMMEDIATE');
    try {
      const value = await work(this);
      await this.exec('COMMIT');
      return value;
    } catch (err) {
      await this.exec('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /** Schemas whose WAL `truncateWal` could not empty because a reader of an older state still used it. */
  private readonly walsLeft = new Set<string>();

  /**
   * Checkpoints `schema`'s WAL and empties it (so no frame keeps content since overwritten), without waiting
   * for a reader of an older state: a backup's snapshot is one for minutes, and waiting (the busy timeout,
   * 5 s) stalled every call that sealed content, only to fail anyway (bench/backup). What is left is
   * emptied by `truncateLeftWals`, which the backup runs once its snapshot has closed. For callers inside
   * the exclusive section, outside any transaction.
   */
  async truncateWal(schema: string): Promise<void> {
    const result = await this.withoutWaiting(() =>
      this.get<{ busy: number }>(sql`PRAGMA ${sqlIdentifier(schema)}.wal_checkpoint(TRUNCATE)`),
    );
    if (result?.busy) this.walsLeft.add(schema);
    else this.walsLeft.delete(schema);
  }

  /** Runs `work` with this connection's busy timeout at 0 (a lock held elsewhere answers BUSY at once), then puts it back. */
  async withoutWaiting<T>(work: () => Promise<T>): Promise<T> {
    const timeout = Number((await this.get<{ timeout: number }>('PRAGMA busy_timeout'))?.timeout ?? 5000);
    await this.exec('PRAGMA busy_timeout = 0');
    try {
      return await work();
    } finally {
      await this.exec(`PRAGMA busy_timeout = ${timeout}`);
    }
  }

  /** Empties the WALs `truncateWal` had to leave (inside the exclusive section). */
  async truncateLeftWals(): Promise<void> {
    for (const schema of [...this.walsLeft]) await this.truncateWal(schema);
  }

  /** Makes the statement running now stop at its next step, failing with SQLITE_INTERRUPT. */
  interrupt(): void {
    this.raw.interrupt();
  }

  close(): Promise<void> {
    return this.exclusive(async () => {
      await this.forgetStatements();
      await new Promise<void>((resolve, reject) => this.raw.close((err: Error | null) => (err ? reject(err) : resolve())));
    });
  }
}

/** The PRAGMA that keys a connection with a raw 256-bit key: no password KDF runs inside SQLCipher. */
export function rawKeyPragma(key: Buffer): string {
  if (key.length !== 32) throw new Error('a raw SQLCipher key is 32 bytes');
  return `PRAGMA key = "x'${key.toString('hex')}'";`;
}
