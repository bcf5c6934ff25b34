// Exporting minutes for an audience: gathers the meeting and the people in its cases, builds the document
// for the audience with the reviewed redactions, writes the PDF in a worker thread and logs the
// disclosure with the file's SHA-256 and the review (offsets and keys, never the redacted text).
import { auditHead } from '../audit/log.js';
import { ConcordatError } from '../contract/errors.js';
import type { Audience } from '../contract/audiences.js';
import { mayReceiveClosedOnly } from '../domain/access.js';
import type { MinutesExportJobView } from '../contract/ops/exports.js';
import { twelveMonthsTo } from '../domain/enforcement.js';
import type { Host } from '../host/host.js';
import type { ExportProgress } from '../export/minutes-pdf.js';
import { freeTexts, redactionsForReview, type BoardIndicators, type MeetingCase } from '../export/minutes-model.js';
import { MinutesWorkerPool } from '../export/minutes-worker-pool.js';
import { loadSubjectsOfCases } from '../store/cases.js';
import type { Sql } from '../vault/database.js';
import { outcomeIndicators } from './enforcement.js';
import { loadMeetingDetail } from './meetings.js';
import type { Handler, PublicHandler } from './types.js';
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

// ── the export worker and the progress of its export, per host ─────────────────────────────────────────

const IDLE: MinutesExportJobView = {
  state: 'idle',
  meetingId: null,
  audience: null,
  phase: null,
  progress: 0,
  pages: null,
  startedAt: null,
  finishedAt: null,
};

interface HostExports {
  pool: MinutesWorkerPool;
  job: MinutesExportJobView;
  /** Aborted when a lock begins, so the lock does not wait for the export it queues behind. */
  abort: AbortController | null;
}

const perHost = new WeakMap<Host, HostExports>();

/** The host's export worker, started with the first export and let go when the store locks or the host closes. */
export function exportsOf(host: Host): HostExports {
  let state = perHost.get(host);
  if (!state) {
    const created: HostExports = { pool: new MinutesWorkerPool(), job: { ...IDLE }, abort: null };
    const stop = () => {
      created.abort?.abort();
      void created.pool.close();
    };
    host.on('locking', stop);
    host.on('closing', stop);
    host.on('locked', () => {
      stop();
      // The next session starts with no export to show.
      created.job = { ...IDLE };
    });
    perHost.set(host, created);
    state = created;
  }
  return state;
}

/** Layout is most of an export: the model (with its redaction) is counted as the first 15 %, page numbering the last 10 %. */
function progressFraction(p: ExportProgress): number {
  const part = p.total > 0 ? Math.min(1, Math.max(0, p.done / p.total)) : 0;
  if (p.phase === 'model') return 0.15 * part;
  if (p.phase === 'layout') return 0.15 + 0.75 * part;
  if (p.phase === 'pages') return 0.9 + 0.1 * part;
  return 1;
}

export const exportStatus: PublicHandler<'minutes.exportStatus'> = async (host) => {
  if (!host.vault?.isUnlocked || !host.session) throw new ConcordatError('LOCKED', 'The store is locked: unlock it first.');
  return { ...(perHost.get(host)?.job ?? IDLE) };
};

export const exportMinutes: Handler<'minutes.export'> = async (call, input) => {
  const viewer = viewerOf(call);
  requireAudienceAllowed(viewer, input.audience);
  call.note({ entityId: input.meetingId, recipients: input.recipients, details: { audience: input.audience } });
  const exports = exportsOf(call.host);
  const job: MinutesExportJobView = {
    ...IDLE,
    state: 'running',
    meetingId: input.meetingId,
    audience: input.audience,
    phase: 'model',
    startedAt: new Date().toISOString(),
  };
  exports.job = job;
  const abort = new AbortController();
  exports.abort = abort;
  const onProgress = (p: ExportProgress) => {
    job.phase = p.phase;
    job.progress = progressFraction(p);
    if (p.phase === 'pages' || p.phase === 'done') job.pages = p.total;
  };
  try {
    const { meeting, cases } = await meetingAndCases(call.sql, viewer, input.meetingId);
    const head = await auditHead(call.sql);
    const exportedAt = input.exportedAt ?? new Date().toISOString();
    const indicators = input.audience === 'board' ? await boardIndicators(call.sql, meeting) : null;
    const { pdf, redactions, sha256 } = await exports.pool
      .export(
        {
          meeting,
          cases,
          audience: input.audience,
          review: input.review,
          recipients: input.recipients,
          organisation: call.session.user.organisation,
          exportedAt,
          auditHead: head ? `${head.seq}:${head.hash}` : 'empty log',
          indicators,
        },
        onProgress,
        abort.signal,
      )
      .catch((err: unknown) => {
        if (err instanceof Error && err.name === 'AbortError') {
          throw new ConcordatError('LOCKED', 'The store was locked before the minutes export finished: nothing was exported.');
        }
        throw err;
      });
    job.state = 'done';
    job.progress = 1;
    job.phase = 'done';
    return await disclosed(call, input, { pdf, sha256, redactions, exportedAt, head, caseIds: cases.map((c) => c.caseId) });
  } catch (err) {
    job.state = 'failed';
    throw err;
  } finally {
    job.finishedAt = new Date().toISOString();
    if (exports.abort === abort) exports.abort = null;
  }
};

async function disclosed(
  call: Parameters<Handler<'minutes.export'>>[0],
  input: Parameters<Handler<'minutes.export'>>[1],
  exported: {
    pdf: Buffer;
    /** Hashed by the worker, so the main thread does not read the file again. */
    sha256: string;
    redactions: number;
    exportedAt: string;
    head: Awaited<ReturnType<typeof auditHead>>;
    caseIds: number[];
  },
) {
  const { pdf, sha256, redactions, exportedAt, head, caseIds } = exported;
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
      caseIds,
      review: { undone: input.review.undone, added: input.review.added },
    },
  });
  return { pdfBase64: pdf.toString('base64'), sha256, bytes: pdf.length, audience: input.audience, redactions, auditHead: head };
}
