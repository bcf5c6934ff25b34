// What every command receives, and the one way a command unlocks the store: as --user, through the
// dispatcher, always locking (which writes the lock entry and the audit checkpoint) and releasing the
// folder afterwards, whether the command succeeded or not.
import { dispatch } from '../dispatch/dispatcher.js';
import { Host, type HostOptions } from '../host/host.js';
import type { OutputOf } from '../contract/operations.js';
import { KDF_FLOOR } from '../vault/slot-crypto.js';
import type { UpgradeProgress } from '../vault/upgrade-progress.js';
import { upgradePercent, upgradeText } from '../domain/upgrade.js';
import type { OptionValues } from './args.js';
import { unwrap, usageError, type Output } from './output.js';
import type { Secrets } from './secrets.js';

export interface Context {
  /** The command words, e.g. "user add". */
  command: string;
  /** Positional arguments after the command words. */
  args: string[];
  options: OptionValues;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  out: Output;
  secrets: Secrets;
}

export const TEST_KDF_ENV = 'CONCORDAT_TEST_KDF';
export const USER_ENV = 'CONCORDAT_USER';

/**
 * Test-only: CONCORDAT_TEST_KDF=floor makes new key slots use the Argon2id floor (19 MiB, t=2) instead of
 * the 64 MiB default, so suites that spawn the CLI many times stay fast. Unlocking is unaffected: each slot
 * carries its own parameters, and nothing below the floor is ever accepted.
 */
export function hostOptions(env: NodeJS.ProcessEnv): HostOptions {
  const value = env[TEST_KDF_ENV];
  if (value === undefined || value === '') return {};
  if (value === 'floor') return { kdf: { ...KDF_FLOOR } };
  throw usageError(`${TEST_KDF_ENV} may only be "floor" (it is for tests).`);
}

export function newHost(ctx: Context): Host {
  return new Host(ctx.dataDir, { ...hostOptions(ctx.env), onUpgradeProgress: upgradeLines(ctx.out) });
}

/**
 * The upgrade an unlock runs on a store made by older code, as lines on stderr (a large store takes
 * minutes, and a silent command would look hung): one as each step begins, and one each tenth of a step
 * that can say how far it has got.
 */
export function upgradeLines(out: Output): (progress: UpgradeProgress) => void {
  let last = '';
  return (progress) => {
    const percent = upgradePercent(progress);
    const shown = { ...progress, done: percent === null ? null : Math.floor(percent / 10) * 10, total: percent === null ? null : 100 };
    const line = upgradeText(shown);
    if (line === last) return;
    last = line;
    out.progress(line, progress);
  };
}

/** Who is acting: --user, else CONCORDAT_USER. */
export function actingUser(ctx: Context): string {
  const username = ctx.options.user ?? ctx.env[USER_ENV];
  if (!username) throw usageError(`\`${ctx.command}\` needs to know who you are: --user NAME, or set ${USER_ENV}.`);
  return username;
}

export type Unlocked = OutputOf<'session.unlock'>;

/**
 * Locks whatever session the host holds and releases the data folder. A failure to lock is reported
 * only when the command itself succeeded: otherwise the command's own error is the one to see.
 */
export async function closeHost(host: Host, commandSucceeded: boolean): Promise<void> {
  try {
    if (host.session && host.vault?.isUnlocked) {
      const locked = await dispatch(host, 'session.lock', {});
      if (commandSucceeded) unwrap(locked);
    }
  } finally {
    await host.close();
  }
}

/**
 * Runs `work` with the store unlocked as the acting user; always locks and closes. `work` also gets the
 * passphrase that unlocked, for the one command that must present it again (changing it).
 */
export async function withSession<T>(ctx: Context, work: (host: Host, unlocked: Unlocked, passphrase: string) => Promise<T>): Promise<T> {
  const username = actingUser(ctx);
  const host = newHost(ctx);
  let succeeded = false;
  try {
    // Open first: a missing or foreign file is reported before anyone types a passphrase.
    host.openVault();
    const passphrase = await ctx.secrets.passphrase(username);
    const unlocked = unwrap(await dispatch(host, 'session.unlock', { username, passphrase }));
    if (unlocked.tamperWarning) ctx.out.warn('AUDIT_TAMPERED', `${unlocked.tamperWarning}. Run \`concordat audit verify\` as a manager.`);
    if (unlocked.uncleanEnd) {
      const { username, openedAt, entriesSinceCheckpoint } = unlocked.uncleanEnd;
      ctx.out.warn(
        'UNCLEAN_END',
        `The previous session (${username ?? 'unknown'}, opened ${openedAt}) ended without a lock; ${entriesSinceCheckpoint} audit entries were appended after its last checkpoint.`,
      );
    }
    const value = await work(host, unlocked, passphrase);
    succeeded = true;
    return value;
  } finally {
    await closeHost(host, succeeded);
  }
}
