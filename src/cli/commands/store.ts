// Setting up a store, checking that a passphrase opens it, and rotating its master key.
import { ConcordatError } from '../../contract/errors.js';
import { dispatch } from '../../dispatch/dispatcher.js';
import { Vault } from '../../vault/vault.js';
import { required } from '../args.js';
import type { Command } from '../command.js';
import { actingUser, closeHost, newHost, withSession, type Context } from '../context.js';
import { EXIT, unwrap } from '../output.js';
import { SECRET_ENV } from '../secrets.js';

const RULE = '='.repeat(72);

/** The recovery key, framed, with what it is for: it is printed this once and never again. */
function printRecoveryKey(ctx: Context, recoveryKey: string): void {
  ctx.out.line();
  ctx.out.line(RULE);
  ctx.out.line('RECOVERY KEY (shown this once, never again):');
  ctx.out.line();
  ctx.out.line(`    ${recoveryKey}`);
  ctx.out.line();
  ctx.out.line('Write it on paper and keep it locked away from this computer. It opens the');
  ctx.out.line('store if every passphrase is lost, and `concordat recovery raw-key` turns it');
  ctx.out.line('into the key the standard SQLCipher 4 tool needs. Anyone holding it can read');
  ctx.out.line('everything in the store.');
  ctx.out.line(RULE);
}

export const init: Command = {
  name: 'init',
  usage: '--user NAME --name "Display Name" --organisation "Organisation"',
  summary: 'Creates the store and its first user (a manager). Prints the recovery key, once.',
  details: `The passphrase is asked twice at the terminal, or read from ${SECRET_ENV.newPassphrase}
(falling back to ${SECRET_ENV.passphrase}). The organisation is created as a statutory partner.`,
  options: ['name', 'organisation'],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const username = actingUser(ctx);
    const displayName = required(ctx.options, 'name', ctx.command);
    const organisation = required(ctx.options, 'organisation', ctx.command);
    // Checked before the passphrase is asked for, so nobody types one for nothing.
    if (Vault.isInitialised(ctx.dataDir))
      throw new ConcordatError('STORE_EXISTS', `A store already exists in ${ctx.dataDir}; nothing was changed.`);
    const passphrase = await ctx.secrets.newPassphrase(username, [SECRET_ENV.newPassphrase, SECRET_ENV.passphrase]);
    const host = newHost(ctx);
    let succeeded = false;
    try {
      const { recoveryKey, user } = unwrap(await dispatch(host, 'store.init', { username, displayName, organisation, passphrase }));
      ctx.out.data({ dataDir: ctx.dataDir, user, recoveryKey });
      ctx.out.line(`Created a store in ${ctx.dataDir}.`);
      ctx.out.line(`First user: ${user.username} (${user.displayName}), manager at ${user.organisation}.`);
      printRecoveryKey(ctx, recoveryKey);
      succeeded = true;
    } finally {
      await closeHost(host, succeeded);
    }
  },
};

export const unlockCheck: Command = {
  name: 'unlock-check',
  usage: '--user NAME',
  summary: 'Unlocks the store, says who you are and whether the audit checkpoint matches, and locks it again.',
  details: 'Exits 6 when the audit log no longer matches the checkpoint in the key file.',
  options: [],
  args: { min: 0, max: 0 },
  run: (ctx) =>
    withSession(ctx, async (_host, unlocked) => {
      const { user, failedAttemptsSinceLastUnlock: failed, tamperWarning } = unlocked;
      ctx.out.data({ user, failedAttemptsSinceLastUnlock: failed, tamperWarning });
      ctx.out.line(`Unlocked as ${user.username} (${user.displayName}), ${user.role.replace('_', '-')} at ${user.organisation}.`);
      if (failed > 0) ctx.out.line(`${failed} failed attempt${failed === 1 ? '' : 's'} to unlock as you since your last unlock.`);
      ctx.out.line(tamperWarning ? `TAMPER WARNING: ${tamperWarning}.` : 'The audit log matches the checkpoint in the key file.');
      return tamperWarning ? EXIT.tampered : EXIT.ok;
    }),
};

export const rotateKey: Command = {
  name: 'rotate-key',
  usage: '--user NAME',
  summary: 'Re-keys the database under a new master key and reseals it to every key slot (managers only).',
  details: 'Every passphrase and the recovery key keep working; a raw key printed earlier by `recovery raw-key` stops working.',
  options: [],
  args: { min: 0, max: 0 },
  run: (ctx) =>
    withSession(ctx, async (host) => {
      unwrap(await dispatch(host, 'store.rotateMasterKey', {}));
      ctx.out.data({ ok: true });
      ctx.out.line('The database is now under a new master key. Every passphrase and the recovery key still open it;');
      ctx.out.line('a raw key printed earlier by `concordat recovery raw-key` no longer does.');
    }),
};

export const rotateRecoveryKey: Command = {
  name: 'recovery rotate',
  usage: '--user NAME',
  summary: 'Replaces the recovery key and prints the new one, once (managers only).',
  details:
    'The old recovery key stops opening the store at once; a raw key printed earlier by `recovery raw-key` still works until `rotate-key`.',
  options: [],
  args: { min: 0, max: 0 },
  run: (ctx) =>
    withSession(ctx, async (host) => {
      const { recoveryKey } = unwrap(await dispatch(host, 'store.rotateRecoveryKey', {}));
      ctx.out.data({ recoveryKey });
      ctx.out.line('The store has a new recovery key; the old one no longer opens it.');
      printRecoveryKey(ctx, recoveryKey);
    }),
};
