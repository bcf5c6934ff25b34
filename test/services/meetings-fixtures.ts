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
