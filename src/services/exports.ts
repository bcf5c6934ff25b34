// Exporting minutes for an audience: gathers the meeting and the people in its cases, builds the document
// for the audience with the reviewed redactions, writes the PDF in a worker thread and logs the
// disclosure with the file's SHA-256 and the review (offsets and keys, never the redacted text).
import { createHash } from 'node:crypto';
import { auditHead } from '../audit/log.js';
import { ConcordatError } from '../contract/errors.js';
import type { Audience } from '../contract/audiences.js';
import { mayReceiveClosedOnly } from '../domain/access.js';
import { twelveMonthsTo } from '../domain/enforcement.js';
import { freeTexts, redactionsForReview, type BoardIndicators, type MeetingCase } from '../export/minutes-model.js';
import { exportMinutesInWorker } from '../export/minutes-worker.js';
import { loadSubjectsOfCases } from '../store/cases.js';
import type { Sql } from '../vault/database.js';
import { outcomeIndicators } from './enforcement.js';
import { loadMeetingDetail } from './meetings.js';
import type { Handler } from './types.js';
import { viewerOf, type Viewer } from './visibility.js';

function requireAudienceAllowed(viewer: Viewer, audience: Audience): void {
  if (audience === 'closed' && !mayReceiveClosedOnly(viewer.role)) {
    throw new ConcordatError('FORBIDDEN', 'The closed version of the minutes is for statutory partners and the manager only.', {
      field: 'audience',
    });
  }
}

async function meetingAndCases(db: Sql, viewer: Viewer, meetingId: number) {
  const meeting = await loadMeetingDetail(db, viewer, meetingId);
  const caseRefs = meeting.agenda.flatMap((item) => (item.case && !item.removed ? [item.case] : []));
  const subjects = await loadSubjectsOfCases(
    db,
    caseRefs.map((c) => c.id),
  );
  const cases: MeetingCase[] = caseRefs.map((c) => ({ caseId: c.id, reference: c.reference, subjects: subjects.get(c.id) ?? [] }));
  return { meeting, cases };
}

/** The board reads the partnership's indicators for the meeting's area over the twelve months to its date, by quarter. */
async function boardIndicators(db: Sql, meeting: { date: string; area: string }): Promise<BoardIndicators> {
  const query = { from: twelveMonthsTo(meeting.date), to: meeting.date, area: meeting.area, granularity: 'quarter' as const };
  return { ...query, ...(await outcomeIndicators(db, query)) };
}

export const listRedactions: Handler<'minutes.redactions'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.meetingId, details: { audience: input.audience } });
  const { meeting, cases } = await meetingAndCases(call.sql, viewer, input.meetingId);
  const redactions = redactionsForReview(meeting, cases, input.audience, input.review);
  call.note({
    entityId: input.meetingId,
    details: { audience: input.audience, redactions: redactions.length, caseIds: cases.map((c) => c.caseId) },
  });
  // Only the open audience's text is redacted: closed keeps everything and board carries no free text.
  const texts =
    input.audience === 'open' ? freeTexts(meeting, input.audience).map((t) => ({ textId: t.id, where: t.where, text: t.text })) : [];
  return { redactions, texts };
};

export const exportMinutes: Handler<'minutes.export'> = async (call, input) => {
  const viewer = viewerOf(call);
  requireAudienceAllowed(viewer, input.audience);
  call.note({ entityId: input.meetingId, recipients: input.recipients, details: { audience: input.audience } });
  const { meeting, cases } = await meetingAndCases(call.sql, viewer, input.meetingId);
  const head = await auditHead(call.sql);
  const exportedAt = input.exportedAt ?? new Date().toISOString();
  const indicators = input.audience === 'board' ? await boardIndicators(call.sql, meeting) : null;
  const pdf = await exportMinutesInWorker({
    meeting,
    cases,
    audience: input.audience,
    review: input.review,
    recipients: input.recipients,
    organisation: call.session.user.organisation,
    exportedAt,
    auditHead: head ? `${head.seq}:${head.hash}` : 'empty log',
    indicators,
  });
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const redactions = redactionsForReview(meeting, cases, input.audience, input.review).filter((r) => !r.undone).length;
  call.note({
    entityId: input.meetingId,
    recipients: input.recipients,
    details: {
      audience: input.audience,
      sha256,
      bytes: pdf.length,
      exportedAt,
      auditHead: head?.seq ?? null,
      redactions,
      caseIds: cases.map((c) => c.caseId),
      review: { undone: input.review.undone, added: input.review.added },
    },
  });
  return { pdfBase64: pdf.toString('base64'), sha256, bytes: pdf.length, audience: input.audience, redactions, auditHead: head };
};
