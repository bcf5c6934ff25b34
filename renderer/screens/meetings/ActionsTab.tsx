// A meeting's actions: the incomplete actions from earlier meetings of the area, each reviewed here as
// done, carried over with a new date, or failed with the reason; the actions agreed at this meeting
// (filtered by status, owner and overdue); and the form to agree a new one.
import { useEffect, useRef, useState } from 'react';
import type { MeetingAction, MeetingDetail } from '../../../src/contract/ops/meetings.js';
import {
  ACTION_STATUSES,
  ACTION_STATUS_LABELS,
  FAILURE_REASONS,
  FAILURE_REASON_LABELS,
  type ActionReviewOutcome,
  type ActionStatus,
  type FailureReason,
} from '../../../src/domain/meetings.js';
import { mayMarkClosedOnly } from '../../../src/domain/access.js';
import { userMayCall, useSession } from '../../session.js';
import { Button, ButtonGroup } from '../../components/Button.js';
import { Checkbox, DateField, Radios, Select, TextArea, TextField } from '../../components/form.js';
import { useOperationForm } from '../../lib/use-operation-form.js';
import { ActionsTable } from './ActionsTable.js';
import { SmallButton, isMinutesWriter, useDirectory } from './shared.js';
import type { MeetingUpdate } from './MeetingPage.js';

export function ActionsTab({ meeting, update }: { meeting: MeetingDetail; update: MeetingUpdate }) {
  const { user } = useSession();
  const [reviewing, setReviewing] = useState<MeetingAction | null>(null);
  const [status, setStatus] = useState<ActionStatus | ''>('');
  const [owner, setOwner] = useState('');
  const [overdue, setOverdue] = useState(false);
  // Reviews and new actions are part of the minutes: written by their writers while they are a draft.
  const writing = isMinutesWriter(meeting, user) && meeting.minutes.status === 'draft';
  const mayReview = userMayCall(user, 'actions.review') && writing;
  const owners = [...new Map(meeting.actions.map((a) => [a.ownerOrganisation.id, a.ownerOrganisation.name])).entries()];
  const shown = meeting.actions.filter(
    (a) => (!status || a.status === status) && (!owner || String(a.ownerOrganisation.id) === owner) && (!overdue || a.overdue),
  );

  const replace = (action: MeetingAction) =>
    update((m) => ({
      ...m,
      actionsToReview: m.actionsToReview.map((a) => (a.id === action.id ? action : a)),
      actions: m.actions.map((a) => (a.id === action.id ? action : a)),
    }));

  return (
    <>
      <h2 className="govuk-heading-m">Actions from earlier meetings</h2>
      <p className="govuk-body">
        Every action of {meeting.area} not yet done is reviewed here: done, carried over with a new date, or failed with the reason.
      </p>
      {!writing && isMinutesWriter(meeting, user) && meeting.minutes.status === 'not_started' && (
        <p className="govuk-body" data-testid="actions-need-minutes">
          Actions are reviewed and agreed in the minutes: start the minutes (Minutes tab) first.
        </p>
      )}
      <ActionsTable
        caption={<span className="govuk-visually-hidden">Actions to review</span>}
        actions={meeting.actionsToReview}
        showMeeting
        empty="No actions to review from earlier meetings."
        tools={
          mayReview
            ? (a) => {
                const reviewedHere = a.reviews.some((r) => r.meetingId === meeting.id);
                return reviewedHere ? (
                  <span className="app-muted">Reviewed at this meeting</span>
                ) : (
                  <SmallButton onClick={() => setReviewing(a)}>
                    Review<span className="govuk-visually-hidden">: {a.description}</span>
                  </SmallButton>
                );
              }
            : undefined
        }
      />
      {notOnAgenda(meeting) > 0 && (
        <p className="govuk-body" data-testid="actions-not-on-agenda">
          {notOnAgenda(meeting) === 1 ? '1 more action is' : `${notOnAgenda(meeting)} more actions are`} about cases not on this agenda: add
          those cases on the Agenda tab (they are proposed there) to review their actions.
        </p>
      )}
      {reviewing && (
        <ReviewForm
          key={reviewing.id}
          meeting={meeting}
          action={reviewing}
          onCancel={() => setReviewing(null)}
          onDone={(action) => {
            setReviewing(null);
            replace(action);
            update({}, `Action reviewed: ${ACTION_STATUS_LABELS[action.status].toLowerCase()}`);
          }}
        />
      )}

      <h2 className="govuk-heading-m">Actions agreed at this meeting</h2>
      <div className="app-filters" role="search" aria-label="Filter the actions agreed at this meeting">
        <Select
          id="actions-filter-status"
          label="Status"
          value={status}
          onChange={setStatus}
          options={[{ value: '', label: 'Any status' }, ...ACTION_STATUSES.map((s) => ({ value: s, label: ACTION_STATUS_LABELS[s] }))]}
        />
        <Select
          id="actions-filter-owner"
          label="Owner"
          value={owner}
          onChange={setOwner}
          options={[{ value: '', label: 'Any organisation' }, ...owners.map(([id, name]) => ({ value: String(id), label: name }))]}
        />
        <Checkbox id="actions-filter-overdue" label="Overdue only" checked={overdue} onChange={setOverdue} />
      </div>
      <p className="govuk-body" role="status">
        {shown.length === meeting.actions.length
          ? `${shown.length} action${shown.length === 1 ? '' : 's'}`
          : `${shown.length} of ${meeting.actions.length} actions`}
      </p>
      <ActionsTable
        caption={<span className="govuk-visually-hidden">Actions agreed at this meeting</span>}
        actions={shown}
        empty="No actions match."
      />
      {userMayCall(user, 'actions.create') && writing && meeting.status !== 'cancelled' && (
        <NewAction meeting={meeting} onCreated={(action) => update((m) => ({ ...m, actions: [...m.actions, action] }), 'Action agreed')} />
      )}
    </>
  );
}

/** Counted by the store since the review moved under agenda items; read defensively while that lands. */
function notOnAgenda(meeting: MeetingDetail): number {
  return (meeting as { actionsToReviewNotOnAgenda?: number }).actionsToReviewNotOnAgenda ?? 0;
}

function ReviewForm({
  meeting,
  action,
  onCancel,
  onDone,
}: {
  meeting: MeetingDetail;
  action: MeetingAction;
  onCancel: () => void;
  onDone: (action: MeetingAction) => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [outcome, setOutcome] = useState<ActionReviewOutcome | null>(null);
  const [newDueDate, setNewDueDate] = useState('');
  const [failureReason, setFailureReason] = useState<FailureReason | ''>('');
  const [note, setNote] = useState('');
  const form = useOperationForm('actions.review', {
    prefix: 'review',
    labels: { newDueDate: 'New due date', failureReason: 'Reason', note: 'Note', outcome: 'Outcome' },
    fallback: 'outcome',
  });
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const submit = form.onSubmit(async () => {
    if (!outcome) return void form.refuse({ outcome: 'Choose what happened to the action' });
    const input = {
      actionId: action.id,
      meetingId: meeting.id,
      outcome,
      newDueDate: outcome === 'carried_over' ? newDueDate.trim() || null : null,
      failureReason: outcome === 'failed' && failureReason ? failureReason : null,
      note,
    };
    const sent = await form.send(input, {
      newDueDate: outcome === 'carried_over' && !input.newDueDate ? 'Enter the new due date' : undefined,
      failureReason: outcome === 'failed' && !failureReason ? 'Choose why the action failed' : undefined,
    });
    if (sent.ok) onDone(sent.value.action);
  });

  return (
    <form noValidate onSubmit={submit} className="app-inline-form" aria-labelledby="review-title">
      <h3 className="govuk-heading-s" id="review-title" tabIndex={-1} ref={heading}>
        Review: {action.description}
      </h3>
      {form.summary}
      <Radios
        {...form.field('outcome')}
        legend="What happened?"
        small
        value={outcome}
        onChange={setOutcome}
        options={[
          { value: 'done', label: 'Done' },
          { value: 'carried_over', label: 'Carried over to a new date' },
          { value: 'failed', label: 'Failed' },
        ]}
      />
      {outcome === 'carried_over' && (
        <TextField
          {...form.field('newDueDate')}
          label="New due date"
          hint="YYYY-MM-DD, after the meeting"
          width="10"
          value={newDueDate}
          onChange={setNewDueDate}
        />
      )}
      {outcome === 'failed' && (
        <Select
          {...form.field('failureReason')}
          label="Why it failed"
          value={failureReason}
          onChange={setFailureReason}
          options={[
            { value: '', label: 'Choose a reason' },
            ...FAILURE_REASONS.map((r) => ({ value: r, label: FAILURE_REASON_LABELS[r] })),
          ]}
        />
      )}
      <TextArea
        {...form.field('note')}
        label={outcome === 'failed' && failureReason === 'other' ? 'Say why' : 'Note (optional)'}
        rows={2}
        value={note}
        onChange={setNote}
      />
      <ButtonGroup>
        <Button type="submit" disabled={form.busy}>
          Record review
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </ButtonGroup>
    </form>
  );
}

function NewAction({ meeting, onCreated }: { meeting: MeetingDetail; onCreated: (action: MeetingAction) => void }) {
  const { user } = useSession();
  const { organisations } = useDirectory();
  const items = meeting.agenda.filter((i) => !i.removed).sort((a, b) => a.position - b.position);
  const [itemId, setItemId] = useState('');
  const [description, setDescription] = useState('');
  const [ownerId, setOwnerId] = useState('');
  const [officer, setOfficer] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [closedOnly, setClosedOnly] = useState(false);
  const labels = { description: 'Action', ownerOrganisationId: 'Owner organisation', officer: 'Named officer', dueDate: 'Due date' };
  const form = useOperationForm('actions.create', {
    prefix: 'action',
    labels,
    messages: { ownerOrganisationId: 'Choose the organisation that owns the action', dueDate: 'Enter the due date as YYYY-MM-DD' },
    fallback: 'description',
  });

  const submit = form.onSubmit(async () => {
    const item = items.find((i) => String(i.id) === itemId);
    const input = {
      meetingId: meeting.id,
      agendaItemId: item ? item.id : null,
      caseId: item?.case?.id ?? null,
      description,
      ownerOrganisationId: Number(ownerId),
      officer,
      dueDate,
      closedOnly,
    };
    const sent = await form.send(input);
    if (!sent.ok) return;
    onCreated(sent.value.action);
    setDescription('');
    setOfficer('');
    setDueDate('');
    setClosedOnly(false);
  });

  return (
    <form noValidate onSubmit={submit} className="app-inline-form" aria-labelledby="new-action-title">
      <h3 className="govuk-heading-s" id="new-action-title">
        Agree an action
      </h3>
      {form.summary}
      <Select
        id="action-agendaItemId"
        label="About"
        value={itemId}
        onChange={setItemId}
        options={[
          { value: '', label: 'The meeting as a whole' },
          ...items.map((i, n) => ({ value: String(i.id), label: `${n + 1}. ${i.title}${i.case ? ` (${i.case.reference})` : ''}` })),
        ]}
      />
      <TextArea {...form.field('description')} label={labels.description} rows={2} value={description} onChange={setDescription} />
      <div className="app-form-columns">
        <Select
          {...form.field('ownerOrganisationId')}
          label={labels.ownerOrganisationId}
          value={ownerId}
          onChange={setOwnerId}
          options={[
            { value: '', label: 'Choose an organisation' },
            ...organisations.filter((o) => !meeting.closed || o.statutory).map((o) => ({ value: String(o.id), label: o.name })),
          ]}
        />
        <TextField {...form.field('officer')} label={labels.officer} value={officer} onChange={setOfficer} />
        <DateField {...form.field('dueDate')} label={labels.dueDate} value={dueDate} onChange={setDueDate} />
      </div>
      {mayMarkClosedOnly(user.role) && (
        <Checkbox id="action-closedOnly" label="Closed meeting only" checked={closedOnly} onChange={setClosedOnly} />
      )}
      <Button type="submit" variant="secondary" disabled={form.busy}>
        Agree action
      </Button>
    </form>
  );
}
