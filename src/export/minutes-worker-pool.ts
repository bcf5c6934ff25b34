// A pool of one worker thread for minutes exports. Starting a worker costs about a second (loading pdfkit,
// fontkit and the fonts), more than laying out a hundred pages, so the worker is started on the first
// export and kept for the next. Exports run one at a time. Cancelling (an abort signal, or `close` at lock)
// terminates the worker, the only way to stop a layout mid-way; a worker that crashes is replaced by the
// next export. An idle worker does not keep the process alive.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ExportProgress } from './minutes-pdf.js';
import type { MinutesDocument, MinutesExportInput } from './minutes-model.js';
import type { ExportRequest, ExportTimings, PdfJob, WorkerMessage } from './minutes-worker.js';

export interface MinutesExportResult {
  pdf: Buffer;
  /** The redactions the document carries (the reviewed set). */
  redactions: number;
  /** The file's SHA-256 (hex), computed in the worker. */
  sha256: string;
  /** The worker's own time for the model, the PDF and the hash (the bench reports them). */
  timings: ExportTimings;
}

/** Why an export stopped before its file was written. */
export class ExportCancelled extends Error {
  override readonly name = 'AbortError';
  constructor(message = 'The minutes export was cancelled.') {
    super(message);
  }
}

/** The compiled worker script. Under vitest this module is TypeScript; the worker always runs the build in dist/. */
function workerScript(): string {
  const here = import.meta.url;
  const url = here.endsWith('.js') ? new URL('./minutes-worker.js', here) : new URL('../../dist/src/export/minutes-worker.js', here);
  const path = fileURLToPath(url);
  if (!existsSync(path)) throw new Error(`the minutes worker is not built (${path}): run npm run build`);
  return path;
}

interface Pending {
  id: number;
  onProgress: (p: ExportProgress) => void;
  resolve: (result: MinutesExportResult) => void;
  reject: (err: Error) => void;
}

export class MinutesWorkerPool {
  private worker: Worker | null = null;
  private pending: Pending | null = null;
  private nextId = 1;
  /** Exports wait their turn here: one worker, one export at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** How many workers this pool has started (a test sees the worker reused, and replaced after a crash). */
  started = 0;

  /** Builds the audience's document and writes its PDF in the worker, passing on its progress. */
  export(
    input: MinutesExportInput,
    onProgress: (p: ExportProgress) => void = () => {},
    signal?: AbortSignal,
  ): Promise<MinutesExportResult> {
    return this.enqueue({ kind: 'minutes', input }, onProgress, signal);
  }

  /** Writes the PDF of a document built already (a subject access pack) in the same worker. */
  writeDocument(
    document: MinutesDocument,
    onProgress: (p: ExportProgress) => void = () => {},
    signal?: AbortSignal,
  ): Promise<MinutesExportResult> {
    return this.enqueue({ kind: 'document', document }, onProgress, signal);
  }

  private enqueue(job: PdfJob, onProgress: (p: ExportProgress) => void, signal?: AbortSignal): Promise<MinutesExportResult> {
    const turn = this.queue.then(() => this.run(job, onProgress, signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Terminates the worker; an export in flight is rejected with ExportCancelled. The pool can be used again. */
  async close(reason = 'The store was locked before the minutes export finished.'): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.failPending(new ExportCancelled(reason));
    if (worker) await worker.terminate();
  }

  /** Closes for good: later exports are refused. */
  async dispose(): Promise<void> {
    this.closed = true;
    await this.close('The minutes export stopped: Concordat is closing.');
  }

  private run(job: PdfJob, onProgress: (p: ExportProgress) => void, signal?: AbortSignal): Promise<MinutesExportResult> {
    if (this.closed) return Promise.reject(new ExportCancelled('The minutes export stopped: Concordat is closing.'));
    if (signal?.aborted) return Promise.reject(new ExportCancelled());
    return new Promise<MinutesExportResult>((resolve, reject) => {
      const worker = this.ensureWorker();
      const id = this.nextId++;
      const onAbort = () => void this.close('The minutes export was cancelled.');
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        signal?.removeEventListener('abort', onAbort);
        this.pending = null;
        // Idle: the process may exit (the command line) without waiting for this worker.
        this.worker?.unref();
      };
      this.pending = {
        id,
        onProgress,
        resolve: (result) => {
          settle();
          resolve(result);
        },
        reject: (err) => {
          settle();
          reject(err);
        },
      };
      worker.ref();
      worker.postMessage({ id, job } satisfies ExportRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerScript());
    this.started += 1;
    worker.on('message', (message: WorkerMessage) => {
      const pending = this.pending;
      if (!pending || message.id !== pending.id) return;
      if (message.kind === 'progress') pending.onProgress(message.progress);
      else if (message.kind === 'done')
        pending.resolve({
          pdf: Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength),
          redactions: message.redactions,
          sha256: message.sha256,
          timings: message.timings,
        });
      else pending.reject(new Error(`minutes export failed: ${message.message}`));
    });
    // A crash (an uncaught error, running out of memory, an exit) fails the export in flight; the next
    // export starts a new worker.
    const lost = (err: Error) => {
      // A worker already let go (closed) has had its export failed; a newer worker's export is not its.
      if (this.worker !== worker) return;
      this.worker = null;
      this.failPending(err);
    };
    worker.on('error', (err) => lost(err));
    worker.on('exit', (code) => lost(new Error(`the minutes export worker stopped (exit code ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private failPending(err: Error): void {
    const pending = this.pending;
    if (pending) pending.reject(err);
  }
}

/** One export in a pool of its own, closed after: for the tests and the bench's cold-start figure. */
export async function exportMinutesOnce(input: MinutesExportInput, onProgress?: (p: ExportProgress) => void): Promise<MinutesExportResult> {
  const pool = new MinutesWorkerPool();
  try {
    return await pool.export(input, onProgress);
  } finally {
    await pool.dispose();
  }
}
