// The upgrade an unlock runs on a store made by older code, step by step, for the unlock screen and the
// CLI: the whole-file check before the first migration writes, the store's migrations, the closed
// database's, and the move of closed-only content that follows them. On a large store this takes minutes;
// without it the user sees an unlock that seems to hang.
import { performance } from 'node:perf_hooks';
import type { MigrationProgress } from './migrate.js';

/**
 * check: the whole file is read before the first migration writes to it; store and closed: a migration of
 * the open store or of the closed database; seal: closed-only content moves into the closed database.
 */
export type UpgradeStage = 'check' | 'store' | 'closed' | 'seal';

export interface UpgradeProgress {
  /** Counts from 1 among `steps`, the steps this unlock runs. */
  step: number;
  steps: number;
  stage: UpgradeStage;
  /** The migration's name, or what the step does. */
  name: string;
  /** How far the step has got (rows, tables, …) when it says so; null when it cannot. */
  done: number | null;
  total: number | null;
  /** Since the upgrade began. */
  elapsedMs: number;
}

export type UpgradeListener = (progress: UpgradeProgress) => void;

const STAGE_NAMES: Readonly<Record<'check' | 'seal', string>> = {
  check: 'checking the store file',
  seal: 'moving closed-only content into the closed database',
};

/** Counts the steps of one unlock's upgrade as they are planned and run, and tells the listener of each change. */
export class UpgradeTracker {
  private planned = 0;
  private started = 0;
  private current: Omit<UpgradeProgress, 'elapsedMs'> | null = null;
  private readonly startedAt = performance.now();

  constructor(private readonly listener: UpgradeListener = () => undefined) {}

  /** Adds steps to the count shown (all are planned before the first runs, so the count does not grow). */
  plan(steps: number): void {
    this.planned += steps;
  }

  /** Whether any step was planned: an unlock of a store that is up to date has none. */
  get upgrading(): boolean {
    return this.planned > 0;
  }

  /** A step that is not a migration begins. */
  begin(stage: 'check' | 'seal'): void {
    this.start(stage, STAGE_NAMES[stage]);
  }

  /** Hears a migration runner (of the open store, or of the closed database). */
  migrations(stage: 'store' | 'closed'): (progress: MigrationProgress) => void {
    return (progress) => {
      if (progress.done === null) this.start(stage, progress.name);
      else this.advance(progress.done, progress.total);
    };
  }

  /** How far the running step has got. */
  advance(done: number, total: number | null): void {
    if (!this.current) return;
    this.current = { ...this.current, done, total };
    this.emit();
  }

  get progress(): UpgradeProgress | null {
    return this.current && { ...this.current, elapsedMs: performance.now() - this.startedAt };
  }

  private start(stage: UpgradeStage, name: string): void {
    this.started += 1;
    // A step nobody planned (a guess that missed) still shows a count that makes sense.
    this.planned = Math.max(this.planned, this.started);
    this.current = { step: this.started, steps: this.planned, stage, name, done: null, total: null };
    this.emit();
  }

  private emit(): void {
    const progress = this.progress;
    if (progress) this.listener(progress);
  }
}
