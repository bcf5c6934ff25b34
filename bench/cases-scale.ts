// bench/cases-scale: how case search, lists and detail grow with the store. Runs bench/cases (unchanged,
// in its own process each time, one after the other) at 10,000 and at 100,000 cases, and puts their
// figures side by side with the growth factor for ten times the data.
//
//   node dist/bench/cases-scale.js [--small=N] [--large=N] [--runs=N] [--quick] [--keep=DIR]
//
// Defaults: 10,000 and 100,000 cases (the long scale run: expect tens of minutes, most of it loading
// 100,000 cases twice, encrypted and plain); --quick makes it 300 and 1,200 cases with 50 timed runs per
// query, so the whole quick suite stays under two minutes. --keep=DIR keeps each size's stores in DIR/<cases>
// and reuses them on the next run (see bench/cases). Other flags go on to bench/cases.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, progress, quick, size, table } from './support/harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const SMALL = size('small', 10_000, 300);
const LARGE = size('large', 100_000, 1_200);
const given = process.argv.slice(2).filter((a) => !/^--(small|large|keep)=/.test(a) && !/^\d[\d_]*k?$/i.test(a));
const keep = process.argv.find((a) => a.startsWith('--keep='))?.slice('--keep='.length);
const passOn = quick && !given.some((a) => a.startsWith('--runs=')) ? [...given, '--runs=50'] : given;

interface CasesRun {
  cases: number;
  markdown: string;
  /** First column → the numbers in the rest of that row. */
  rows: Map<string, number[]>;
  load: { encrypted: number; plain: number } | null;
  seconds: number;
}

function runCases(cases: number): Promise<CasesRun> {
  const started = Date.now();
  progress(`bench/cases at ${fmt.int(cases)} cases`);
  return new Promise((resolve, reject) => {
    const keepHere = keep === undefined ? [] : [`--keep=${join(keep, String(cases))}`];
    const child = spawn(process.execPath, [join(here, 'cases.js'), String(cases), ...passOn, ...keepHere], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let markdown = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (markdown += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench/cases ${cases} exited with ${code}`));
      const rows = new Map<string, number[]>();
      // A row is its leading text cells (the query, and any setting such as the page cache) then its
      // figures; the first two figures are the (encrypted) median and p95 in every table bench/cases prints.
      for (const line of markdown.split('\n')) {
        const cells = line
          .split('|')
          .slice(1, -1)
          .map((c) => c.trim());
        const first = cells.findIndex((c) => /^[\d.,]+×?$/.test(c));
        if (first < 1) continue;
        const numbers = cells.slice(first).map((c) => Number(c.replace(/[×,]/g, '')));
        if (numbers.length >= 2 && numbers.slice(0, 2).every(Number.isFinite)) rows.set(cells.slice(0, first).join(' · '), numbers);
      }
      const loaded = /encrypted ([\d.]+) s, plain ([\d.]+) s/.exec(markdown);
      resolve({
        cases,
        markdown,
        rows,
        load: loaded ? { encrypted: Number(loaded[1]), plain: Number(loaded[2]) } : null,
        seconds: (Date.now() - started) / 1000,
      });
    });
  });
}

async function main(): Promise<void> {
  const small = await runCases(SMALL);
  const large = await runCases(LARGE);
  const growth = (a: number | undefined, b: number | undefined) => (a && b ? fmt.ratio(b, a) : 'n/a');
  const rows: string[][] = [];
  for (const [label, s] of small.rows) {
    const l = large.rows.get(label);
    if (!l) continue;
    rows.push([
      label,
      fmt.ms(s[0]!),
      fmt.ms(l[0]!),
      growth(s[0], l[0]),
      fmt.ms(s[1]!),
      fmt.ms(l[1]!),
      growth(s[1], l[1]),
      l[1]! < 20 ? 'yes' : 'NO',
    ]);
  }
  const n = (c: number) => fmt.int(c);
  const out = [
    `### Case reads at ${n(SMALL)} and ${n(LARGE)} cases (${fmt.ratio(LARGE, SMALL)} the data)${quick ? ' (quick run)' : ''}`,
    '',
    'Each row is bench/cases run on its own store of that size (three people and about ten notes per case), encrypted, the same queries and the same seed; times in ms.',
    '',
    table(
      [
        'query',
        `median ${n(SMALL)}`,
        `median ${n(LARGE)}`,
        'median growth',
        `p95 ${n(SMALL)}`,
        `p95 ${n(LARGE)}`,
        'p95 growth',
        `p95 < 20 ms at ${n(LARGE)}`,
      ],
      rows,
    ),
    '',
    table(
      ['store', `${n(SMALL)} cases`, `${n(LARGE)} cases`],
      [
        ['load, encrypted (one transaction, s)', String(small.load?.encrypted ?? 'n/a'), String(large.load?.encrypted ?? 'n/a')],
        ['load, plain (s)', String(small.load?.plain ?? 'n/a'), String(large.load?.plain ?? 'n/a')],
        ['whole bench/cases run (s)', small.seconds.toFixed(0), large.seconds.toFixed(0)],
      ],
    ),
    '',
    `#### bench/cases output at ${n(LARGE)} cases`,
    '',
    large.markdown.trim().replace(/^## /m, '##### '),
    '',
  ].join('\n');
  process.stdout.write(`${out}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/cases-scale failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
