// bench/cases: search, filtered lists and case detail on a store of realistic size (issue 4's goal:
// p95 under 20 ms for each), on the encrypted store and on an unencrypted copy with the same schema and
// the same rows, to show what encryption costs.
//
//   node dist/bench/cases.js [CASES] [--runs=N] [--quick] [--keep=DIR]
//
// CASES defaults to 10,000 (with three people and ten notes per case: 30,000 people, 100,000 notes);
// --quick (or BENCH_QUICK=1) makes it 500 for CI. The data is synthetic and generated from a fixed seed
// (bench/support/case-seed.ts); the plain store is a copy exported from the encrypted one, so both hold
// identical rows. Both live in a temp folder removed when the process exits. --keep=DIR keeps them in DIR
// instead and, when DIR already holds stores of the same size from an earlier run, opens them instead of
// generating again (bench/support/case-store.ts). A store kept by older code is migrated when it is opened.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Database } from '../src/vault/database.js';
import { migrate } from '../src/vault/migrate.js';
import { MIGRATIONS } from '../src/store/migrations/index.js';
import { call } from '../test/support/partnership.js';
import { NOTES_PER_CASE, PEOPLE_PER_CASE, queries } from './cases-data.js';
import { openCaseStore, plainCopy } from './support/case-store.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const positional = args.find((a) => /^\d[\d_]*k?$/i.test(a));
const parseSize = (text: string) => (text.toLowerCase().endsWith('k') ? Number(text.slice(0, -1)) * 1000 : Number(text.replace(/_/g, '')));
const CASES = parseSize(positional ?? flag('cases') ?? process.env.BENCH_CASES ?? (quick ? '500' : '10000'));
const RUNS = Number(flag('runs') ?? (quick ? 50 : 300));
const KEEP = flag('keep');
const GOAL_MS = 20;
const DEFAULT_CACHE = -2000;
const BIG_CACHE = -65536;
if (!Number.isInteger(CASES) || CASES < 10)
  throw new Error(`the number of cases must be a whole number of at least 10, not ${positional ?? flag('cases')}`);

interface Stats {
  median: number;
  p95: number;
  max: number;
  /** This process's CPU time per run (main thread and SQLite's worker), median and p95: wall time on a shared machine includes waiting for a core. */
  cpuMedian: number;
  cpuP95: number;
}

async function measure(run: (i: number) => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < 20; i++) await run(i);
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const used = process.cpuUsage();
    await run(i);
    times.push(performance.now() - start);
    const { user, system } = process.cpuUsage(used);
    cpu.push((user + system) / 1000);
  }
  const at = (values: number[], q: number) => values.sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(q * values.length) - 1)]!;
  return { median: at(times, 0.5), p95: at(times, 0.95), max: times.at(-1)!, cpuMedian: at(cpu, 0.5), cpuP95: at(cpu, 0.95) };
}

// ── stores ────────────────────────────────────────────────────────────────────────────────────────────

/** The plain copy, with the same connection settings as the vault uses, less the key. */
async function openPlain(path: string): Promise<Database> {
  const db = await Database.open(path, 'existing');
  await db.get('PRAGMA journal_mode = WAL');
  for (const pragma of ['foreign_keys = ON', 'secure_delete = ON', 'temp_store = MEMORY', 'synchronous = FULL'])
    await db.exec(`PRAGMA ${pragma}`);
  await migrate(db, MIGRATIONS);
  return db;
}

const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const log = (message: string) => process.stderr.write(`  … ${message}\n`);

async function main(): Promise<void> {
  const folder = KEEP ?? mkdtempSync(join(process.env.BENCH_DIR || tmpdir(), 'concordat-bench-cases-'));
  if (KEEP === undefined) process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

  const loadAtStart = loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  const seed = 20261123;
  const keep = KEEP !== undefined;
  log(
    `${CASES.toLocaleString('en-GB')} cases, ${(CASES * PEOPLE_PER_CASE).toLocaleString('en-GB')} people, ~${(CASES * NOTES_PER_CASE).toLocaleString('en-GB')} notes`,
  );
  const store = await openCaseStore(folder, { cases: CASES, seed, keep, log });
  const host = store.host;
  const exportMs = await plainCopy(store, folder, { cases: CASES, seed, keep });
  if (exportMs !== null) log(`plain copy exported in ${(exportMs / 1000).toFixed(1)} s`);
  const plainDb = await openPlain(join(folder, 'plain.db'));
  const [encrypted, plain] = [store.db, plainDb];
  const counts = await encrypted.get<{ cases: number; people: number; notes: number }>(
    'SELECT (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM people) AS people, (SELECT count(*) FROM case_notes) AS notes',
  );
  await call(host, 'session.setJustification', { justification: 'Benchmark' });

  const g = store.g;
  const q = queries(g);
  const serviceRows: string[][] = [];
  const dispatchRows: string[][] = [];
  const missed: string[] = [];
  // With encryption every page that falls out of the cache is decrypted again on its next read, which is
  // why the vault opens connections with a 64 MiB page cache instead of SQLite's default 2 MiB. Both
  // settings are measured on both stores, to show what the larger cache buys.
  for (const [setting, cacheSize] of [
    ["SQLite's default 2 MiB cache", DEFAULT_CACHE],
    ['64 MiB cache (as the vault opens it)', BIG_CACHE],
  ] as const) {
    for (const db of [encrypted, plain]) await db.exec(`PRAGMA cache_size = ${cacheSize}`);
    for (const query of [q.search, q.list, q.detail]) {
      log(`${RUNS} × ${query.label}, ${setting}`);
      const enc = await measure((i) => query.run(encrypted, i));
      const pl = await measure((i) => query.run(plain, i));
      if (enc.p95 >= GOAL_MS) missed.push(`${query.label}, ${setting}`);
      serviceRows.push([
        query.label,
        setting,
        ms(enc.median),
        ms(enc.p95),
        ms(pl.median),
        ms(pl.p95),
        `${(enc.p95 / pl.p95).toFixed(2)}×`,
        enc.p95 < GOAL_MS ? 'yes' : 'NO',
        ms(enc.cpuMedian),
        ms(enc.cpuP95),
        ms(pl.cpuP95),
      ]);
    }
    // The same reads as a user makes them: through the dispatcher, each with its consultation entry committed.
    for (const [name, input] of [
      ['cases.search', q.searchInputs],
      ['cases.list', q.listInputs],
      ['cases.get', (i: number) => ({ caseId: g.caseIds[(i * 7919) % g.caseIds.length]! })],
    ] as const) {
      log(`${RUNS} × dispatch('${name}'), ${setting}`);
      const stats = await measure((i) => call(host, name, input(i)));
      dispatchRows.push([`dispatch('${name}')`, setting, ms(stats.median), ms(stats.p95), ms(stats.cpuMedian), ms(stats.cpuP95)]);
    }
  }

  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const out = [
    `## bench/cases: ${counts!.cases.toLocaleString('en-GB')} cases, ${counts!.people.toLocaleString('en-GB')} people, ${counts!.notes.toLocaleString('en-GB')} notes; ${RUNS} runs each`,
    '',
    store.generatedMs === null
      ? 'Stores kept from an earlier run (--keep), not loaded again.'
      : `Generated in one transaction (bench/support/case-seed.ts): encrypted ${(store.generatedMs / 1000).toFixed(1)} s (CPU ${(store.generatedCpuMs! / 1000).toFixed(1)} s); the plain copy exported from it (sqlcipher_export) in ${(exportMs! / 1000).toFixed(1)} s.`,
    '',
    `Load average (1, 5, 15 min) at the start: ${loadAtStart}; at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(
        ', ',
      )} (${cpus().length} cores). CPU ms is this process's CPU time per call (main thread and SQLite's worker); wall time on a loaded machine adds the wait for a core.`,
    '',
    line([
      'query (service function)',
      'page cache',
      'encrypted median ms',
      'encrypted p95 ms',
      'plain median ms',
      'plain p95 ms',
      'p95 ratio',
      `p95 < ${GOAL_MS} ms`,
      'encrypted CPU median ms',
      'encrypted CPU p95 ms',
      'plain CPU p95 ms',
    ]),
    line(['---', '---', '---', '---', '---', '---', '---', '---', '---', '---', '---']),
    ...serviceRows.map(line),
    '',
    line([
      'through the dispatcher (encrypted, audit entry committed per call)',
      'page cache',
      'median ms',
      'p95 ms',
      'CPU median ms',
      'CPU p95 ms',
    ]),
    line(['---', '---', '---', '---', '---', '---']),
    ...dispatchRows.map(line),
    '',
  ].join('\n');
  process.stdout.write(`${out}\n`);
  await plain.close();
  await host.close();
  if (missed.length > 0) process.stderr.write(`  goal missed (p95 ≥ ${GOAL_MS} ms): ${missed.join('; ')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/cases failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
