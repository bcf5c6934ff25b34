// Details and attendance: the meeting's facts, the quorum (flagged when not met), the confidentiality
// statement, and the register: each person present, sending apologies or absent, with arrival and
// leaving times, and a tick per person for the acknowledgement of the statement.
import { useEffect, useRef, useState } from 'react';
import type { Attendee, MeetingDetail } from '../../../src/contract/ops/meetings.js';
import { ATTENDANCE, ATTENDANCE_LABELS, MEETING_KIND_LABELS, type Attendance } from '../../../src/domain/meetings.js';
import { userMayCall, useSession } from '../../session.js';
import { Button } from '../../components/Button.js';
import { Select, TextField } from '../../components/form.js';
import { SummaryList } from '../../components/SummaryList.js';
import { formatDate, formatDateTime } from '../../lib/format.js';
import { useOperationForm } from '../../lib/use-operation-form.js';
import { SmallButton, nowHHMM, timeRange, useDirectory, whereText } from './shared.js';
import type { MeetingUpdate } from './MeetingPage.js';
import { MeetingForm } from './MeetingForm.js';

export function AttendanceTab({ meeting, update, reload }: { meeting: MeetingDetail; update: MeetingUpdate; reload: () => Promise<void> }) {
  const { user } = useSession();
  const may = userMayCall(user, 'meetings.setAttendance');
  const q = meeting.quorum;
  const mayEdit = userMayCall(user, 'meetings.update') && meeting.minutes.status !== 'approved' && meeting.status !== 'cancelled';
  const [editing, setEditing] = useState(false);
  // Focus follows the form: into its heading when it opens, back to the button when it closes.
  const returnFocus = useRef(false);
  const focusOnReturn = (button: HTMLButtonElement | null) => {
    if (button && returnFocus.current) {
      returnFocus.current = false;
      button.focus();
    }
  };
  const close = () => {
    returnFocus.current = true;
    setEditing(false);
  };
  useEffect(() => {
    if (editing) document.getElementById('edit-meeting-heading')?.focus();
  }, [editing]);
  if (editing)
    return (
      <MeetingForm
        edit={{
          meeting,
          onSaved: (saved) => {
            update(saved, 'Meeting updated');
            close();
          },
          onCancel: close,
        }}
      />
    );
  return (
    <>
      <h2 className="govuk-heading-m">Details</h2>
      {mayEdit && (
        <p className="govuk-body">
          <button
            ref={focusOnReturn}
            id="edit-meeting"
            type="button"
            className="govuk-button govuk-button--secondary"
            onClick={() => setEditing(true)}
          >
            Edit the meeting
          </button>
        </p>
      )}
      <SummaryList
        rows={[
          { key: 'Kind', value: `${MEETING_KIND_LABELS[meeting.kind]}, ${meeting.closed ? 'closed (statutory partners only)' : 'open'}` },
          { key: 'Area', value: meeting.area },
          ...(meeting.placeFocus ? [{ key: 'Location it is about', value: meeting.placeFocus }] : []),
          { key: 'Date', value: formatDate(meeting.date) },
          { key: 'Time', value: timeRange(meeting) },
          { key: 'Where', value: whereText(meeting) },
          { key: 'Chair', value: meeting.chair.displayName },
          { key: 'Minute-taker', value: meeting.minuteTaker.displayName },
          {
            key: 'Invited',
            value: meeting.invitedOrganisations.length
              ? meeting.invitedOrganisations.map((o) => o.name).join(', ')
              : 'No organisations named',
          },
          {
            key: 'Previous meeting',
            value: meeting.previousMeeting
              ? `${formatDate(meeting.previousMeeting.date)} (minutes ${meeting.previousMeeting.minutesStatus.replace('_', ' ')})`
              : 'None in this area',
          },
        ]}
      />

      <div className={`govuk-inset-text ${q.met ? 'app-quorum--met' : 'app-quorum--not-met'}`} data-testid="quorum">
        <h3 className="govuk-heading-s">{q.met ? 'Quorum met' : 'Warning: quorum not met'}</h3>
        <p className="govuk-body">
          {q.presentOrganisations === 1 ? '1 organisation' : `${q.presentOrganisations} organisations`} present ({q.required} needed)
          {q.chairRequired ? `; the chair is ${q.chairPresent ? '' : 'not '}present` : ''}.
        </p>
        {!q.met && (
          <ul className="govuk-list govuk-list--bullet">
            {q.shortfall.map((s) => (
              <li key={s}>{s.charAt(0).toUpperCase() + s.slice(1)}</li>
            ))}
          </ul>
        )}
      </div>

      <h2 className="govuk-heading-m" id="confidentiality-heading">
        Confidentiality statement
      </h2>
      <div className="govuk-inset-text">
        <p className="govuk-body">
          Read this aloud at the start of the meeting, then tick each person present who acknowledges it. The minutes cannot start until
          everyone present has.
        </p>
        <blockquote className="govuk-body app-prose" aria-labelledby="confidentiality-heading">
          {meeting.confidentialityStatement}
        </blockquote>
      </div>

      <Register meeting={meeting} update={update} reload={reload} may={may} />
      {may && meeting.minutes.status !== 'approved' && <AddAttendee meeting={meeting} update={update} />}
    </>
  );
}

function Register({
  meeting,
  update,
  reload,
  may,
}: {
  meeting: MeetingDetail;
  update: MeetingUpdate;
  reload: () => Promise<void>;
  may: boolean;
}) {
  const { call } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');

  const replace = (attendee: Attendee, patch: Partial<MeetingDetail> = {}) =>
    update((m) => ({ ...m, ...patch, attendees: m.attendees.map((a) => (a.id === attendee.id ? attendee : a)) }));

  const setAttendance = async (a: Attendee, attendance: Attendance, times: { arrivedAt?: string | null; leftAt?: string | null } = {}) => {
    setError(null);
    const input = {
      meetingId: meeting.id,
      attendeeId: a.id,
      attendance,
      ...(attendance === 'present' && !a.arrivedAt && times.arrivedAt === undefined ? { arrivedAt: nowHHMM() } : {}),
      ...times,
    };
    const result = await call('meetings.setAttendance', input);
    if (!result.ok) return setError(`${a.name}: ${result.error.message}`);
    replace(result.value.attendee, { quorum: result.value.quorum });
    setAnnounce(`${a.name}: ${ATTENDANCE_LABELS[attendance].toLowerCase()}. Quorum ${result.value.quorum.met ? 'met' : 'not met'}.`);
    // Who is present decides whether everyone present has acknowledged: read it again.
    void reload();
  };

  const acknowledge = async (a: Attendee) => {
    setError(null);
    const result = await call('meetings.acknowledgeConfidentiality', { meetingId: meeting.id, attendeeId: a.id });
    if (!result.ok) return setError(`${a.name}: ${result.error.message}`);
    replace(result.value.attendee, { allPresentAcknowledged: result.value.allPresentAcknowledged });
    setAnnounce(
      `${a.name} acknowledged the confidentiality statement.${result.value.allPresentAcknowledged ? ' Everyone present has acknowledged it.' : ''}`,
    );
  };

  const present = meeting.attendees.filter((a) => a.attendance === 'present');
  const acknowledged = present.filter((a) => a.acknowledgement).length;
  return (
    <>
      <h2 className="govuk-heading-m">Register</h2>
      <p className="govuk-body" data-testid="acknowledged-count">
        {present.length === 0
          ? 'Nobody is marked present yet.'
          : `${acknowledged} of ${present.length} present have acknowledged the confidentiality statement.`}
      </p>
      {error && (
        <p className="govuk-error-message" role="alert">
          <span className="govuk-visually-hidden">Error:</span> {error}
        </p>
      )}
      <p className="govuk-visually-hidden" role="status">
        {announce}
      </p>
      <div className="app-table-scroll">
        <table className="govuk-table app-table app-register">
          <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Register of attendees</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              {['Name', 'Organisation', 'Role', 'Attendance', 'Arrived', 'Left', 'Confidentiality acknowledged'].map((h) => (
                <th key={h} scope="col" className="govuk-table__header">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {meeting.attendees.length === 0 && (
              <tr className="govuk-table__row">
                <td className="govuk-table__cell" colSpan={7}>
                  No attendees yet.
                </td>
              </tr>
            )}
            {meeting.attendees.map((a) => (
              <tr className="govuk-table__row" key={a.id} data-attendee={a.name}>
                <th scope="row" className="govuk-table__header">
                  {a.name}
                  {a.isChair && ' (chair)'}
                  {a.isMinuteTaker && ' (minutes)'}
                </th>
                <td className="govuk-table__cell">
                  {a.organisation.name}
                  {!a.organisation.statutory && ' (non-statutory)'}
                </td>
                <td className="govuk-table__cell">{a.role}</td>
                <td className="govuk-table__cell">
                  {may ? (
                    <select
                      className="govuk-select"
                      id={`attendance-${a.id}`}
                      aria-label={`Attendance of ${a.name}`}
                      value={a.attendance}
                      onChange={(e) => void setAttendance(a, e.target.value as Attendance)}
                    >
                      {ATTENDANCE.map((s) => (
                        <option key={s} value={s}>
                          {ATTENDANCE_LABELS[s]}
                        </option>
                      ))}
                    </select>
                  ) : (
                    ATTENDANCE_LABELS[a.attendance]
                  )}
                </td>
                <td className="govuk-table__cell">{a.arrivedAt ?? ''}</td>
                <td className="govuk-table__cell">
                  {a.leftAt ??
                    (may && a.attendance === 'present' ? (
                      <SmallButton onClick={() => void setAttendance(a, 'present', { leftAt: nowHHMM() })}>
                        Left now<span className="govuk-visually-hidden">: {a.name}</span>
                      </SmallButton>
                    ) : (
                      ''
                    ))}
                </td>
                <td className="govuk-table__cell">
                  {may && (a.attendance === 'present' || a.acknowledgement) ? (
                    <div className="govuk-checkboxes govuk-checkboxes--small">
                      <div className="govuk-checkboxes__item">
                        <input
                          className="govuk-checkboxes__input"
                          type="checkbox"
                          id={`ack-${a.id}`}
                          checked={!!a.acknowledgement}
                          // Once recorded it stays recorded: the tick cannot be taken back, but it keeps focus
                          // (aria-disabled, not disabled) so a keyboard user does not lose their place.
                          aria-disabled={a.acknowledgement ? true : undefined}
                          onChange={() => {
                            if (!a.acknowledgement) void acknowledge(a);
                          }}
                          aria-describedby={`ack-${a.id}-hint`}
                        />
                        <label className="govuk-label govuk-checkboxes__label" htmlFor={`ack-${a.id}`}>
                          <span className="govuk-visually-hidden">{a.name} </span>Acknowledged
                        </label>
                        <div className="govuk-hint govuk-checkboxes__hint" id={`ack-${a.id}-hint`}>
                          {acknowledgementText(a)}
                        </div>
                      </div>
                    </div>
                  ) : (
                    acknowledgementText(a)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function acknowledgementText(a: Attendee): string {
  if (a.acknowledgement) return `${formatDateTime(a.acknowledgement.at)}, recorded by ${a.acknowledgement.recordedBy.displayName}`;
  return a.attendance === 'present' ? 'Not yet' : 'Only people present acknowledge';
}

function AddAttendee({ meeting, update }: { meeting: MeetingDetail; update: MeetingUpdate }) {
  const { call } = useSession();
  const { organisations, users } = useDirectory();
  const [name, setName] = useState('');
  const [organisationId, setOrganisationId] = useState('');
  const [role, setRole] = useState('');
  const [userId, setUserId] = useState('');
  const [attendance, setAttendance] = useState<Attendance>('present');
  const form = useOperationForm('meetings.addAttendee', {
    prefix: 'attendee',
    labels: { name: 'Name', organisationId: 'Organisation', role: 'Role', userId: 'User', attendance: 'Attendance' },
    messages: { organisationId: 'Choose the organisation' },
    fallback: 'organisationId',
  });

  // Busy until the arrival time is set too.
  const submit = form.onSubmit(() => form.run(add));
  const add = async () => {
    const input = {
      meetingId: meeting.id,
      name,
      organisationId: Number(organisationId),
      role,
      userId: userId ? Number(userId) : null,
      attendance,
    };
    const sent = await form.send(input);
    if (!sent.ok) return;
    let attendee = sent.value.attendee;
    let quorum = meeting.quorum;
    if (attendance === 'present') {
      // The arrival time is the moment they are entered as present.
      const timed = await call('meetings.setAttendance', {
        meetingId: meeting.id,
        attendeeId: attendee.id,
        attendance: 'present',
        arrivedAt: nowHHMM(),
      });
      if (timed.ok) {
        attendee = timed.value.attendee;
        quorum = timed.value.quorum;
      }
    }
    update(
      (m) => ({
        ...m,
        attendees: [...m.attendees, attendee],
        quorum,
        allPresentAcknowledged: attendance === 'present' ? false : m.allPresentAcknowledged,
      }),
      `${attendee.name} added to the register`,
    );
    setName('');
    setRole('');
    setUserId('');
  };

  // A closed meeting admits statutory partners only: the others are not offered (the store refuses them too).
  const choices = organisations.filter((o) => !meeting.closed || o.statutory);
  return (
    <form noValidate onSubmit={submit} className="app-inline-form" aria-labelledby="add-attendee-title">
      <h3 className="govuk-heading-s" id="add-attendee-title">
        Add someone to the register
      </h3>
      {meeting.closed && <p className="govuk-body app-muted">A closed meeting admits statutory partners only.</p>}
      {form.summary}
      <div className="app-form-columns">
        <TextField {...form.field('name')} label="Name" value={name} onChange={setName} />
        <Select
          {...form.field('organisationId')}
          label="Organisation"
          value={organisationId}
          onChange={setOrganisationId}
          options={[
            { value: '', label: 'Choose an organisation' },
            ...choices.map((o) => ({ value: String(o.id), label: o.statutory ? o.name : `${o.name} (non-statutory)` })),
          ]}
        />
        <TextField
          {...form.field('role')}
          label="Role (optional)"
          hint="For example, Neighbourhood Inspector"
          value={role}
          onChange={setRole}
        />
        {users.length > 1 && (
          <Select
            id="attendee-userId"
            label="Their Concordat user (optional)"
            value={userId}
            onChange={setUserId}
            options={[{ value: '', label: 'Not a user' }, ...users.map((u) => ({ value: String(u.id), label: u.displayName }))]}
          />
        )}
        <Select
          id="attendee-attendance"
          label="Attendance"
          value={attendance}
          onChange={setAttendance}
          options={ATTENDANCE.map((s) => ({ value: s, label: ATTENDANCE_LABELS[s] }))}
        />
      </div>
      <Button type="submit" variant="secondary" disabled={form.busy}>
        Add to register
      </Button>
    </form>
  );
}
