// Worker-thread entry: renders the agreement it was started with and posts the PDF's bytes back.
import { parentPort, workerData } from 'node:worker_threads';
import type { AgreementDetail } from '../contract/ops/agreements.js';
import { renderAgreementPdf } from './agreement-pdf.js';

const pdf = await renderAgreementPdf(workerData as AgreementDetail);
const bytes = new Uint8Array(pdf);
parentPort!.postMessage(bytes, [bytes.buffer]);
