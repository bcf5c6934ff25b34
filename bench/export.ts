// bench/export: minutes export of a 50-case meeting (about 100 pages) and of a 500-page meeting: time
// (wall and CPU), peak memory, pages per second, beside bare pdfkit writing the same text with no layout,
// tagging or redaction; and the longest the main thread is blocked while an export runs.
//
// The export runs as the app runs it: in the worker pool (src/export/minutes-worker-pool.ts). "First" is
// a pool's first export (it starts the worker: pdfkit, fontkit and the fonts load); "next" is the export
// after it on the same worker, which is what every export of a session but its first costs. CPU time is
// the whole process's (both threads), a steadier figure than wall time on a loaded machine.
//
//   node dist/bench/export.js [--quick]
import PDFDocument from 'pdfkit';
import { buildMinutesDocument, type MinutesExportInput } from '../src/export/minutes-model.js';
import { FONT_REGULAR } from '../src/export/minutes-pdf.js';
import { MinutesWorkerPool } from '../src/export/minutes-worker-pool.js';
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

interface Measured {
  ms: number;
  cpuMs: number;
}

async function measured<T>(work: () => Promise<T>): Promise<Measured & { value: T }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, value };
}

/** Bare pdfkit: the same paragraphs, one text call each, same font, no tables, marking, tagging or redaction. */
async function baseline(texts: readonly string[]): Promise<Measured & { pages: number }> {
  const { ms, cpuMs, value } = await measured(async () => {
    const doc = new PDFDocument({ size: 'A4', autoFirstPage: true });
    doc.font(FONT_REGULAR).fontSize(10);
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
    for (const t of texts) doc.text(t);
    doc.end();
    return done;
  });
  return { ms, cpuMs, pages: pageCount(value) };
}

/**
 * A 5 ms ticker: the longest gap between ticks, less the period, is the longest the thread was blocked;
 * the RSS is sampled on each tick too (the process's, so the worker's heap is in it).
 */
function watchMainThread() {
  const loop = performance.eventLoopUtilization();
  let peakRss = process.memoryUsage().rss;
  let last = performance.now();
  let maxBlocked = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxBlocked = Math.max(maxBlocked, now - last - 5);
    last = now;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 5);
  return {
    stop: async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      clearInterval(timer);
      // The event loop's active time (running callbacks, the ticker's included) over all the exports: an
      // upper bound on the longest block that does not count time the OS gave the CPU to other processes.
      return { maxBlocked, peakRss, busyMs: performance.eventLoopUtilization(loop).active };
    },
  };
}

const best = <T extends Measured>(runs: readonly T[]) => runs.reduce((a, b) => (b.ms < a.ms ? b : a));

async function measure(label: string, cases: number, paragraphsPerCase: number): Promise<string[]> {
  progress(`export: ${label}`);
  const exportInput = input(cases, paragraphsPerCase);
  const pool = new MinutesWorkerPool();
  const watch = watchMainThread();
  let progressEvents = 0;
  const run = () => measured(() => pool.export(exportInput, () => (progressEvents += 1)));
  const first = await run();
  // Two more on the same worker (one in the CI size); the faster stands for "next" (the machine is shared,
  // so the slower is noise).
  const nextRuns = quick ? [await run()] : [await run(), await run()];
  const next = best(nextRuns);
  const { maxBlocked, peakRss, busyMs } = await watch.stop();
  await pool.dispose();
  const pages = pageCount(next.value.pdf);

  const model = await measured(async () => buildMinutesDocument(exportInput));
  const texts = model.value.sections.flatMap((s) =>
    s.blocks.flatMap((b) => (b.kind === 'table' ? b.rows.map((r) => r.join(' ')) : [b.text])),
  );
  const bare = best([await baseline(texts), await baseline(texts)]);
  return [
    label,
    String(pages),
    `${fmt.ms(first.ms)} (CPU ${fmt.ms(first.cpuMs)})`,
    `${fmt.ms(next.ms)} (CPU ${fmt.ms(next.cpuMs)})`,
    fmt.ms(model.ms),
    (pages / (next.ms / 1000)).toFixed(0),
    `${bare.pages} p, ${fmt.ms(bare.ms)} (CPU ${fmt.ms(bare.cpuMs)})`,
    `${(next.ms / bare.ms).toFixed(2)} (CPU ${(next.cpuMs / bare.cpuMs).toFixed(2)})`,
    `${(peakRss / 2 ** 20).toFixed(0)} MB`,
    fmt.ms(maxBlocked),
    fmt.ms(busyMs),
    String(Math.round(progressEvents / (1 + nextRuns.length))),
  ];
}

const rows = [
  await measure(quick ? '10 cases (CI size, about 20 pages)' : '50 cases (about 100 pages)', quick ? 10 : 50, 11),
  ...(quick ? [] : [await measure('250 cases (about 500 pages)', 250, 11)]),
];
process.stdout.write(
  `## Minutes export (open audience, PDF in the export worker)\n\n${table(
    [
      'Meeting',
      'Pages',
      'First export, ms (starts the worker)',
      'Next export, ms (worker reused)',
      'Of which model + redaction, ms (timed apart)',
      'Pages/s (next)',
      'Bare pdfkit, same text',
      'Ratio next / bare',
      'Peak RSS',
      'Main thread max blocked, ms (5 ms ticker)',
      'Main thread busy, ms (event loop active, all runs)',
      'Progress events per export',
    ],
    rows,
  )}\n\nGoal (issue 14): 100 pages under 1.5 s, within 2× of bare pdfkit, main thread never blocked over 50 ms.\n`,
);
