// The synthetic partnership the benches and the search tests load: people, cases and notes from a fixed
// seed, written fast: a store of 100,000 cases (300,000 people, a million notes) costs about 150 s of CPU,
// where writing it a row at a time through the helpers took over ten minutes (and was done twice). The rows are those the store's own insert helpers write (src/store/people.ts
// insertPerson, cases.ts insertCase, notes.ts insertNote: the same columns, risk rules, address keys,
// unguessable ids and random references, here drawn from the seed), but written in bulk:
//
// - inside the caller's one transaction, a few hundred rows per INSERT through statements prepared once;
// - the full-text triggers set aside while the rows go in, and each FTS5 index filled once at the end from
//   the same views the triggers read (as migration 011 fills them), then merged ('optimize'); the triggers
//   are put back before the transaction commits, so the store is indistinguishable from one written a row
//   at a time, and goes on being kept in step by them.
//
// The same seed gives the same rows, ids and references included, on any store that has no cases yet.
// bench/cases, bench/renderer, bench/backup, bench/support/query-plans and test/store/case-queries use it;
// seedCaseStore (bench/support/case-store.ts) keeps a generated store on disk to be reused.
import type { Prepared, Sql, SqlValue } from '../../src/vault/database.js';
import type { PersonFields } from '../../src/store/people.js';
import { CASE_OUTCOMES, type CaseStatus } from '../../src/domain/lifecycle.js';
import { CONCERN_CODES } from '../../src/domain/concerns.js';
import { HARM_LEVELS, addDays, harmRank, localToday, overallRisk, reviewDateFor } from '../../src/domain/risk.js';
import { addressKey } from '../../src/domain/names.js';
import { randomCaseReference } from '../../src/domain/reference.js';
import { nextId } from '../../src/store/ids.js';
import { markOf } from '../../src/store/migrations/014-closed-people.js';
import { seededRandom, type SeededRandom } from '../../test/support/partnership.js';

export const PEOPLE_PER_CASE = 3;
export const NOTES_PER_CASE = 10;

// ── synthetic data ────────────────────────────────────────────────────────────────────────────────────

export const GIVEN =
  'Aaliyah Adam Aisha Alfie Amelia Amir Archie Ava Bethany Billy Callum Chloe Connor Daisy Daniel Declan Demi Ellie Emily Ethan Evie Faith Finley Freya George Grace Hannah Harry Hassan Ibrahim Isaac Isla Jack Jacob Jade Jake Jamal Jayden Jessica Joel Jordan Joseph Joshua Kacper Kai Kayla Keira Kian Kyle Layla Leah Leon Lewis Liam Lily Logan Lucy Luke Maisie Maria Mason Mia Mohammed Molly Muhammad Nathan Noah Olivia Oscar Owen Paige Poppy Rhys Riley Rosie Ruby Ryan Sam Samuel Sana Scarlett Sophie Summer Tariq Theo Thomas Tyler Usman Violet Will Yusuf Zac Zara Zain'.split(
    ' ',
  );
export const FAMILY =
  'Adams Ahmed Ali Allen Anderson Bailey Baker Barker Bell Bennett Brennan Brown Butler Campbell Carter Chapman Clarke Collins Cook Cooper Cox Davies Davis Dixon Edwards Ellis Evans Fisher Fletcher Foster Gibson Graham Gray Green Griffiths Hall Harris Harrison Hart Hill Holmes Hughes Hunt Hussain Jackson James Jenkins Johnson Jones Kaur Kelly Khan King Knight Lee Lewis Lloyd Marshall Martin Mason Matthews Miller Mills Mitchell Moore Morgan Morris Murphy Murray Okafor Owen Palmer Parker Patel Pearson Phillips Powell Price Rahman Reid Reynolds Richards Richardson Roberts Robinson Rogers Rose Russell Saunders Scott Shah Shaw Simpson Singh Smith Stevens Stewart Taylor Thomas Thompson Turner Walker Walsh Ward Watson White Wilkinson Williams Wilson Wood Wright Young'.split(
    ' ',
  );
export const STREETS =
  'Lime Grove|Beech Road|Bristol Road|Frankley Beeches Road|Tiverton Road|Church Road|Station Road|Victoria Road|Park Lane|Mill Lane|Oak Tree Lane|Hawkesley Drive|Longbridge Lane|Lickey Road|Rednal Road|Cofton Road|Heath Road|Shenley Lane|Bell Lane|Kings Norton Green|Pershore Road|Cotteridge Road|Selly Park Road|Dawlish Road|Raddlebarn Road|Harborne Lane|Weoley Castle Road|Bartley Green|Quinton Road|Court Oak Road'.split(
    '|',
  );
export const AREAS = [
  'Northfield',
  'Longbridge',
  'Kings Norton',
  'Selly Oak',
  'Weoley',
  'Bournville',
  'Edgbaston',
  'Harborne',
  'Quinton',
  'Bartley Green',
  'Brandwood',
  'Stirchley',
];
const NOTE_WORDS =
  'visited address spoke with mother no answer at door neighbours reported shouting late night police attended youth club referral school attendance concerns raised housing officer warning letter issued acceptable behaviour contract signed breach reported graffiti on wall near shops group of youths gathering evenings drug paraphernalia found stairwell support worker allocated mental health assessment requested GP informed social care strategy meeting held consent discussed safeguarding plan reviewed positive engagement this week'.split(
    ' ',
  );
const STATUSES: readonly CaseStatus[] = [
  'referred',
  'accepted',
  'declined',
  'active',
  'active',
  'active',
  'under_review',
  'closed',
  'closed',
];

function postcode(r: SeededRandom): string {
  const letters = 'ABDEFGHJLNPQRSTUWXYZ';
  return `B${r.int(1, 38)} ${r.int(1, 9)}${r.pick([...letters])}${r.pick([...letters])}`;
}

function person(r: SeededRandom): PersonFields {
  const familyName = r.pick(FAMILY);
  const year = r.int(1950, 2012);
  return {
    givenName: r.pick(GIVEN),
    familyName,
    aliases: r.chance(0.4) ? [`${r.pick(GIVEN)} ${r.pick(FAMILY)}`] : [],
    dateOfBirth: `${year}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`,
    gender: r.pick(['female', 'male', 'non_binary', 'not_known'] as const),
    addresses: [
      {
        line1: `${r.int(1, 300)} ${r.pick(STREETS)}`,
        line2: null,
        town: 'Birmingham',
        postcode: postcode(r),
        ward: r.pick(AREAS),
        current: true,
      },
    ],
    contacts: r.chance(0.5) ? [{ kind: 'phone', value: `07700 9${r.int(10000, 99999)}` }] : [],
    identifiers: r.chance(0.6) ? [{ scheme: 'police', value: `WMP/${r.int(2018, 2026)}/${r.int(100000, 999999)}` }] : [],
    household: r.chance(0.3) ? [{ name: `${r.pick(GIVEN)} ${familyName}`, relationship: 'child', dateOfBirth: null }] : [],
  };
}

export interface Generated {
  references: string[];
  surnames: string[];
  postcodes: string[];
  policeRefs: string[];
  caseIds: number[];
}

// ── bulk writing ──────────────────────────────────────────────────────────────────────────────────────

/** SQLite's limit on a statement's parameters is 32,766; a few hundred rows per INSERT is where gains stop. */
const MAX_ROWS_PER_INSERT = 400;
const MAX_PARAMS = 30_000;

/** Rows of one table, buffered and written a full statement at a time through one prepared statement. */
class BulkInsert {
  private rows: SqlValue[] = [];
  private full: Prepared | null = null;
  private readonly perStatement: number;

  constructor(
    private readonly db: Sql,
    private readonly table: string,
    private readonly columns: readonly string[],
  ) {
    this.perStatement = Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMS / columns.length));
  }

  private text(rows: number): string {
    const row = `(${this.columns.map(() => '?').join(', ')})`;
    return `INSERT INTO main.${this.table} (${this.columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => row).join(', ')}`;
  }

  async add(row: readonly SqlValue[]): Promise<void> {
    this.rows.push(...row);
    if (this.rows.length < this.perStatement * this.columns.length) return;
    this.full ??= await this.db.prepare(this.text(this.perStatement));
    const values = this.rows;
    this.rows = [];
    await this.full.run(values);
  }

  async finish(): Promise<void> {
    if (this.rows.length > 0) await this.db.run(this.text(this.rows.length / this.columns.length), this.rows);
    this.rows = [];
    await this.full?.finalize();
    this.full = null;
  }
}

/** The FTS5 indexes the triggers keep, each with the query that gives its rows for ids above `after`. */
const FTS_FILLS = [
  {
    table: 'people_fts',
    fill: 'INSERT INTO people_fts (rowid, names, aliases, identifiers, addresses) SELECT * FROM people_fts_source WHERE person_id > ?',
    newest: 'SELECT max(id) AS id FROM main.people',
  },
  {
    table: 'cases_fts',
    fill: 'INSERT INTO cases_fts (rowid, reference, locations) SELECT * FROM cases_fts_source WHERE case_id > ?',
    newest: 'SELECT max(id) AS id FROM main.cases',
  },
  {
    table: 'notes_fts',
    fill: 'INSERT INTO notes_fts (rowid, body) SELECT id, body FROM main.case_notes WHERE id > ?',
    newest: 'SELECT max(id) AS id FROM main.case_notes',
  },
] as const;

/**
 * The triggers that write to an FTS5 index, and those that keep closed-only marks (a location's from its
 * case, a person's from their cases, a person's lists' from the person: they would read rows still in a
 * buffer): set aside during the load, put back after it; the marks are then set in bulk (markPeople).
 */
async function ftsTriggers(db: Sql): Promise<{ name: string; sql: string }[]> {
  const triggers = await db.all<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'");
  return triggers.filter((t) => /\b(people|cases|notes)_fts\b/.test(t.sql) || /_closed_only_a[idu]$/.test(t.name));
}

/** The closed-only marks of the people loaded (ids above `after`) and their lists, as migration 014's triggers set them. */
async function markPeople(db: Sql, after: number): Promise<void> {
  await db.run(`UPDATE main.people SET closed_only = ${markOf('people.id', 'people.created_by', 'main.')} WHERE id > ?`, [after]);
  for (const list of ['person_aliases', 'person_addresses', 'person_identifiers']) {
    await db.run(
      `UPDATE main.${list} SET closed_only = 1 WHERE person_id IN (SELECT id FROM main.people WHERE id > ? AND closed_only = 1)`,
      [after],
    );
  }
}

/** Ids as src/store/ids.ts draws them (a clock part and a random part, growing), the clock fixed and the draws seeded. */
function idSource(db: Sql, table: string, r: SeededRandom): () => Promise<() => number> {
  const clock = Date.UTC(2025, 0, 1);
  return async () => {
    let newest = (await db.get<{ id: number | null }>(`SELECT max(id) AS id FROM main.${table}`))?.id ?? 0;
    return () => (newest = nextId(newest, clock, (n) => Math.floor(r.next() * n)));
  };
}

/**
 * Writes the whole data set inside the caller's transaction (see the head of this file). The same seed gives
 * the same rows, so an encrypted store and a plain one seeded alike hold identical data.
 */
export async function generate(db: Sql, userId: number, seed: number, cases: number): Promise<Generated> {
  const r = seededRandom(seed);
  const ids = seededRandom(seed ^ 0x5eed);
  const today = localToday();
  const out: Generated = { references: [], surnames: [], postcodes: [], policeRefs: [], caseIds: [] };

  // Children may be written before their parents' buffered rows: foreign keys are checked at commit.
  await db.exec('PRAGMA defer_foreign_keys = ON');
  // A large page cache for the load, and no zeroing of the pages the FTS5 merges free (nothing is deleted that
  // was ever secret: every row is new); both are this connection's settings and are put back afterwards.
  const cache = (await db.get<{ cache_size: number }>('PRAGMA cache_size'))!.cache_size;
  const secureDelete = (await db.get<{ secure_delete: number }>('PRAGMA secure_delete'))!.secure_delete;
  await db.exec('PRAGMA cache_size = -262144');
  await db.exec('PRAGMA secure_delete = OFF');
  const before = new Map<string, number>();
  for (const f of FTS_FILLS) before.set(f.table, (await db.get<{ id: number | null }>(f.newest))?.id ?? 0);
  const triggers = await ftsTriggers(db);
  // Locations carry their case's closed-only mark from migration 013 (a store made before it has none).
  const locationsMarked = (await db.all<{ name: string }>("SELECT name FROM pragma_table_info('case_locations')")).some(
    (c) => c.name === 'closed_only',
  );
  // People carry a closed-only mark from migration 014.
  const peopleMarked = (await db.all<{ name: string }>("SELECT name FROM pragma_table_info('people')")).some(
    (c) => c.name === 'closed_only',
  );
  for (const t of triggers) await db.exec(`DROP TRIGGER ${t.name}`);

  const nextPerson = await idSource(db, 'people', ids)();
  const nextCase = await idSource(db, 'cases', ids)();
  const nextNote = await idSource(db, 'case_notes', ids)();
  const nextLocation = await idSource(db, 'case_locations', ids)();
  const nextTransition = await idSource(db, 'case_transitions', ids)();
  const taken = new Set((await db.all<{ reference: string }>('SELECT reference FROM main.cases')).map((c) => c.reference));

  const writers = {
    people: new BulkInsert(db, 'people', [
      'id',
      'given_name',
      'family_name',
      'date_of_birth',
      'gender',
      'contacts',
      'household',
      'created_at',
      'created_by',
      'updated_at',
      'updated_by',
    ]),
    aliases: new BulkInsert(db, 'person_aliases', ['person_id', 'alias']),
    addresses: new BulkInsert(db, 'person_addresses', [
      'person_id',
      'line1',
      'line2',
      'town',
      'postcode',
      'ward',
      'current',
      'address_key',
    ]),
    identifiers: new BulkInsert(db, 'person_identifiers', ['person_id', 'scheme', 'value']),
    cases: new BulkInsert(db, 'cases', [
      'id',
      'reference',
      'ref_year',
      'ref_seq',
      'area',
      'summary',
      'referral_org',
      'referral_officer',
      'referral_date',
      'referral_reason',
      'consent',
      'personal_harm',
      'community_harm',
      'environmental_harm',
      'overall_risk',
      'risk_rank',
      'vulnerability_factors',
      'risk_reasons',
      'risk_assessed_by',
      'risk_assessed_at',
      'review_date',
      'status',
      'outcome',
      'supported_by_service',
      'supported_decision',
      'closed_only',
      'created_at',
      'created_by',
      'updated_at',
      'updated_by',
    ]),
    concerns: new BulkInsert(db, 'case_concerns', ['case_id', 'concern']),
    subjects: new BulkInsert(db, 'case_subjects', ['case_id', 'person_id', 'position']),
    locations: new BulkInsert(db, 'case_locations', [
      'id',
      'case_id',
      'label',
      'address',
      'postcode',
      'ward',
      ...(locationsMarked ? ['closed_only'] : []),
    ]),
    transitions: new BulkInsert(db, 'case_transitions', [
      'id',
      'case_id',
      'from_status',
      'to_status',
      'outcome',
      'reason',
      'by_user',
      'at',
      'closed_only',
    ]),
    notes: new BulkInsert(db, 'case_notes', ['id', 'case_id', 'author_id', 'at', 'classification', 'closed_only', 'body']),
  };

  const people: number[] = [];
  const personAt = '2025-01-01T00:00:00.000Z';
  for (let i = 0; i < cases * PEOPLE_PER_CASE; i++) {
    const p = person(r);
    const id = nextPerson();
    people.push(id);
    await writers.people.add([
      id,
      p.givenName,
      p.familyName,
      p.dateOfBirth,
      p.gender,
      JSON.stringify(p.contacts),
      JSON.stringify(p.household),
      personAt,
      userId,
      personAt,
      userId,
    ]);
    for (const alias of p.aliases) await writers.aliases.add([id, alias]);
    for (const a of p.addresses)
      await writers.addresses.add([id, a.line1, a.line2, a.town, a.postcode, a.ward, a.current ? 1 : 0, addressKey(a.line1, a.postcode)]);
    for (const ident of p.identifiers) await writers.identifiers.add([id, ident.scheme, ident.value]);
    if (i % 97 === 0) {
      out.surnames.push(p.familyName);
      out.postcodes.push(p.addresses[0]!.postcode!);
      if (p.identifiers[0]) out.policeRefs.push(p.identifiers[0].value);
    }
  }

  for (let i = 0; i < cases; i++) {
    // Every case has its own first subject; two in three are groups with more.
    const subjectIds = [people[i * PEOPLE_PER_CASE]!];
    for (let k = 1; k < PEOPLE_PER_CASE; k++) if (r.chance(0.66)) subjectIds.push(people[i * PEOPLE_PER_CASE + k]!);
    const assessedOn = addDays(today, -r.int(0, 400));
    const area = r.pick(AREAS);
    const organisation = r.pick(['West Midlands Police', 'Council Housing', "Children's Trust", 'Registered Provider']);
    const concerns = [...new Set([r.pick(CONCERN_CODES), r.pick(CONCERN_CODES)])];
    const harms = {
      personalHarm: r.pick(HARM_LEVELS),
      communityHarm: r.pick(HARM_LEVELS),
      environmentalHarm: r.pick(['low', 'low', 'medium'] as const),
    };
    const locations = r.chance(0.3) ? [{ label: `${r.pick(STREETS)} shops`, address: '', postcode: postcode(r), ward: null }] : [];
    const closedOnly = r.chance(0.1) ? 1 : 0;
    // Spread over several years, as a real store would be, so references run LCSP-2019-… to LCSP-2026-….
    const created = new Date(Date.UTC(2019 + (i % 8), r.int(0, 11), r.int(1, 28), 12));
    const at = created.toISOString();
    const year = created.getFullYear();
    const id = nextCase();
    let reference: string;
    do reference = randomCaseReference(year, (n) => Math.floor(ids.next() * n));
    while (taken.has(reference));
    taken.add(reference);
    const status = r.pick(STATUSES);
    const outcome = status === 'closed' ? r.pick(CASE_OUTCOMES) : null;
    const overall = overallRisk(harms);
    await writers.cases.add([
      id,
      reference,
      year,
      id,
      area,
      'Synthetic case for the benchmark.',
      organisation,
      'Officer',
      assessedOn,
      'Repeated anti-social behaviour.',
      'not_required',
      harms.personalHarm,
      harms.communityHarm,
      harms.environmentalHarm,
      overall,
      harmRank(overall),
      '[]',
      '',
      userId,
      assessedOn,
      reviewDateFor(overall, assessedOn),
      status,
      outcome,
      null,
      null,
      closedOnly,
      at,
      userId,
      at,
      userId,
    ]);
    for (const concern of concerns) await writers.concerns.add([id, concern]);
    for (const [position, personId] of subjectIds.entries()) await writers.subjects.add([id, personId, position]);
    for (const l of locations)
      await writers.locations.add([nextLocation(), id, l.label, l.address, l.postcode, l.ward, ...(locationsMarked ? [closedOnly] : [])]);
    await writers.transitions.add([nextTransition(), id, null, 'referred', null, 'Referral recorded', userId, at, closedOnly]);
    out.caseIds.push(id);
    if (i % 53 === 0) out.references.push(reference);
    const notes = r.int(NOTES_PER_CASE - 5, NOTES_PER_CASE + 5);
    for (let n = 0; n < notes; n++) {
      const words = Array.from({ length: r.int(15, 60) }, () => r.pick(NOTE_WORDS));
      if (r.chance(0.3)) words.splice(r.int(0, words.length), 0, r.pick(STREETS));
      if (r.chance(0.2)) words.splice(r.int(0, words.length), 0, r.pick(FAMILY));
      const noteAt = new Date(created.getTime() + n * 86_400_000).toISOString();
      await writers.notes.add([nextNote(), id, userId, noteAt, 'free_text', r.chance(0.05) ? 1 : 0, words.join(' ')]);
    }
  }
  for (const writer of Object.values(writers)) await writer.finish();
  if (peopleMarked) await markPeople(db, before.get('people_fts')!);

  for (const f of FTS_FILLS) {
    // From migration 013 the open store's index holds no closed-only note (the closed database's does).
    const fill = f.table === 'notes_fts' && locationsMarked ? `${f.fill} AND closed_only = 0` : f.fill;
    await db.run(fill, [before.get(f.table)!]);
    await db.exec(`INSERT INTO ${f.table} (${f.table}) VALUES ('optimize')`);
  }
  // In schema main by name: in a key holder's session the bare name of a sealed table is a TEMP view.
  for (const t of triggers) await db.exec(t.sql.replace(/^CREATE TRIGGER\s+("?)(\w+)\1/i, 'CREATE TRIGGER main.$1$2$1'));
  await db.exec(`PRAGMA cache_size = ${cache}`);
  await db.exec(`PRAGMA secure_delete = ${secureDelete}`);
  return out;
}
