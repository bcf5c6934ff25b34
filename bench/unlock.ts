// bench/unlock: what a user waits for at unlock. Argon2id at the production default and at the floor,
// the database open with its integrity checks (empty and with a long audit log), and the two together.
//
//   node dist/bench/unlock.js [--quick] [--kdf-runs=N] [--open-runs=N] [--open-entries=N]
import { MIGRATIONS } from '../src/store/migrations/index.js';
import { Host } from '../src/host/host.js';
import { Database } from '../src/vault/database.js';
import { migrate } from '../src/vault/migrate.js';
import { DEFAULT_KDF, KDF_FLOOR, deriveKey, newKdfParams, type KdfStrength } from '../src/vault/slot-crypto.js';
import { Vault, configureConnection } from '../src/vault/vault.js';
import { MANAGER, call, managerStore } from '../test/support/partnership.js';
import { fillAuditLog } from './support/audit-fill.js';
import { fmt, median, progress, quick, repeat, size, table, tempDir, timed } from './support/harness.js';
import { statSync } from 'node:fs';

const KDF_RUNS = size('kdf-runs', 5, 2);
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

const OPEN_STEPS = ['open file, key, PRAGMAs', 'first read (sqlite_master)', 'PRAGMA cipher_integrity_check', 'PRAGMA quick_check', 'migrate (up to date) + store id'] as const;

/** The steps of the vault's openDatabase, timed one by one on a fresh connection. */
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
      const errors = await open.all('PRAGMA cipher_integrity_check');
      if (errors.length) throw new Error('cipher_integrity_check failed');
    });
    await step(async () => {
      const rows = await open.all<{ quick_check: string }>('PRAGMA quick_check');
      if (rows[0]?.quick_check !== 'ok') throw new Error('quick_check failed');
    });
    await step(async () => {
      await migrate(open, MIGRATIONS);
      await open.get("SELECT value FROM meta WHERE key = 'store_id'");
    });
  } finally {
    await open.close();
  }
  return steps;
}

async function unlockTimes(store: Store, runs: number): Promise<number[]> {
  return repeat(runs, async () => {
    const vault = Vault.open(store.dataDir, { migrations: MIGRATIONS });
    try {
      await vault.unlock(MANAGER.username, MANAGER.passphrase);
    } finally {
      await vault.close();
    }
  });
}

async function main(): Promise<void> {
  console.log(`### Argon2id (deriveKey, hash-wasm), median of ${KDF_RUNS} after one warm-up\n`);
  const kdfRows: string[][] = [];
  for (const [name, strength] of [['production default', DEFAULT_KDF], ['floor (tests; weakest a slot may carry)', KDF_FLOOR]] as const) {
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
  const sizes = stores.map((s) => statSync(Vault.paths(s.dataDir).database).size / 2 ** 20);
  console.log(table(
    ['step', ...stores.map((s) => (s === empty ? 'new store, 3 audit entries (ms)' : `${fmt.int(s.entries)} audit entries (ms)`))],
    [
      ...OPEN_STEPS.map((name, i) => [name, ...medians.map((m) => fmt.ms(m[i]!))]),
      ['**total open**', ...totals.map((t) => `**${fmt.ms(t)}**`)],
      ['database file (MiB)', ...sizes.map((s) => s.toFixed(1))],
    ],
  ));
  console.log('\nThe file is in the OS page cache (just written), as it is for a user who locks and unlocks; a cold start adds disk reads.');

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
  if (quick) console.log('\n(quick run)');
}

await main();
