// bench/store: the cost of encryption. The same workload on an encrypted database configured exactly as
// the vault configures its own (configureConnection) and on an unencrypted one opened by the same binding
// with the same PRAGMAs and no key. Each round uses fresh files; figures are medians over the rounds.
//
//   node dist/bench/store.js [--quick] [--rows=N] [--single=N] [--points=N] [--scans=N] [--rounds=N]
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database, type SqlValue } from '../src/vault/database.js';
import { configureConnection } from '../src/vault/vault.js';
import { seededRandom } from '../test/support/partnership.js';
import { fmt, median, progress, quick, removeDir, size, table, tempDir, timed } from './support/harness.js';

const ROWS = size('rows', 100_000, 10_000);
const SINGLE = size('single', 500, 50);
const POINTS = size('points', 20_000, 2_000);
const SCANS = size('scans', 200, 20);
const ROUNDS = size('rounds', 3, 1);
const ORGANISATIONS = 50;

const SCHEMA = `
CREATE TABLE bench_people (
  id              INTEGER PRIMARY KEY,
  reference       TEXT NOT NULL,
  name            TEXT NOT NULL,
  organisation_id INTEGER NOT NULL,
  risk            INTEGER NOT NULL,
  updated_at      TEXT NOT NULL,
  notes           TEXT NOT NULL
) STRICT;
CREATE INDEX bench_people_by_org ON bench_people (organisation_id, updated_at);
`;
const INSERT = 'INSERT INTO bench_people (id, reference, name, organisation_id, risk, updated_at, notes) VALUES (?, ?, ?, ?, ?, ?, ?)';
/** The vault's settings, read back from the encrypted connection and applied unchanged to the plain one. */
const MIRRORED = ['journal_mode', 'foreign_keys', 'secure_delete', 'temp_store', 'synchronous', 'busy_timeout', 'cache_size'] as const;

function row(id: number): SqlValue[] {
  const stamp = new Date(Date.UTC(2026, 0, 1) + id * 60_000).toISOString();
  return [
    id,
    `NCSP-${String(id).padStart(6, '0')}`,
    `Person ${id}`,
    id % ORGANISATIONS,
    id % 4,
    stamp,
    `Case note ${id}: referred by partner ${id % ORGANISATIONS}; review at the next People meeting; actions agreed and owners named.`,
  ];
}

/** A deterministic shuffle of ids, the same for both databases. */
function randomIds(count: number, max: number): number[] {
  const random = seededRandom(0x2545f491);
  return Array.from({ length: count }, () => random.int(1, max));
}

type Kind = 'encrypted' | 'plain';

interface Pair {
  folder: string;
  settings: Record<string, string>;
  open(kind: Kind): Promise<Database>;
}

async function pair(): Promise<Pair> {
  const folder = tempDir();
  const key = randomBytes(32);
  const settings: Record<string, string> = {};
  const open = async (kind: Kind): Promise<Database> => {
    const db = await Database.open(join(folder, `${kind}.db`), 'create');
    if (kind === 'encrypted') {
      await configureConnection(db, key);
      for (const name of MIRRORED) {
        const value = await db.get<Record<string, SqlValue>>(`PRAGMA ${name}`);
        settings[name] = String(Object.values(value ?? {})[0]);
      }
    } else {
      if (Object.keys(settings).length === 0) throw new Error('open the encrypted database first');
      for (const name of MIRRORED) {
        await db.get(`PRAGMA ${name} = ${settings[name]}`);
        const value = await db.get<Record<string, SqlValue>>(`PRAGMA ${name}`);
        if (String(Object.values(value ?? {})[0]) !== settings[name]) throw new Error(`PRAGMA ${name} did not take on the plain database`);
      }
    }
    return db;
  };
  return { folder, settings, open };
}

type Measure = 'bulk' | 'single' | 'point' | 'range' | 'full';
type Times = Record<Measure, number>;

async function insertPhase(db: Database): Promise<Pick<Times, 'bulk' | 'single'>> {
  await db.exec(SCHEMA);
  const bulk = await timed(() =>
    db.transaction(async (sql) => {
      const stmt = await sql.prepare(INSERT);
      try {
        for (let id = 1; id <= ROWS; id++) await stmt.run(row(id));
      } finally {
        await stmt.finalize();
      }
    }),
  );
  const single = await timed(async () => {
    for (let i = 1; i <= SINGLE; i++) await db.transaction((sql) => sql.run(INSERT, row(ROWS + i)));
  });
  return { bulk: bulk.ms, single: single.ms };
}

async function selectPhase(db: Database): Promise<Pick<Times, 'point' | 'range' | 'full'>> {
  const ids = randomIds(POINTS, ROWS);
  const point = await timed(async () => {
    const stmt = await db.prepare('SELECT * FROM bench_people WHERE id = ?');
    try {
      for (const id of ids) if (!(await stmt.get([id]))) throw new Error(`row ${id} missing`);
    } finally {
      await stmt.finalize();
    }
  });
  const range = await timed(async () => {
    const stmt = await db.prepare('SELECT * FROM bench_people WHERE organisation_id = ? ORDER BY updated_at');
    try {
      for (let i = 0; i < SCANS; i++) await stmt.all([i % ORGANISATIONS]);
    } finally {
      await stmt.finalize();
    }
  });
  const full = await timed(() => db.all('SELECT * FROM bench_people'));
  if (full.value.length !== ROWS + SINGLE) throw new Error('full scan returned the wrong number of rows');
  return { point: point.ms, range: range.ms, full: full.ms };
}

async function round(
  index: number,
): Promise<{ times: Record<Kind, Times>; settings: Record<string, string>; headers: Record<Kind, string> }> {
  const p = await pair();
  const kinds: Kind[] = index % 2 === 0 ? ['encrypted', 'plain'] : ['plain', 'encrypted'];
  const partial: Partial<Record<Kind, Partial<Times>>> = {};
  // Encrypted first on the first open, so its settings exist to mirror; after that the order alternates.
  const inserted: Record<Kind, Database> = { encrypted: await p.open('encrypted'), plain: await p.open('plain') };
  for (const kind of kinds) {
    progress(`round ${index + 1}/${ROUNDS}: ${kind}, inserts`);
    partial[kind] = await insertPhase(inserted[kind]);
    await inserted[kind].close();
  }
  // Fresh connections: the selects start from an empty page cache, as after an unlock.
  for (const kind of kinds) {
    progress(`round ${index + 1}/${ROUNDS}: ${kind}, selects`);
    const db = await p.open(kind);
    try {
      Object.assign(partial[kind]!, await selectPhase(db));
    } finally {
      await db.close();
    }
  }
  const header = (kind: Kind) =>
    readFileSync(join(p.folder, `${kind}.db`))
      .subarray(0, 15)
      .toString('latin1');
  const headers = { encrypted: header('encrypted'), plain: header('plain') };
  removeDir(p.folder);
  return { times: partial as Record<Kind, Times>, settings: p.settings, headers };
}

async function main(): Promise<void> {
  const rounds: Awaited<ReturnType<typeof round>>[] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await round(i));
  const { settings, headers } = rounds[0]!;
  if (headers.plain !== 'SQLite format 3' || headers.encrypted === 'SQLite format 3')
    throw new Error('the files are not what they claim to be');
  const med = (kind: Kind, measure: Measure) => median(rounds.map((r) => r.times[kind][measure]));

  const workloads: [Measure, string, number][] = [
    ['bulk', `bulk insert, one transaction, prepared statement`, ROWS],
    [
      'single',
      `single-row inserts, each its own transaction (synchronous=${settings.synchronous === '2' ? 'FULL' : settings.synchronous})`,
      SINGLE,
    ],
    ['point', 'point select by primary key (random ids)', POINTS],
    ['range', `range scan by index (organisation, ~${fmt.int(ROWS / ORGANISATIONS)} rows each)`, SCANS],
    ['full', 'full table scan', ROWS + SINGLE],
  ];
  console.log(`### Encrypted store vs unencrypted, same binding (@journeyapps/sqlcipher), same PRAGMAs, median of ${ROUNDS} round(s)\n`);
  console.log(
    table(
      ['workload', 'count', 'encrypted ms', 'plain ms', 'encrypted per s', 'plain per s', 'time ratio enc/plain'],
      workloads.map(([measure, label, count]) => {
        const enc = med('encrypted', measure);
        const plain = med('plain', measure);
        const unit = measure === 'range' ? ' scans' : measure === 'full' ? ' rows' : '';
        return [
          label,
          fmt.int(count),
          fmt.ms(enc),
          fmt.ms(plain),
          `${fmt.rate(count, enc)}${unit}`,
          `${fmt.rate(count, plain)}${unit}`,
          `**${fmt.ratio(enc, plain)}**`,
        ];
      }),
    ),
  );
  console.log(
    `\nPRAGMAs on both (read back from the vault's configureConnection): ${MIRRORED.map((n) => `${n}=${settings[n]}`).join(', ')}` +
      ' (synchronous 2 = FULL: every commit waits for an fsync of the WAL, which dominates single-row inserts on both).' +
      ' The encrypted file is keyed with a raw 256-bit key (SQLCipher 4 defaults: AES-256-CBC, HMAC-SHA512 per 4 KiB page).' +
      ' Selects run on a fresh connection (empty page cache); the files are in the OS page cache.',
  );
  if (quick) console.log('\n(quick run)');
}

await main();
