// bench/closed-cost: what the closed database (issue 15) costs a key holder, as ratios against a build of
// the code before it. Each tree is measured in its own process, twice, alternately, so a change of load
// falls on both: a store of generated cases (bench/cases-data, about 10 % closed-only) read as the manager
// through the store's query functions (search, filtered list, detail), then unlock to the first screen's
// data and the case list through the dispatcher. CPU time per call (`process.cpuUsage`: the main thread and SQLite's) is the
// figure to compare on a shared machine; wall medians are printed beside it.
//
//   node dist/bench/closed-cost.js [--quick] [--before=DIR] [--cases=N] [--runs=N]
//
// DIR is a checkout of an earlier commit, built (`npm run build`), with node_modules; e.g. the commit before
// the closed database: `git worktree add /tmp/before e774ca0 && ln -s $PWD/node_modules /tmp/before/ && (cd
// /tmp/before && npm run build)`. Without it only this tree is measured (no ratio).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fmt, median, progress, size, table } from './support/harness.js';

const CASES = size('cases', 1_000, 100);
const RUNS = size('runs', 300, 20);
const UNLOCKS = size('unlocks', 10, 2);
const here = dirname(fileURLToPath(import.meta.url));
const THIS_TREE = resolve(here, '..', '..');
const BEFORE = process.argv.find((a) => a.startsWith('--before='))?.slice('--before='.length);
const MEASURE = process.argv.find((a) => a.startsWith('--measure='))?.slice('--measure='.length);

interface Figures {
  tree: string;
  load: string;
  /** Per measure: CPU µs per call and the wall median (ms). */
  out: Record<string, { cpuUs: number; medianMs: number }>;
}

interface QueryLike {
  label: string;
  run: (db: unknown, i: number) => Promise<unknown>;
}

/** The child: one tree's code, loaded from its dist/, measured on a store of its own. */
async function measure(tree: string): Promise<Figures> {
  const from = (path: string) => import(pathToFileURL(join(tree, 'dist', path)).href);
  const { Host } = await from('src/host/host.js');
  const { managerStore, call, credentials, MANAGER, JUSTIFICATION } = await from('test/support/partnership.js');
  const { generate, queries } = await from('bench/cases-data.js');
  const { KDF_FLOOR } = await from('src/vault/slot-crypto.js');
  // The closed database's sealing exists only in trees that have one.
  const seal = await from('src/store/closed-store.js').then(
    (m: { sealClosedContent?: unknown }) => m.sealClosedContent as ((db: unknown, o: object) => Promise<unknown>) | undefined,
    () => undefined,
  );
  const dir = mkdtempSync(join(tmpdir(), 'concordat-closed-cost-'));
  const out: Figures['out'] = {};
  try {
    let host = new Host(dir, { kdf: KDF_FLOOR });
    await managerStore(host);
    const db = host.vault.db;
    const generated = await db.transaction((sql: unknown) => generate(sql, 1, 20261130, CASES));
    if (seal) await db.exclusive(() => seal(db, { orphans: true }));
    const q = queries(generated) as Record<'search' | 'list' | 'detail', QueryLike>;
    for (const query of [q.search, q.list, q.detail]) {
      for (let i = 0; i < 20; i++) await query.run(db, i);
      const times: number[] = [];
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        await query.run(db, i);
        times.push(performance.now() - start);
      }
      const cpu = process.cpuUsage(cpu0);
      out[query.label] = { cpuUs: (cpu.user + cpu.system) / RUNS, medianMs: median(times) };
    }
    await host.close();
    const times: number[] = [];
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < UNLOCKS; i++) {
      host = new Host(dir, { kdf: KDF_FLOOR });
      const start = performance.now();
      await call(host, 'session.unlock', credentials(MANAGER));
      await call(host, 'session.setJustification', { justification: JUSTIFICATION });
      await call(host, 'cases.list', { limit: 50, offset: 0, sort: 'reviewDate' });
      times.push(performance.now() - start);
      await call(host, 'session.lock', {});
      await host.close();
    }
    const cpu = process.cpuUsage(cpu0);
    out['unlock to the first screen (Argon2id at the floor)'] = { cpuUs: (cpu.user + cpu.system) / UNLOCKS, medianMs: median(times) };

    // The list as the screen asks for it: with its audit entry, the key file's checkpoint and, in a tree with
    // a closed database, the reconciliation's check after every call.
    host = new Host(dir, { kdf: KDF_FLOOR });
    await call(host, 'session.unlock', credentials(MANAGER));
    await call(host, 'session.setJustification', { justification: JUSTIFICATION });
    const calls: number[] = [];
    const callCpu0 = process.cpuUsage();
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await call(host, 'cases.list', { limit: 25, offset: (i % 4) * 25, sort: 'reviewDate' });
      calls.push(performance.now() - start);
    }
    const callCpu = process.cpuUsage(callCpu0);
    out['cases.list through the dispatcher (page of 25)'] = { cpuUs: (callCpu.user + callCpu.system) / RUNS, medianMs: median(calls) };
    await call(host, 'session.lock', {});
    await host.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { tree, load: readFileSync('/proc/loadavg', 'utf8').trim(), out };
}

function child(tree: string): Promise<Figures> {
  return new Promise((done, fail) => {
    const args = [fileURLToPath(import.meta.url), `--measure=${tree}`, `--cases=${CASES}`, `--runs=${RUNS}`, `--unlocks=${UNLOCKS}`];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    proc.on('error', fail);
    proc.on('close', (code) =>
      code === 0 ? done(JSON.parse(stdout.trim().split('\n').at(-1)!) as Figures) : fail(new Error(`${tree}: exit ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  const trees = BEFORE ? [resolve(BEFORE), THIS_TREE] : [THIS_TREE];
  const runs: Figures[] = [];
  for (let round = 0; round < 2; round++) {
    for (const tree of trees) {
      progress(`round ${round + 1}: ${tree}`);
      runs.push(await child(tree));
    }
  }
  const labels = Object.keys(runs.at(-1)!.out);
  const cpuOf = (tree: string, label: string) => runs.filter((r) => r.tree === tree).map((r) => r.out[label]?.cpuUs ?? NaN);
  const wallOf = (tree: string, label: string) => runs.filter((r) => r.tree === tree).map((r) => r.out[label]?.medianMs ?? NaN);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `### The closed database's cost to a key holder (${fmt.int(CASES)} cases, ${RUNS} calls per query, ${UNLOCKS} unlocks, two rounds)\n`,
  );
  const headers = [
    'measure',
    ...trees.flatMap((t) => [`CPU µs/call ${t === THIS_TREE ? 'this tree' : 'before'} (round 1, 2)`, 'wall median ms']),
  ];
  if (BEFORE) headers.push('CPU ratio (this / before)');
  const rows = labels.map((label) => {
    const cells: string[] = [label];
    for (const tree of trees) {
      cells.push(
        cpuOf(tree, label)
          .map((x) => fmt.int(Math.round(x)))
          .join(', '),
        wallOf(tree, label)
          .map((x) => fmt.ms(x))
          .join(', '),
      );
    }
    if (BEFORE) cells.push(`${(mean(cpuOf(THIS_TREE, label)) / mean(cpuOf(trees[0]!, label))).toFixed(2)}×`);
    return cells;
  });
  console.log(table(headers, rows));
  console.log(`\nLoad average after each run: ${runs.map((r) => r.load.split(' ')[0]).join(', ')}.`);
}

if (MEASURE) {
  const figures = await measure(MEASURE);
  console.log(JSON.stringify(figures));
  process.exit(0);
} else {
  await main();
}
