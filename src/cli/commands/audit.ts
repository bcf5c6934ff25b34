// Proving the audit log intact, and handing a copy of it to someone (a disclosure, itself logged).
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConcordatError } from '../../contract/errors.js';
import { dispatch } from '../../dispatch/dispatcher.js';
import { parseJsonOption, required } from '../args.js';
import type { Command } from '../command.js';
import { withSession } from '../context.js';
import { EXIT, unwrap, usageError } from '../output.js';

/** "SEQ:HASH", as exports print the audit head. */
export function parseAnchor(text: string): { seq: number; hash: string } {
  const match = /^\s*(\d+)\s*:\s*([0-9a-fA-F]{64})\s*$/.exec(text);
  if (!match) throw usageError(`--anchor takes SEQ:HASH as printed on an export (the hash is 64 hex digits), not ${JSON.stringify(text)}.`);
  return { seq: Number(match[1]), hash: match[2]!.toLowerCase() };
}

export const auditVerify: Command = {
  name: 'audit verify',
  usage: '[--anchor SEQ:HASH ...] --user NAME',
  summary: "Recomputes the audit log's hash chain and checks it against the key file's checkpoint (managers only).",
  details: `Exits 0 and prints the number of entries when the log is intact; exits 6 and names the first broken entry when not.
--anchor (repeatable) takes an audit head printed on an export ("Audit log head at export: SEQ:HASH") and proves it is
still in the chain; any anchor that is not also exits 6.`,
  options: ['anchor'],
  args: { min: 0, max: 0 },
  run: (ctx) => {
    const anchors = (ctx.options.anchor ?? []).map(parseAnchor);
    return withSession(ctx, async (host, unlocked) => {
      const result = unwrap(await dispatch(host, 'audit.verify', { anchors }));
      ctx.out.data(result);
      for (const anchor of result.anchors)
        ctx.out.line(
          anchor.inChain
            ? `Anchor ${anchor.seq}:${anchor.hash} is in the chain.`
            : `Anchor ${anchor.seq}:${anchor.hash} is NOT in the chain: the log was rewritten or cut back since that export.`,
        );
      const anchorsHold = result.anchors.every((a) => a.inChain);
      if (result.intact) {
        ctx.out.line(`The audit log is intact: ${result.entries} entries, chained and matching the checkpoint in the key file.`);
        // The chain may verify while the unlock still saw a checkpoint it could not trust.
        return unlocked.tamperWarning || !anchorsHold ? EXIT.tampered : EXIT.ok;
      }
      ctx.out.line(`The audit log is broken at entry ${result.brokenAt}: ${result.reason}.`);
      if (result.entries > 0) ctx.out.line(`The hash chain of entries 1 to ${result.entries} is consistent.`);
      return EXIT.tampered;
    });
  },
};

export const auditExport: Command = {
  name: 'audit export',
  usage: '--out FILE --recipient NAME [--recipient NAME ...] --justification TEXT [--filter JSON] --user NAME',
  summary: 'Writes the audit log as CSV for the named recipients; the export is logged as a disclosure (managers only).',
  details: `The file is created with mode 0600 and never overwrites an existing one. --filter takes the filter of
the audit.query operation, e.g. '{"username":"pc.jones","from":"2026-11-01T00:00:00Z","kind":"consultation"}'
(fields: userId, username, organisation, entityType, entityId, kind, outcome, from, to); without it, every entry.`,
  options: ['out', 'recipient', 'justification', 'filter'],
  args: { min: 0, max: 0 },
  run: async (ctx) => {
    const out = resolve(required(ctx.options, 'out', ctx.command));
    const recipients = ctx.options.recipient ?? [];
    if (recipients.length === 0) throw usageError('`audit export` needs at least one --recipient.');
    // Checked before unlocking, so a bad path never produces a logged disclosure that wrote nothing.
    if (existsSync(out)) throw new ConcordatError('CONFLICT', `${out} already exists: choose a new file name.`, { field: 'out' });
    if (!existsSync(dirname(out))) throw new ConcordatError('NOT_FOUND', `The folder ${dirname(out)} does not exist.`, { field: 'out' });
    const filter = ctx.options.filter === undefined ? {} : parseJsonOption(ctx.options.filter, 'filter');
    const justification = ctx.options.justification;
    await withSession(ctx, async (host) => {
      const { csv, rows, sha256 } = unwrap(
        await dispatch(host, 'audit.exportCsv', { filter, recipients }, justification === undefined ? {} : { justification }),
      );
      writeFileSync(out, csv, { mode: 0o600, flag: 'wx' });
      ctx.out.data({ file: out, rows, sha256 });
      ctx.out.line(`Wrote ${rows} entries to ${out} (SHA-256 ${sha256}).`);
    });
  },
};
