// bench/backup: a backup and its verification on a large store (issue 19's goal: 100,000 cases and
// 1,000,000 audit entries), in MiB/s, and the longest stall of reads and writes made through the dispatcher
// while the backup runs (goal: none over 100 ms), against the same load with no backup running.
//
//   node dist/bench/backup.js [--quick] [--cases=N] [--entries=N] [--keep=DIR] [--no-verify] [--after-seconds=S]
//
// --no-verify skips the verification (minutes at full size) when only the stalls are wanted; --after-seconds
// caps the window of the same load with no backup running after it (default: as long as the backup, up to 120).
//
// Cases come with three people and ten notes each (bench/cases' generator); the audit log is filled with the
// same hashes as real appends (bench/support/audit-fill). The store is a real encrypted one in a temp folder;
// --keep=DIR keeps it in DIR and, when DIR already holds one of the same size from an earlier run, unlocks it
// instead of generating it again (generating 100,000 cases and 1,000,000 entries takes many minutes). The
// load of each run adds its notes and entries to a kept store: the figures are for a store slightly larger.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Host } from '../src/host/host.js';
import { backupJob, verifyBackupFile } from '../src/services/backup.js';
import { sealClosedContent } from '../src/store/closed-store.js';
import { KDF_FLOOR } from '../src/vault/slot-crypto.js';
import { MANAGER, call, credentials, managerStore } from '../test/support/partnership.js';
import { generate, type Generated } from './cases-data.js';
import { fillAuditLog } from './support/audit-fill.js';
import { startFsyncProbe, type FsyncSample } from './support/fsync-probe.js';
import { watchMainThread, type PhaseWatch } from './support/main-thread.js';
import { summariseSlowSteps, traceSlowSteps } from './support/slow-steps.js';
import { fmt, progress, size, table, tempDir, timed } from './support/harness.js';

const CASES = size('cases', 100_000, 1_000);
const ENTRIES = size('entries', 1_000_000, 20_000);
const KEEP = process.argv.find((a) => a.startsWith('--keep='))?.slice('--keep='.length);
const VERIFY = !process.argv.includes('--no-verify');
const AFTER_CAP_MS = 1000 * Number(process.argv.find((a) => a.startsWith('--after-seconds='))?.slice('--after-seconds='.length) ?? 120);
const STALL_GOAL_MS = 100;
const MiB = 2 ** 20;

interface Load {
  reads: number[];
  writes: number[];
  /** The longest time the main thread could not run a timer (the Electron main loop would freeze as long). */
  longestLoopDelayMs: number;
  /** The longest read and write in each phase of the backup job (when one runs), to see where stalls come from. */
  byPhase: Map<string, { read: number; write: number }>;
}

/** The backup job's phase as a call starts: snapshot, writing, or finishing (its audit entry and checkpoint). */
function phaseOf(host: Host): string {
  const view = backupJob(host, 'create')?.view;
  if (!view || view.state !== 'running') return 'no job';
  return view.phase === 'writing' && view.progress >= 1 ? 'finishing' : (view.phase ?? 'starting');
}

/** `phaseOf`, remembering when each phase began (ms since the epoch, as the fsync probe's samples are timed). */
function phaseClock(host: Host) {
  const changes: { at: number; phase: string }[] = [];
  return {
    now(): string {
      const phase = phaseOf(host);
      if (changes.at(-1)?.phase !== phase) changes.push({ at: performance.timeOrigin + performance.now(), phase });
      return phase;
    },
    /** The phase at `at` (ms since the epoch), or 'before' if none had begun. */
    at(at: number): string {
      let phase = 'before';
      for (const change of changes) if (change.at <= at) phase = change.phase;
      return phase;
    },
  };
}

/**
 * Reads (case detail) and writes (a note on a case) through the dispatcher, one after another, for as long as
 * `running()` says; each call's time is the stall a user would see on that click.
 */
async function load(host: Host, g: Generated, running: () => boolean, phaseNow = () => phaseOf(host)): Promise<Load> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const result: Load = { reads: [], writes: [], longestLoopDelayMs: 0, byPhase: new Map() };
  const longest = (phase: string, kind: 'read' | 'write', ms: number) => {
    const seen = result.byPhase.get(phase) ?? { read: 0, write: 0 };
    seen[kind] = Math.max(seen[kind], ms);
    result.byPhase.set(phase, seen);
  };
  let i = 0;
  while (running()) {
    const caseId = g.caseIds[(i * 7919) % g.caseIds.length]!;
    let phase = phaseNow();
    const readStart = performance.now();
    await call(host, 'cases.get', { caseId });
    result.reads.push(performance.now() - readStart);
    longest(phase, 'read', result.reads.at(-1)!);
    phase = phaseNow();
    const writeStart = performance.now();
    await call(host, 'cases.addNote', { caseId, body: `Bench note ${i} written while a backup may be running.` });
    result.writes.push(performance.now() - writeStart);
    longest(phase, 'write', result.writes.at(-1)!);
    i++;
  }
  loop.disable();
  result.longestLoopDelayMs = loop.max / 1e6;
  return result;
}

/**
 * Per phase of the backup job: its wall and CPU time, the main thread's own time on a CPU and waiting for
 * one (the machine's load), the longest read and write, the longest gap between the probe's ticks split the
 * same way, and how long a small append + fdatasync on its own thread waited (the disk's share of a stall).
 */
function phaseTable(l: Load, byPhase: Map<string, PhaseWatch>, fsyncs: readonly FsyncSample[], phaseAt: (at: number) => string): string {
  const order = ['no job', 'starting', 'snapshot', 'writing', 'finishing'];
  const phases = [...new Set([...order, ...byPhase.keys()])].filter((p) => byPhase.has(p) || l.byPhase.has(p));
  return table(
    [
      'phase of the backup job',
      'wall (s)',
      'CPU of the process (s)',
      'main thread on a CPU / waiting for one (s)',
      'longest read / write (ms)',
      'longest gap of the 10 ms probe (ms): on a CPU / waiting',
      'append + fdatasync beside it: count, p95 / max (ms)',
    ],
    phases.map((phase) => {
      const w = byPhase.get(phase);
      const calls = l.byPhase.get(phase);
      const syncs = fsyncs.filter((f) => phaseAt(f.at) === phase).map((f) => f.ms);
      return [
        phase,
        w ? (w.wallMs / 1000).toFixed(1) : '-',
        w ? (w.cpuMs / 1000).toFixed(1) : '-',
        w ? `${(w.onCpuMs / 1000).toFixed(1)} / ${(w.waitingMs / 1000).toFixed(1)}` : '-',
        calls ? `${fmt.ms(calls.read)} / ${fmt.ms(calls.write)}` : '-',
        w ? `${fmt.ms(w.longestGap.ms)}: ${fmt.ms(w.longestGap.onCpu)} / ${fmt.ms(w.longestGap.waiting)}` : '-',
        syncs.length ? `${syncs.length}, ${fmt.ms(percentile(syncs, 0.95))} / ${fmt.ms(Math.max(...syncs))}` : '-',
      ];
    }),
  );
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

interface Kept {
  cases: number;
  entries: number;
  g: Generated;
}

/** The store to back up: generated (and, with --keep, marked whole once it is), or unlocked from an earlier run. */
async function storeToBackUp(folder: string): Promise<{ host: Host; g: Generated }> {
  const host = new Host(join(folder, 'store'), { kdf: KDF_FLOOR });
  const marker = join(folder, 'store.generated.json');
  if (KEEP !== undefined && existsSync(marker)) {
    const kept = JSON.parse(readFileSync(marker, 'utf8')) as Kept;
    if (kept.cases !== CASES || kept.entries !== ENTRIES)
      throw new Error(`${folder} holds a store of ${kept.cases} cases and ${kept.entries} entries, not ${CASES} and ${ENTRIES}`);
    progress(`unlocking the kept store in ${folder}`);
    await call(host, 'session.unlock', credentials(MANAGER));
    // Writes wait for the whole-file check an unlock starts (minutes at this size): not a stall of the backup's.
    const checked = await timed(() => host.vault!.integrity.passed());
    progress(`the whole-file check after unlock took ${(checked.ms / 1000).toFixed(0)} s`);
    return { host, g: kept.g };
  }
  if (existsSync(join(folder, 'store'))) throw new Error(`${folder} holds a store that was not finished; remove it first`);
  await managerStore(host);
  const db = host.vault!.db;
  await db.exec('PRAGMA cache_size = -262144');
  const started = performance.now();
  progress(`generating ${fmt.int(CASES)} cases (3 people and 10 notes each)`);
  const g = await db.transaction((sql) => generate(sql, 1, 20261130, CASES));
  await db.exclusive(() => sealClosedContent(db, { orphans: true }));
  progress(`filling the audit log with ${fmt.int(ENTRIES)} entries`);
  await fillAuditLog(db, host.vault!.storeId, ENTRIES, {
    onProgress: (n) => n % 200_000 === 0 && progress(`  ${fmt.int(n)} entries`),
  });
  await db.exec('PRAGMA cache_size = -65536');
  await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  progress(`generated in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (KEEP !== undefined) writeFileSync(marker, JSON.stringify({ cases: CASES, entries: ENTRIES, g } satisfies Kept));
  return { host, g };
}

/** Wall time and this process's CPU time (user + system) of `work`: the machine is shared, so both are shown. */
async function timedWithCpu<T>(work: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const cpu = process.cpuUsage();
  const { ms, value } = await timed(work);
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, value };
}

async function main(): Promise<void> {
  const folder = KEEP ?? tempDir('concordat-bench-backup-');
  mkdirSync(folder, { recursive: true });
  const { host, g } = await storeToBackUp(folder);
  const storeBytes = statSync(join(host.dataDir, 'concordat.db')).size;
  await call(host, 'session.setJustification', { justification: 'Benchmark of backups' });

  progress('the same load with no backup running (3 s)');
  const baselineEnd = performance.now() + 3000;
  const baseline = await load(host, g, () => performance.now() < baselineEnd);

  progress('backup while the load runs');
  const out = join(tempDir('concordat-bench-backup-out-'), 'bench.cbak');
  const loadAtStart = loadavg();
  let backingUp = true;
  const clock = phaseClock(host);
  const watch = watchMainThread({ phase: clock.now });
  const fsyncProbe = startFsyncProbe(host.dataDir);
  // Through the backup and the same load after it ('no job'): which statement or wait each slow call spent its time in.
  const trace = traceSlowSteps(host.vault!.db, clock.now, {
    also: [{ object: host.vault!, method: 'saveKeyFileInBackground', label: "the key file's background write (write + fsync)" }],
  });
  const during = load(host, g, () => backingUp, clock.now);
  const made = await timedWithCpu(async () => {
    await call(host, 'backup.create', { out });
    await backupJob(host, 'create')!.finished;
  });
  backingUp = false;
  const duringBackup = await during;
  const watched = await watch.stop();
  const fsyncs = await fsyncProbe.stop();
  const job = await call(host, 'backup.status');
  if (job.state !== 'done') throw new Error(`the backup failed: ${JSON.stringify(job.error)}`);
  const backupBytes = job.bytes!;

  // Under a shared machine's load, a longer window sees longer stalls: the same load again, as long as the
  // backup took (up to two minutes), with no backup running, is the fair comparison.
  const afterMs = Math.min(made.ms, AFTER_CAP_MS);
  progress(`the same load again with no backup running (${(afterMs / 1000).toFixed(0)} s)`);
  const afterEnd = performance.now() + afterMs;
  const after = await load(host, g, () => performance.now() < afterEnd);
  const slowSteps = summariseSlowSteps(trace.stop());

  if (VERIFY) progress('verifying the backup (passphrase, whole-file tag, every page, audit chain, counts)');
  const verified = VERIFY ? await timedWithCpu(() => verifyBackupFile(out, credentials(MANAGER))) : null;
  const loadAtEnd = loadavg();
  const doneEntry = await host.vault!.db.get<{ details: string }>(
    "SELECT details FROM audit_log WHERE operation = 'backup.create' ORDER BY seq DESC LIMIT 1",
  );
  const doneDetails = JSON.parse(doneEntry!.details) as {
    queueHeldMs?: number;
    snapshot?: string;
    snapshotMs?: number;
    describeMs?: number;
  };
  const queueHeldMs = Number(doneDetails.queueHeldMs ?? NaN);
  await host.close();

  const mibps = (bytes: number, ms: number) => (bytes / MiB / (ms / 1000)).toFixed(1);
  const stallRow = (label: string, l: Load) => [
    label,
    fmt.int(l.reads.length),
    `${fmt.ms(percentile(l.reads, 0.5))} / ${fmt.ms(percentile(l.reads, 0.95))} / ${fmt.ms(percentile(l.reads, 0.99))} / ${fmt.ms(Math.max(...l.reads))}`,
    `${fmt.ms(percentile(l.writes, 0.5))} / ${fmt.ms(percentile(l.writes, 0.95))} / ${fmt.ms(percentile(l.writes, 0.99))} / ${fmt.ms(Math.max(...l.writes))}`,
    fmt.ms(l.longestLoopDelayMs),
    `${l.reads.filter((ms) => ms > STALL_GOAL_MS).length} / ${l.writes.filter((ms) => ms > STALL_GOAL_MS).length}`,
  ];
  const longest = Math.max(...duringBackup.reads, ...duringBackup.writes, duringBackup.longestLoopDelayMs);
  const baselineLongest = Math.max(...after.reads, ...after.writes, after.longestLoopDelayMs);
  console.log(
    `Store: ${fmt.int(CASES)} cases (${fmt.int(CASES * 3)} people, ~${fmt.int(CASES * 10)} notes), ${fmt.int(ENTRIES)} filled audit entries; ` +
      `database ${(storeBytes / MiB).toFixed(1)} MiB; backup file ${(backupBytes / MiB).toFixed(1)} MiB; ` +
      `tables in the manifest: ${verified ? Object.keys(verified.value.manifest.tables).length : 'not verified'}.`,
  );
  console.log('');
  console.log(
    table(
      ['step', 'wall time (s)', 'CPU time of the process (s)', 'MiB/s (of the backup file, wall)'],
      [
        [
          'backup.create (snapshot on a second connection, then assemble + HMAC; the load below runs beside it)',
          (made.ms / 1000).toFixed(1),
          (made.cpuMs / 1000).toFixed(1),
          mibps(backupBytes, made.ms),
        ],
        ...(verified
          ? [
              [
                'verify (unseal, HMAC, copy out, cipher_integrity_check, quick_check, counts, audit chain)',
                (verified.ms / 1000).toFixed(1),
                (verified.cpuMs / 1000).toFixed(1),
                mibps(backupBytes, verified.ms),
              ],
            ]
          : []),
      ],
    ),
  );
  console.log('');
  console.log(
    table(
      [
        'load through the dispatcher',
        'pairs of calls',
        'cases.get median / p95 / p99 / max (ms)',
        'cases.addNote median / p95 / p99 / max (ms)',
        'longest event-loop delay (ms)',
        `reads / writes over ${STALL_GOAL_MS} ms`,
      ],
      [
        stallRow('no backup, before (3 s)', baseline),
        stallRow(`during the backup (${(made.ms / 1000).toFixed(1)} s)`, duringBackup),
        stallRow(`no backup, after (${(afterMs / 1000).toFixed(0)} s)`, after),
      ],
    ),
  );
  console.log('');
  console.log(
    `Longest stall during the backup: ${fmt.ms(longest)} ms (goal: under ${STALL_GOAL_MS} ms: ${longest < STALL_GOAL_MS ? 'met' : 'NOT met'}); ` +
      `with no backup running, the same load for as long had a longest of ${fmt.ms(baselineLongest)} ms. The backup itself held the store's queue for ` +
      `${fmt.ms(queueHeldMs)} ms (to fix its starting point); everything else runs on its own connection and the thread pool. ` +
      `The snapshot was ${doneDetails.snapshot ?? 'exported'} (${doneDetails.snapshot === 'copied' ? "the live files' bytes, read-lock 0" : 'sqlcipher_export'}) ` +
      `in ${fmt.ms(doneDetails.snapshotMs ?? NaN)} ms; the manifest was read from the copies in ${fmt.ms(doneDetails.describeMs ?? NaN)} ms (both in the snapshot phase below).`,
  );
  console.log('');
  console.log(
    `Longest read / write during the backup by the job's phase as the call started: ${[...duringBackup.byPhase]
      .map(([phase, { read, write }]) => `${phase} ${fmt.ms(read)} / ${fmt.ms(write)} ms`)
      .join('; ')}.`,
  );
  console.log('');
  console.log(phaseTable(duringBackup, watched.byPhase, fsyncs, clock.at));
  console.log('');
  console.log(
    `During the backup: event-loop delay max ${fmt.ms(watched.delayMax)} ms (p99 ${fmt.ms(watched.delayP99)}); the 10 ms probe ran at most ` +
      `${fmt.ms(watched.probeMax)} ms late; the longest gap between its ticks was ${
        watched.longestGap
          ? `${fmt.ms(watched.longestGap.ms)} ms (main thread ${fmt.ms(watched.longestGap.onCpu)} ms on a CPU, ${fmt.ms(watched.longestGap.waiting)} ms waiting for one)`
          : 'n/a'
      }; small appends + fdatasync beside it (every 50 ms, own thread): ${fsyncs.length}, longest ${fmt.ms(Math.max(0, ...fsyncs.map((f) => f.ms)))} ms.`,
  );
  console.log('');
  console.log(
    table(
      ["slow step (over 100 ms) on the store's connection", 'phase', 'count', 'longest (ms)'],
      slowSteps.slice(0, 30).map((s) => [`${s.kind}: ${s.what.replace(/\|/g, '/')}`, s.phase, fmt.int(s.count), fmt.ms(s.longest)]),
    ),
  );
  console.log('');
  console.log(
    `Load average (1, 5, 15 min) as the backup started: ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}; after the verify: ` +
      `${loadAtEnd.map((l) => l.toFixed(2)).join(', ')} (2 cores shared with other work: wall times are inflated, CPU times less so).`,
  );
}

await main();
