// Runs the PDF writer off the main thread: layout of a few hundred pages takes long enough to freeze a
// window, and so does redacting hundreds of texts. The parent posts a job (the minutes export input, from
// which the worker builds the audience's document, or a document built already, such as a subject access
// pack); the worker lays it out and answers with progress messages, then the bytes.
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { writeMinutesPdf, type ExportProgress } from './minutes-pdf.js';
import { buildMinutesDocument, type MinutesDocument, type MinutesExportInput } from './minutes-model.js';

/** What the worker lays out: the minutes for an audience, or a document another export has built. */
export type PdfJob = { kind: 'minutes'; input: MinutesExportInput } | { kind: 'document'; document: MinutesDocument };

type WorkerMessage =
  { kind: 'progress'; progress: ExportProgress } | { kind: 'done'; bytes: Uint8Array } | { kind: 'error'; message: string };

/** The compiled worker script. Under vitest this module is TypeScript; the worker always runs the build in dist/. */
function workerScript(): URL {
  const here = import.meta.url;
  if (here.endsWith('.js')) return new URL('./minutes-worker.js', here);
  return new URL('../../dist/src/export/minutes-worker.js', here);
}

/** Builds the audience's document and writes its PDF in a worker thread, passing on its progress. */
export function exportMinutesInWorker(input: MinutesExportInput, onProgress: (p: ExportProgress) => void = () => {}): Promise<Buffer> {
  return writePdfInWorker({ kind: 'minutes', input }, onProgress);
}

/** Writes a PDF for the job in a worker thread, passing on its progress. */
export function writePdfInWorker(job: PdfJob, onProgress: (p: ExportProgress) => void = () => {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(fileURLToPath(workerScript()), { workerData: null });
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'progress') onProgress(message.progress);
      else if (message.kind === 'done') {
        resolve(Buffer.from(message.bytes));
        void worker.terminate();
      } else {
        reject(new Error(`PDF export failed: ${message.message}`));
        void worker.terminate();
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`PDF export worker exited with ${code}`));
    });
    worker.postMessage(job);
  });
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.once('message', (job: PdfJob) => {
    Promise.resolve()
      .then(() =>
        writeMinutesPdf(job.kind === 'minutes' ? buildMinutesDocument(job.input) : job.document, (progress) =>
          port.postMessage({ kind: 'progress', progress } satisfies WorkerMessage),
        ),
      )
      .then((bytes) => {
        const copy = new Uint8Array(bytes);
        port.postMessage({ kind: 'done', bytes: copy } satisfies WorkerMessage, [copy.buffer]);
      })
      .catch((err: unknown) =>
        port.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) } satisfies WorkerMessage),
      );
  });
}
