// Redacted minutes for one audience, written to a PDF file. The export goes through the dispatcher (a
// disclosure, logged with the recipients, the justification and the file's SHA-256).
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AUDIENCES, type Audience } from '../../contract/audiences.js';
import { ConcordatError } from '../../contract/errors.js';
import { dispatch } from '../../dispatch/dispatcher.js';
import { required } from '../args.js';
import type { Command } from '../command.js';
import { withSession } from '../context.js';
import { unwrap, usageError } from '../output.js';

export const minutesExport: Command = {
  name: 'minutes export',
  usage: '--meeting ID --audience closed|open|board --recipient NAME [--recipient NAME ...] --justification TEXT --out FILE --user NAME',
  summary: "Writes a meeting's minutes as a PDF for one audience, redacted for it; logged as a disclosure.",
  details: `closed: everything (statutory partners and the manager only); open: subjects as "Subject A (reference)",
identifiers, contact details and closed-only content removed, free text redacted; board: figures only.
The automatic redactions are used as found (review them in the app to undo or add). The file is created
with mode 0600 and never overwrites an existing one. --exported-at fixes the export time (ISO), so the
same export gives the same bytes.`,
  options: ['meeting', 'audience', 'recipient', 'justification', 'out', 'exported-at'],
  args: { min: 0, max: 0 },
  run: async (ctx) => {
    const out = resolve(required(ctx.options, 'out', ctx.command));
    const meetingId = Number(required(ctx.options, 'meeting', ctx.command));
    if (!Number.isInteger(meetingId) || meetingId <= 0) throw usageError('--meeting must be a meeting id (a whole number).');
    const audience = required(ctx.options, 'audience', ctx.command);
    if (!(AUDIENCES as readonly string[]).includes(audience)) throw usageError(`--audience must be one of ${AUDIENCES.join(', ')}.`);
    const recipients = ctx.options.recipient ?? [];
    if (recipients.length === 0) throw usageError('`minutes export` needs at least one --recipient.');
    if (existsSync(out)) throw new ConcordatError('CONFLICT', `${out} already exists: choose a new file name.`, { field: 'out' });
    if (!existsSync(dirname(out))) throw new ConcordatError('NOT_FOUND', `The folder ${dirname(out)} does not exist.`, { field: 'out' });
    const justification = ctx.options.justification;
    const exportedAt = ctx.options['exported-at'];
    await withSession(ctx, async (host) => {
      const result = unwrap(
        await dispatch(
          host,
          'minutes.export',
          { meetingId, audience: audience as Audience, recipients, ...(exportedAt ? { exportedAt } : {}) },
          justification === undefined ? {} : { justification },
        ),
      );
      writeFileSync(out, Buffer.from(result.pdfBase64, 'base64'), { mode: 0o600, flag: 'wx' });
      ctx.out.data({ file: out, audience: result.audience, bytes: result.bytes, sha256: result.sha256, redactions: result.redactions });
      ctx.out.line(
        `Wrote the ${audience} minutes to ${out} (${result.bytes} bytes, ${result.redactions} redactions, SHA-256 ${result.sha256}).`,
      );
    });
  },
};
