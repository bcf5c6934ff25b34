// What a failed unlock leaves in the key file: counters for the delay and a pending record for the audit log.
// A typed name is kept only when it names an existing slot: people type their passphrase into the user-name
// field, and anything kept here is copied into the append-only log at the next unlock. Every other name is
// "(unknown name xxxx)": xxxx is 16 bits of a hash keyed with the store id, enough to group repeated attempts
// (and to give each its own delay, so the delay does not tell which names have a slot) and far too few to
// confirm a guessed passphrase.
import { createHmac, randomUUID } from 'node:crypto';
import type { KeyFile } from './keyfile.js';

/** Names that match no slot start with this. Not a valid user name (it has a bracket and a space). */
export const UNKNOWN_NAME = '(unknown name';
/** The store-wide counter: every failure counts here, whatever name was typed. */
export const ANY_NAME = '(any name)';

const MAX_PENDING_FAILURES = 1000;
/** Counters kept for unknown names; the oldest go first (the store-wide counter still holds a flood back). */
const MAX_UNKNOWN_COUNTERS = 100;
/** Failures across all names allowed before the store-wide delay starts (three names' worth, and one over). */
const STORE_FREE_FAILURES = 10;
const MAX_DELAY_MS = 5 * 60 * 1000;

/** Consecutive failures allowed for one name before the delay starts, then 1 s doubling to 5 minutes. */
export function unlockDelayMs(consecutiveFailures: number): number {
  if (consecutiveFailures < 3) return 0;
  return Math.min(1000 * 2 ** (consecutiveFailures - 3), MAX_DELAY_MS);
}

/** The store-wide delay: the same doubling, starting later, so one forgetful user never triggers it alone. */
export function storeDelayMs(failures: number): number {
  if (failures < STORE_FREE_FAILURES) return 0;
  return Math.min(1000 * 2 ** (failures - STORE_FREE_FAILURES), MAX_DELAY_MS);
}

/** The name a failure is counted and recorded under: the slot's name, or "(unknown name xxxx)". */
export function recordedName(keyFile: Pick<KeyFile, 'slots' | 'storeId'>, name: string): string {
  if (keyFile.slots.some((s) => s.kind === 'user' && s.username === name)) return name;
  const bucket = createHmac('sha256', `concordat unknown name v1|${keyFile.storeId}`).update(name).digest('hex').slice(0, 4);
  return `${UNKNOWN_NAME} ${bucket})`;
}

export function isUnknownName(name: string): boolean {
  return name.startsWith(UNKNOWN_NAME);
}

/** How long an attempt under `name` must wait (0: may try now): the longer of its own delay and the store's. */
export function waitMs(keyFile: Pick<KeyFile, 'slots' | 'storeId' | 'failureCounters'>, name: string, now = Date.now()): number {
  const own = keyFile.failureCounters[recordedName(keyFile, name)];
  const store = keyFile.failureCounters[ANY_NAME];
  const ownWait = own ? Date.parse(own.lastAt) + unlockDelayMs(own.count) - now : 0;
  const storeWait = store ? Date.parse(store.lastAt) + storeDelayMs(store.count) - now : 0;
  return Math.max(0, ownWait, storeWait);
}

/**
 * Counts one failure under its name and store-wide, drops counters for names that have no slot (left by an
 * older version, or a removed user), and, when `pending` is set, queues it for the audit log. Returns the
 * count that sets the delay. Mutates the key file in memory; the caller saves it.
 */
export function countFailure(keyFile: KeyFile, name: string, options: { pending: boolean }): { count: number; retryAfterMs: number } {
  const at = new Date().toISOString();
  const recorded = recordedName(keyFile, name);
  const slotNames = new Set(keyFile.slots.filter((s) => s.kind === 'user').map((s) => s.username));
  const unknown = Object.entries(keyFile.failureCounters)
    .filter(([key]) => isUnknownName(key) && key !== recorded)
    .sort(([, a], [, b]) => b.lastAt.localeCompare(a.lastAt))
    .slice(0, MAX_UNKNOWN_COUNTERS - 1);
  const counters: KeyFile['failureCounters'] = Object.fromEntries(unknown);
  for (const [key, value] of Object.entries(keyFile.failureCounters)) {
    if (key === ANY_NAME || key === recorded || slotNames.has(key)) counters[key] = value;
  }
  const count = (counters[recorded]?.count ?? 0) + 1;
  const storeCount = (counters[ANY_NAME]?.count ?? 0) + 1;
  counters[recorded] = { count, lastAt: at };
  counters[ANY_NAME] = { count: storeCount, lastAt: at };
  keyFile.failureCounters = counters;
  if (options.pending)
    keyFile.pendingFailedUnlocks = trimPending([...keyFile.pendingFailedUnlocks, { id: randomUUID(), username: recorded, at }]);
  return { count, retryAfterMs: Math.max(unlockDelayMs(count), storeDelayMs(storeCount)) };
}

/** Clears a name's counter and the store-wide one after a success under that name. */
export function clearFailures(keyFile: KeyFile, name: string): boolean {
  if (!(name in keyFile.failureCounters) && !(ANY_NAME in keyFile.failureCounters)) return false;
  delete keyFile.failureCounters[name];
  delete keyFile.failureCounters[ANY_NAME];
  return true;
}

/** Over the cap, unknown names go first, so a flood of made-up names cannot push out a real user's failures. */
function trimPending(pending: KeyFile['pendingFailedUnlocks']): KeyFile['pendingFailedUnlocks'] {
  let excess = pending.length - MAX_PENDING_FAILURES;
  if (excess <= 0) return pending;
  const kept = pending.filter((f) => {
    if (excess > 0 && isUnknownName(f.username)) {
      excess -= 1;
      return false;
    }
    return true;
  });
  return kept.slice(-MAX_PENDING_FAILURES);
}
