// bench/unlock: what a user waits for at unlock. Argon2id at the production default and at the floor,
// the database open (empty and with a long audit log), the two together, and unlock to the first screen's
// data through the dispatcher, with the time until the whole-file integrity check (run in the background
// since issue 18) has passed beside it.
//
//   node dist/bench/unlock.js [--quick] [--kdf-runs=N] [--open-runs=N] [--open-entries=N]
import { MIGRATIONS } from '../src/store/migrations/index.js';
import { CLOSED_STORE } from '../src/store/closed-store.js';
import { Host } from '../src/host/host.js';
import { Database } from '../src/vault/database.js';
import { migrate } from '../src/vault/migrate.js';
import { checkWholeFile } from '../src/vault/integrity.js';
import { DEFAULT_KDF, KDF_FLOOR, deriveKey, newKdfParams, type KdfStrength } from '../src/vault/slot-crypto.js';
import { Vault, configureConnection } from '../src/vault/vault.js';
import { JUSTIFICATION, MANAGER, call, credentials, managerStore } from '../test/support/partnership.js';
import { fillAuditLog } from './support/audit-fill.js';
import { fmt, median, progress, quick, repeat, size, table, tempDir, timed } from './support/harness.js';
import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const KDF_RUNS = size('kdf-runs', 5, 1);
const OPEN_RUNS = size('open-runs', 7, 3);
const OPEN_ENTRIES = size('open-entries', 100_000, 10_000);

const describe = (k: KdfStrength) => `m=${k.memoryKiB / 1024} MiB, t=${k.iterations}, p=${k.parallelism}`;
const summary = (times: number[]) => [fmt.ms(median(times)), fmt.ms(Math.min(...times)), fmt.ms(Math.max(...times))];

async function kdfTimes(strength: KdfStrength): Promise<number[]> {
  const params = newKdfParams(strength);
  return repeat(KDF_RUNS, async () => (await deriveKey(MANAGER.passphrase, params)).fill(0), 1);
}

interface Store {
  dataDir: string;
  key: Buffer;
  entries: number;
}

/**
 * A real store made through the dispatcher and locked (checkpoint written). set-up writes two entries and
 * the lock one; the log is filled in between so that it ends with exactly `entries`.
 */
async function makeStore(strength: KdfStrength, entries: number): Promise<Store> {
  const dataDir = tempDir();
  const host = new Host(dataDir, { kdf: strength });
  await managerStore(host);
  const vault = host.vault!;
  if (entries > 3) await fillAuditLog(vault.db, vault.storeId, entries - 3);
  // The bench reopens the file itself to time each step of the open; the key never leaves this process.
  const key = Buffer.from(/x'([0-9a-f]{64})'/.exec(vault.rawKeyPragma())![1]!, 'hex');
  await call(host, 'session.lock', {});
  await host.close();
  return { dataDir, key, entries };
}

const OPEN_STEPS = [
  'open file, key, PRAGMAs',
  'first read (sqlite_master)',
  'size check (page count against the file)',
  'migrate (up to date) + store id',
  'background: PRAGMA cipher_integrity_check',
  'background: PRAGMA quick_check',
] as const;
/** The steps unlock waits for; the rest run on a second connection after unlock. */
const CRITICAL_STEPS = 4;

/** The steps of the vault's openDatabase, then the background whole-file check, timed one by one on a fresh connection. */
async function openSteps(store: Store): Promise<number[]> {
  const path = Vault.paths(store.dataDir).database;
  const steps: number[] = [];
  const step = async (work: () => Promise<unknown>) => steps.push((await timed(work)).ms);
  const opened = await timed(async () => {
    const db = await Database.open(path);
    await configureConnection(db, store.key);
    return db;
  });
  steps.push(opened.ms);
  const open = opened.value;
  try {
    await step(() => open.get('SELECT count(*) AS n FROM sqlite_master'));
    await step(async () => {
      await open.get('PRAGMA cipher_page_size');
      await open.get('PRAGMA page_count');
      statSync(path);
    });
    await step(async () => {
      await migrate(open, MIGRATIONS);
      await open.get("SELECT value FROM meta WHERE key = 'store_id'");
    });
    const phases: number[] = [];
    let last = performance.now();
    await checkWholeFile(open, () => {
      const now = performance.now();
      phases.push(now - last);
      last = now;
    });
    phases.push(performance.now() - last);
    steps.push(phases[1]!, phases[2]!);
  } finally {
    await open.close();
  }
  return steps;
}

async function unlockTimes(store: Store, runs: number): Promise<number[]> {
  return repeat(runs, async () => {
    // As the app opens it: a manager's unlock attaches the closed database too.
    const vault = Vault.open(store.dataDir, { migrations: MIGRATIONS, closed: CLOSED_STORE });
    try {
      await vault.unlock(MANAGER.username, MANAGER.passphrase);
    } finally {
      await vault.close();
    }
  });
}

/**
 * What the user waits for, through the dispatcher as the app calls it: unlock, the working context, the
 * first page of the case list. Beside it, the time from the start until the background check has passed.
 */
async function firstScreenTimes(store: Store, runs: number): Promise<{ firstScreen: number[]; checked: number[] }> {
  const firstScreen: number[] = [];
  const checked: number[] = [];
  for (let i = 0; i < runs; i++) {
    const host = new Host(store.dataDir, { kdf: KDF_FLOOR });
    try {
      const start = performance.now();
      await call(host, 'session.unlock', credentials(MANAGER));
      await call(host, 'session.setJustification', { justification: JUSTIFICATION });
      await call(host, 'cases.list', { limit: 50, offset: 0, sort: 'reviewDate' });
      firstScreen.push(performance.now() - start);
      await host.vault!.integrity.passed();
      checked.push(performance.now() - start);
      await call(host, 'session.lock', {});
    } finally {
      await host.close();
    }
  }
  return { firstScreen, checked };
}

async function main(): Promise<void> {
  console.log(`### Argon2id (deriveKey, hash-wasm), median of ${KDF_RUNS} after one warm-up\n`);
  const kdfRows: string[][] = [];
  for (const [name, strength] of [
    ['production default', DEFAULT_KDF],
    ['floor (tests; weakest a slot may carry)', KDF_FLOOR],
  ] as const) {
    progress(`Argon2id ${describe(strength)}`);
    kdfRows.push([name, describe(strength), ...summary(await kdfTimes(strength))]);
  }
  console.log(table(['parameters', 'Argon2id', 'median ms', 'min ms', 'max ms'], kdfRows));
  console.log('\nhash-wasm runs the lanes one after another in WebAssembly, so p=4 costs the same CPU as p=1 but on one core.');

  progress('building stores');
  const empty = await makeStore(KDF_FLOOR, 3);
  const full = await makeStore(KDF_FLOOR, OPEN_ENTRIES);
  const stores = [empty, full];

  console.log(`\n### Opening the database (the steps of openDatabase), median of ${OPEN_RUNS}\n`);
  const perStore: number[][][] = [];
  for (const store of stores) {
    progress(`opening a store with ${fmt.int(store.entries)} audit entries`);
    const runs: number[][] = [];
    for (let i = 0; i < OPEN_RUNS; i++) runs.push(await openSteps(store));
    perStore.push(runs);
  }
  const medians = perStore.map((runs) => OPEN_STEPS.map((_, i) => median(runs.map((r) => r[i]!))));
  const totals = perStore.map((runs) => median(runs.map((r) => r.reduce((a, b) => a + b, 0))));
  const openTotals = perStore.map((runs) => median(runs.map((r) => r.slice(0, CRITICAL_STEPS).reduce((a, b) => a + b, 0))));
  const sizes = stores.map((s) => statSync(Vault.paths(s.dataDir).database).size / 2 ** 20);
  console.log(
    table(
      ['step', ...stores.map((s) => (s === empty ? 'new store, 3 audit entries (ms)' : `${fmt.int(s.entries)} audit entries (ms)`))],
      [
        ...OPEN_STEPS.slice(0, CRITICAL_STEPS).map((name, i) => [name, ...medians.map((m) => fmt.ms(m[i]!))]),
        ['**total open (what unlock waits for)**', ...openTotals.map((t) => `**${fmt.ms(t)}**`)],
        ...OPEN_STEPS.slice(CRITICAL_STEPS).map((name, i) => [name, ...medians.map((m) => fmt.ms(m[i + CRITICAL_STEPS]!))]),
        ['total with the whole-file check (what unlock waited for before issue 18)', ...totals.map((t) => fmt.ms(t))],
        ['database file (MiB)', ...sizes.map((s) => s.toFixed(1))],
      ],
    ),
  );
  console.log(
    '\nThe file is in the OS page cache (just written), as it is for a user who locks and unlocks; a cold start adds disk reads.',
  );

  console.log(`\n### Unlock end to end (Vault.open + vault.unlock: Argon2id, unseal the key, open and check the database)\n`);
  const unlockRows: string[][] = [];
  const defaultStore = await makeStore(DEFAULT_KDF, 3);
  for (const [label, store, strength] of [
    ['new store', defaultStore, DEFAULT_KDF],
    ['new store', empty, KDF_FLOOR],
    [`${fmt.int(full.entries)} audit entries`, full, KDF_FLOOR],
  ] as const) {
    progress(`unlocking: ${label}, ${describe(strength)}`);
    const runs = strength === DEFAULT_KDF ? KDF_RUNS : OPEN_RUNS;
    unlockRows.push([label, describe(strength), String(runs), ...summary(await unlockTimes(store, runs))]);
  }
  console.log(table(['store', 'slot KDF', 'runs', 'median ms', 'min ms', 'max ms'], unlockRows));

  console.log(
    `\n### Unlock to the first screen's data (dispatcher: session.unlock, session.setJustification, cases.list first page), and until the background integrity check has passed\n`,
  );
  const screenRows: string[][] = [];
  for (const store of stores) {
    progress(`unlock to first screen: ${fmt.int(store.entries)} audit entries`);
    const { firstScreen, checked } = await firstScreenTimes(store, OPEN_RUNS);
    screenRows.push([`${fmt.int(store.entries)} audit entries`, String(OPEN_RUNS), ...summary(firstScreen), fmt.ms(median(checked))]);
  }
  console.log(
    table(
      [
        'store (slot KDF at the floor)',
        'runs',
        'first screen median ms',
        'min ms',
        'max ms',
        'whole-file check passed, median ms from the start',
      ],
      screenRows,
    ),
  );
  console.log('\nA change (or an export) made before the check has passed waits for it; reads and their audit entries do not.');
  if (quick) console.log('\n(quick run)');
}

await main();
