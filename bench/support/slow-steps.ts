// Where a slow call's time went (bench/backup): every statement on the store's connection, every wait for its
// exclusive section and every background key-file write that took longer than a threshold, with the phase
// of the backup job as it started. A stall over the goal then names its statement instead of being guessed at.
import { performance } from 'node:perf_hooks';
import type { Database } from '../../src/vault/database.js';

export interface SlowStep {
  /** 'sql' (one statement), 'queue' (waiting for the exclusive section), 'section' (a whole unit of work). */
  kind: 'sql' | 'queue' | 'section' | 'other';
  what: string;
  ms: number;
  phase: string;
}

type Method = 'run' | 'get' | 'all' | 'exec';

/** An async method of some object to time as well (e.g. the vault's background key-file write). */
export interface TracedMethod {
  object: object;
  method: string;
  label: string;
}

/** Wraps `db`'s statements and exclusive section (and `also`) in timers until `stop` is called; returns the slow ones. */
export function traceSlowSteps(
  db: Database,
  phase: () => string,
  { thresholdMs = 100, also = [] }: { thresholdMs?: number; also?: readonly TracedMethod[] } = {},
): { stop(): SlowStep[] } {
  const steps: SlowStep[] = [];
  const target = db as unknown as Record<string, unknown>;
  const restore: (() => void)[] = [];
  // What the unit of work in the exclusive section now (there is one at a time) spent in statements and in `also`.
  let inSection = { sql: 0, statements: 0, other: 0 };
  const note = (kind: SlowStep['kind'], what: string, ms: number, at: string) => {
    if (kind === 'sql') {
      inSection.sql += ms;
      inSection.statements += 1;
    }
    if (kind === 'other') inSection.other += ms;
    if (ms > thresholdMs) steps.push({ kind, what: what.replace(/\s+/g, ' ').slice(0, 90), ms, phase: at });
  };
  for (const method of ['run', 'get', 'all', 'exec'] as Method[]) {
    const original = db[method].bind(db) as (...args: unknown[]) => Promise<unknown>;
    target[method] = async (...args: unknown[]) => {
      const at = phase();
      const start = performance.now();
      try {
        return await original(...args);
      } finally {
        const query = args[0] as string | { text: string };
        note('sql', typeof query === 'string' ? query : query.text, performance.now() - start, at);
      }
    };
    restore.push(() => delete target[method]);
  }
  const exclusive = db.exclusive.bind(db);
  target.exclusive = <T>(work: () => Promise<T>) => {
    const at = phase();
    const queued = performance.now();
    return exclusive(async () => {
      const started = performance.now();
      note('queue', 'waiting for the exclusive section', started - queued, at);
      inSection = { sql: 0, statements: 0, other: 0 };
      try {
        return await work();
      } finally {
        const { sql, statements, other } = inSection;
        const ms = performance.now() - started;
        note(
          'section',
          `a unit of work: ${Math.round(sql)} ms in its ${statements} statements, ${Math.round(other)} ms in the key file write`,
          ms,
          at,
        );
      }
    });
  };
  restore.push(() => delete target.exclusive);
  for (const { object, method, label } of also) {
    const holder = object as Record<string, unknown>;
    const original = (holder[method] as (...args: unknown[]) => Promise<unknown>).bind(object);
    holder[method] = async (...args: unknown[]) => {
      const at = phase();
      const start = performance.now();
      try {
        return await original(...args);
      } finally {
        note('other', label, performance.now() - start, at);
      }
    };
    restore.push(() => delete holder[method]);
  }
  return {
    stop: () => {
      for (const undo of restore) undo();
      return steps;
    },
  };
}

/** The slow steps grouped by kind, phase and statement: count and longest, longest first. */
export function summariseSlowSteps(
  steps: readonly SlowStep[],
): { kind: string; phase: string; what: string; count: number; longest: number }[] {
  const groups = new Map<string, { kind: string; phase: string; what: string; count: number; longest: number }>();
  for (const step of steps) {
    const key = `${step.kind}|${step.phase}|${step.what}`;
    const group = groups.get(key) ?? { kind: step.kind, phase: step.phase, what: step.what, count: 0, longest: 0 };
    group.count += 1;
    group.longest = Math.max(group.longest, step.ms);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.longest - a.longest);
}
