// Subject access: everything held about a person, gathered from the store, with other people's
// identifiers redacted, written as a PDF (in the export worker) and as JSON, and logged as a disclosure
// to the people named, with the request's justification and the SHA-256 of both files (so
// `verify-document` finds either). The entry holds ids and counts, never the content.
import { createHash } from 'node:crypto';
import { auditHead } from '../audit/log.js';
import { ConcordatError } from '../contract/errors.js';
import { localToday } from '../domain/risk.js';
import { knownIndividual } from '../export/minutes-model.js';
import { buildSubjectAccessPack } from '../export/subject-access-model.js';
import type { Person } from '../contract/ops/people.js';
import { Redactor } from '../domain/redaction.js';
import { loadPeople } from '../store/people.js';
import { gatherSubjectAccess, type MentionTest } from '../store/subject-access.js';
import { exportsOf } from './exports.js';
import type { Handler } from './types.js';
import { viewerOf, type Viewer } from './visibility.js';

/**
 * Whether a text names the person: their names, aliases, date of birth, street, postcode, contacts and
 * references as the minutes redactor finds them. Not their town, which every note about the area holds.
 */
function mentionTest(person: Person): MentionTest {
  const redactor = new Redactor([knownIndividual(person, 'data subject')]);
  return (text) => redactor.findKnown(text).length > 0;
}

const sha256Of = (data: string) => createHash('sha256').update(data).digest('hex');

export const subjectAccess: Handler<'people.subjectAccess'> = async (call, input) => {
  const manager = viewerOf(call);
  const { personId, recipients, justification, includeClosedOnly } = input;
  call.note({ entityId: personId, recipients, justification, details: { includeClosedOnly } });
  // Closed-meeting material is gathered only when the manager decides it goes in: gathered as a member who may not see it otherwise.
  const viewer: Viewer = includeClosedOnly ? manager : { ...manager, role: 'non_statutory' };
  const person = (await loadPeople(call.sql, [personId])).get(personId);
  if (!person) throw new ConcordatError('NOT_FOUND', `There is no person ${personId}.`, { field: 'personId' });
  const data = await gatherSubjectAccess(call.sql, viewer, includeClosedOnly, personId, localToday(), mentionTest(person));
  if (!data) throw new ConcordatError('NOT_FOUND', `There is no person ${personId}.`, { field: 'personId' });
  const head = await auditHead(call.sql);
  const exportedAt = input.exportedAt ?? new Date().toISOString();
  const pack = buildSubjectAccessPack({
    data,
    recipients,
    justification,
    organisation: call.session.user.organisation,
    exportedAt,
    auditHead: head ? `${head.seq}:${head.hash}` : 'empty log',
    closedOnlyIncluded: includeClosedOnly,
  });
  // The same worker as the minutes exports: the host keeps it, and a lock stops it.
  const { pdf, sha256 } = await exportsOf(call.host)
    .pool.writeDocument(pack.document)
    .catch((err: unknown) => {
      if (err instanceof Error && err.name === 'AbortError')
        throw new ConcordatError('LOCKED', 'The store was locked before the subject access pack was written: nothing was disclosed.');
      throw err;
    });
  // The PDF's hash comes from the worker that wrote it; the JSON is small.
  const jsonSha256 = sha256Of(pack.json);
  const jsonBytes = Buffer.byteLength(pack.json);
  call.note({
    entityId: personId,
    recipients,
    justification,
    details: {
      sha256,
      bytes: pdf.length,
      jsonSha256,
      jsonBytes,
      exportedAt,
      auditHead: head?.seq ?? null,
      includeClosedOnly,
      redactions: pack.redactions,
      thirdParties: pack.thirdParties,
      caseIds: data.cases.map((c) => c.id),
      meetingIds: [...new Set(data.discussedAt.map((d) => d.meetingId))],
    },
  });
  return {
    pdfBase64: pdf.toString('base64'),
    sha256,
    bytes: pdf.length,
    json: pack.json,
    jsonSha256,
    jsonBytes,
    redactions: pack.redactions,
    thirdParties: pack.thirdParties,
    auditHead: head,
  };
};
