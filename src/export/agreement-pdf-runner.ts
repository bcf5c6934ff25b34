// Writes an agreement's PDF in a worker thread, so laying out pages and compressing fonts and images
// never holds up the main process (the windows, the dispatcher's other callers). Where no worker can run
// (from TypeScript sources in the tests; a packaged build whose worker cannot load from the archive) the
// same code runs on this thread: the document is the same either way.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AgreementDetail } from '../contract/ops/agreements.js';

const WORKER = new URL('./agreement-pdf-worker.js', import.meta.url);

async function onThisThread(agreement: AgreementDetail & { auditHead?: string }): Promise<Buffer> {
  const { renderAgreementPdf: render } = await import('./agreement-pdf.js');
  return render(agreement);
}

function inWorker(agreement: AgreementDetail & { auditHead?: string }): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: agreement });
    let result: Buffer | null = null;
    worker.once('message', (message: Uint8Array) => {
      result = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      result ? resolve(result) : reject(new Error(`the PDF worker stopped (exit code ${code}) without a document`)),
    );
  });
}

export async function renderAgreementPdf(agreement: AgreementDetail & { auditHead?: string }): Promise<Buffer> {
  if (!existsSync(fileURLToPath(WORKER))) return onThisThread(agreement);
  try {
    return await inWorker(agreement);
  } catch {
    return onThisThread(agreement);
  }
}
