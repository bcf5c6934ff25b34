// The synthetic data set for bench/cases: people, cases and notes from a fixed seed, written through the
// store's own insert helpers, and the mix of searches, lists and detail reads that is timed.
import type { Sql } from '../src/vault/database.js';
import { insertCase, loadCaseDetail } from '../src/store/cases.js';
import { insertNote } from '../src/store/notes.js';
import { insertPerson, type PersonFields } from '../src/store/people.js';
import { listCases, searchCases } from '../src/store/search.js';
import type { Viewer } from '../src/store/visibility.js';
import type { CaseCreateInput, CaseListInput, CaseSearchInput } from '../src/contract/ops/cases.js';
import { CASE_OUTCOMES, type CaseStatus } from '../src/domain/lifecycle.js';
import { CONCERN_CODES } from '../src/domain/concerns.js';
import { HARM_LEVELS, addDays, localToday } from '../src/domain/risk.js';
import { seededRandom, type SeededRandom } from '../test/support/partnership.js';

export const PEOPLE_PER_CASE = 3;
export const NOTES_PER_CASE = 10;
export const VIEWER: Viewer = { userId: 1, role: 'manager' };

// ── synthetic data ────────────────────────────────────────────────────────────────────────────────────

const GIVEN =
  'Aaliyah Adam Aisha Alfie Amelia Amir Archie Ava Bethany Billy Callum Chloe Connor Daisy Daniel Declan Demi Ellie Emily Ethan Evie Faith Finley Freya George Grace Hannah Harry Hassan Ibrahim Isaac Isla Jack Jacob Jade Jake Jamal Jayden Jessica Joel Jordan Joseph Joshua Kacper Kai Kayla Keira Kian Kyle Layla Leah Leon Lewis Liam Lily Logan Lucy Luke Maisie Maria Mason Mia Mohammed Molly Muhammad Nathan Noah Olivia Oscar Owen Paige Poppy Rhys Riley Rosie Ruby Ryan Sam Samuel Sana Scarlett Sophie Summer Tariq Theo Thomas Tyler Usman Violet Will Yusuf Zac Zara Zain'.split(
    ' ',
  );
const FAMILY =
  'Adams Ahmed Ali Allen Anderson Bailey Baker Barker Bell Bennett Brennan Brown Butler Campbell Carter Chapman Clarke Collins Cook Cooper Cox Davies Davis Dixon Edwards Ellis Evans Fisher Fletcher Foster Gibson Graham Gray Green Griffiths Hall Harris Harrison Hart Hill Holmes Hughes Hunt Hussain Jackson James Jenkins Johnson Jones Kaur Kelly Khan King Knight Lee Lewis Lloyd Marshall Martin Mason Matthews Miller Mills Mitchell Moore Morgan Morris Murphy Murray Okafor Owen Palmer Parker Patel Pearson Phillips Powell Price Rahman Reid Reynolds Richards Richardson Roberts Robinson Rogers Rose Russell Saunders Scott Shah Shaw Simpson Singh Smith Stevens Stewart Taylor Thomas Thompson Turner Walker Walsh Ward Watson White Wilkinson Williams Wilson Wood Wright Young'.split(
    ' ',
  );
const STREETS =
  'Lime Grove|Beech Road|Bristol Road|Frankley Beeches Road|Tiverton Road|Church Road|Station Road|Victoria Road|Park Lane|Mill Lane|Oak Tree Lane|Hawkesley Drive|Longbridge Lane|Lickey Road|Rednal Road|Cofton Road|Heath Road|Shenley Lane|Bell Lane|Kings Norton Green|Pershore Road|Cotteridge Road|Selly Park Road|Dawlish Road|Raddlebarn Road|Harborne Lane|Weoley Castle Road|Bartley Green|Quinton Road|Court Oak Road'.split(
    '|',
  );
const AREAS = [
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

/**
 * Writes the whole data set in one transaction through the services' own insert helpers. The same seed
 * gives the same rows, so the encrypted and plain stores hold identical data.
 */
export async function generate(sql: Sql, userId: number, seed: number, cases: number): Promise<Generated> {
  const r = seededRandom(seed);
  const today = localToday();
  const out: Generated = { references: [], surnames: [], postcodes: [], policeRefs: [], caseIds: [] };
  const people: number[] = [];
  for (let i = 0; i < cases * PEOPLE_PER_CASE; i++) {
    const p = person(r);
    people.push(await insertPerson(sql, p, userId, '2025-01-01T00:00:00.000Z'));
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
    const input: CaseCreateInput = {
      subjectIds,
      area: r.pick(AREAS),
      summary: 'Synthetic case for the benchmark.',
      referral: {
        organisation: r.pick(['West Midlands Police', 'Council Housing', "Children's Trust", 'Registered Provider']),
        officer: 'Officer',
        date: assessedOn,
        reason: 'Repeated anti-social behaviour.',
        consent: 'not_required',
      },
      concerns: [...new Set([r.pick(CONCERN_CODES), r.pick(CONCERN_CODES)])],
      risk: {
        personalHarm: r.pick(HARM_LEVELS),
        communityHarm: r.pick(HARM_LEVELS),
        environmentalHarm: r.pick(['low', 'low', 'medium'] as const),
        vulnerabilityFactors: [],
        reasons: '',
        assessedOn,
      },
      locations: r.chance(0.3) ? [{ label: `${r.pick(STREETS)} shops`, address: '', postcode: postcode(r), ward: null }] : [],
      alreadySupported: null,
      closedOnly: r.chance(0.1),
    };
    // Spread over several years, as a real store would be, so references run LCSP-2019-… to LCSP-2026-….
    const created = new Date(Date.UTC(2019 + (i % 8), r.int(0, 11), r.int(1, 28), 12));
    const { id, reference } = await insertCase(sql, input, userId, created);
    out.caseIds.push(id);
    if (i % 53 === 0) out.references.push(reference);
    const status = r.pick(STATUSES);
    if (status !== 'referred') {
      await sql.run('UPDATE main.cases SET status = ?, outcome = ? WHERE id = ?', [
        status,
        status === 'closed' ? r.pick(CASE_OUTCOMES) : null,
        id,
      ]);
    }
    const notes = r.int(NOTES_PER_CASE - 5, NOTES_PER_CASE + 5);
    for (let n = 0; n < notes; n++) {
      const words = Array.from({ length: r.int(15, 60) }, () => r.pick(NOTE_WORDS));
      if (r.chance(0.3)) words.splice(r.int(0, words.length), 0, r.pick(STREETS));
      if (r.chance(0.2)) words.splice(r.int(0, words.length), 0, r.pick(FAMILY));
      await insertNote(
        sql,
        id,
        userId,
        { body: words.join(' '), classification: 'free_text', closedOnly: r.chance(0.05) },
        new Date(created.getTime() + n * 86_400_000).toISOString(),
      );
    }
  }
  return out;
}

// ── the queries ───────────────────────────────────────────────────────────────────────────────────────

export type Query = { label: string; run: (sql: Sql, i: number) => Promise<unknown> };

export function queries(g: Generated): {
  search: Query;
  list: Query;
  detail: Query;
  searchInputs: (i: number) => CaseSearchInput;
  listInputs: (i: number) => CaseListInput;
} {
  const paging = { limit: 25, offset: 0 } as const;
  const searchInputs = (i: number): CaseSearchInput => {
    const kinds: CaseSearchInput[] = [
      { query: g.surnames[i % g.surnames.length]!, sort: 'relevance', ...paging },
      { query: `${GIVEN[i % GIVEN.length]} ${g.surnames[i % g.surnames.length]}`, sort: 'relevance', ...paging },
      { query: g.postcodes[i % g.postcodes.length]!, sort: 'relevance', ...paging },
      { query: g.references[i % g.references.length]!, sort: 'relevance', ...paging },
      { query: g.policeRefs[i % g.policeRefs.length]!, sort: 'relevance', ...paging },
      { query: STREETS[i % STREETS.length]!, status: ['active', 'under_review'], sort: 'reviewDate', ...paging },
      { query: g.surnames[(i * 7) % g.surnames.length]!.slice(0, 3), risk: ['high'], sort: 'risk', ...paging },
    ];
    return kinds[i % kinds.length]!;
  };
  const listInputs = (i: number): CaseListInput => {
    const kinds: CaseListInput[] = [
      { sort: 'reviewDate', ...paging },
      { status: ['active'], sort: 'reviewDate', ...paging },
      { risk: ['high'], reviewOverdue: true, sort: 'reviewDate', ...paging },
      { area: AREAS[i % AREAS.length]!, concern: CONCERN_CODES[i % CONCERN_CODES.length]!, sort: 'risk', ...paging },
      {
        concern: CONCERN_CODES[i % CONCERN_CODES.length]!,
        status: ['referred', 'accepted', 'active', 'under_review'],
        sort: 'referralDate',
        ...paging,
      },
      { reviewOverdue: true, sort: 'risk', ...paging, offset: 50 },
    ];
    return kinds[i % kinds.length]!;
  };
  return {
    searchInputs,
    listInputs,
    search: { label: 'search (FTS + filters, page of 25)', run: (sql, i) => searchCases(sql, VIEWER, searchInputs(i)) },
    list: { label: 'filtered list (page of 25)', run: (sql, i) => listCases(sql, VIEWER, listInputs(i)) },
    detail: {
      label: 'case detail (full profile)',
      run: (sql, i) => loadCaseDetail(sql, VIEWER, g.caseIds[(i * 7919) % g.caseIds.length]!),
    },
  };
}
