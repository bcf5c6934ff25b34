// What the meeting screens share: how a meeting is named and tagged, the small button, and the
// organisations and users the forms pick from.
import { useEffect, useState, type ReactNode } from 'react';
import type { MeetingSummary } from '../../../src/contract/ops/meetings.js';
import {
  MEETING_KIND_LABELS,
  MINUTES_STATUS_LABELS,
  ACTION_STATUS_LABELS,
  type ActionStatus,
  type MinutesStatus,
} from '../../../src/domain/meetings.js';
import { userMayCall, useSession } from '../../session.js';
import { Tag, type TagColour } from '../../components/Tag.js';
import { formatDate } from '../../lib/format.js';

export const MINUTES_COLOURS: Readonly<Record<MinutesStatus, TagColour>> = {
  not_started: 'grey',
  draft: 'yellow',
  submitted: 'blue',
  approved: 'green',
};
export const ACTION_COLOURS: Readonly<Record<ActionStatus, TagColour>> = {
  open: 'blue',
  done: 'green',
  carried_over: 'yellow',
  failed: 'red',
};

export function MinutesTag({ status }: { status: MinutesStatus }) {
  return <Tag colour={MINUTES_COLOURS[status]}>Minutes: {MINUTES_STATUS_LABELS[status]}</Tag>;
}

export function ActionStatusTag({ status, overdue }: { status: ActionStatus; overdue?: boolean }) {
  return (
    <>
      <Tag colour={ACTION_COLOURS[status]}>{ACTION_STATUS_LABELS[status]}</Tag>
      {overdue && (
        <>
          {' '}
          <Tag colour="red">Overdue</Tag>
        </>
      )}
    </>
  );
}

export function ClosedTag({ closed }: { closed: boolean }) {
  return closed ? <Tag colour="purple">Closed: statutory partners only</Tag> : <Tag colour="grey">Open</Tag>;
}

/** "People meeting, Northfield, 3 Dec 2026". */
export function meetingTitle(m: Pick<MeetingSummary, 'kind' | 'area' | 'date'>): string {
  return `${MEETING_KIND_LABELS[m.kind]}, ${m.area}, ${formatDate(m.date)}`;
}

export function timeRange(m: Pick<MeetingSummary, 'startTime' | 'endTime'>): string {
  return m.endTime ? `${m.startTime} to ${m.endTime}` : m.startTime;
}

export function whereText(m: Pick<MeetingSummary, 'place' | 'online'>): string {
  if (m.online && m.place) return `${m.place}, and online`;
  if (m.online) return 'Online';
  return m.place ?? 'Not set';
}

export function SmallButton({
  children,
  onClick,
  variant = 'secondary',
  disabled,
  describedBy,
  id,
}: {
  children: ReactNode;
  onClick: () => void;
  variant?: 'secondary' | 'warning' | 'primary';
  disabled?: boolean;
  describedBy?: string;
  id?: string;
}) {
  const cls = variant === 'primary' ? 'govuk-button' : `govuk-button govuk-button--${variant}`;
  return (
    <button
      type="button"
      id={id}
      className={`${cls} app-button--small`}
      onClick={onClick}
      disabled={disabled}
      aria-describedby={describedBy}
    >
      {children}
    </button>
  );
}

export interface Organisation {
  id: number;
  name: string;
  statutory: boolean;
}
export interface Person {
  id: number;
  displayName: string;
  organisation?: string;
}

/** Organisations (everyone may list them) and, for a manager, the users; others can name only themselves. */
export function useDirectory(): { organisations: Organisation[]; users: Person[] } {
  const { call, user } = useSession();
  const [organisations, setOrganisations] = useState<Organisation[]>([]);
  const [users, setUsers] = useState<Person[]>([{ id: user.id, displayName: user.displayName, organisation: user.organisation }]);
  useEffect(() => {
    let live = true;
    void call('organisations.list', {}).then((r) => {
      if (live && r.ok) setOrganisations(r.value.organisations);
    });
    if (userMayCall(user, 'users.list')) {
      void call('users.list', {}).then((r) => {
        if (live && r.ok)
          setUsers(
            r.value.users.filter((u) => !u.removedAt).map((u) => ({ id: u.id, displayName: u.displayName, organisation: u.organisation })),
          );
      });
    }
    return () => {
      live = false;
    };
  }, [call, user]);
  return { organisations, users };
}

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
/** The time now as HH:MM, for arrival and leaving. */
export function nowHHMM(): string {
  return timeFormat.format(new Date());
}

/** Today as YYYY-MM-DD in local time. */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Who may write the minutes (and agree and review actions in them): the minute-taker, the chair, the manager. */
export function isMinutesWriter(meeting: Pick<MeetingSummary, 'chair' | 'minuteTaker'>, user: { id: number; role: string }): boolean {
  return user.role === 'manager' || user.id === meeting.chair.id || user.id === meeting.minuteTaker.id;
}
