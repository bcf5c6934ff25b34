// Checking a document someone hands back: was this exact file exported by this store, when, by whom,
// for whom? The file's SHA-256 is looked up among the hashes the export entries recorded.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConcordatError } from '../../contract/errors.js';
import { dispatch } from '../../dispatch/dispatcher.js';
import type { Command } from '../command.js';
import { withSession } from '../context.js';
import { EXIT, unwrap } from '../output.js';

export const verifyDocument: Command = {
  name: 'verify-document',
  usage: 'FILE --user NAME',
  summary: "Recomputes a file's SHA-256 and names the audit entry that recorded exporting it, or says none did (managers only).",
  details: `Works for any file Concordat exported with its hash in the audit log: signed agreements (PDF), audit
CSV exports, and later minutes. Exits 0 when an entry matches; exits 6 when none does (the file was not
exported from this store, or it has been changed since: a single changed byte changes the hash).`,
  options: [],
  args: { min: 1, max: 1 },
  run: async (ctx) => {
    const file = resolve(ctx.args[0]!);
    // Checked before unlocking, so a mistyped path costs no passphrase prompt.
    if (!existsSync(file) || !statSync(file).isFile())
      throw new ConcordatError('NOT_FOUND', `There is no file ${file}.`, { field: 'file' });
    const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    return withSession(ctx, async (host) => {
      const { matches } = unwrap(await dispatch(host, 'documents.verify', { sha256 }));
      ctx.out.data({ file, sha256, matches });
      if (matches.length === 0) {
        ctx.out.line(
          `No audit entry records a file with SHA-256 ${sha256}: ${file} was not exported from this store, or it has been changed since.`,
        );
        return EXIT.tampered;
      }
      for (const m of matches) {
        const what = [m.entityType, m.entityId].filter(Boolean).join(' ');
        const to = m.recipients.length ? `, for ${m.recipients.join(', ')}` : '';
        ctx.out.line(
          `${file} matches audit entry ${m.seq}: ${m.operation}${what ? ` of ${what}` : ''} by ${m.username ?? 'the system'} at ${m.at}${to} (SHA-256 ${sha256}).`,
        );
      }
      return EXIT.ok;
    });
  },
};
