// Backups from the command line: making one (through the dispatcher, as a manager), checking one and
// restoring one (no store is open for these two: the backup's own key file is unlocked with a passphrase
// or the recovery key).
import { resolve } from 'node:path';
import { ConcordatError, ERROR_CODES, type ErrorCode } from '../../contract/errors.js';
import type { BackupManifestView } from '../../contract/ops/backup.js';
import { dispatch } from '../../dispatch/dispatcher.js';
import { backupJob, restoreBackupFile, verifyBackupFile, type AnchorReport } from '../../services/backup.js';
import type { AuditHead } from '../../audit/log.js';
import type { Credential } from '../../vault/vault.js';
import { required } from '../args.js';
import type { Command } from '../command.js';
import { actingUser, withSession, type Context } from '../context.js';
import { EXIT, unwrap, usageError } from '../output.js';
import { SECRET_ENV } from '../secrets.js';

function describeManifest(ctx: Context, manifest: BackupManifestView): void {
  const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
  ctx.out.line(
    `Store ${manifest.storeId}, schema ${manifest.schemaVersion}, made ${manifest.createdAt} by ${manifest.createdBy.username}.`,
  );
  ctx.out.line(
    `${Object.keys(manifest.tables).length} tables, ${rows} rows; audit head ${manifest.auditHead ? `${manifest.auditHead.seq}:${manifest.auditHead.hash}` : 'none (empty log)'}.`,
  );
}

/** --anchor SEQ:HASH, as printed on exports. */
function anchorsOf(ctx: Context): AuditHead[] {
  return (ctx.options.anchor ?? []).map((text) => {
    const match = /^(\d+):([0-9a-f]{64})$/i.exec(text.trim());
    if (!match)
      throw usageError(`--anchor takes SEQ:HASH (the audit head printed on an export), not ${JSON.stringify(text.slice(0, 80))}.`);
    return { seq: Number(match[1]), hash: match[2]!.toLowerCase() };
  });
}

async function credentialOf(ctx: Context): Promise<Credential> {
  if (ctx.options.recovery) return { recoveryKey: await ctx.secrets.recoveryKey() };
  const username = actingUser(ctx);
  return { username, passphrase: await ctx.secrets.passphrase(username) };
}

/** Prints each anchor's finding; an anchor the copy is behind is reported, one that differs fails. */
function reportAnchors(ctx: Context, anchors: readonly AnchorReport[]): number {
  let exit: number = EXIT.ok;
  for (const { anchor, finding } of anchors) {
    if (finding === 'present') ctx.out.line(`Anchor ${anchor.seq}: in the chain.`);
    else if (finding === 'behind')
      ctx.out.warn(
        'AUDIT_BEHIND_ANCHOR',
        `The backup's audit log ends before entry ${anchor.seq}, which an export you hold recorded: entries made after this backup are not in it.`,
      );
    else {
      ctx.out.warn('AUDIT_TAMPERED', `Entry ${anchor.seq} in the backup is not the one an export you hold recorded.`);
      exit = EXIT.tampered;
    }
  }
  return exit;
}

const CREDENTIAL_HELP = `Unlocked with --user NAME and the passphrase (asked, or ${SECRET_ENV.passphrase}) of a slot in the backup's
key file, or with --recovery and the recovery key (asked, or ${SECRET_ENV.recoveryKey}). --anchor SEQ:HASH (repeatable)
checks a head taken from an export: a backup whose log ends before it is reported.`;

export const backupCreate: Command = {
  name: 'backup create',
  usage: '--out FILE --user NAME',
  summary:
    'Writes a backup of the whole store to FILE: still encrypted, with the key slots and a manifest, authenticated as a whole (managers only).',
  details: `The store stays usable while it runs (the app can be open on another copy only through this process). The file
is never overwritten. The backup is logged in the audit log.`,
  options: ['out'],
  args: { min: 0, max: 0 },
  run: (ctx) => {
    const out = resolve(required(ctx.options, 'out', ctx.command));
    return withSession(ctx, async (host) => {
      unwrap(await dispatch(host, 'backup.create', { out }));
      await backupJob(host, 'create')?.finished;
      const job = unwrap(await dispatch(host, 'backup.status', {}));
      if (job.state !== 'done' || !job.manifest) {
        const code = (ERROR_CODES as readonly string[]).includes(job.error?.code ?? '') ? (job.error!.code as ErrorCode) : 'INTERNAL';
        throw new ConcordatError(code, job.error?.message ?? 'The backup did not finish.');
      }
      ctx.out.data({ file: out, sha256: job.sha256, bytes: job.bytes, manifest: job.manifest });
      ctx.out.line(`Wrote ${out} (${job.bytes} bytes, SHA-256 ${job.sha256}).`);
      describeManifest(ctx, job.manifest);
    });
  },
};

export const backupVerify: Command = {
  name: 'backup verify',
  usage: 'FILE (--user NAME | --recovery) [--anchor SEQ:HASH ...]',
  summary: "Checks a backup without restoring it: the whole file's tag, every page, the audit chain and the manifest's counts.",
  details: `${CREDENTIAL_HELP}
Exits 0 when the backup is sound, 5 when it is damaged or changed (one changed byte is enough), 3 for a wrong passphrase.`,
  options: ['recovery', 'anchor'],
  args: { min: 1, max: 1 },
  run: async (ctx) => {
    const file = resolve(ctx.args[0]!);
    const anchors = anchorsOf(ctx);
    const { manifest, anchors: found } = await verifyBackupFile(file, await credentialOf(ctx), anchors);
    ctx.out.data({ file, intact: true, manifest, anchors: found });
    ctx.out.line(`${file} is intact: authenticated, every page and the audit chain check, and the counts match its manifest.`);
    describeManifest(ctx, manifest);
    return reportAnchors(ctx, found);
  },
};

export const backupRestore: Command = {
  name: 'backup restore',
  usage: 'FILE --data-dir DIR (--user NAME | --recovery) [--anchor SEQ:HASH ...]',
  summary: 'Restores a backup into DIR, which must be empty or new: nothing is ever overwritten. Checks everything first.',
  details: `${CREDENTIAL_HELP}
The restored store is unlocked afterwards as usual, with the passphrases that were valid when the backup was made.
An anchor the backup's log ends before is reported after the restore; one another entry stands at refuses it.`,
  options: ['recovery', 'anchor'],
  args: { min: 1, max: 1 },
  run: async (ctx) => {
    if (!ctx.options['data-dir']) throw usageError('`backup restore` needs --data-dir DIR: the empty folder to restore into.');
    const file = resolve(ctx.args[0]!);
    const anchors = anchorsOf(ctx);
    const { manifest, anchors: found } = await restoreBackupFile(file, ctx.dataDir, await credentialOf(ctx), anchors);
    ctx.out.data({ file, dataDir: ctx.dataDir, restored: true, manifest, anchors: found });
    ctx.out.line(`Restored ${file} into ${ctx.dataDir}; every check passed.`);
    describeManifest(ctx, manifest);
    return reportAnchors(ctx, found);
  },
};
