// Scheduling a meeting: kind, area, date and times, where, closed or open, chair and minute-taker, the
// organisations invited, and the quorum (the terms of reference's default unless changed). Given a
// meeting, the same form edits it (meetings.update) in place on the meeting's details tab.
import { useState } from 'react';
import type { MeetingDetail } from '../../../src/contract/ops/meetings.js';
import { DEFAULT_QUORUM, MEETING_KINDS, MEETING_KIND_LABELS, type MeetingKind } from '../../../src/domain/meetings.js';
import { useSession } from '../../session.js';
import { useNavigate } from '../../navigation.js';
import { Button, ButtonGroup } from '../../components/Button.js';
import { Checkbox, Checkboxes, DateField, Radios, Select, TextField } from '../../components/form.js';
import { PageHeading } from '../../components/PageHeading.js';
import { useOperationForm } from '../../lib/use-operation-form.js';
import { useDirectory } from './shared.js';

const LABELS = {
  kind: 'Kind of meeting',
  area: 'Area',
  date: 'Date',
  startTime: 'Start time',
  endTime: 'End time',
  place: 'Place',
  placeFocus: 'Location the meeting is about',
  chairId: 'Chair',
  minuteTakerId: 'Minute-taker',
  invitedOrganisationIds: 'Invited organisations',
  'quorum.minimumOrganisations': 'Organisations needed for quorum',
};

const FORM_OPTIONS = {
  labels: LABELS,
  messages: { date: 'Enter the date of the meeting as YYYY-MM-DD' },
  fallback: 'kind',
};

export interface MeetingEdit {
  meeting: MeetingDetail;
  onSaved: (meeting: MeetingDetail) => void;
  onCancel: () => void;
}

/** Without `edit`, the "Schedule a meeting" page; with it, the "Edit the meeting" form for that meeting. */
export function MeetingForm({ edit }: { edit?: MeetingEdit | undefined } = {}) {
  const { user } = useSession();
  const navigate = useNavigate();
  const { organisations, users } = useDirectory();
  const m = edit?.meeting;
  const [kind, setKind] = useState<MeetingKind>(m?.kind ?? 'people');
  const [area, setArea] = useState(m?.area ?? '');
  const [date, setDate] = useState(m?.date ?? '');
  const [startTime, setStartTime] = useState(m?.startTime ?? '10:00');
  const [endTime, setEndTime] = useState(m?.endTime ?? '');
  const [place, setPlace] = useState(m?.place ?? '');
  const [online, setOnline] = useState(m?.online ?? false);
  const [placeFocus, setPlaceFocus] = useState(m?.placeFocus ?? '');
  const [closed, setClosed] = useState(m?.closed ?? true);
  const [chairId, setChairId] = useState(String(m?.chair.id ?? user.id));
  const [minuteTakerId, setMinuteTakerId] = useState(String(m?.minuteTaker.id ?? user.id));
  const [invited, setInvited] = useState<string[]>(m?.invitedOrganisations.map((o) => String(o.id)) ?? []);
  const [minimum, setMinimum] = useState(String(m?.quorum.required ?? DEFAULT_QUORUM.minimumOrganisations));
  // One hook either way: it checks the input against the schema of the operation named on this render.
  const form = useOperationForm<'meetings.schedule' | 'meetings.update'>(edit ? 'meetings.update' : 'meetings.schedule', FORM_OPTIONS);

  const submit = form.onSubmit(async () => {
    const input = {
      kind,
      area,
      date,
      startTime,
      endTime: endTime.trim() || null,
      place: place.trim() || null,
      online,
      placeFocus: kind === 'place' ? placeFocus.trim() || null : null,
      closed,
      chairId: Number(chairId),
      minuteTakerId: Number(minuteTakerId),
      invitedOrganisationIds: invited.map(Number),
      quorum:
        Number(minimum) === DEFAULT_QUORUM.minimumOrganisations
          ? null
          : { minimumOrganisations: Number(minimum), chairPresent: DEFAULT_QUORUM.chairPresent },
    };
    if (edit) {
      const sent = await form.send({ meetingId: edit.meeting.id, ...input });
      if (sent.ok) edit.onSaved(sent.value.meeting);
      return;
    }
    const sent = await form.send(input);
    if (sent.ok) navigate({ name: 'meeting', meetingId: sent.value.meeting.id });
  });

  const known = users.map((u) => ({
    value: String(u.id),
    label: u.organisation ? `${u.displayName} (${u.organisation})` : u.displayName,
  }));
  // Someone who cannot list the users still sees the meeting's own chair and minute-taker to keep.
  const people = [
    ...known,
    ...(m ? [m.chair, m.minuteTaker] : [])
      .filter((u, i, all) => all.findIndex((x) => x.id === u.id) === i && !known.some((k) => k.value === String(u.id)))
      .map((u) => ({ value: String(u.id), label: u.displayName })),
  ];
  const visibleOrganisations = organisations.filter((o) => !closed || o.statutory);
  const cancel = () => (edit ? edit.onCancel() : navigate({ name: 'meetings' }));
  return (
    <>
      {edit ? (
        <h2 className="govuk-heading-m" id="edit-meeting-heading" tabIndex={-1}>
          Edit the meeting
        </h2>
      ) : (
        <>
          <p className="govuk-body">
            <button type="button" className="app-link-button app-back-link" onClick={() => navigate({ name: 'meetings' })}>
              Back to meetings
            </button>
          </p>
          <PageHeading>Schedule a meeting</PageHeading>
        </>
      )}
      {form.summary}
      <form noValidate onSubmit={submit}>
        <Radios
          {...form.field('kind')}
          legend={LABELS.kind}
          inline
          value={kind}
          onChange={(k) => {
            setKind(k);
            if (k === 'place') setClosed(false);
          }}
          options={MEETING_KINDS.map((k) => ({ value: k, label: MEETING_KIND_LABELS[k] }))}
        />
        <div className="app-form-columns">
          <TextField {...form.field('area')} label={LABELS.area} value={area} onChange={setArea} />
          <DateField {...form.field('date')} label={LABELS.date} value={date} onChange={setDate} />
          <TextField
            {...form.field('startTime')}
            label={LABELS.startTime}
            hint="HH:MM, 24-hour"
            width="5"
            value={startTime}
            onChange={setStartTime}
          />
          <TextField
            {...form.field('endTime')}
            label={`${LABELS.endTime} (optional)`}
            hint="HH:MM, 24-hour"
            width="5"
            value={endTime}
            onChange={setEndTime}
          />
        </div>
        <TextField
          {...form.field('place')}
          label={`${LABELS.place} (optional)`}
          hint="For example, Northfield police station, room 2"
          value={place}
          onChange={setPlace}
        />
        <Checkbox id="online" label="Held online (or with online joining)" checked={online} onChange={setOnline} />
        {kind === 'place' && (
          <TextField {...form.field('placeFocus')} label={`${LABELS.placeFocus} (optional)`} value={placeFocus} onChange={setPlaceFocus} />
        )}
        <Checkbox
          id="closed"
          label="Closed meeting: statutory partners only"
          hint="Non-statutory members cannot attend and never see it"
          checked={closed}
          onChange={setClosed}
        />
        <div className="app-form-columns">
          <Select {...form.field('chairId')} label={LABELS.chairId} value={chairId} onChange={setChairId} options={people} />
          <Select
            {...form.field('minuteTakerId')}
            label={LABELS.minuteTakerId}
            value={minuteTakerId}
            onChange={setMinuteTakerId}
            options={people}
          />
        </div>
        {visibleOrganisations.length > 0 && (
          <Checkboxes
            {...form.field('invitedOrganisationIds')}
            legend={LABELS.invitedOrganisationIds}
            small
            columns
            values={invited.filter((id) => visibleOrganisations.some((o) => String(o.id) === id))}
            onChange={setInvited}
            hint={closed ? 'A closed meeting invites statutory partners only' : undefined}
            options={visibleOrganisations.map((o) => ({ value: String(o.id), label: o.statutory ? o.name : `${o.name} (non-statutory)` }))}
          />
        )}
        <TextField
          {...form.field('quorum.minimumOrganisations')}
          label={LABELS['quorum.minimumOrganisations']}
          width="2"
          inputMode="numeric"
          hint={`Organisations with someone present, the chair among them. The terms of reference's default is ${DEFAULT_QUORUM.minimumOrganisations}.`}
          value={minimum}
          onChange={setMinimum}
        />
        <ButtonGroup>
          <Button type="submit" disabled={form.busy}>
            {edit ? 'Save changes' : 'Schedule meeting'}
          </Button>
          <Button variant="secondary" onClick={cancel}>
            Cancel
          </Button>
        </ButtonGroup>
      </form>
    </>
  );
}
