// Stores for the renderer tests and bench: a partnership with one user per role and a few cases (through
// the dispatcher, as a user would make them), and a bulk loader for thousands (through the services'
// insert helpers in one transaction, as bench/cases does, so seeding 10,000 takes seconds).
import type { InputOf, OperationName, OutputOf } from '../../../src/contract/operations.js';
import { caseCreateInput } from '../../../src/contract/ops/cases.js';
import { personCreateInput } from '../../../src/contract/ops/people.js';
import { CONCERN_CODES } from '../../../src/domain/concerns.js';
import { HARM_LEVELS } from '../../../src/domain/risk.js';
import type { Host } from '../../../src/host/host.js';
import { insertCase } from '../../../src/store/cases.js';
import { insertPerson } from '../../../src/store/people.js';

export type Call = <N extends OperationName>(name: N, input: InputOf<N>) => Promise<OutputOf<N>>;

export const MANAGER = { username: 'alex.manager', displayName: 'Alex Manager', organisation: 'Northfield Community Safety Team', passphrase: 'correct horse battery staple' };
export const STATUTORY = { username: 'pc.jones', displayName: 'PC Jones', passphrase: 'blue lamp evening shift' };
export const NON_STATUTORY = { username: 'sam.charity', displayName: 'Sam Charity', passphrase: 'kettle on for the volunteers' };
export const JUSTIFICATION = 'Preparing for the 3 Dec People meeting';

/** Text planted only in closed-meeting-only records: it must never reach a non-statutory user's screen. */
export const CLOSED_MARKERS = { caseSubject: 'Zebedee', caseLocation: 'Quarantine Wharf', note: 'Kestrelmarker intelligence' } as const;

export interface Partnership {
  cases: { jordan: { id: number; reference: string }; priya: { id: number; reference: string }; closed: { id: number; reference: string } };
}

/** A store with a manager, a statutory and a non-statutory user, and three cases (one closed-only); left locked. */
export async function seedPartnership(call: Call): Promise<Partnership> {
  await call('store.init', MANAGER);
  const police = await call('organisations.add', { name: 'West Midlands Police', statutory: true });
  const charity = await call('organisations.add', { name: 'Northfield Residents Trust', statutory: false });
  await call('users.add', { ...pick(STATUTORY), role: 'statutory', organisationId: police.organisation.id });
  await call('users.add', { ...pick(NON_STATUTORY), role: 'non_statutory', organisationId: charity.organisation.id });
  await call('session.setJustification', { justification: JUSTIFICATION });

  const person = async (givenName: string, familyName: string, dateOfBirth: string, postcode: string) =>
    (await call('people.create', {
      givenName, familyName, dateOfBirth, aliases: [], createDespiteDuplicates: true,
      addresses: [{ line1: `${givenName.length} Lime Grove`, town: 'Northfield', postcode, ward: 'Northfield' }],
    })).person!.id;
  const jordan = await person('Jordan', 'Ellis', '2008-04-17', 'B31 2QT');
  const priya = await person('Priya', 'Shah', '1979-11-02', 'B29 6AA');
  const zebedee = await person(CLOSED_MARKERS.caseSubject, 'Okafor', '1990-01-01', 'B30 1AA');

  const base = (subjectIds: number[], area: string, concerns: InputOf<'cases.create'>['concerns'], personalHarm: 'low' | 'medium' | 'high') => ({
    subjectIds, area, concerns,
    referral: { organisation: 'West Midlands Police', officer: 'PC Jones', date: '2025-10-01', reason: 'Repeated reports to the police.', consent: 'not_required' as const },
    risk: { personalHarm, communityHarm: 'low' as const, environmentalHarm: 'low' as const },
  });
  const jordanCase = (await call('cases.create', { ...base([jordan], 'Northfield', ['youth_offending', 'exploitation_risk'], 'high'), summary: 'Groups gathering at the parade after dark.' })).case;
  const priyaCase = (await call('cases.create', { ...base([priya], 'Selly Oak', ['noise_nuisance'], 'low') })).case;
  const closedCase = (await call('cases.create', {
    ...base([zebedee], 'Kings Norton', ['drugs'], 'medium'), closedOnly: true,
    locations: [{ label: CLOSED_MARKERS.caseLocation, address: '1 Wharf Road' }],
  })).case;
  await call('cases.addNote', { caseId: jordanCase.id, body: 'Seen at the parade with older males; family engaged with youth service.' });
  await call('cases.addNote', { caseId: jordanCase.id, body: `${CLOSED_MARKERS.note}: shared at the closed meeting only.`, closedOnly: true });
  await call('session.lock', {});
  const ref = (c: { id: number; reference: string }) => ({ id: c.id, reference: c.reference });
  return { cases: { jordan: ref(jordanCase), priya: ref(priyaCase), closed: ref(closedCase) } };
}

function pick(u: typeof STATUTORY) {
  return { username: u.username, displayName: u.displayName, passphrase: u.passphrase };
}

const GIVEN = ['Jordan', 'Priya', 'Liam', 'Amelia', 'Noah', 'Olivia', 'Mohammed', 'Isla', 'Kai', 'Ava', 'Tyler', 'Chloe', 'Reece', 'Grace', 'Ellis', 'Zara'];
const FAMILY = ['Ellis', 'Shah', 'Murphy', 'Khan', 'Smith', 'Jones', 'Patel', 'Brown', 'Wilson', 'Begum', 'Taylor', 'Clarke', 'Hughes', 'Ahmed', 'Walsh', 'Reid'];
const AREAS = ['Northfield', 'Selly Oak', 'Kings Norton', 'Longbridge', 'Weoley', 'Bournville', 'Stirchley', 'Rubery'];

/** Deterministic pseudo-random numbers, so every bench run loads the same store. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Adds `count` cases (one subject each) as the unlocked user, in one transaction. Goes around the
 * dispatcher on purpose: it is a loader, like bench/cases, and writes no audit entries.
 */
export async function seedBulkCases(host: Host, count: number, seed = 42): Promise<void> {
  const vault = host.vault;
  const userId = host.session?.user.id;
  if (!vault?.isUnlocked || userId === undefined) throw new Error('seedBulkCases needs an unlocked store');
  const random = rng(seed);
  const one = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  await vault.db.transaction(async (sql) => {
    for (let i = 0; i < count; i++) {
      const givenName = one(GIVEN);
      const familyName = one(FAMILY);
      const { createDespiteDuplicates: _unused, ...person } = personCreateInput.parse({
        givenName, familyName, dateOfBirth: `19${String(60 + Math.floor(random() * 40))}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
        aliases: random() < 0.2 ? [`${givenName.slice(0, 3)}${i}`] : [],
        addresses: [{ line1: `${1 + (i % 200)} ${one(['Lime Grove', 'Parade', 'Church Road', 'Bristol Road', 'Hay Green'])}`, town: 'Birmingham', postcode: 'B31 2QT', ward: one(AREAS) }],
      });
      const personId = await insertPerson(sql, person, userId);
      const concerns = [...new Set([one(CONCERN_CODES), one(CONCERN_CODES)])];
      const input = caseCreateInput.parse({
        subjectIds: [personId], area: one(AREAS), concerns,
        referral: { organisation: 'West Midlands Police', date: `2025-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`, reason: 'Referral from the bench loader.', consent: 'not_required' },
        risk: { personalHarm: one(HARM_LEVELS), communityHarm: one(HARM_LEVELS), environmentalHarm: 'low', assessedOn: `2025-${String(1 + Math.floor(random() * 9)).padStart(2, '0')}-01` },
        closedOnly: random() < 0.05,
      });
      await insertCase(sql, input, userId);
    }
  });
}

// ── meetings ──────────────────────────────────────────────────────────────────────────────────────────

/** Text planted only in closed-only parts of minutes: a non-statutory member's screen must never show it. */
export const CLOSED_MINUTES = {
  span: 'Intelligence links him to the Marlowspan flat.',
  paragraph: 'Grebeparagraph: the public protection unit shared a safeguarding referral.',
} as const;

export const HOUSING = 'Birmingham City Council Housing';

/** YYYY-MM-DD, `days` from today (local time, as the screens show dates). */
export function dayFrom(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export interface MeetingsSeed {
  partnership: Partnership;
  earlierMeetingId: number;
  nextMeetingId: number;
  /** Actions agreed at the earlier meeting, still open, to be reviewed at the next. */
  actions: { done: string; carried: string; failed: string };
}

/**
 * The partnership, plus a housing organisation, and for Northfield an earlier People meeting (approved
 * minutes, three open actions owned by the police, two overdue) and the next one, its minutes started by
 * PC Jones as minute-taker. Left locked.
 */
export async function seedMeetings(call: Call): Promise<MeetingsSeed> {
  const partnership = await seedPartnership(call);
  await call('session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase });
  await call('session.setJustification', { justification: JUSTIFICATION });
  await call('organisations.add', { name: HOUSING, statutory: true });
  const organisations = (await call('organisations.list', {})).organisations;
  const org = (name: string) => organisations.find((o) => o.name === name)!.id;
  const users = (await call('users.list', {})).users;
  const manager = users.find((u) => u.username === MANAGER.username)!;
  const police = users.find((u) => u.username === STATUTORY.username)!;

  const schedule = async (date: string, minuteTakerId: number) => (await call('meetings.schedule', {
    kind: 'people', area: 'Northfield', date, startTime: '10:00', endTime: '12:00', place: 'Northfield police station', closed: true,
    chairId: manager.id, minuteTakerId, invitedOrganisationIds: [org('West Midlands Police'), org(HOUSING)],
  })).meeting;
  const attendAll = async (meetingId: number) => {
    for (const [name, organisationId, userId] of [
      [MANAGER.displayName, org(MANAGER.organisation), manager.id], [STATUTORY.displayName, org('West Midlands Police'), police.id], ['Dana Hughes', org(HOUSING), null],
    ] as const) {
      const { attendee } = await call('meetings.addAttendee', { meetingId, name, organisationId, role: '', userId, attendance: 'present' });
      await call('meetings.acknowledgeConfidentiality', { meetingId, attendeeId: attendee.id });
    }
  };
  const earlier = await schedule(dayFrom(-28), manager.id);
  await attendAll(earlier.id);
  const { item } = await call('meetings.addAgendaItem', { meetingId: earlier.id, kind: 'case', caseId: partnership.cases.jordan.id, reason: 'New referral' });
  await call('minutes.start', { meetingId: earlier.id });
  await call('minutes.saveItem', { meetingId: earlier.id, agendaItemId: item.id, revision: 0, paragraphs: [{ text: 'Referral discussed; police to visit the family.' }] });
  const actions = { done: 'Visit the family at home', carried: 'Share the youth service plan', failed: 'Arrange a joint visit with housing' };
  for (const [description, due] of [[actions.done, dayFrom(-7)], [actions.carried, dayFrom(3)], [actions.failed, dayFrom(-14)]] as const) {
    await call('actions.create', {
      meetingId: earlier.id, agendaItemId: item.id, caseId: partnership.cases.jordan.id, description,
      ownerOrganisationId: org('West Midlands Police'), officer: STATUTORY.displayName, dueDate: due,
    });
  }
  await call('minutes.submit', { meetingId: earlier.id });
  await call('minutes.approve', { meetingId: earlier.id });
  // The next meeting, its minutes started, with PC Jones taking them (actions are reviewed in the minutes).
  const next = await schedule(dayFrom(7), police.id);
  // Jordan's case is on the agenda again: its actions are reviewed under it.
  await call('meetings.addAgendaItem', { meetingId: next.id, kind: 'case', caseId: partnership.cases.jordan.id, reason: 'Incomplete actions' });
  await attendAll(next.id);
  await call('minutes.start', { meetingId: next.id });
  await call('session.lock', {});
  return { partnership, earlierMeetingId: earlier.id, nextMeetingId: next.id, actions };
}
