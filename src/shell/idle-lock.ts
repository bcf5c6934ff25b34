// When to lock for inactivity. The user counts as present if either the operating system saw input
// recently (they are working in another program at this desk) or the Concordat window did. Only when
// both have been quiet for the limit does it lock. Where the system cannot measure idle time it reports
// 0 for ever (some Wayland sessions), which would read as "always present": so the system reading is
// trusted only once it has been seen above 0, and until then the window's own clock decides.
export const DEFAULT_IDLE_LOCK_MS = 5 * 60_000;
export const MIN_IDLE_LOCK_MS = 60_000;
export const MAX_IDLE_LOCK_MS = 4 * 60 * 60_000;
/** How often the shell polls the system idle time: a lock lands at most this late. */
export const IDLE_POLL_MS = 15_000;

/** Reads an idle limit in minutes (e.g. from CONCORDAT_IDLE_LOCK_MINUTES); anything unusable gives the default. */
export function idleLockMsFrom(minutes: string | undefined): number {
  if (minutes === undefined || !/^\d+(\.\d+)?$/.test(minutes.trim())) return DEFAULT_IDLE_LOCK_MS;
  const ms = Math.round(Number(minutes) * 60_000);
  return Math.min(MAX_IDLE_LOCK_MS, Math.max(MIN_IDLE_LOCK_MS, ms));
}

export class IdleTracker {
  private lastActivityAt: number;
  private systemReadingWorks = false;

  constructor(
    readonly limitMs: number,
    now: number,
  ) {
    if (!Number.isFinite(limitMs) || limitMs <= 0) throw new RangeError('idle limit must be a positive number of milliseconds');
    this.lastActivityAt = now;
  }

  /** Input seen in the window (or a call made from it). */
  activity(now: number): void {
    this.lastActivityAt = Math.max(this.lastActivityAt, now);
  }

  idleForMs(now: number, systemIdleSeconds: number): number {
    const windowIdle = Math.max(0, now - this.lastActivityAt);
    const usable = this.systemReadingWorks && Number.isFinite(systemIdleSeconds) && systemIdleSeconds >= 0;
    return usable ? Math.min(windowIdle, systemIdleSeconds * 1000) : windowIdle;
  }

  /** One poll of the system idle time (seconds): records whether the reading works, then decides. */
  shouldLock(now: number, systemIdleSeconds: number): boolean {
    if (Number.isFinite(systemIdleSeconds) && systemIdleSeconds > 0) this.systemReadingWorks = true;
    return this.idleForMs(now, systemIdleSeconds) >= this.limitMs;
  }
}
