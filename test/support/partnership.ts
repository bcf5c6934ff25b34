// The one partnership every test and bench works with: a manager, a statutory and a non-statutory user
// (each with an organisation and a passphrase), a seeded random generator, the dispatch helpers, and the
// stores seeded from them (cases, meetings, agreements) for unit tests, the proving ground, the renderer
// tests and the benches.
// It imports neither vitest nor a browser, so the benches (built by tsc into dist/) can use it too: a
// test passes in a host from support/store.ts, whose folder is removed after the test.
import { plantEnforcement } from '../services/enforcement-fixtures.js';
import type { Role } from '../../src/contract/operation.js';
import type { InputOf, OperationName, OutputOf } from '../../src/contract/operations.js';
import { caseCreateInput } from '../../src/contract/ops/cases.js';
import { personCreateInput } from '../../src/contract/ops/people.js';
import { dispatch, type CallMeta, type DispatchResult } from '../../src/dispatch/dispatcher.js';
import { CONCERN_CODES } from '../../src/domain/concerns.js';
import { HARM_LEVELS } from '../../src/domain/risk.js';
import type { Host } from '../../src/host/host.js';
import { addDays, localToday } from '../../src/domain/risk.js';
import { insertCase } from '../../src/store/cases.js';
import { insertPerson } from '../../src/store/people.js';
import { GROUP, drawn, typed } from './signatures.js';

// ── personas ─────────────────────────────────────────────────────────────────────────────────────────

/** A user of the partnership. The manager's is exactly the input of store.init (which is strict). */
export interface Persona {
  username: string;
  displayName: string;
  organisation: string;
  passphrase: string;
}

export const MANAGER: Persona = {
  username: 'alex.manager',
  displayName: 'Alex Manager',
  organisation: 'Northfield Community Safety Team',
  passphrase: 'correct horse battery staple',
};
export const STATUTORY: Persona = {
  username: 'pc.jones',
  displayName: 'PC Jones',
  organisation: 'West Midlands Police',
  passphrase: 'blue lamp evening shift',
};
export const NON_STATUTORY: Persona = {
  username: 'sam.charity',
  displayName: 'Sam Charity',
  organisation: 'Northfield Residents Trust',
  passphrase: 'kettle on for the volunteers',
};
export const PERSONAS: Readonly<Record<Role, Persona>> = { manager: MANAGER, statutory: STATUTORY, non_statutory: NON_STATUTORY };

export const JUSTIFICATION = 'Preparing for the 3 Dec People meeting';

/** What session.unlock takes (it refuses any other field). */
export function credentials(persona: Pick<Persona, 'username' | 'passphrase'>): { username: string; passphrase: string } {
  return { username: persona.username, passphrase: persona.passphrase };
}

// ── seeded random ────────────────────────────────────────────────────────────────────────────────────

export interface SeededRandom {
  /** In [0, 1). */
  next(): number;
  /** A whole number from `lo` to `hi`, both included. */
  int(lo: number, hi: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32: the same seed gives the same sequence, so every run loads the same store. */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)]!,
    chance: (p) => next() < p,
  };
}

// ── dispatch ─────────────────────────────────────────────────────────────────────────────────────────

type InputFor<N extends OperationName> = InputOf<N> | Record<string, never>;

/** Dispatches with a typed input and returns the result, refusal or not. */
export function attempt<N extends OperationName>(
  host: Host,
  name: N,
  input: InputFor<N> = {} as never,
  meta?: CallMeta,
): Promise<DispatchResult<OutputOf<N>>> {
  return dispatch(host, name, input, meta);
}

/** Dispatches and returns the value; a refusal throws with the typed error (and so fails a test or a bench). */
export async function call<N extends OperationName>(
  host: Host,
  name: N,
  input: InputFor<N> = {} as never,
  meta?: CallMeta,
): Promise<OutputOf<N>> {
  const result = await attempt(host, name, input, meta);
  if (!result.ok) throw new Error(`${name} refused: ${JSON.stringify(result.error)}`);
  return result.value;
}

export type Call = <N extends OperationName>(name: N, input: InputOf<N>) => Promise<OutputOf<N>>;

/** `call` bound to a host, as the renderer tests' seeders are given it. */
export function callOn(host: Host): Call {
  return (name, input) => call(host, name, input);
}

// ── inputs ───────────────────────────────────────────────────────────────────────────────────────────

export function personInput(overrides: Partial<InputOf<'people.create'>> = {}): InputOf<'people.create'> {
  return {
    givenName: 'Jordan',
    familyName: 'Ellis',
    aliases: ['JJ'],
    dateOfBirth: '2008-04-17',
    gender: 'male',
    addresses: [{ line1: '14 Lime Grove', town: 'Northfield', postcode: 'B31 2QT', ward: 'Northfield' }],
    contacts: [{ kind: 'phone', value: '07700 900123' }],
    identifiers: [{ scheme: 'police', value: 'WMP/2025/118842' }],
    household: [{ name: 'Dana Ellis', relationship: 'parent', dateOfBirth: '1982-01-09' }],
    ...overrides,
  };
}

export function caseInput(subjectIds: number[], overrides: Partial<InputOf<'cases.create'>> = {}): InputOf<'cases.create'> {
  return {
    subjectIds,
    area: 'Northfield',
    summary: 'Groups gathering at the shops after dark.',
    referral: {
      organisation: STATUTORY.organisation,
      officer: STATUTORY.displayName,
      date: '2025-10-01',
      reason: 'Repeated reports of intimidation at the parade.',
      consent: 'not_required',
    },
    concerns: ['youth_offending', 'exploitation_risk'],
    risk: {
      personalHarm: 'high',
      communityHarm: 'medium',
      environmentalHarm: 'low',
      vulnerabilityFactors: ['Missing from home episodes'],
      reasons: 'Seen with older males.',
    },
    locations: [{ label: 'Parade shops', address: '1-20 The Parade', postcode: 'B31 2AA', ward: 'Northfield' }],
    ...overrides,
  };
}

export async function createPerson(host: Host, overrides: Partial<InputOf<'people.create'>> = {}): Promise<number> {
  // people.create is a consultation when it shows duplicates, so it needs a working context: the session's, or the fixture's.
  const meta = host.session?.justification ? undefined : { justification: JUSTIFICATION };
  const { person } = await call(host, 'people.create', { ...personInput(overrides), createDespiteDuplicates: true }, meta);
  return person!.id;
}

export async function createCase(host: Host, subjectIds: number[], overrides: Partial<InputOf<'cases.create'>> = {}): Promise<number> {
  const { case: created } = await call(host, 'cases.create', caseInput(subjectIds, overrides));
  return created.id;
}

// ── stores ───────────────────────────────────────────────────────────────────────────────────────────

/** Sets up a fresh store as the manager, who stays unlocked (no working context yet). */
export async function managerStore(host: Host) {
  const { recoveryKey, user } = await call(host, 'store.init', MANAGER);
  return { host, dataDir: host.dataDir, recoveryKey, manager: user };
}

/** What users.add takes to add the persona of `role` (the manager is made by store.init) to an organisation. */
export function userInput(role: Exclude<Role, 'manager'>, organisationId: number): InputOf<'users.add'> {
  const { username, displayName, passphrase } = PERSONAS[role];
  return { username, displayName, role, organisationId, passphrase };
}

/** As the manager: the statutory and non-statutory organisations, each with its user. */
async function addPartners(call: Call) {
  const police = (await call('organisations.add', { name: STATUTORY.organisation, statutory: true })).organisation;
  const charity = (await call('organisations.add', { name: NON_STATUTORY.organisation, statutory: false })).organisation;
  await call('users.add', userInput('statutory', police.id));
  await call('users.add', userInput('non_statutory', charity.id));
  return { police, charity };
}

/**
 * Unit tests: the whole partnership, unlocked as the manager with JUSTIFICATION as the working context
 * (or with none, for tests of the working context itself).
 */
export async function partnershipStore(host: Host, { justification = JUSTIFICATION }: { justification?: string | null } = {}) {
  const store = await managerStore(host);
  const organisations = await addPartners(callOn(host));
  if (justification !== null) await call(host, 'session.setJustification', { justification });
  return { ...store, organisations };
}

/**
 * Locks and unlocks again as the user with `role`, and sets the working context. Without a passphrase it
 * keeps a session that is already that role's, and unlocks with the persona's own.
 */
export async function actAs(host: Host, role: Role, passphrase?: string): Promise<void> {
  if (passphrase === undefined && host.session?.user.role === role) return;
  if (host.session) await call(host, 'session.lock');
  await call(host, 'session.unlock', { username: PERSONAS[role].username, passphrase: passphrase ?? PERSONAS[role].passphrase });
  await call(host, 'session.setJustification', { justification: JUSTIFICATION });
}

// ── meetings ─────────────────────────────────────────────────────────────────────────────────────────

/** YYYY-MM-DD, `n` days from today as the partnership sees it (the machine's local calendar day). */
export const inDays = (n: number) => addDays(localToday(), n);

export const HOUSING = 'Birmingham City Council Housing';

export interface MeetingsStore {
  host: Host;
  users: Record<Role, number>;
  organisations: { cst: number; police: number; housing: number; charity: number };
}

/** partnershipStore() plus council housing (statutory) and the users' ids; unlocked as the manager. */
export async function meetingsStore(host: Host): Promise<MeetingsStore & Awaited<ReturnType<typeof partnershipStore>>> {
  const store = await partnershipStore(host);
  const { organisations } = store;
  const housing = await call(host, 'organisations.add', { name: HOUSING, statutory: true });
  const { users } = await call(host, 'users.list', {});
  const byRole = (role: Role) => users.find((u) => u.role === role)!;
  return {
    ...store,
    users: { manager: byRole('manager').id, statutory: byRole('statutory').id, non_statutory: byRole('non_statutory').id },
    organisations: {
      ...store.organisations,
      cst: byRole('manager').organisationId,
      police: organisations.police.id,
      housing: housing.organisation.id,
      charity: organisations.charity.id,
    } as MeetingsStore['organisations'] & typeof store.organisations,
  };
}

export function meetingInput(
  s: Pick<MeetingsStore, 'users'>,
  overrides: Partial<InputOf<'meetings.schedule'>> = {},
): InputOf<'meetings.schedule'> {
  return {
    kind: 'people',
    area: 'Northfield',
    date: inDays(21),
    startTime: '10:00',
    endTime: '12:00',
    place: 'Northfield Police Station',
    closed: true,
    chairId: s.users.statutory,
    minuteTakerId: s.users.manager,
    ...overrides,
  };
}

export async function schedule(
  host: Host,
  s: Pick<MeetingsStore, 'users'>,
  overrides: Partial<InputOf<'meetings.schedule'>> = {},
): Promise<OutputOf<'meetings.schedule'>['meeting']> {
  return (await call(host, 'meetings.schedule', meetingInput(s, overrides))).meeting;
}

/**
 * Registers three statutory attendees (the chair among them), marks them present, records their
 * acknowledgements and starts the minutes. Returns the attendee ids.
 */
export async function holdMeeting(
  host: Host,
  s: MeetingsStore,
  meetingId: number,
  extra: { organisationId: number; name: string }[] = [],
): Promise<number[]> {
  const people = [
    { name: 'Insp. Kaur', organisationId: s.organisations.police, userId: s.users.statutory, role: 'Neighbourhood Inspector (chair)' },
    { name: 'Alex Manager', organisationId: s.organisations.cst, userId: s.users.manager, role: 'Community Safety Manager' },
    { name: 'Pat Lowe', organisationId: s.organisations.housing, userId: null, role: 'Local Housing Manager' },
    ...extra.map((e) => ({ ...e, userId: null, role: 'Member' })),
  ];
  const ids: number[] = [];
  for (const p of people) {
    const { attendee } = await call(host, 'meetings.addAttendee', { meetingId, ...p });
    await call(host, 'meetings.setAttendance', { meetingId, attendeeId: attendee.id, attendance: 'present', arrivedAt: '10:00' });
    await call(host, 'meetings.acknowledgeConfidentiality', { meetingId, attendeeId: attendee.id });
    ids.push(attendee.id);
  }
  await call(host, 'minutes.start', { meetingId });
  return ids;
}

export interface PlantedMeetings {
  /** Scheduled open meeting: details, attendance, agenda edits, proposals, raising a case. */
  scheduled: number;
  expectedAttendee: number;
  presentAttendee: number;
  removableItem: number;
  /** Open meeting whose agenda is reordered (two items, listed here in their current order). */
  reorder: number;
  reorderItems: number[];
  /** Everyone present has acknowledged; minutes not started. */
  ready: number;
  /** Open meeting, minutes in draft, with closed-only paragraphs, spans, decisions and an action carrying the marker. */
  draft: number;
  draftItem: number;
  draftRevision: number;
  /** Draft minutes waiting to be submitted. */
  toSubmit: number;
  /** Submitted minutes, one to return and one to approve, chaired by each running role. */
  toReturn: Record<'manager' | 'statutory', number>;
  toApprove: Record<'manager' | 'statutory', number>;
  /** Approved open minutes with a closed-only addendum carrying the marker. */
  approved: number;
  approvedItem: number;
  /** An open action from an earlier meeting, reviewable at `draft`. */
  reviewableAction: number;
  /** A closed meeting about the closed-only case: marker in its place and minutes. */
  closed: number;
}

/**
 * Meetings in every state an operation needs, set up by the manager, with `marker` in every piece of
 * closed-only content (and in a closed meeting), for the access matrix and the proving ground.
 * The statutory user chairs or takes the minutes of each, so both running roles may act on them.
 */
export async function plantMeetings(
  host: Host,
  marker: string,
  ids: { openCase: number; spareCase: number; closedCase: number },
): Promise<PlantedMeetings> {
  const { users } = await call(host, 'users.list', {});
  const user = (role: Role) => users.find((u) => u.role === role)!;
  const manager = user('manager');
  const statutory = user('statutory');
  const charity = user('non_statutory');
  const s = { users: { manager: manager.id, statutory: statutory.id, non_statutory: charity.id } };
  const open = (o: Partial<InputOf<'meetings.schedule'>> = {}) => schedule(host, s, { closed: false, ...o });
  const register = async (meetingId: number, acknowledge = true) => {
    for (const p of [
      { name: 'PC Jones', organisationId: statutory.organisationId, userId: statutory.id },
      { name: 'Alex Manager', organisationId: manager.organisationId, userId: manager.id },
    ]) {
      const { attendee } = await call(host, 'meetings.addAttendee', { meetingId, ...p, attendance: 'present' });
      if (acknowledge) await call(host, 'meetings.acknowledgeConfidentiality', { meetingId, attendeeId: attendee.id });
    }
  };
  const started = async (o: Partial<InputOf<'meetings.schedule'>> = {}) => {
    const m = await open(o);
    const item = (await call(host, 'meetings.addAgendaItem', { meetingId: m.id, caseId: ids.openCase, reason: 'Review' })).item;
    await register(m.id);
    await call(host, 'minutes.start', { meetingId: m.id });
    return { id: m.id, item: item.id };
  };

  // An earlier meeting with an action still open, to be reviewed at the draft meeting.
  const earlier = await started({ area: 'Longbridge', date: inDays(-20) });
  const reviewableAction = (
    await call(host, 'actions.create', {
      meetingId: earlier.id,
      description: 'Visit the parade',
      ownerOrganisationId: statutory.organisationId,
      officer: 'PC Jones',
      dueDate: inDays(-5),
    })
  ).action.id;

  const scheduled = await open({ area: 'Kings Norton' });
  const expected = (
    await call(host, 'meetings.addAttendee', { meetingId: scheduled.id, name: 'Pat Lowe', organisationId: manager.organisationId })
  ).attendee.id;
  const present = (
    await call(host, 'meetings.addAttendee', {
      meetingId: scheduled.id,
      name: 'Sam Charity',
      organisationId: charity.organisationId,
      userId: charity.id,
      attendance: 'present',
    })
  ).attendee.id;
  const removable = (
    await call(host, 'meetings.addAgendaItem', { meetingId: scheduled.id, kind: 'other', title: 'Partnership updates', reason: 'Standing' })
  ).item.id;

  const reorder = await open({ area: 'Weoley' });
  await call(host, 'meetings.addAgendaItem', { meetingId: reorder.id, caseId: ids.openCase, reason: 'Review' });
  const reorderItems = (
    await call(host, 'meetings.addAgendaItem', { meetingId: reorder.id, kind: 'other', title: 'Any other business', reason: 'Standing' })
  ).agenda
    .map((i) => i.id)
    .reverse();

  const ready = await open({ area: 'Selly Oak' });
  await register(ready.id);

  const draft = await started({ area: 'Longbridge', date: inDays(-1) });
  const text = `Open part. ${marker}: PPU intelligence. Open again.`;
  const saved = await call(host, 'minutes.saveItem', {
    meetingId: draft.id,
    agendaItemId: draft.item,
    revision: 0,
    paragraphs: [
      { text, closedOnlySpans: [{ start: text.indexOf(marker), end: text.indexOf(' Open again') }] },
      { text: `${marker} said after the open members left.`, closedOnly: true },
      { text: 'Agreed to keep monitoring.' },
    ],
  });
  await call(host, 'minutes.recordDecision', {
    meetingId: draft.id,
    agendaItemId: draft.item,
    text: `${marker} decision`,
    closedOnly: true,
  });
  await call(host, 'actions.create', {
    meetingId: draft.id,
    agendaItemId: draft.item,
    description: `${marker} action`,
    ownerOrganisationId: charity.organisationId,
    officer: `${marker} officer`,
    dueDate: inDays(10),
    closedOnly: true,
  });
  await call(host, 'actions.create', {
    meetingId: draft.id,
    agendaItemId: draft.item,
    description: 'Leaflet drop',
    ownerOrganisationId: charity.organisationId,
    officer: 'Sam Charity',
    dueDate: inDays(10),
  });

  const toSubmit = await started({ area: 'Bournville' });
  const submitted = async (chair: number) => {
    const m = await started({ area: 'Bournville', chairId: chair, minuteTakerId: chair === manager.id ? statutory.id : manager.id });
    await call(host, 'minutes.submit', { meetingId: m.id });
    return m.id;
  };
  const toReturn = { manager: await submitted(manager.id), statutory: await submitted(statutory.id) };
  const toApprove = { manager: await submitted(manager.id), statutory: await submitted(statutory.id) };

  const approved = await started({ area: 'Bournville', chairId: manager.id, minuteTakerId: statutory.id });
  await call(host, 'minutes.submit', { meetingId: approved.id });
  await call(host, 'minutes.approve', { meetingId: approved.id });
  await call(host, 'minutes.addAddendum', {
    meetingId: approved.id,
    agendaItemId: approved.item,
    text: `${marker} correction`,
    reason: `${marker} reason`,
    closedOnly: true,
  });

  const closed = await schedule(host, s, { area: 'Northfield', place: `${marker} police station`, closed: true });
  const closedItem = (
    await call(host, 'meetings.addAgendaItem', { meetingId: closed.id, caseId: ids.closedCase, reason: `${marker} review` })
  ).item.id;
  await register(closed.id);
  await call(host, 'minutes.start', { meetingId: closed.id });
  await call(host, 'minutes.saveItem', {
    meetingId: closed.id,
    agendaItemId: closedItem,
    revision: 0,
    paragraphs: [{ text: `${marker} minutes` }],
  });
  await call(host, 'actions.create', {
    meetingId: closed.id,
    agendaItemId: closedItem,
    description: `${marker} closed action`,
    ownerOrganisationId: statutory.organisationId,
    officer: 'PC Jones',
    dueDate: inDays(30),
  });
  await call(host, 'meetings.raiseCase', { meetingId: scheduled.id, caseId: ids.spareCase, reason: 'Raised by the police' });

  return {
    scheduled: scheduled.id,
    expectedAttendee: expected,
    presentAttendee: present,
    removableItem: removable,
    reorder: reorder.id,
    reorderItems,
    ready: ready.id,
    draft: draft.id,
    draftItem: draft.item,
    draftRevision: saved.item.revision,
    toSubmit: toSubmit.id,
    toReturn,
    toApprove,
    approved: approved.id,
    approvedItem: approved.item,
    reviewableAction,
    closed: closed.id,
  };
}

// ── proving store ────────────────────────────────────────────────────────────────────────────────────

/** Never sent to anyone but statutory partners: in every field of the proving store's closed-only records. */
export const CLOSED_MARKER = 'Quillaverrine';
/** A user the access matrix may remove and reset without touching the personas. */
export const TEMP_USER = { username: 'temp.user', displayName: 'Temp User', passphrase: 'temporary passphrase one' };

export type ProvingStore = Awaited<ReturnType<typeof provingStore>>;

/**
 * The access matrix and the proving ground: the partnership (unlocked as the manager), TEMP_USER, open
 * data (a person with two cases and a note) and closed-meeting-only data (a person, an accepted case, a
 * note on each case and a link between them) carrying CLOSED_MARKER in every field; meetings in every
 * state (plantMeetings, with the marker in their closed-only content) and a signed and a draft agreement.
 */
export async function provingStore(host: Host) {
  const store = await partnershipStore(host);
  await call(host, 'users.add', { ...TEMP_USER, role: 'non_statutory', organisationId: store.organisations.charity.id });
  const M = CLOSED_MARKER;
  const openPerson = await createPerson(host);
  const hiddenPerson = await createPerson(host, {
    givenName: `Kit ${M}`,
    familyName: `${M}son`,
    aliases: [`${M} alias`],
    dateOfBirth: '1999-09-09',
    addresses: [{ line1: `1 ${M} Street`, postcode: 'B1 1AA' }],
    identifiers: [{ scheme: 'police', value: `${M}-REF` }],
    contacts: [{ kind: 'email', value: `${M.toLowerCase()}@example.org` }],
    household: [{ name: `${M} junior`, relationship: 'child', dateOfBirth: null }],
  });
  const openCase = await createCase(host, [openPerson]);
  const spareCase = await createCase(host, [openPerson], { area: 'Kings Norton' });
  const closedCase = await createCase(host, [hiddenPerson], {
    closedOnly: true,
    area: `${M}ville`,
    summary: `${M} summary`,
    referral: { organisation: `${M} PPU`, officer: `DS ${M}`, date: '2025-01-01', reason: `${M} reason`, consent: 'not_required' },
    risk: {
      personalHarm: 'high',
      communityHarm: 'high',
      environmentalHarm: 'high',
      vulnerabilityFactors: [`${M} factor`],
      reasons: `${M} risk`,
    },
    locations: [{ label: `${M} flats`, address: `${M} Road` }],
    alreadySupported: { service: `${M} CAMHS`, decision: 'discuss' },
  });
  await call(host, 'cases.addNote', { caseId: openCase, body: 'Open note about the parade.' });
  await call(host, 'cases.addNote', {
    caseId: openCase,
    body: `${M}: PPU intelligence, closed meeting only.`,
    closedOnly: true,
    classification: 'special_category',
  });
  await call(host, 'cases.addNote', { caseId: closedCase, body: `${M} note on a closed case` });
  await call(host, 'cases.link', { caseId: openCase, otherCaseId: closedCase, reason: `${M} link reason` });
  await call(host, 'cases.transition', { caseId: closedCase, to: 'accepted', reason: `${M} accepted` });
  const meetings = await plantMeetings(host, M, { openCase, spareCase, closedCase });
  const enforcement = await plantEnforcement(host, M, { openCase, closedCase, organisationId: store.organisations.police.id });
  // Every closed-only item of the closed case (its enforcement records too), each kept closed: a complete
  // decision list for cases.releaseClosedOnly.
  const closedCaseRelease = (await call(host, 'cases.releaseReview', { caseId: closedCase })).items.map(({ kind, id }) => ({
    kind,
    id,
    release: false,
  }));
  const { users } = await call(host, 'users.list', {});
  const idOf = (username: string) => users.find((u) => u.username === username)!.id;
  const police = store.organisations.police.id;
  const { agreement: signed } = await call(host, 'agreements.draft', {
    organisationId: police,
    kind: 'membership',
    groupName: GROUP,
    partnerType: 'police_neighbourhoods',
  });
  await call(host, 'agreements.sign', {
    agreementId: signed.id,
    signatory: { name: 'Insp. Ruth Hale', role: 'Inspector', signature: drawn() },
    witness: { name: 'Alex Manager', role: 'Partnership manager', signature: typed('Alex Manager') },
  });
  const { agreement: draft } = await call(host, 'agreements.draft', {
    organisationId: police,
    kind: 'information_sharing',
    groupName: GROUP,
  });
  // For the erasure operations (a manager's): a person and a case, each on its own closed-only case, so
  // erasing one leaves the other, and a non-statutory member sees neither.
  const erasablePerson = await createPerson(host, ERASABLE.person);
  await createCase(host, [erasablePerson], { closedOnly: true, area: 'Bournville' });
  const erasableCase = await createCase(host, [await createPerson(host, ERASABLE.caseSubject)], { closedOnly: true, area: 'Bournville' });
  const erasableCaseReference = (await call(host, 'cases.get', { caseId: erasableCase })).case.reference;
  return {
    ...store,
    openPerson,
    hiddenPerson,
    openCase,
    spareCase,
    closedCase,
    closedCaseRelease,
    meetings,
    enforcement,
    /** Every user's id (TEMP_USER's too), and the personas' by role. */
    userIds: users.map((u) => u.id),
    users: { manager: idOf(MANAGER.username), statutory: idOf(STATUTORY.username), non_statutory: idOf(NON_STATUTORY.username) } as Record<
      Role,
      number
    >,
    /** A signed membership agreement and a draft information-sharing one, both for the police. */
    agreements: { signed: signed.id, draft: draft.id },
    erasable: {
      person: erasablePerson,
      personName: `${ERASABLE.person.givenName} ${ERASABLE.person.familyName}`,
      case: erasableCase,
      caseReference: erasableCaseReference,
    },
  };
}

/** The people of provingStore's erasable records: on nothing else, with nothing the other tests look for. */
export const ERASABLE = {
  person: {
    givenName: 'Erin',
    familyName: 'Rasmussen',
    aliases: [],
    dateOfBirth: '1990-02-02',
    addresses: [],
    contacts: [],
    identifiers: [],
    household: [],
  },
  caseSubject: {
    givenName: 'Eli',
    familyName: 'Rowntree',
    aliases: [],
    dateOfBirth: '1991-03-03',
    addresses: [],
    contacts: [],
    identifiers: [],
    household: [],
  },
} satisfies Record<string, Partial<InputOf<'people.create'>>>;

/** Text planted only in the renderer partnership's closed-meeting-only records: it must never reach a non-statutory user's screen. */
export const CLOSED_MARKERS = { caseSubject: 'Zebedee', caseLocation: 'Quarantine Wharf', note: 'Kestrelmarker intelligence' } as const;

export interface Partnership {
  cases: { jordan: { id: number; reference: string }; priya: { id: number; reference: string }; closed: { id: number; reference: string } };
}

/** Renderer tests: the partnership and three cases (one closed-only), made on a fresh store through `call`; left locked. */
export async function seedPartnership(call: Call): Promise<Partnership> {
  await call('store.init', MANAGER);
  await addPartners(call);
  await call('session.setJustification', { justification: JUSTIFICATION });

  const person = async (givenName: string, familyName: string, dateOfBirth: string, postcode: string) =>
    (
      await call('people.create', {
        givenName,
        familyName,
        dateOfBirth,
        aliases: [],
        createDespiteDuplicates: true,
        addresses: [{ line1: `${givenName.length} Lime Grove`, town: 'Northfield', postcode, ward: 'Northfield' }],
      })
    ).person!.id;
  const jordan = await person('Jordan', 'Ellis', '2008-04-17', 'B31 2QT');
  const priya = await person('Priya', 'Shah', '1979-11-02', 'B29 6AA');
  const zebedee = await person(CLOSED_MARKERS.caseSubject, 'Okafor', '1990-01-01', 'B30 1AA');

  const base = (
    subjectIds: number[],
    area: string,
    concerns: InputOf<'cases.create'>['concerns'],
    personalHarm: 'low' | 'medium' | 'high',
  ) => ({
    subjectIds,
    area,
    concerns,
    referral: {
      organisation: STATUTORY.organisation,
      officer: STATUTORY.displayName,
      date: '2025-10-01',
      reason: 'Repeated reports to the police.',
      consent: 'not_required' as const,
    },
    risk: { personalHarm, communityHarm: 'low' as const, environmentalHarm: 'low' as const },
  });
  const jordanCase = (
    await call('cases.create', {
      ...base([jordan], 'Northfield', ['youth_offending', 'exploitation_risk'], 'high'),
      summary: 'Groups gathering at the parade after dark.',
    })
  ).case;
  const priyaCase = (await call('cases.create', { ...base([priya], 'Selly Oak', ['noise_nuisance'], 'low') })).case;
  const closedCase = (
    await call('cases.create', {
      ...base([zebedee], 'Kings Norton', ['drugs'], 'medium'),
      closedOnly: true,
      locations: [{ label: CLOSED_MARKERS.caseLocation, address: '1 Wharf Road' }],
    })
  ).case;
  await call('cases.addNote', { caseId: jordanCase.id, body: 'Seen at the parade with older males; family engaged with youth service.' });
  await call('cases.addNote', {
    caseId: jordanCase.id,
    body: `${CLOSED_MARKERS.note}: shared at the closed meeting only.`,
    closedOnly: true,
  });
  await call('session.lock', {});
  const ref = (c: { id: number; reference: string }) => ({ id: c.id, reference: c.reference });
  return { cases: { jordan: ref(jordanCase), priya: ref(priyaCase), closed: ref(closedCase) } };
}

/** Text planted only in closed-only parts of minutes: a non-statutory member's screen must never show it. */
export const CLOSED_MINUTES = {
  span: 'Intelligence links him to the Marlowspan flat.',
  paragraph: 'Grebeparagraph: the public protection unit shared a safeguarding referral.',
} as const;

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

  const schedule = async (date: string, minuteTakerId: number) =>
    (
      await call('meetings.schedule', {
        kind: 'people',
        area: 'Northfield',
        date,
        startTime: '10:00',
        endTime: '12:00',
        place: 'Northfield police station',
        closed: true,
        chairId: manager.id,
        minuteTakerId,
        invitedOrganisationIds: [org('West Midlands Police'), org(HOUSING)],
      })
    ).meeting;
  const attendAll = async (meetingId: number) => {
    for (const [name, organisationId, userId] of [
      [MANAGER.displayName, org(MANAGER.organisation), manager.id],
      [STATUTORY.displayName, org('West Midlands Police'), police.id],
      ['Dana Hughes', org(HOUSING), null],
    ] as const) {
      const { attendee } = await call('meetings.addAttendee', { meetingId, name, organisationId, role: '', userId, attendance: 'present' });
      await call('meetings.acknowledgeConfidentiality', { meetingId, attendeeId: attendee.id });
    }
  };
  const earlier = await schedule(inDays(-28), manager.id);
  await attendAll(earlier.id);
  const { item } = await call('meetings.addAgendaItem', {
    meetingId: earlier.id,
    kind: 'case',
    caseId: partnership.cases.jordan.id,
    reason: 'New referral',
  });
  await call('minutes.start', { meetingId: earlier.id });
  await call('minutes.saveItem', {
    meetingId: earlier.id,
    agendaItemId: item.id,
    revision: 0,
    paragraphs: [{ text: 'Referral discussed; police to visit the family.' }],
  });
  const actions = {
    done: 'Visit the family at home',
    carried: 'Share the youth service plan',
    failed: 'Arrange a joint visit with housing',
  };
  for (const [description, due] of [
    [actions.done, inDays(-7)],
    [actions.carried, inDays(3)],
    [actions.failed, inDays(-14)],
  ] as const) {
    await call('actions.create', {
      meetingId: earlier.id,
      agendaItemId: item.id,
      caseId: partnership.cases.jordan.id,
      description,
      ownerOrganisationId: org('West Midlands Police'),
      officer: STATUTORY.displayName,
      dueDate: due,
    });
  }
  await call('minutes.submit', { meetingId: earlier.id });
  await call('minutes.approve', { meetingId: earlier.id });
  // The next meeting, its minutes started, with PC Jones taking them (actions are reviewed in the minutes).
  const next = await schedule(inDays(7), police.id);
  // Jordan's case is on the agenda again: its actions are reviewed under it.
  await call('meetings.addAgendaItem', {
    meetingId: next.id,
    kind: 'case',
    caseId: partnership.cases.jordan.id,
    reason: 'Incomplete actions',
  });
  await attendAll(next.id);
  await call('minutes.start', { meetingId: next.id });
  await call('session.lock', {});
  return { partnership, earlierMeetingId: earlier.id, nextMeetingId: next.id, actions };
}

const GIVEN = [
  'Jordan',
  'Priya',
  'Liam',
  'Amelia',
  'Noah',
  'Olivia',
  'Mohammed',
  'Isla',
  'Kai',
  'Ava',
  'Tyler',
  'Chloe',
  'Reece',
  'Grace',
  'Ellis',
  'Zara',
];
const FAMILY = [
  'Ellis',
  'Shah',
  'Murphy',
  'Khan',
  'Smith',
  'Jones',
  'Patel',
  'Brown',
  'Wilson',
  'Begum',
  'Taylor',
  'Clarke',
  'Hughes',
  'Ahmed',
  'Walsh',
  'Reid',
];
const AREAS = ['Northfield', 'Selly Oak', 'Kings Norton', 'Longbridge', 'Weoley', 'Bournville', 'Stirchley', 'Rubery'];

/**
 * Renderer tests at scale: adds `count` cases (one subject each) as the unlocked user, in one transaction,
 * so seeding thousands takes seconds. Goes around the dispatcher on purpose (a loader, like bench/cases'
 * generator) and writes no audit entries.
 */
export async function seedBulkCases(host: Host, count: number, seed = 42): Promise<void> {
  const vault = host.vault;
  const userId = host.session?.user.id;
  if (!vault?.isUnlocked || userId === undefined) throw new Error('seedBulkCases needs an unlocked store');
  const random = seededRandom(seed);
  const digit = (below: number) => Math.floor(random.next() * below);
  await vault.db.transaction(async (sql) => {
    for (let i = 0; i < count; i++) {
      const givenName = random.pick(GIVEN);
      const familyName = random.pick(FAMILY);
      const { createDespiteDuplicates: _unused, ...person } = personCreateInput.parse({
        givenName,
        familyName,
        dateOfBirth: `19${String(60 + digit(40))}-0${1 + digit(9)}-1${digit(9)}`,
        aliases: random.chance(0.2) ? [`${givenName.slice(0, 3)}${i}`] : [],
        addresses: [
          {
            line1: `${1 + (i % 200)} ${random.pick(['Lime Grove', 'Parade', 'Church Road', 'Bristol Road', 'Hay Green'])}`,
            town: 'Birmingham',
            postcode: 'B31 2QT',
            ward: random.pick(AREAS),
          },
        ],
      });
      const personId = await insertPerson(sql, person, userId);
      const concerns = [...new Set([random.pick(CONCERN_CODES), random.pick(CONCERN_CODES)])];
      const input = caseCreateInput.parse({
        subjectIds: [personId],
        area: random.pick(AREAS),
        concerns,
        referral: {
          organisation: STATUTORY.organisation,
          date: `2025-0${1 + digit(9)}-1${digit(9)}`,
          reason: 'Referral from the bench loader.',
          consent: 'not_required',
        },
        risk: {
          personalHarm: random.pick(HARM_LEVELS),
          communityHarm: random.pick(HARM_LEVELS),
          environmentalHarm: 'low',
          assessedOn: `2025-${String(1 + digit(9)).padStart(2, '0')}-01`,
        },
        closedOnly: random.chance(0.05),
      });
      await insertCase(sql, input, userId);
    }
  });
}
