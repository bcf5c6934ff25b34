// A real encrypted store holding the synthetic partnership of case-seed.ts, made once and kept: loading
// 100,000 cases takes minutes, so a bench given a folder (--keep=DIR) generates the store there the first
// time, marks it whole, and unlocks it on every later run instead. A store kept by older code is migrated
// when it is unlocked, as a user's would be. Used by bench/cases (and through it bench/cases-scale) and
// open to any bench that needs a large store (bench/backup: 100,000 cases).
//
// The plain copy bench/cases compares against is exported from the encrypted store (sqlcipher_export, as
// a backup snapshot is made), so both hold the same rows, ids and pages' contents, and it costs one copy
// instead of a second load.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Host } from '../../src/host/host.js';
import type { Database } from '../../src/vault/database.js';
import { KDF_FLOOR } from '../../src/vault/slot-crypto.js';
import { MANAGER, call, credentials, managerStore } from '../../test/support/partnership.js';
import { sealClosedContent } from '../../src/store/closed-store.js';
import { generate, type Generated } from './case-seed.js';

export interface CaseStore {
  host: Host;
  /** The vault's connection (the store is unlocked as the manager). */
  db: Database;
  g: Generated;
  /** How long generating took (ms), or null for a store kept from an earlier run. */
  generatedMs: number | null;
  /** The main thread's and SQLite's CPU time while generating (ms), or null when kept. */
  generatedCpuMs: number | null;
}

/** The marker written last, once a store is whole: its size and seed, and what generating it returned. */
interface Marker {
  cases: number;
  seed: number;
  g: Generated;
}

const markerPath = (folder: string, label: string) => join(folder, `${label}.generated.json`);

function readMarker(folder: string, label: string, cases: number, seed: number): Generated | null {
  const path = markerPath(folder, label);
  if (!existsSync(path)) return null;
  const kept = JSON.parse(readFileSync(path, 'utf8')) as Partial<Marker>;
  if (kept.cases !== cases) throw new Error(`${folder} holds a ${label} store of ${kept.cases} cases, not ${cases}`);
  if (kept.seed !== undefined && kept.seed !== seed) throw new Error(`${folder} holds a ${label} store of seed ${kept.seed}, not ${seed}`);
  return kept.g!;
}

/**
 * The encrypted store of `cases` cases in `folder`/encrypted, unlocked as the manager: kept from an earlier
 * run when `keep` and the folder holds one of that size and seed, otherwise made and seeded in one
 * transaction (and, when `keep`, checkpointed and marked so the next run reuses it).
 */
export async function openCaseStore(
  folder: string,
  options: { cases: number; seed: number; keep: boolean; log?: (message: string) => void },
): Promise<CaseStore> {
  const { cases, seed, keep } = options;
  const log = options.log ?? (() => undefined);
  mkdirSync(folder, { recursive: true });
  const host = new Host(join(folder, 'encrypted'), { kdf: KDF_FLOOR });
  const kept = keep ? readMarker(folder, 'encrypted', cases, seed) : null;
  if (kept) {
    const opened = performance.now();
    await call(host, 'session.unlock', credentials(MANAGER));
    log(
      `opened the kept encrypted store of ${cases.toLocaleString('en-GB')} cases in ${((performance.now() - opened) / 1000).toFixed(1)} s`,
    );
    // The whole-file check that unlock starts in the background reads the store end to end on its own thread
    // (about 40 s at 100,000 cases on two cores): timed beside it, every query waited for a core. The benches
    // measure the store once it is settled, and say how long that took.
    const checking = performance.now();
    await host.vault!.integrity.passed();
    log(`its whole-file check, run in the background after unlock, passed ${((performance.now() - checking) / 1000).toFixed(1)} s later`);
    return { host, db: host.vault!.db, g: kept, generatedMs: null, generatedCpuMs: null };
  }
  // A store half-made by an interrupted run is started again.
  if (existsSync(join(folder, 'encrypted'))) rmSync(join(folder, 'encrypted'), { recursive: true, force: true });
  await managerStore(host);
  const db = host.vault!.db;
  log(`generating ${cases.toLocaleString('en-GB')} cases (seed ${seed})`);
  const start = performance.now();
  const cpu = process.cpuUsage();
  const g = await db.transaction((sql) => generate(sql, 1, seed, cases));
  // The dispatcher moves closed-only content to the closed database after each call; a bulk load moves it once.
  await db.exclusive(() => sealClosedContent(db, { orphans: true }));
  const used = process.cpuUsage(cpu);
  const generatedMs = performance.now() - start;
  log(`generated in ${(generatedMs / 1000).toFixed(1)} s (CPU ${((used.user + used.system) / 1e6).toFixed(1)} s)`);
  if (keep) {
    await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    writeFileSync(markerPath(folder, 'encrypted'), JSON.stringify({ cases, seed, g } satisfies Marker));
  }
  return { host, db, g, generatedMs, generatedCpuMs: (used.user + used.system) / 1000 };
}

/**
 * An unencrypted copy of the store at `path` (same schema, rows and schema version), exported from the
 * vault's connection; reused when `keep` and already made for this store. Returns the export's time in ms,
 * or null when the copy was kept.
 */
export async function plainCopy(
  store: CaseStore,
  folder: string,
  options: { cases: number; seed: number; keep: boolean },
): Promise<number | null> {
  const path = join(folder, 'plain.db');
  if (options.keep && store.generatedMs === null && readMarker(folder, 'plain', options.cases, options.seed) && existsSync(path))
    return null;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
  const start = performance.now();
  const db = store.db;
  const version = (await db.get<{ user_version: number }>('PRAGMA main.user_version'))!.user_version;
  // A key holder's session reads sealed rows through TEMP views named as the tables (docs/closed-store.md);
  // sqlcipher_export would resolve the tables it indexes to those views ("views may not be indexed"), so
  // they are set aside while it runs. The copy holds the open store as it is on disk: stubs for sealed rows.
  const views = await db.all<{ name: string; sql: string }>("SELECT name, sql FROM temp.sqlite_schema WHERE type = 'view'");
  for (const view of views) await db.exec(`DROP VIEW temp."${view.name.replace(/"/g, '""')}"`);
  // A connection opened on an existing store attaches only files that exist (it is not opened to create).
  writeFileSync(path, '');
  await db.exec(`ATTACH DATABASE '${path.replace(/'/g, "''")}' AS plain KEY ''`);
  try {
    await db.get("SELECT sqlcipher_export('plain')");
    await db.exec(`PRAGMA plain.user_version = ${version}`);
  } finally {
    await db.exec('DETACH DATABASE plain');
    for (const view of views) await db.exec(view.sql.replace(/^CREATE\s+(TEMP\s+|TEMPORARY\s+)?VIEW/i, 'CREATE TEMP VIEW'));
  }
  if (options.keep)
    writeFileSync(markerPath(folder, 'plain'), JSON.stringify({ cases: options.cases, seed: options.seed, g: store.g } satisfies Marker));
  return performance.now() - start;
}
