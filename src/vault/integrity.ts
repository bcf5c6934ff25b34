// The checks that read the whole database file: every page's HMAC (cipher_integrity_check) and the
// B-tree structure (quick_check). Their cost grows with the store (3.5 s at a million audit entries), so
// unlock runs only the cheap checks and this runs beside the session on a second, read-only connection.
// Writes wait for it (the dispatcher), and so do exports and a master-key rotation.
import { performance } from 'node:perf_hooks';
import { ConcordatError } from '../contract/errors.js';
import { Database, rawKeyPragma, type Sql } from './database.js';

export type IntegrityState = 'running' | 'passed' | 'failed' | 'stopped';
/** Which of the two whole-file passes is running: the page MACs first, then the structure. */
export type IntegrityPhase = 'pages' | 'structure';

export interface IntegrityProgress {
  state: IntegrityState;
  phase: IntegrityPhase | null;
  /** Time spent so far (running) or in all (finished). */
  elapsedMs: number;
}

/** Both whole-file checks on an open connection; throws DATABASE_CORRUPT naming what failed. */
export async function checkWholeFile(sql: Sql, onPhase: (phase: IntegrityPhase) => void = () => undefined): Promise<void> {
  onPhase('pages');
  const cipherErrors = await sql.all('PRAGMA cipher_integrity_check');
  if (cipherErrors.length > 0) {
    throw new ConcordatError(
      'DATABASE_CORRUPT',
      `The database failed its cipher integrity check (${cipherErrors.length} page(s) altered or damaged).`,
    );
  }
  onPhase('structure');
  const quick = await sql.all<{ quick_check: string }>('PRAGMA quick_check');
  if (quick.length !== 1 || quick[0]?.quick_check !== 'ok') {
    throw new ConcordatError(
      'DATABASE_CORRUPT',
      `The database failed its integrity check: ${quick
        .map((r) => r.quick_check)
        .slice(0, 3)
        .join('; ')}`,
    );
  }
}

/** The whole-file check of one unlocked session, run in the background from the moment of unlock. */
export class IntegrityCheck {
  private state: IntegrityState = 'running';
  private phase: IntegrityPhase | null = null;
  private failure: ConcordatError | null = null;
  private finishedAt: number | null = null;
  private connection: Database | null = null;
  private readonly startedAt = performance.now();
  private readonly done: Promise<void>;
  /** The files this check reads whole, in order. */
  paths: readonly string[] = [];

  private constructor(run: (check: IntegrityCheck) => Promise<void>) {
    this.done = run(this);
  }

  /** A check with nothing to do: a store this process has just created. */
  static passed(): IntegrityCheck {
    return new IntegrityCheck(async (check) => check.finish('passed'));
  }

  /**
   * Starts the check on its own connection, file after file (the store, then the closed database when the
   * session holds its key); each key is copied in and wiped once its connection has it.
   */
  static start(checked: readonly { path: string; key: Buffer }[]): IntegrityCheck {
    const files = checked.map((f) => ({ path: f.path, key: Buffer.from(f.key) }));
    const check = new IntegrityCheck(async (check) => {
      try {
        for (const file of files) {
          const connection = await Database.open(file.path, 'readonly');
          check.connection = connection;
          if (check.state === 'stopped') return;
          await connection.exec('PRAGMA cipher_log_level = NONE');
          await connection.exec(rawKeyPragma(file.key));
          file.key.fill(0);
          await checkWholeFile(connection, (phase) => void (check.phase = phase));
          // Forgotten before it closes, so a stop() meanwhile does not interrupt a closing connection.
          check.connection = null;
          await connection.close();
        }
        check.finish('passed');
      } catch (err) {
        if (check.state === 'stopped') return;
        check.failure =
          err instanceof ConcordatError && err.code === 'DATABASE_CORRUPT'
            ? err
            : new ConcordatError('DATABASE_CORRUPT', 'The database failed its integrity check: it is damaged.', { cause: err });
        check.finish('failed');
      } finally {
        for (const file of files) file.key.fill(0);
        await check.connection?.close().catch(() => undefined);
        check.connection = null;
      }
    });
    check.paths = files.map((f) => f.path);
    return check;
  }

  get progress(): IntegrityProgress {
    return {
      state: this.state,
      phase: this.state === 'running' ? this.phase : null,
      elapsedMs: (this.finishedAt ?? performance.now()) - this.startedAt,
    };
  }

  /** The failure, once the check has found one. */
  get failed(): ConcordatError | null {
    return this.failure;
  }

  /** Resolves once the whole file has passed; throws DATABASE_CORRUPT if it did not, LOCKED if the session ended first. */
  async passed(): Promise<void> {
    await this.done;
    if (this.failure) throw this.failure;
    if (this.state === 'stopped') throw new ConcordatError('LOCKED', 'The store was locked before its integrity check finished.');
  }

  /** Ends a running check (the store is locking) and waits until its connection is closed. */
  async stop(): Promise<void> {
    if (this.state === 'running') {
      this.state = 'stopped';
      this.connection?.interrupt();
    }
    await this.done;
  }

  private finish(state: 'passed' | 'failed'): void {
    if (this.state !== 'running') return;
    this.state = state;
    this.finishedAt = performance.now();
  }
}
