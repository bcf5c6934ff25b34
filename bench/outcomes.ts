// bench/outcomes: the outcome indicators (issue 17) for a year of a partnership with 10,000 cases, 50,000
// actions and 2,000 enforcement records, through the dispatcher on the encrypted store. Goal: under 200 ms.
//
//   node dist/bench/outcomes.js [--quick] [--runs=N]
//
// The rows are synthetic, from a fixed seed, written straight into the store in a few large statements
// (the services would take minutes to load this much and are not what is measured).
import { join } from 'node:path';
import { dispatch } from '../src/dispatch/dispatcher.js';
import { Host } from '../src/host/host.js';
import { ENFORCEMENT_TYPES } from '../src/domain/enforcement.js';
import { sql, sqlIdentifier, sqlJoin, sqlRows } from '../src/store/sql.js';
import { KDF_FLOOR } from '../src/vault/slot-crypto.js';
import type { Sql } from '../src/vault/database.js';
import { fmt, median, progress, quick, repeat, size, table, tempDir } from './support/harness.js';

const CASES = size('cases', 10_000, 1_000);
const ACTIONS = CASES * 5;
const ENFORCEMENT = CASES / 5;
const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? (quick ? 10 : 30));
const GOAL_MS = 200;
const YEAR = 2026;
const MANAGER = {
  username: 'bench.manager',
  displayName: 'Bench Manager',
  organisation: 'Bench Community Safety Team',
  passphrase: 'bench passphrase not for real use',
};
const AREAS = ['Northfield', 'Selly Oak', 'Kings Norton', 'Longbridge', 'Bournville'];

let state = 20261130;
const rand = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const dayOfYear = (n: number) => new Date(Date.UTC(YEAR, 0, 1 + n)).toISOString().slice(0, 10);
const someDay = () => dayOfYear(Math.floor(rand() * 365));

// main.: in a manager's session a sealed table's bare name is the read-only merged view (docs/closed-store.md).
async function insertMany(db: Sql, table: string, columns: string, rows: (string | number | null)[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const names = sqlJoin(columns.split(',').map((c) => sqlIdentifier(c.trim())));
    await db.run(sql`INSERT INTO main.${sqlIdentifier(table)} (${names}) VALUES ${sqlRows(rows.slice(i, i + 500))}`);
  }
}

async function load(db: Sql): Promise<void> {
  const at = `${YEAR}-01-01T09:00:00.000Z`;
  await db.exec('BEGIN');
  const cases = Array.from({ length: CASES }, (_, i) => [
    i + 1,
    `BENCH-${i + 1}`,
    YEAR,
    i + 1,
    pick(AREAS),
    'Police',
    someDay(),
    'Reports',
    'not_required',
    'low',
    'low',
    'low',
    'low',
    0,
    1,
    at,
    someDay(),
    ...(rand() < 0.3 ? ['closed', rand() < 0.6 ? 'resolved' : 'not_resolved'] : ['active', null]),
    rand() < 0.1 ? 1 : 0,
    at,
    1,
    at,
    1,
  ]);
  await insertMany(
    db,
    'cases',
    'id, reference, ref_year, ref_seq, area, referral_org, referral_date, referral_reason, consent, personal_harm, community_harm, environmental_harm, overall_risk, risk_rank, risk_assessed_by, risk_assessed_at, review_date, status, outcome, closed_only, created_at, created_by, updated_at, updated_by',
    cases,
  );
  const closures = cases
    .filter((c) => c[17] === 'closed')
    .map((c) => [c[0]!, 'under_review', 'closed', c[18]!, 'Done', 1, `${someDay()}T10:00:00.000Z`]);
  await insertMany(db, 'case_transitions', 'case_id, from_status, to_status, outcome, reason, by_user, at', closures);
  const meetings = Array.from({ length: 100 }, (_, i) => [
    i + 1,
    'people',
    pick(AREAS),
    someDay(),
    '10:00',
    'Station',
    0,
    1,
    'scheduled',
    1,
    1,
    3,
    1,
    'Confidential',
    at,
    1,
    at,
    1,
  ]);
  await insertMany(
    db,
    'meetings',
    'id, kind, area, date, start_time, place, online, closed, status, chair_id, minute_taker_id, quorum_organisations, quorum_chair, confidentiality, created_at, created_by, updated_at, updated_by',
    meetings,
  );
  const actions = Array.from({ length: ACTIONS }, () => [
    1 + Math.floor(rand() * 100),
    1 + Math.floor(rand() * CASES),
    'Visit',
    1,
    'PC',
    someDay(),
    pick(['open', 'done', 'carried_over']),
    0,
    at,
    1,
    at,
  ]);
  await insertMany(
    db,
    'actions',
    'meeting_id, case_id, description, owner_org_id, officer, due_date, status, closed_only, created_at, created_by, updated_at',
    actions,
  );
  const enforcement = Array.from({ length: ENFORCEMENT }, () => {
    const type = pick(
      ENFORCEMENT_TYPES.filter(
        (t) => t !== 'public_spaces_protection_order' && t !== 'community_protection_notice' && t !== 'closure_order',
      ),
    );
    const issued = someDay();
    return [type, 1 + Math.floor(rand() * CASES), pick(AREAS), 0, 'issued', 1, issued, issued, 0, at, 1, at, 1];
  });
  await insertMany(
    db,
    'enforcement',
    'type, case_id, area, power_of_arrest, stage, organisation_id, issued_on, served_on, closed_only, created_at, created_by, updated_at, updated_by',
    enforcement,
  );
  const breaches = Array.from({ length: ENFORCEMENT / 4 }, (_, i) => [
    i * 4 + 1,
    `${YEAR}-12-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`,
    'PCSO',
    'Warning',
    1,
    at,
  ]);
  await insertMany(db, 'enforcement_breaches', 'enforcement_id, date, reported_by, action_taken, recorded_by, recorded_at', breaches);
  await insertMany(
    db,
    'escalations',
    'case_id, kind, referred_on, referred_by, shared, recipients, created_at',
    Array.from({ length: CASES / 50 }, () => [
      1 + Math.floor(rand() * CASES),
      'task_and_finish_group',
      someDay(),
      1,
      'Summary',
      '["TFG"]',
      at,
    ]),
  );
  await insertMany(
    db,
    'partnership_activities',
    'kind, date, area, description, created_at, created_by',
    Array.from({ length: 300 }, () => [pick(['face_the_public', 'community_tension']), someDay(), pick(AREAS), '', at, 1]),
  );
  await insertMany(
    db,
    'community_triggers',
    'area, applicant, consent, application_date, persistent_harm, threshold_complaints, threshold_days, status, decision_met, created_at, created_by',
    Array.from({ length: 100 }, () => [pick(AREAS), 'A', 1, someDay(), 0, 3, 182, 'threshold_not_met', 0, at, 1]),
  );
  await db.exec('COMMIT');
}

async function main(): Promise<void> {
  const host = new Host(join(tempDir('concordat-bench-outcomes-'), 'store'), { kdf: KDF_FLOOR });
  const init = await dispatch(host, 'store.init', MANAGER);
  if (!init.ok) throw new Error(`store.init: ${init.error.message}`);
  progress(`loading ${fmt.int(CASES)} cases, ${fmt.int(ACTIONS)} actions, ${fmt.int(ENFORCEMENT)} enforcement records`);
  await load(host.vault!.db);
  const rows: (string | number)[][] = [];
  for (const granularity of ['month', 'quarter', 'whole'] as const) {
    const input = { from: `${YEAR}-01-01`, to: `${YEAR}-12-31`, granularity };
    const check = await dispatch(host, 'outcomes.indicators', input);
    if (!check.ok) throw new Error(`outcomes.indicators: ${check.error.message}`);
    const times = await repeat(RUNS, () => dispatch(host, 'outcomes.indicators', input), 3);
    times.sort((a, b) => a - b);
    const p95 = times[Math.min(times.length - 1, Math.ceil(0.95 * times.length) - 1)]!;
    rows.push([`a year, ${granularity}`, fmt.ms(median(times)), fmt.ms(p95), p95 < GOAL_MS ? 'yes' : 'NO']);
  }
  process.stdout.write(
    `### bench/outcomes: ${fmt.int(CASES)} cases, ${fmt.int(ACTIONS)} actions, ${fmt.int(ENFORCEMENT)} enforcement records (encrypted, through the dispatcher)\n\n`,
  );
  process.stdout.write(`${table(['indicators', 'median ms', 'p95 ms', `p95 < ${GOAL_MS} ms`], rows)}\n`);
  process.exit(0);
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
