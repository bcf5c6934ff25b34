// bench/export: minutes export of a 50-case meeting (about 100 pages) and of a 500-page meeting: time,
// peak memory, pages per second, beside bare pdfkit writing the same text with no layout or redaction;
// and the longest the main thread is blocked while an export runs (the PDF is written in a worker; the
// document model and its redaction are built on the calling thread).
//
//   node dist/bench/export.js [--quick]
import PDFDocument from 'pdfkit';
import { buildMinutesDocument, type MinutesExportInput } from '../src/export/minutes-model.js';
import { FONT_REGULAR } from '../src/export/minutes-pdf.js';
import { exportMinutesInWorker } from '../src/export/minutes-worker.js';
import { seeded, syntheticMeeting } from './support/synthetic-minutes.js';
import { fmt, progress, quick, table } from './support/harness.js';

function input(cases: number, paragraphsPerCase: number): MinutesExportInput {
  const { meeting, cases: meetingCases } = syntheticMeeting(seeded(cases * 7 + paragraphsPerCase), 1, cases, paragraphsPerCase);
  return {
    meeting,
    cases: meetingCases,
    audience: 'open',
    review: { undone: [], added: [] },
    recipients: ['Northfield partnership'],
    organisation: 'Northfield CSP',
    exportedAt: '2026-03-07T09:00:00.000Z',
    auditHead: 'ab'.repeat(32),
  };
}

const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

/** Bare pdfkit: the same paragraphs, one text call each, same font, no tables, marking or redaction. */
async function baseline(texts: readonly string[]): Promise<{ ms: number; pages: number }> {
  const start = performance.now();
  const doc = new PDFDocument({ size: 'A4', autoFirstPage: true });
  doc.font(FONT_REGULAR).fontSize(10);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  for (const t of texts) doc.text(t);
  doc.end();
  const pdf = await done;
  return { ms: performance.now() - start, pages: pageCount(pdf) };
}

async function measure(label: string, cases: number, paragraphsPerCase: number): Promise<string[]> {
  progress(`export: ${label}`);
  const exportInput = input(cases, paragraphsPerCase);
  // A 5 ms ticker: the longest gap between ticks, less the period, is the longest the thread was blocked
  // (a synchronous stretch right after the start counts too, since `last` is set before it).
  let peakRss = process.memoryUsage().rss;
  let last = performance.now();
  let maxBlocked = 0;
  const sampler = setInterval(() => {
    const now = performance.now();
    maxBlocked = Math.max(maxBlocked, now - last - 5);
    last = now;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 5);
  const start = performance.now();
  const pdf = await exportMinutesInWorker(exportInput);
  const totalMs = performance.now() - start;
  await new Promise((resolve) => setTimeout(resolve, 10));
  clearInterval(sampler);
  const pages = pageCount(pdf);
  const modelStart = performance.now();
  const document = buildMinutesDocument(exportInput);
  const modelMs = performance.now() - modelStart;
  const texts = document.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'table' ? b.rows.map((r) => r.join(' ')) : [b.text])));
  const bare = await baseline(texts);
  return [
    label,
    String(pages),
    fmt.ms(modelMs),
    fmt.ms(totalMs),
    (pages / (totalMs / 1000)).toFixed(0),
    `${(peakRss / 2 ** 20).toFixed(0)} MB`,
    `${bare.pages} p, ${fmt.ms(bare.ms)}`,
    (totalMs / bare.ms).toFixed(2),
    fmt.ms(maxBlocked),
  ];
}

const rows = [
  await measure('50 cases (about 100 pages)', quick ? 10 : 50, 4),
  ...(quick ? [] : [await measure('about 500 pages', 250, 4)]),
];
process.stdout.write(
  `## Minutes export (open audience, PDF in a worker thread)\n\n${table(
    [
      'Meeting',
      'Pages',
      'Of which model + redaction (in the worker, timed apart)',
      'Total',
      'Pages/s',
      'Peak RSS',
      'Bare pdfkit, same text',
      'Ratio to bare',
      'Main thread max blocked',
    ],
    rows,
  )}\n\nGoal (issue 14): 100 pages under 1.5 s, within 2× of bare pdfkit, main thread never blocked over 50 ms.\n`,
);
