// Calls that a newer call from the same window replaces: the case list as its search box and filters
// change. Each call of an operation the contract marks `supersedable` holds a ticket; a caller may name a
// lane (e.g. "window 3: case list@7", see Lanes for rounds), and a newer call on that lane supersedes the older ticket:
// - still waiting for the connection: it is dropped. It never runs, so nothing is logged (it consulted
//   nothing), and its caller is answered CANCELLED at once, without waiting for its turn;
// - reading: its running statement is interrupted (sqlite3_interrupt) and it issues no further one; it
//   answers CANCELLED and leaves no audit entry, since nothing it read reached the caller;
// - its reads finished: it completes and is logged as usual (its answer did go back to the window).
// The interrupt can never cut a write short: a supersedable handler runs outside any transaction on a
// connection only it is using (the dispatcher's exclusive section), through `reads`, which refuses writes.
// A flag the interrupt leaves behind after the statement had already finished is cleared by SQLite when
// the next statement starts with none active, so it cannot reach the audit entry that follows.
// The other way round, an interrupt that comes while no statement is active is a no-op: a statement handed
// to the binding's thread pool but not yet stepped (its thread still waiting for a core, on a loaded
// machine) would miss it and run to the end, holding up the newer call behind it. So the interrupt is
// repeated every few ms until the statement has answered.
import { ConcordatError } from '../contract/errors.js';
import type { SqlQuery } from '../store/sql.js';
import type { Database, Params, Prepared, Sql } from '../vault/database.js';

/** What a superseded call answers. */
export function cancelledError(): ConcordatError {
  return new ConcordatError('CANCELLED', 'A newer request from this window replaced this one before it finished.');
}

const isCancellation = (err: unknown) => err instanceof ConcordatError && err.code === 'CANCELLED';
const isInterrupt = (err: unknown) => (err as { code?: unknown } | null)?.code === 'SQLITE_INTERRUPT';

function refuseWrite(): never {
  throw new Error('a supersedable operation may only read');
}

/** How often a superseded read's statement is interrupted again until it has stopped. */
const INTERRUPT_EVERY_MS = 2;

export class Ticket {
  private phase: 'waiting' | 'reading' | 'done' = 'waiting';
  private running = 0;
  private superseded = false;
  private db: Database | null = null;
  private interrupting: ReturnType<typeof setInterval> | null = null;
  /** When a read was superseded while it read, and when its handler ended (performance.now()). */
  private supersededAt: number | null = null;
  private finishedAt: number | null = null;
  private drop: () => void = () => undefined;
  /** Settles when the call is superseded before its turn came: the caller need not wait for that turn. */
  readonly dropped = new Promise<void>((resolve) => (this.drop = resolve));

  supersede(): void {
    if (this.superseded || this.phase === 'done') return;
    this.superseded = true;
    if (this.phase === 'waiting') return this.drop();
    this.supersededAt = performance.now();
    this.interruptWhileRunning();
  }

  private interruptWhileRunning(): void {
    if (this.running === 0 || this.phase !== 'reading') return;
    this.db?.interrupt();
    this.interrupting ??= setInterval(() => {
      if (this.running > 0 && this.phase === 'reading') this.db?.interrupt();
      else this.stopInterrupting();
    }, INTERRUPT_EVERY_MS);
  }

  private stopInterrupting(): void {
    if (this.interrupting !== null) clearInterval(this.interrupting);
    this.interrupting = null;
  }

  /** At the call's turn in the queue: false when it was superseded while it waited (it must not run). */
  start(db: Database): boolean {
    if (this.superseded) return false;
    this.phase = 'reading';
    this.db = db;
    return true;
  }

  /** The handler has returned or thrown: from here on the call completes whatever comes after it. */
  finish(): void {
    this.phase = 'done';
    this.finishedAt = performance.now();
    this.stopInterrupting();
  }

  /** For a read superseded while it read: how long it took to stop (ms); otherwise undefined. */
  stoppedAfterMs(): number | undefined {
    return this.supersededAt === null || this.finishedAt === null ? undefined : this.finishedAt - this.supersededAt;
  }

  /** Whether a handler's failure is this ticket's cancellation (answer CANCELLED, log nothing). */
  cancelledBy(err: unknown): boolean {
    return this.superseded && isCancellation(err);
  }

  private async read<T>(statement: () => Promise<T>): Promise<T> {
    if (this.superseded) throw cancelledError();
    this.running++;
    try {
      return await statement();
    } catch (err) {
      throw this.superseded && isInterrupt(err) ? cancelledError() : err;
    } finally {
      this.running--;
      if (this.running === 0) this.stopInterrupting();
    }
  }

  /** The statements a supersedable handler may issue: reads on `db`, each interruptible by this ticket. */
  reads(db: Database): Sql {
    const prepared = (statement: Prepared): Prepared => ({
      run: refuseWrite,
      get: (params) => this.read(() => statement.get(params)),
      all: (params) => this.read(() => statement.all(params)),
      finalize: () => statement.finalize(),
    });
    return {
      run: refuseWrite,
      exec: refuseWrite,
      get: <T>(query: string | SqlQuery, params?: Params) => this.read(() => db.get<T>(query, params)),
      all: <T>(query: string | SqlQuery, params?: Params) => this.read(() => db.all<T>(query, params)),
      prepare: async (text: string) => prepared(await this.read(() => db.prepare(text))),
      connection: db,
    };
  }
}

/** A lane named with a round, `name@N`: the calls of one round share the lane, another round supersedes them all. */
const ROUND = /^(.*)@(\d{1,15})$/;

/**
 * The tickets of one host's callers, by lane. A plain lane holds one call: a newer call supersedes it. A lane
 * with a round (`case list@7`) holds every call of its current round (the pages of one result set), and a
 * call of any other round supersedes them all and makes its own current (a new query stops the pages still
 * loading for the old one). Rounds are names, not an order: a window that reloads starts counting again.
 */
export class Lanes {
  private readonly latest = new Map<string, Ticket>();
  private readonly rounds = new Map<string, { round: string; tickets: Set<Ticket> }>();

  /** A ticket for a new call; on a lane, the older call (or round) there is superseded. */
  open(lane: string | undefined): Ticket {
    const ticket = new Ticket();
    if (lane === undefined) return ticket;
    const named = ROUND.exec(lane);
    if (named) {
      const [, name, round] = named as unknown as [string, string, string];
      const current = this.rounds.get(name);
      if (current?.round === round) {
        current.tickets.add(ticket);
      } else {
        for (const older of current?.tickets ?? []) older.supersede();
        this.rounds.set(name, { round, tickets: new Set([ticket]) });
      }
      return ticket;
    }
    this.latest.get(lane)?.supersede();
    this.latest.set(lane, ticket);
    return ticket;
  }

  close(lane: string | undefined, ticket: Ticket): void {
    if (lane === undefined) return;
    const named = ROUND.exec(lane);
    if (named) {
      const current = this.rounds.get(named[1]!);
      current?.tickets.delete(ticket);
      if (current?.tickets.size === 0) this.rounds.delete(named[1]!);
      return;
    }
    if (this.latest.get(lane) === ticket) this.latest.delete(lane);
  }
}

/**
 * The CallMeta a transport passes for a caller's lane: scoped to the caller (a window, a page), and only
 * a short string; anything else names no lane, and the call simply runs to the end.
 */
export function laneMeta(caller: string, lane: unknown): { lane?: string } {
  return typeof lane === 'string' && lane.length > 0 && lane.length <= 100 ? { lane: `${caller} ${lane}` } : {};
}
