// The minutes: started once everyone present has acknowledged the confidentiality statement; then per
// agenda item, paragraphs (autosaved as a draft), closed-only marks for a whole paragraph or a selected
// span, and decisions (a case status change goes through the case's lifecycle rules). Submitted to the
// chair, who approves them or returns them to draft; approved minutes never change, and corrections are
// addenda shown after the item they correct.
import { useCallback, useRef, useState, type FormEvent } from 'react';
import type { AgendaItem, MeetingDetail, MinuteItem } from '../../../src/contract/ops/meetings.js';
import { allowedMinutesSteps } from '../../../src/domain/meetings.js';
import { mayMarkClosedOnly } from '../../../src/domain/access.js';
import { userMayCall, useSession } from '../../session.js';
import { Button, ButtonGroup } from '../../components/Button.js';
import { TextArea } from '../../components/form.js';
import { Tag } from '../../components/Tag.js';
import { formatDateTime } from '../../lib/format.js';
import { MinutesTag, isMinutesWriter } from './shared.js';
import { ClosedText } from './ClosedText.js';
import { ItemEditor, Decisions } from './MinuteItemEditor.js';
import type { MeetingUpdate } from './MeetingPage.js';

export type Flushers = Map<number, () => Promise<boolean>>;

export function MinutesTab({ meeting, update, reload }: { meeting: MeetingDetail; update: MeetingUpdate; reload: () => Promise<void> }) {
  const { user } = useSession();
  const flushers = useRef<Flushers>(new Map());
  const m = meeting.minutes;
  const items = meeting.agenda.filter((i) => !i.removed).sort((a, b) => a.position - b.position);
  const writer = isMinutesWriter(meeting, user);
  const editing = m.status === 'draft' && userMayCall(user, 'minutes.saveItem') && writer;
  const setItem = useCallback(
    (item: MinuteItem) =>
      update((x) => ({
        ...x,
        minutes: {
          ...x.minutes,
          items: x.minutes.items.some((i) => i.agendaItemId === item.agendaItemId)
            ? x.minutes.items.map((i) => (i.agendaItemId === item.agendaItemId ? item : i))
            : [...x.minutes.items, item],
        },
      })),
    [update],
  );

  return (
    <>
      <div className="app-heading-row">
        <h2 className="govuk-heading-m">Minutes</h2>
        <MinutesTag status={m.status} />
      </div>
      <MinutesFacts meeting={meeting} />
      {m.status === 'not_started' ? (
        <StartMinutes meeting={meeting} update={update} />
      ) : (
        <>
          {items.length === 0 && <p className="govuk-body app-muted">The agenda is empty: add items on the Agenda tab.</p>}
          {items.map((agendaItem, index) => {
            const item = m.items.find((i) => i.agendaItemId === agendaItem.id) ?? null;
            return (
              <section key={agendaItem.id} className="app-section app-minute-item" aria-labelledby={`minutes-item-${agendaItem.id}`}>
                <h3 className="govuk-heading-s" id={`minutes-item-${agendaItem.id}`}>
                  {index + 1}. {agendaItem.title}
                  {agendaItem.case && !agendaItem.title.includes(agendaItem.case.reference) && ` (${agendaItem.case.reference})`}
                </h3>
                {editing ? (
                  <ItemEditor meeting={meeting} agendaItem={agendaItem} item={item} flushers={flushers.current} onSaved={setItem} />
                ) : (
                  <ItemReadOnly item={item} />
                )}
                <Decisions
                  meeting={meeting}
                  agendaItem={agendaItem}
                  item={item}
                  editing={editing}
                  onRecorded={(next) => {
                    setItem(next);
                    void reload();
                  }}
                />
                <Addenda meeting={meeting} agendaItem={agendaItem} item={item} onAdded={setItem} />
              </section>
            );
          })}
          <MinutesSteps meeting={meeting} update={update} flushers={flushers.current} />
        </>
      )}
    </>
  );
}

function MinutesFacts({ meeting }: { meeting: MeetingDetail }) {
  const m = meeting.minutes;
  const facts: string[] = [];
  if (m.startedAt && m.startedBy) facts.push(`Started ${formatDateTime(m.startedAt)} by ${m.startedBy.displayName}`);
  if (m.submittedAt && m.submittedBy) facts.push(`Submitted ${formatDateTime(m.submittedAt)} by ${m.submittedBy.displayName}`);
  if (m.approvedAt && m.approvedBy) facts.push(`Approved ${formatDateTime(m.approvedAt)} by ${m.approvedBy.displayName} (chair)`);
  return (
    <>
      {facts.length > 0 && (
        <p className="govuk-body" data-testid="minutes-facts">
          {facts.join('. ')}.
        </p>
      )}
      {m.status === 'draft' && m.returnedReason && (
        <div className="govuk-inset-text">The chair returned the minutes to draft: {m.returnedReason}</div>
      )}
    </>
  );
}

function StartMinutes({ meeting, update }: { meeting: MeetingDetail; update: MeetingUpdate }) {
  const { call, user } = useSession();
  const [error, setError] = useState<string | null>(null);
  const waiting = meeting.attendees.filter((a) => a.attendance === 'present' && !a.acknowledgement);
  const present = meeting.attendees.filter((a) => a.attendance === 'present');
  const start = async () => {
    setError(null);
    const result = await call('minutes.start', { meetingId: meeting.id });
    if (!result.ok) return setError(result.error.message);
    update({ minutes: result.value.minutes, quorum: result.value.quorum }, 'Minutes started');
  };
  return (
    <div className="govuk-inset-text">
      <p className="govuk-body">The minutes have not been started.</p>
      {present.length === 0 && (
        <p className="govuk-body">Nobody is marked present yet: record attendance on the Details and attendance tab.</p>
      )}
      {waiting.length > 0 && (
        <p className="govuk-body" data-testid="waiting-acknowledgement">
          Still to acknowledge the confidentiality statement: {waiting.map((a) => a.name).join(', ')}.
        </p>
      )}
      {!meeting.quorum.met && (
        <p className="govuk-body">
          <Tag colour="red">Quorum not met</Tag> The minutes will record that the meeting was not quorate.
        </p>
      )}
      {error && (
        <p className="govuk-error-message" role="alert">
          <span className="govuk-visually-hidden">Error:</span> {error}
        </p>
      )}
      {userMayCall(user, 'minutes.start') && isMinutesWriter(meeting, user) ? (
        <Button onClick={() => void start()} aria-describedby={waiting.length ? 'waiting-hint' : undefined}>
          Start the minutes
        </Button>
      ) : (
        <p className="govuk-body">The minute-taker, {meeting.minuteTaker.displayName}, starts them.</p>
      )}
      {waiting.length > 0 && (
        <p className="govuk-hint" id="waiting-hint">
          The store refuses to start them until everyone present has acknowledged the statement.
        </p>
      )}
    </div>
  );
}

function ItemReadOnly({ item }: { item: MinuteItem | null }) {
  if (!item || item.paragraphs.length === 0) return <p className="govuk-body app-muted">Nothing minuted for this item.</p>;
  return (
    <div className="app-minute-text">
      {item.paragraphs.map((p) => (
        <div key={p.id} className={p.closedOnly ? 'app-closed-paragraph' : undefined} data-closed-paragraph={p.closedOnly ? '' : undefined}>
          {p.closedOnly && <Tag colour="purple">Closed meeting only: whole paragraph</Tag>}
          <ClosedText text={p.text} spans={p.closedOnlySpans} />
        </div>
      ))}
    </div>
  );
}

function Addenda({
  meeting,
  agendaItem,
  item,
  onAdded,
}: {
  meeting: MeetingDetail;
  agendaItem: AgendaItem;
  item: MinuteItem | null;
  onAdded: (item: MinuteItem) => void;
}) {
  const { call, user } = useSession();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const [closedOnly, setClosedOnly] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const id = `addendum-${agendaItem.id}`;
  const may = meeting.minutes.status === 'approved' && userMayCall(user, 'minutes.addAddendum') && isMinutesWriter(meeting, user);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!text.trim()) found[`${id}-text`] = 'Enter the correction';
    if (!reason.trim()) found[`${id}-reason`] = 'Enter why the minutes are corrected';
    setErrors(found);
    if (Object.keys(found).length) return;
    const result = await call('minutes.addAddendum', { meetingId: meeting.id, agendaItemId: agendaItem.id, text, reason, closedOnly });
    if (!result.ok) return setErrors({ [`${id}-text`]: result.error.message });
    onAdded(result.value.item);
    setText('');
    setReason('');
    setOpen(false);
  };

  return (
    <>
      {item && item.addenda.length > 0 && (
        <div className="app-addenda">
          <h4 className="govuk-heading-s">Addenda</h4>
          {item.addenda.map((a) => (
            <div key={a.id} className="govuk-inset-text">
              <p className="govuk-body govuk-!-margin-bottom-1">
                <strong>Addendum</strong> by {a.author.displayName}, {formatDateTime(a.at)}
                {a.closedOnly && (
                  <>
                    {' '}
                    <Tag colour="purple">Closed meeting only</Tag>
                  </>
                )}
              </p>
              <p className="govuk-body app-prose">{a.text}</p>
              <p className="govuk-body app-muted">Reason: {a.reason}</p>
            </div>
          ))}
        </div>
      )}
      {may && !open && (
        <Button variant="secondary" onClick={() => setOpen(true)}>
          Add an addendum<span className="govuk-visually-hidden"> to {agendaItem.title}</span>
        </Button>
      )}
      {may && open && (
        <form noValidate onSubmit={(e) => void submit(e)} className="app-inline-form" aria-label={`Addendum to ${agendaItem.title}`}>
          <TextArea id={`${id}-text`} label="Correction" rows={3} value={text} onChange={setText} error={errors[`${id}-text`]} autoFocus />
          <TextArea
            id={`${id}-reason`}
            label="Why the minutes are corrected"
            rows={2}
            value={reason}
            onChange={setReason}
            error={errors[`${id}-reason`]}
          />
          {mayMarkClosedOnly(user.role) && (
            <div className="govuk-checkboxes govuk-checkboxes--small govuk-form-group">
              <div className="govuk-checkboxes__item">
                <input
                  className="govuk-checkboxes__input"
                  type="checkbox"
                  id={`${id}-closed`}
                  checked={closedOnly}
                  onChange={(e) => setClosedOnly(e.target.checked)}
                />
                <label className="govuk-label govuk-checkboxes__label" htmlFor={`${id}-closed`}>
                  Closed meeting only
                </label>
              </div>
            </div>
          )}
          <ButtonGroup>
            <Button type="submit">Add addendum</Button>
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
          </ButtonGroup>
        </form>
      )}
    </>
  );
}

function MinutesSteps({ meeting, update, flushers }: { meeting: MeetingDetail; update: MeetingUpdate; flushers: Flushers }) {
  const { call, user } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');
  const status = meeting.minutes.status;
  const steps = allowedMinutesSteps(status);
  const isChair = user.id === meeting.chair.id;

  const submit = async () => {
    setError(null);
    setBusy(true);
    // Whatever is still waiting for its autosave goes first, so the chair approves what was typed.
    const saved = await Promise.all([...flushers.values()].map((flush) => flush()));
    if (saved.includes(false)) {
      setBusy(false);
      return setError('Some paragraphs could not be saved: see the messages above each item.');
    }
    const result = await call('minutes.submit', { meetingId: meeting.id });
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    update({ minutes: result.value.minutes, minutesStatus: result.value.minutes.status }, 'Minutes submitted to the chair for approval');
  };
  const approve = async () => {
    setError(null);
    const result = await call('minutes.approve', { meetingId: meeting.id });
    if (!result.ok) return setError(result.error.message);
    update({ minutes: result.value.minutes, minutesStatus: result.value.minutes.status }, 'Minutes approved');
  };
  const sendBack = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return setError('Enter what needs correcting');
    const result = await call('minutes.return', { meetingId: meeting.id, reason });
    if (!result.ok) return setError(result.error.message);
    setReturning(false);
    setReason('');
    update({ minutes: result.value.minutes, minutesStatus: result.value.minutes.status }, 'Minutes returned to draft');
  };

  if (status === 'approved') {
    return (
      <p className="govuk-body" data-testid="minutes-final">
        These minutes are approved and will not change. Corrections are added as addenda.
      </p>
    );
  }
  return (
    <section className="app-section" aria-labelledby="minutes-steps-title">
      <h3 className="govuk-heading-s" id="minutes-steps-title">
        {status === 'draft' ? 'When the minutes are complete' : 'Approval'}
      </h3>
      {error && (
        <p className="govuk-error-message" role="alert">
          <span className="govuk-visually-hidden">Error:</span> {error}
        </p>
      )}
      {steps.includes('submitted') && userMayCall(user, 'minutes.submit') && isMinutesWriter(meeting, user) && (
        <Button onClick={() => void submit()} disabled={busy}>
          Submit for approval
        </Button>
      )}
      {status === 'draft' && !isMinutesWriter(meeting, user) && (
        <p className="govuk-body">The minute-taker, {meeting.minuteTaker.displayName}, is writing these minutes.</p>
      )}
      {status === 'submitted' && !isChair && (
        <p className="govuk-body">Waiting for the chair, {meeting.chair.displayName}, to approve them.</p>
      )}
      {status === 'submitted' && isChair && !returning && (
        <ButtonGroup>
          <Button onClick={() => void approve()}>Approve minutes</Button>
          <Button variant="secondary" onClick={() => setReturning(true)}>
            Return to draft
          </Button>
        </ButtonGroup>
      )}
      {status === 'submitted' && isChair && returning && (
        <form noValidate onSubmit={(e) => void sendBack(e)} className="app-inline-form" aria-label="Return the minutes to draft">
          <TextArea id="minutes-return-reason" label="What needs correcting" rows={2} value={reason} onChange={setReason} autoFocus />
          <ButtonGroup>
            <Button type="submit">Return to draft</Button>
            <Button variant="secondary" onClick={() => setReturning(false)}>
              Cancel
            </Button>
          </ButtonGroup>
        </form>
      )}
    </section>
  );
}
