// Where a call's time goes inside the dispatcher, for benches (bench/renderer) and diagnosis: published on a
// diagnostics channel, so it costs nothing unless something subscribes. It carries times and outcomes only,
// never an input, an output or a lane (which names the window).
import { channel } from 'node:diagnostics_channel';

export const DISPATCH_TIMING_CHANNEL = 'concordat:dispatch-timing';

export interface DispatchTiming {
  operation: string;
  /** ok, refused (a refusal logged) or cancelled (superseded). */
  outcome: 'ok' | 'refused' | 'cancelled';
  /** From the call to its turn in the store's queue (or to being dropped from it). */
  queuedMs: number;
  /** The handler: the operation's reads (and writes). For a superseded read, until it stopped. */
  handlerMs: number;
  /** Appending the audit entry and committing it. */
  auditMs: number;
  /** After the commit, still in the queue: sealing closed-only content, reading the head for the checkpoint. */
  afterMs: number;
  /** Out of the queue: waiting for the key file to hold the checkpoint (its write and fsync). */
  checkpointMs: number;
  /** From the call to its answer. */
  totalMs: number;
  /** For a read superseded while it read: from the supersession to the handler's end. */
  stopMs?: number;
}

const timings = channel(DISPATCH_TIMING_CHANNEL);

/** The clock of one call's phases; `publish` only builds the record when someone listens. */
export class CallClock {
  private readonly start = performance.now();
  private marks: Partial<Record<'turn' | 'handled' | 'logged' | 'done', number>> = {};

  mark(phase: 'turn' | 'handled' | 'logged' | 'done'): void {
    if (timings.hasSubscribers) this.marks[phase] = performance.now();
  }

  publish(operation: string, outcome: DispatchTiming['outcome'], stopMs?: number): void {
    if (!timings.hasSubscribers) return;
    const end = performance.now();
    const { turn = end, handled = turn, logged = handled, done = logged } = this.marks;
    const record: DispatchTiming = {
      operation,
      outcome,
      queuedMs: turn - this.start,
      handlerMs: handled - turn,
      auditMs: logged - handled,
      afterMs: done - logged,
      checkpointMs: end - done,
      totalMs: end - this.start,
      ...(stopMs === undefined ? {} : { stopMs }),
    };
    timings.publish(record);
  }
}
