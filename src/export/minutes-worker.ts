// The worker thread's side of a PDF export: for minutes it builds the audience's document (the redaction
// happens here, off the main thread); a document built already (a subject access pack) is laid out as it
// is. It answers with progress messages, then the bytes. It stays alive between exports (see
// minutes-worker-pool.ts), so pdfkit and the fonts load once per session.
import { createHash } from 'node:crypto';
import { isMainThread, parentPort } from 'node:worker_threads';
import { writeMinutesPdf, type ExportProgress } from './minutes-pdf.js';
import { buildMinutesExport, type MinutesDocument, type MinutesExportInput } from './minutes-model.js';

/** What the worker lays out: the minutes for an audience, or a document another export has built. */
export type PdfJob = { kind: 'minutes'; input: MinutesExportInput } | { kind: 'document'; document: MinutesDocument };

/** Where the worker's time went, in ms of its own clock (wall time on the worker thread). */
export interface ExportTimings {
  model: number;
  pdf: number;
  hash: number;
}

export interface ExportRequest {
  id: number;
  job: PdfJob;
}

export type WorkerMessage =
  | { id: number; kind: 'progress'; progress: ExportProgress }
  | { id: number; kind: 'done'; bytes: Uint8Array; redactions: number; sha256: string; timings: ExportTimings }
  | { id: number; kind: 'error'; message: string };

function documentOf(job: PdfJob): { document: MinutesDocument; redactions: number } {
  return job.kind === 'minutes' ? buildMinutesExport(job.input) : { document: job.document, redactions: 0 };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', ({ id, job }: ExportRequest) => {
    const send = (message: WorkerMessage, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);
    Promise.resolve()
      .then(async () => {
        const started = performance.now();
        send({ id, kind: 'progress', progress: { phase: 'model', done: 0, total: 1 } });
        const { document, redactions } = documentOf(job);
        send({ id, kind: 'progress', progress: { phase: 'model', done: 1, total: 1 } });
        const modelled = performance.now();
        const pdf = await writeMinutesPdf(document, (progress) => send({ id, kind: 'progress', progress }));
        const written = performance.now();
        // Hashed here, not on the main thread: the disclosure record needs it, and the window should not wait for it.
        const sha256 = createHash('sha256').update(pdf).digest('hex');
        const timings = { model: modelled - started, pdf: written - modelled, hash: performance.now() - written };
        // The bytes are moved, not copied, to the main thread: a view of their own buffer, transferred.
        const bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
        const transfer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
        send({ id, kind: 'done', bytes: transfer, redactions, sha256, timings }, [transfer.buffer as ArrayBuffer]);
      })
      .catch((err: unknown) => send({ id, kind: 'error', message: err instanceof Error ? err.message : String(err) }));
  });
}
