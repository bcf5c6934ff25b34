// A case store with meetings: organisations for a People meeting, user ids by role, and helpers that
// schedule a meeting and take it as far as its minutes (attendance, acknowledgements, minutes started).
import type { Host } from '../../src/host/host.js';
import type { Role } from '../../src/contract/operation.js';
import type { InputOf, OutputOf } from '../../src/contract/operations.js';
import { addDays, localToday } from '../../src/domain/risk.js';
import { call } from '../support/store.js';
import { casesStore } from './fixtures.js';

export const inDays = (n: number) => addDays(localToday(), n);

export interface MeetingsStore {
  host: Host;
  users: Record<Role, number>;
  organisations: { cst: number; police: number; housing: number; charity: number };
}

/** casesStore() plus council housing (statutory) and the users' ids; unlocked as the manager. */
export async function meetingsStore(): Promise<MeetingsStore & Awaited<ReturnType<typeof casesStore>>> {
  const store = await casesStore();
  const { host, organisations } = store;
  const housing = await call(host, 'organisations.add', { name: 'Birmingham City Council Housing', statutory: true });
  const { users } = await call(host, 'users.list', {});
  const byRole = (role: Role) => users.find((u) => u.role === role)!;
  return {
    ...store,
    users: { manager: byRole('manager').id, statutory: byRole('statutory').id, non_statutory: byRole('non_statutory').id },
    organisations: {
      ...store.organisations,
      cst: byRole('manager').organisationId, police: organisations.police.id, housing: housing.organisation.id, charity: organisations.charity.id,
    } as MeetingsStore['organisations'] & typeof store.organisations,
  };
}

export function meetingInput(s: Pick<MeetingsStore, 'users'>, overrides: Partial<InputOf<'meetings.schedule'>> = {}): InputOf<'meetings.schedule'> {
  return {
    kind: 'people', area: 'Northfield', date: inDays(21), startTime: '10:00', endTime: '12:00', place: 'Northfield Police Station',
    closed: true, chairId: s.users.statutory, minuteTakerId: s.users.manager, ...overrides,
  };
}

export async function schedule(host: Host, s: Pick<MeetingsStore, 'users'>, overrides: Partial<InputOf<'meetings.schedule'>> = {}): Promise<OutputOf<'meetings.schedule'>['meeting']> {
  return (await call(host, 'meetings.schedule', meetingInput(s, overrides))).meeting;
}

/**
 * Registers three statutory attendees (the chair among them), marks them present, records their
 * acknowledgements and starts the minutes. Returns the attendee ids.
 */
export async function holdMeeting(host: Host, s: MeetingsStore, meetingId: number, extra: { organisationId: number; name: string }[] = []): Promise<number[]> {
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
export async function plantMeetings(host: Host, marker: string, ids: { openCase: number; spareCase: number; closedCase: number }): Promise<PlantedMeetings> {
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
  const reviewableAction = (await call(host, 'actions.create', { meetingId: earlier.id, description: 'Visit the parade', ownerOrganisationId: statutory.organisationId, officer: 'PC Jones', dueDate: inDays(-5) })).action.id;

  const scheduled = await open({ area: 'Kings Norton' });
  const expected = (await call(host, 'meetings.addAttendee', { meetingId: scheduled.id, name: 'Pat Lowe', organisationId: manager.organisationId })).attendee.id;
  const present = (await call(host, 'meetings.addAttendee', { meetingId: scheduled.id, name: 'Sam Charity', organisationId: charity.organisationId, userId: charity.id, attendance: 'present' })).attendee.id;
  const removable = (await call(host, 'meetings.addAgendaItem', { meetingId: scheduled.id, kind: 'other', title: 'Partnership updates', reason: 'Standing' })).item.id;

  const reorder = await open({ area: 'Weoley' });
  await call(host, 'meetings.addAgendaItem', { meetingId: reorder.id, caseId: ids.openCase, reason: 'Review' });
  const reorderItems = (await call(host, 'meetings.addAgendaItem', { meetingId: reorder.id, kind: 'other', title: 'Any other business', reason: 'Standing' })).agenda.map((i) => i.id).reverse();

  const ready = await open({ area: 'Selly Oak' });
  await register(ready.id);

  const draft = await started({ area: 'Longbridge', date: inDays(-1) });
  const text = `Open part. ${marker}: PPU intelligence. Open again.`;
  const saved = await call(host, 'minutes.saveItem', { meetingId: draft.id, agendaItemId: draft.item, revision: 0, paragraphs: [
    { text, closedOnlySpans: [{ start: text.indexOf(marker), end: text.indexOf(' Open again') }] },
    { text: `${marker} said after the open members left.`, closedOnly: true },
    { text: 'Agreed to keep monitoring.' },
  ] });
  await call(host, 'minutes.recordDecision', { meetingId: draft.id, agendaItemId: draft.item, text: `${marker} decision`, closedOnly: true });
  await call(host, 'actions.create', { meetingId: draft.id, agendaItemId: draft.item, description: `${marker} action`, ownerOrganisationId: charity.organisationId, officer: `${marker} officer`, dueDate: inDays(10), closedOnly: true });
  await call(host, 'actions.create', { meetingId: draft.id, agendaItemId: draft.item, description: 'Leaflet drop', ownerOrganisationId: charity.organisationId, officer: 'Sam Charity', dueDate: inDays(10) });

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
  await call(host, 'minutes.addAddendum', { meetingId: approved.id, agendaItemId: approved.item, text: `${marker} correction`, reason: `${marker} reason`, closedOnly: true });

  const closed = await schedule(host, s, { area: 'Northfield', place: `${marker} police station`, closed: true });
  const closedItem = (await call(host, 'meetings.addAgendaItem', { meetingId: closed.id, caseId: ids.closedCase, reason: `${marker} review` })).item.id;
  await register(closed.id);
  await call(host, 'minutes.start', { meetingId: closed.id });
  await call(host, 'minutes.saveItem', { meetingId: closed.id, agendaItemId: closedItem, revision: 0, paragraphs: [{ text: `${marker} minutes` }] });
  await call(host, 'actions.create', { meetingId: closed.id, agendaItemId: closedItem, description: `${marker} closed action`, ownerOrganisationId: statutory.organisationId, officer: 'PC Jones', dueDate: inDays(30) });
  await call(host, 'meetings.raiseCase', { meetingId: scheduled.id, caseId: ids.spareCase, reason: 'Raised by the police' });

  return {
    scheduled: scheduled.id, expectedAttendee: expected, presentAttendee: present, removableItem: removable, reorder: reorder.id, reorderItems,
    ready: ready.id, draft: draft.id, draftItem: draft.item, draftRevision: saved.item.revision, toSubmit: toSubmit.id, toReturn, toApprove,
    approved: approved.id, approvedItem: approved.item, reviewableAction, closed: closed.id,
  };
}
