// Locks the store when the user walks away: after the idle limit, on system suspend and on screen lock.
// Locking goes through host.lock, so it is audited and the page hears {type:'locked'} like any lock.
import type { PowerMonitor } from 'electron';
import type { Host } from '../src/dispatch/index.js';
import type { LockReason } from '../src/shell/app-events.js';
import { IdleTracker, IDLE_POLL_MS } from '../src/shell/idle-lock.js';

export interface AutoLockOptions {
  idleLimitMs: number;
  pollMs?: number;
  now?: () => number;
}

export interface AutoLock {
  /** Input seen in the window. */
  activity(): void;
  /** One poll: locks if the user has been idle for the limit. The timer calls this; so can a test. */
  check(): Promise<void>;
  stop(): void;
}

export function startAutoLock(
  powerMonitor: Pick<PowerMonitor, 'on' | 'getSystemIdleTime'>,
  host: Host,
  options: AutoLockOptions,
): AutoLock {
  const now = options.now ?? Date.now;
  const tracker = new IdleTracker(options.idleLimitMs, now());

  let stopped = false;
  const lock = async (reason: LockReason) => {
    if (stopped) return;
    try {
      await host.lock(reason);
    } catch {
      // The audited lock failed (disk full, store damaged): close the store anyway. A lock is never skipped.
      await host.close().catch(() => undefined);
    }
  };

  const onUnlocked = () => tracker.activity(now());
  host.on('unlocked', onUnlocked);
  powerMonitor.on('suspend', () => void lock('suspend'));
  powerMonitor.on('lock-screen', () => void lock('screen-lock'));

  const check = async () => {
    if (!host.session) return;
    if (tracker.shouldLock(now(), powerMonitor.getSystemIdleTime())) await lock('idle');
  };
  const timer = setInterval(() => void check(), options.pollMs ?? IDLE_POLL_MS);
  timer.unref?.();

  return {
    activity: () => tracker.activity(now()),
    check,
    stop: () => {
      stopped = true;
      clearInterval(timer);
      host.off('unlocked', onUnlocked);
    },
  };
}
