// A subject access pack for one person, written as a PDF and a JSON file. The export goes through the
// dispatcher (a disclosure to the recipients, with the request's justification and both files' SHA-256).
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConcordatError } from '../../contract/errors.js';
import { dispatch } from '../../dispatch/dispatcher.js';
import { required } from '../args.js';
import type { Command } from '../command.js';
import { withSession } from '../context.js';
import { unwrap, usageError } from '../output.js';

function freshFile(path: string, option: string): string {
  const file = resolve(path);
  if (existsSync(file)) throw new ConcordatError('CONFLICT', `${file} already exists: choose a new file name.`, { field: option });
  if (!existsSync(dirname(file))) throw new ConcordatError('NOT_FOUND', `The folder ${dirname(file)} does not exist.`, { field: option });
  return file;
}

export const subjectAccessExport: Command = {
  name: 'subject-access',
  usage:
    '--person ID --justification TEXT --out-pdf FILE --out-json FILE [--recipient NAME ...] [--include-closed-only] [--exported-at ISO] --user NAME',
  summary: 'Writes everything held about a person as a PDF and a JSON file, other people redacted; logged as a disclosure.',
  details: `Managers only. The pack holds the person's record, their cases with notes and steps, the minutes of
the agenda items where those cases were discussed, actions, enforcement, escalations, and the audit log's
consultations and disclosures of them. Everyone else those records name is shown as "[third party N]",
their identifiers redacted. Material marked for closed meetings only is left out unless
--include-closed-only is given. --justification names the request (it is the disclosure's justification);
--recipient defaults to "The data subject". Both files are created with mode 0600 and never overwrite.`,
  options: ['person', 'justification', 'out-pdf', 'out-json', 'recipient', 'include-closed-only', 'exported-at'],
  args: { min: 0, max: 0 },
  run: async (ctx) => {
    const personId = Number(required(ctx.options, 'person', ctx.command));
    if (!Number.isInteger(personId) || personId <= 0) throw usageError('--person must be a person id (a whole number).');
    const justification = ctx.options.justification;
    if (!justification?.trim()) throw usageError('`subject-access` needs --justification (the request it answers).');
    const pdfFile = freshFile(required(ctx.options, 'out-pdf', ctx.command), 'out-pdf');
    const jsonFile = freshFile(required(ctx.options, 'out-json', ctx.command), 'out-json');
    if (pdfFile === jsonFile) throw usageError('--out-pdf and --out-json must be different files.');
    const recipients = ctx.options.recipient?.length ? ctx.options.recipient : ['The data subject'];
    const exportedAt = ctx.options['exported-at'];
    await withSession(ctx, async (host) => {
      const result = unwrap(
        await dispatch(host, 'people.subjectAccess', {
          personId,
          recipients,
          justification,
          includeClosedOnly: ctx.options['include-closed-only'] === true,
          ...(exportedAt ? { exportedAt } : {}),
        }),
      );
      writeFileSync(pdfFile, Buffer.from(result.pdfBase64, 'base64'), { mode: 0o600, flag: 'wx' });
      writeFileSync(jsonFile, result.json, { mode: 0o600, flag: 'wx' });
      ctx.out.data({
        pdf: { file: pdfFile, bytes: result.bytes, sha256: result.sha256 },
        json: { file: jsonFile, bytes: result.jsonBytes, sha256: result.jsonSha256 },
        redactions: result.redactions,
        thirdParties: result.thirdParties,
      });
      ctx.out.line(`Wrote the subject access pack for person ${personId}:`);
      ctx.out.line(`  ${pdfFile} (${result.bytes} bytes, SHA-256 ${result.sha256})`);
      ctx.out.line(`  ${jsonFile} (${result.jsonBytes} bytes, SHA-256 ${result.jsonSha256})`);
      ctx.out.line(`${result.redactions} redactions of ${result.thirdParties} other people's identifiers.`);
    });
  },
};
