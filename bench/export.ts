// bench/export: minutes export of a 50-case meeting (about 100 pages) and of a 500-page meeting: time
// (wall and CPU), peak memory, pages per second, beside bare pdfkit writing the same text with no layout,
// tagging or redaction; and how long the main thread is blocked while exports run (event-loop delay,
// max and p99, and a 10 ms probe), with the main thread's own steps of an export timed alone.
//
// The export runs as the app runs it: in the worker pool (src/export/minutes-worker-pool.ts). "First" is
// a pool's first export (it starts the worker: pdfkit, fontkit and the fonts load); "next" is the export
// after it on the same worker, which is what every export of a session but its first costs. CPU time of
// an export is the whole process's (both threads); the same work is also run on the bench's own thread,
// where the process's CPU time is that work's alone: a steadier figure than wall time on a loaded machine.
// The bare pdfkit baseline opens the font file itself (as bare pdfkit does); the export's worker keeps it.
//
//   node dist/bench/export.js [--quick]
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { buildMinutesExport, type MinutesExportInput } from '../src/export/minutes-model.js';
import { FONT_REGULAR, writeMinutesPdf } from '../src/export/minutes-pdf.js';
import { MinutesWorkerPool } from '../src/export/minutes-worker-pool.js';
import { watchMainThread } from './support/main-thread.js';
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

const PROBE_MS = 10;

/** What the service does on the main thread with a finished export: the bytes as base64 for the window. */
function answerAsService(result: { pdf: Buffer; sha256: string }): number {
  return result.pdf.toString('base64').length + result.sha256.length;
}

/** The longest a synchronous step takes on the main thread, best of three (ms). */
function mainThreadStep(step: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    step();
    times.push(performance.now() - start);
  }
  return Math.min(...times);
}

const best = <T extends Measured>(runs: readonly T[]) => runs.reduce((a, b) => (b.ms < a.ms ? b : a));

async function measure(label: string, cases: number, paragraphsPerCase: number): Promise<{ speed: string[]; window: string[] }> {
  progress(`export: ${label}`);
  const exportInput = input(cases, paragraphsPerCase);
  const pool = new MinutesWorkerPool();
  const watch = watchMainThread({ probeMs: PROBE_MS });
  let progressEvents = 0;
  const run = () =>
    measured(async () => {
      const result = await pool.export(exportInput, () => (progressEvents += 1));
      answerAsService(result);
      return result;
    });
  const first = await run();
  // Two more on the same worker (one in the CI size); the faster stands for "next" (the machine is shared,
  // so the slower is noise).
  const nextRuns = quick ? [await run()] : [await run(), await run()];
  const next = best(nextRuns);
  const watched = await watch.stop();
  await pool.dispose();
  const pages = pageCount(next.value.pdf);
  const worker = next.value.timings;

  // The same work on this thread, where process CPU time is the export's own (the worker's CPU cannot be
  // told apart from the main thread's in Node 20): the model and the PDF, after one warm-up like the worker's.
  const inThread = async () => {
    const { document } = buildMinutesExport(exportInput);
    return writeMinutesPdf(document);
  };
  await inThread();
  const own = best([await measured(inThread), await measured(inThread)]);
  const model = best([
    await measured(async () => buildMinutesExport(exportInput)),
    await measured(async () => buildMinutesExport(exportInput)),
  ]);

  const texts = model.value.document.sections.flatMap((s) =>
    s.blocks.flatMap((b) => (b.kind === 'table' ? b.rows.map((r) => r.join(' ')) : [b.text])),
  );
  const bare = best([await baseline(texts), await baseline(texts)]);
  // The main thread's own steps of an export, each timed alone: handing the input to the worker (a
  // structured clone, here both halves of it, so an upper bound) and the base64 answer to the window.
  const cloneMs = mainThreadStep(() => structuredClone(exportInput));
  const base64Ms = mainThreadStep(() => answerAsService(next.value));
  return {
    speed: [
      label,
      String(pages),
      `${fmt.ms(first.ms)} (CPU ${fmt.ms(first.cpuMs)})`,
      `${fmt.ms(next.ms)} (CPU ${fmt.ms(next.cpuMs)})`,
      `${fmt.ms(worker.model)} + ${fmt.ms(worker.pdf)} + ${fmt.ms(worker.hash)}`,
      `${fmt.ms(own.cpuMs)} (model ${fmt.ms(model.cpuMs)})`,
      (pages / (next.ms / 1000)).toFixed(0),
      `${bare.pages} p, ${fmt.ms(bare.ms)} (CPU ${fmt.ms(bare.cpuMs)})`,
      `${(next.ms / bare.ms).toFixed(2)} (CPU ${(own.cpuMs / bare.cpuMs).toFixed(2)})`,
      `${(watched.peakRss / 2 ** 20).toFixed(0)} MB`,
      String(Math.round(progressEvents / (1 + nextRuns.length))),
    ],
    window: [
      label,
      `${fmt.ms(watched.delayMax)} / ${fmt.ms(watched.delayP99)}`,
      `${fmt.ms(watched.probeMax)} / ${fmt.ms(watched.probeP99)}`,
      watched.mostOnCpu === null ? 'n/a' : fmt.ms(watched.mostOnCpu),
      watched.longestGap === null
        ? 'n/a'
        : `${fmt.ms(watched.longestGap.ms)}: ${fmt.ms(watched.longestGap.onCpu)} on CPU, ${fmt.ms(watched.longestGap.waiting)} waiting`,
      fmt.ms(watched.busyMs),
      `${fmt.ms(cloneMs)} / ${fmt.ms(base64Ms)}`,
    ],
  };
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const loadBefore = load();
const rows = [
  await measure(quick ? '10 cases (CI size, about 20 pages)' : '50 cases (about 100 pages)', quick ? 10 : 50, 11),
  ...(quick ? [] : [await measure('250 cases (about 500 pages)', 250, 11)]),
];
process.stdout.write(
  `## Minutes export (open audience, PDF in the export worker)\n\nLoad average ${loadBefore} before, ${load()} after.\n\n${table(
    [
      'Meeting',
      'Pages',
      'First export, ms (starts the worker)',
      'Next export, ms (worker reused)',
      "Worker's own ms: model + PDF + hash",
      'Same work on one thread, CPU ms',
      'Pages/s (next)',
      'Bare pdfkit, same text',
      'Ratio: next / bare wall (one-thread CPU / bare CPU)',
      'Peak RSS',
      'Progress events per export',
    ],
    rows.map((r) => r.speed),
  )}\n\n### The main thread during the exports (first and next)\n\n${table(
    [
      'Meeting',
      'Event-loop delay max / p99, ms (2 ms histogram)',
      '10 ms probe late max / p99, ms',
      'Most CPU the main thread used between two probes, ms (its longest own block)',
      'Longest gap between probes, ms: main thread on a CPU / waiting for one',
      'Main thread busy, ms (all runs)',
      'Main-thread steps: input clone / base64 answer, ms',
    ],
    rows.map((r) => r.window),
  )}\n\nGoal (issue 14): 100 pages under 1.5 s, within 2× of bare pdfkit, main thread never blocked over 50 ms.\n`,
);
