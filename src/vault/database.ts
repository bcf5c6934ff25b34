// A small promise layer over the async @journeyapps/sqlcipher binding.
// Queries run on the binding's own thread, so a long query never blocks the Electron main loop.
// One connection serves the whole app; `exclusive` queues whole units of work so that two
// dispatcher calls can never interleave statements inside each other's transaction.
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

export class Database implements Sql {
  private tail: Promise<unknown> = Promise.resolve();

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

  get<T = Row>(query: string | SqlQuery, params: Params = []): Promise<T | undefined> {
    const [sql, values] = textAndParams(query, params);
    return new Promise((resolve, reject) => {
      this.raw.get(sql, values, (err: Error | null, row: T | undefined) => (err ? reject(err) : resolve(row)));
    });
  }

  all<T = Row>(query: string | SqlQuery, params: Params = []): Promise<T[]> {
    const [sql, values] = textAndParams(query, params);
    return new Promise((resolve, reject) => {
      this.raw.all(sql, values, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)));
    });
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
    return this.exclusive(
      () => new Promise<void>((resolve, reject) => this.raw.close((err: Error | null) => (err ? reject(err) : resolve()))),
    );
  }
}

/** The PRAGMA that keys a connection with a raw 256-bit key: no password KDF runs inside SQLCipher. */
export function rawKeyPragma(key: Buffer): string {
  if (key.length !== 32) throw new Error('a raw SQLCipher key is 32 bytes');
  return `PRAGMA key = "x'${key.toString('hex')}'";`;
}
