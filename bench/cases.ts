// bench/cases: search, filtered lists and case detail on a store of realistic size (issue 4's goal:
// p95 under 20 ms for each), on the encrypted store and on an unencrypted copy with the same schema and
// the same rows, to show what encryption costs.
//
//   node dist/bench/cases.js [CASES] [--runs=N] [--quick] [--keep=DIR]
//
// CASES defaults to 10,000 (with three people and ten notes per case: 30,000 people, 100,000 notes);
// --quick (or BENCH_QUICK=1) makes it 500 for CI. The data is synthetic and generated from a fixed seed,
// so both stores hold identical rows; both live in a temp folder removed when the process exits.
// --keep=DIR keeps them in DIR instead and, for each store DIR already holds from an earlier run of the
// same size, opens it instead of generating it again: loading 100,000 cases takes minutes. A store kept
// by older code is migrated when it is opened, as a user's would be.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Host } from '../src/host/host.js';
import { Database } from '../src/vault/database.js';
import { migrate } from '../src/vault/migrate.js';
import { MIGRATIONS } from '../src/store/migrations/index.js';
import { sealClosedContent } from '../src/store/closed-store.js';
import { KDF_FLOOR } from '../src/vault/slot-crypto.js';
import { MANAGER, call, credentials, managerStore } from '../test/support/partnership.js';
import { NOTES_PER_CASE, PEOPLE_PER_CASE, generate, queries, type Generated } from './cases-data.js';

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
}

async function measure(run: (i: number) => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < 20; i++) await run(i);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  return { median: at(0.5), p95: at(0.95), max: times.at(-1)! };
}

// ── stores ────────────────────────────────────────────────────────────────────────────────────────────

/** The same connection settings as the vault uses, less the key. */
async function openPlain(path: string, existing: boolean): Promise<Database> {
  const db = await Database.open(path, existing ? 'existing' : 'create');
  await db.get('PRAGMA journal_mode = WAL');
  for (const pragma of ['foreign_keys = ON', 'secure_delete = ON', 'temp_store = MEMORY', 'synchronous = FULL'])
    await db.exec(`PRAGMA ${pragma}`);
  await migrate(db, MIGRATIONS);
  if (existing) return db;
  await db.run('INSERT INTO organisations (name, statutory, created_at) VALUES (?, 1, ?)', [
    MANAGER.organisation,
    new Date().toISOString(),
  ]);
  await db.run("INSERT INTO users (username, display_name, role, organisation_id, created_at) VALUES (?, ?, 'manager', 1, ?)", [
    MANAGER.username,
    MANAGER.displayName,
    new Date().toISOString(),
  ]);
  return db;
}

const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const log = (message: string) => process.stderr.write(`  … ${message}\n`);

async function main(): Promise<void> {
  const folder = KEEP ?? mkdtempSync(join(process.env.BENCH_DIR || tmpdir(), 'concordat-bench-cases-'));
  if (KEEP === undefined) process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
  mkdirSync(folder, { recursive: true });

  const seed = 20261123;
  const loads: { label: string; db: Database; ms: number; g: Generated }[] = [];
  // A store is kept once it is whole: its marker, with what generating it returned, is written last.
  const marker = (label: string) => join(folder, `${label}.generated.json`);
  const keptOf = (label: string): Generated | null => {
    if (KEEP === undefined || !existsSync(marker(label))) return null;
    const kept = JSON.parse(readFileSync(marker(label), 'utf8')) as { cases: number; g: Generated };
    if (kept.cases !== CASES) throw new Error(`${folder} holds a ${label} store of ${kept.cases} cases, not ${CASES}`);
    return kept.g;
  };
  const host = new Host(join(folder, 'encrypted'), { kdf: KDF_FLOOR });
  for (const label of ['encrypted', 'plain'] as const) {
    const kept = keptOf(label);
    const opened = performance.now();
    let db: Database;
    if (label === 'encrypted') {
      if (kept) await call(host, 'session.unlock', credentials(MANAGER));
      else await managerStore(host);
      db = host.vault!.db;
    } else db = await openPlain(join(folder, 'plain.db'), kept !== null);
    if (kept) {
      log(`opened the kept ${label} store in ${((performance.now() - opened) / 1000).toFixed(1)} s (migrations included)`);
      loads.push({ label, db, ms: NaN, g: kept });
      continue;
    }
    log(
      `generating ${CASES.toLocaleString('en-GB')} cases, ${(CASES * PEOPLE_PER_CASE).toLocaleString('en-GB')} people, ~${(CASES * NOTES_PER_CASE).toLocaleString('en-GB')} notes (${label})`,
    );
    // A bulk load gets a large page cache on both stores; the reads below are measured with each setting.
    await db.exec(`PRAGMA cache_size = ${BIG_CACHE}`);
    const start = performance.now();
    const g = await db.transaction((sql) => generate(sql, 1, seed, CASES));
    // The dispatcher moves closed-only content to the closed database after each call; a bulk load moves it once.
    if (label === 'encrypted') await db.exclusive(() => sealClosedContent(db, { orphans: true }));
    loads.push({ label, db, ms: performance.now() - start, g });
    if (KEEP !== undefined) {
      await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      writeFileSync(marker(label), JSON.stringify({ cases: CASES, g }));
    }
  }
  const [encrypted, plain] = [loads[0]!.db, loads[1]!.db];
  const counts = await encrypted.get<{ cases: number; people: number; notes: number }>(
    'SELECT (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM people) AS people, (SELECT count(*) FROM case_notes) AS notes',
  );
  await call(host, 'session.setJustification', { justification: 'Benchmark' });

  const g = loads[0]!.g;
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
      dispatchRows.push([`dispatch('${name}')`, setting, ms(stats.median), ms(stats.p95)]);
    }
  }

  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const out = [
    `## bench/cases: ${counts!.cases.toLocaleString('en-GB')} cases, ${counts!.people.toLocaleString('en-GB')} people, ${counts!.notes.toLocaleString('en-GB')} notes; ${RUNS} runs each`,
    '',
    loads.some((l) => Number.isNaN(l.ms))
      ? `Stores kept from an earlier run (--keep), not loaded again: ${loads.map((l) => `${l.label} ${Number.isNaN(l.ms) ? 'kept' : `${(l.ms / 1000).toFixed(1)} s`}`).join(', ')}.`
      : `Loaded in one transaction each: encrypted ${(loads[0]!.ms / 1000).toFixed(1)} s, plain ${(loads[1]!.ms / 1000).toFixed(1)} s.`,
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
    ]),
    line(['---', '---', '---', '---', '---', '---', '---', '---']),
    ...serviceRows.map(line),
    '',
    line(['through the dispatcher (encrypted, audit entry committed per call)', 'page cache', 'median ms', 'p95 ms']),
    line(['---', '---', '---', '---']),
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
