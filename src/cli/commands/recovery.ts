// The recovery key's two uses: handing over the raw database key for the standard SQLCipher 4 tool, and
// setting a passphrase nobody remembers. Neither has a session, so the dispatcher cannot audit them: each
// appends its own entry, in the same transaction as the change, under the actor "recovery-key".
import { basename } from 'node:path';
import { ConcordatError } from '../../contract/errors.js';
import { passphraseSchema, usernameSchema } from '../../contract/common.js';
import { appendAuditEntry, auditHead, checkAgainstCheckpoint, type Actor, type NewAuditEntry } from '../../audit/log.js';
import { validationError } from '../../dispatch/dispatcher.js';
import { findActiveUser } from '../../store/users.js';
import type { Sql } from '../../vault/database.js';
import { Vault } from '../../vault/vault.js';
import type { Command } from '../command.js';
import { MIGRATIONS } from '../../store/migrations/index.js';
import { CLOSED_STORE } from '../../store/closed-store.js';
import { actingUser, hostOptions, upgradeLines, type Context } from '../context.js';
import { SECRET_ENV } from '../secrets.js';

const RECOVERY_ACTOR: Actor = { userId: null, username: 'recovery-key', organisation: null, role: null };

/** Runs `work` on the store unlocked with the recovery key, then locks it and releases the folder. */
async function withRecoveryKey<T>(ctx: Context, work: (vault: Vault) => Promise<T>): Promise<T> {
  // Opened first so a missing or foreign file is reported before the key is typed.
  const vault = Vault.open(ctx.dataDir, {
    migrations: MIGRATIONS,
    closed: CLOSED_STORE,
    ...hostOptions(ctx.env),
    onUpgradeProgress: upgradeLines(ctx.out),
  });
  try {
    await vault.unlockWithRecoveryKey(await ctx.secrets.recoveryKey());
    return await work(vault);
  } finally {
    await vault.close();
  }
}

/**
 * Appends `entry` in one transaction with `change` (which runs after the append, so a failed append
 * changes nothing), then moves the checkpoint on, unless the log already disagrees with it: then the old
 * checkpoint is kept as evidence, as an unlock would.
 */
async function recordRecovery(
  ctx: Context,
  vault: Vault,
  entry: (sql: Sql) => Promise<Omit<NewAuditEntry, 'actor' | 'outcome'>>,
  change?: () => Promise<void>,
): Promise<void> {
  const { checkpoint, authentic } = vault.checkpoint();
  const tamper = await checkAgainstCheckpoint(vault.db, checkpoint, authentic);
  if (tamper) ctx.out.warn('AUDIT_TAMPERED', `${tamper}. The checkpoint is left as it was, as evidence.`);
  await vault.db.transaction(async (sql) => {
    await appendAuditEntry(sql, vault.storeId, { ...(await entry(sql)), actor: RECOVERY_ACTOR, outcome: 'ok' });
    await change?.();
  });
  if (tamper) return;
  const head = await auditHead(vault.db);
  if (head) await vault.writeCheckpoint(head);
}

export const rawKey: Command = {
  name: 'recovery raw-key',
  usage: '',
  summary: "Prints the database's raw key as a `PRAGMA key` line for the standard SQLCipher 4 tool, given the recovery key.",
  details: `The recovery key is asked at the terminal, or read from ${SECRET_ENV.recoveryKey}. Only the PRAGMA line goes to
stdout; the hint goes to stderr. The disclosure is recorded in the audit log.`,
  options: [],
  args: { min: 0, max: 0 },
  run: async (ctx) => {
    const { database, closedDatabase } = Vault.paths(ctx.dataDir);
    // One line per file, each after a comment naming the file it opens (the store, then its closed database).
    const print = (keys: { file: string; pragma: string }[]) => {
      const text = keys.map((k) => `-- opens ${basename(k.file)}\n${k.pragma}`).join('\n');
      ctx.out.data({ pragma: keys[0]!.pragma, database, ...(keys[1] ? { closedPragma: keys[1].pragma, closedDatabase } : {}) });
      ctx.out.line(text);
      ctx.out.note(
        `Open each file with the standard SQLCipher 4 shell (\`sqlcipher ${JSON.stringify(database)}\`${keys[1] ? `, \`sqlcipher ${JSON.stringify(closedDatabase)}\`` : ''}) and enter the PRAGMA line under its name as the first command. Anyone holding them can read the whole store, closed-only content included: do not save them in a file or your shell history.`,
      );
    };
    try {
      await withRecoveryKey(ctx, async (vault) => {
        await recordRecovery(ctx, vault, async () => ({
          kind: 'export',
          operation: 'recovery.rawKey',
          entityType: 'store',
          entityId: vault.storeId,
          details: { format: 'sqlcipher-pragma' },
        }));
        print(vault.rawKeyPragmas());
      });
    } catch (err) {
      // A damaged database is when the standard tool matters most: fall back to the key file alone.
      if (!(err instanceof ConcordatError) || !DAMAGED_DATABASE.has(err.code)) throw err;
      ctx.out.warn(
        err.code,
        `${err.message} The key is taken from the key file alone; this disclosure cannot be recorded in the audit log.`,
      );
      print(await Vault.rawKeyPragmasFromKeyFile(ctx.dataDir, await ctx.secrets.recoveryKey()));
    }
  },
};

const DAMAGED_DATABASE: ReadonlySet<string> = new Set(['DATABASE_CORRUPT', 'DATABASE_FOREIGN']);

export const resetPassphrase: Command = {
  name: 'recovery reset-passphrase',
  usage: '--user NAME',
  summary: "Sets a user's passphrase with the recovery key, for when it is forgotten and no manager can reset it.",
  details: `The recovery key comes from the terminal or ${SECRET_ENV.recoveryKey}; the new passphrase from the terminal
(typed twice) or ${SECRET_ENV.newPassphrase}. Recorded in the audit log as done by "recovery-key".`,
  options: [],
  args: { min: 0, max: 0 },
  run: async (ctx) => {
    const name = usernameSchema.safeParse(actingUser(ctx));
    if (!name.success) throw validationError(name.error, 'user');
    const username = name.data;
    await withRecoveryKey(ctx, async (vault) => {
      const next = passphraseSchema.safeParse(await ctx.secrets.newPassphrase(username));
      if (!next.success) throw validationError(next.error, 'newPassphrase');
      await recordRecovery(
        ctx,
        vault,
        async (sql) => {
          const user = await findActiveUser(sql, username);
          if (!user || !vault.hasUserSlot(username))
            throw new ConcordatError('NOT_FOUND', `There is no active user ${username}.`, { field: 'user' });
          return { kind: 'settings', operation: 'recovery.resetPassphrase', entityType: 'user', entityId: user.id, details: { username } };
        },
        () => vault.resetPassphrase(username, next.data),
      );
      ctx.out.data({ ok: true, username });
      ctx.out.line(`Set a new passphrase for ${username}.`);
    });
  },
};
