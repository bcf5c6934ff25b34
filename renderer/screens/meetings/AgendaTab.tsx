// The agenda: proposed items to accept (cases due for review, new referrals, cases with overdue or
// incomplete actions, cases raised by a partner; a case already supported elsewhere is shown with that
// decision and not ticked), items added and removed with reasons, and the order changed with Move up /
// Move down buttons (keyboard) or by dragging (pointer).
import { useEffect, useRef, useState, type DragEvent, type FormEvent } from 'react';
import type { AgendaItem, AgendaProposal, MeetingDetail } from '../../../src/contract/ops/meetings.js';
import { PROPOSAL_REASON_LABELS, type AgendaItemKind } from '../../../src/domain/meetings.js';
import { userMayCall, useSession } from '../../session.js';
import { useNavigate } from '../../navigation.js';
import { Button, ButtonGroup } from '../../components/Button.js';
import { Select, TextArea, TextField } from '../../components/form.js';
import { Tag } from '../../components/Tag.js';
import { RISK_COLOURS, STATUS_COLOURS, formatDateTime } from '../../lib/format.js';
import { RISK_LABELS, statusLabel } from '../../lib/labels.js';
import { useOperationForm } from '../../lib/use-operation-form.js';
import { SmallButton } from './shared.js';
import type { MeetingUpdate } from './MeetingPage.js';

const KIND_LABELS: Readonly<Record<AgendaItemKind, string>> = {
  case: 'A case',
  previous_minutes: 'Approve the last minutes',
  actions_review: 'Review of actions',
  other: 'Another matter',
};

export function AgendaTab({ meeting, update }: { meeting: MeetingDetail; update: MeetingUpdate }) {
  const { user } = useSession();
  const may = userMayCall(user, 'meetings.reorderAgenda') && meeting.minutes.status !== 'approved' && meeting.status !== 'cancelled';
  const active = meeting.agenda.filter((i) => !i.removed).sort((a, b) => a.position - b.position);
  const removed = meeting.agenda.filter((i) => i.removed);
  return (
    <>
      <h2 className="govuk-heading-m">Agenda</h2>
      <AgendaList meeting={meeting} items={active} update={update} may={may} />
      {removed.length > 0 && (
        <>
          <h3 className="govuk-heading-s">Removed from the agenda</h3>
          <ul className="govuk-list" data-testid="removed-items">
            {removed.map((i) => (
              <li key={i.id}>
                <del>{i.title}</del> <span className="app-muted">(removed)</span>: {i.removed!.reason}{' '}
                <span className="app-muted">
                  by {i.removed!.by.displayName}, {formatDateTime(i.removed!.at)}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {may && <Proposals meeting={meeting} update={update} />}
      {may && <AddItem meeting={meeting} update={update} />}
    </>
  );
}

function CaseLine({ item }: { item: Pick<AgendaItem, 'case'> }) {
  const navigate = useNavigate();
  const c = item.case;
  if (!c) return null;
  return (
    <p className="govuk-body govuk-!-margin-bottom-1">
      <button type="button" className="app-link-button" onClick={() => navigate({ name: 'case', caseId: c.id })}>
        {c.reference}
      </button>
      {c.subjects.length > 0 && <> · {c.subjects.join(', ')}</>} <Tag colour={STATUS_COLOURS[c.status]}>{statusLabel(c.status)}</Tag>{' '}
      <Tag colour={RISK_COLOURS[c.overallRisk]}>{RISK_LABELS[c.overallRisk]} risk</Tag>
      {c.closedOnly && (
        <>
          {' '}
          <Tag colour="purple">Closed meeting only</Tag>
        </>
      )}
      {c.alreadySupported && (
        <>
          {' '}
          · Already supported by {c.alreadySupported.service}:{' '}
          {c.alreadySupported.decision === 'discuss' ? 'discuss here' : 'do not discuss here'}
        </>
      )}
    </p>
  );
}

function AgendaList({ meeting, items, update, may }: { meeting: MeetingDetail; items: AgendaItem[]; update: MeetingUpdate; may: boolean }) {
  const { call } = useSession();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const [removing, setRemoving] = useState<number | null>(null);
  const [dragging, setDragging] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const focusAfter = useRef<{ id: number; which: 'up' | 'down' } | null>(null);

  useEffect(() => {
    // Moving a list item re-renders it elsewhere: put focus back on the button that moved it (or its
    // sibling when it reached the top or the bottom and that button went away).
    const target = focusAfter.current;
    if (!target) return;
    focusAfter.current = null;
    const other = target.which === 'up' ? 'down' : 'up';
    (buttons.current.get(`${target.id}-${target.which}`) ?? buttons.current.get(`${target.id}-${other}`))?.focus();
  }, [items]);

  const reorder = async (ids: number[], moved: AgendaItem, which?: 'up' | 'down') => {
    setError(null);
    const removedIds = meeting.agenda.filter((i) => i.removed).map((i) => i.id);
    const result = await call('meetings.reorderAgenda', { meetingId: meeting.id, agendaItemIds: [...ids, ...removedIds], reason });
    if (!result.ok) return setError(result.error.message);
    if (which) focusAfter.current = { id: moved.id, which };
    update({ agenda: result.value.agenda });
    setAnnounce(`${moved.title} moved to position ${ids.indexOf(moved.id) + 1} of ${ids.length}.`);
  };

  const move = (item: AgendaItem, by: -1 | 1) => {
    const ids = items.map((i) => i.id);
    const at = ids.indexOf(item.id);
    const to = at + by;
    if (to < 0 || to >= ids.length) return;
    [ids[at], ids[to]] = [ids[to]!, ids[at]!];
    void reorder(ids, item, by < 0 ? 'up' : 'down');
  };

  const drop = (event: DragEvent, target: AgendaItem) => {
    event.preventDefault();
    const moving = items.find((i) => i.id === dragging);
    setDragging(null);
    setOver(null);
    if (!moving || moving.id === target.id) return;
    const ids = items.map((i) => i.id).filter((id) => id !== moving.id);
    ids.splice(ids.indexOf(target.id), 0, moving.id);
    void reorder(ids, moving);
  };

  return (
    <>
      {may && items.length > 1 && (
        <TextField
          id="agenda-order-reason"
          label="Reason for changing the order (optional)"
          hint="Recorded with each move. Move items with the buttons, or drag them."
          value={reason}
          onChange={setReason}
        />
      )}
      {error && (
        <p className="govuk-error-message" role="alert">
          <span className="govuk-visually-hidden">Error:</span> {error}
        </p>
      )}
      <p className="govuk-visually-hidden" role="status">
        {announce}
      </p>
      {items.length === 0 ? (
        <p className="govuk-body app-muted">Nothing on the agenda yet.</p>
      ) : (
        <ol className="app-agenda" aria-label="Agenda items in order">
          {items.map((item, index) => (
            <li
              key={item.id}
              data-item-id={item.id}
              className={[
                'app-agenda__item',
                dragging === item.id ? 'app-agenda__item--dragging' : '',
                over === item.id && dragging !== item.id ? 'app-agenda__item--over' : '',
              ].join(' ')}
              draggable={may && removing !== item.id}
              onDragStart={(e) => {
                setDragging(item.id);
                e.dataTransfer.effectAllowed = 'move';
                e.dataTransfer.setData('text/plain', String(item.id));
              }}
              onDragOver={(e) => {
                if (dragging !== null) {
                  e.preventDefault();
                  setOver(item.id);
                }
              }}
              onDragEnd={() => {
                setDragging(null);
                setOver(null);
              }}
              onDrop={(e) => drop(e, item)}
            >
              <span
                className={`app-agenda__number${may ? ' app-agenda__handle' : ''}`}
                aria-hidden="true"
                title={may ? 'Drag to move' : undefined}
              >
                {index + 1}.
              </span>
              <div>
                <h3 className="govuk-heading-s govuk-!-margin-bottom-1">
                  {item.title}
                  {item.closedOnly && (
                    <>
                      {' '}
                      <Tag colour="purple">Closed meeting only</Tag>
                    </>
                  )}
                </h3>
                <CaseLine item={item} />
                {item.proposalReasons.length > 0 && (
                  <p className="govuk-body govuk-!-margin-bottom-1">
                    Proposed: {item.proposalReasons.map((r) => PROPOSAL_REASON_LABELS[r]).join('; ')}
                  </p>
                )}
                <p className="govuk-body app-muted govuk-!-margin-bottom-1">
                  Added by {item.addedBy.displayName}: {item.addedReason}
                </p>
                {removing === item.id && <RemoveForm meeting={meeting} item={item} update={update} onDone={() => setRemoving(null)} />}
              </div>
              {may && removing !== item.id && (
                <div className="app-agenda__tools">
                  {index > 0 && (
                    <button
                      type="button"
                      className="govuk-button govuk-button--secondary app-button--small"
                      ref={(el) => {
                        if (el) buttons.current.set(`${item.id}-up`, el);
                        else buttons.current.delete(`${item.id}-up`);
                      }}
                      onClick={() => move(item, -1)}
                    >
                      Move up<span className="govuk-visually-hidden">: {item.title}</span>
                    </button>
                  )}
                  {index < items.length - 1 && (
                    <button
                      type="button"
                      className="govuk-button govuk-button--secondary app-button--small"
                      ref={(el) => {
                        if (el) buttons.current.set(`${item.id}-down`, el);
                        else buttons.current.delete(`${item.id}-down`);
                      }}
                      onClick={() => move(item, 1)}
                    >
                      Move down<span className="govuk-visually-hidden">: {item.title}</span>
                    </button>
                  )}
                  <SmallButton variant="warning" onClick={() => setRemoving(item.id)}>
                    Remove<span className="govuk-visually-hidden">: {item.title}</span>
                  </SmallButton>
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

function RemoveForm({
  meeting,
  item,
  update,
  onDone,
}: {
  meeting: MeetingDetail;
  item: AgendaItem;
  update: MeetingUpdate;
  onDone: () => void;
}) {
  const { call } = useSession();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return setError('Enter why the item is removed');
    const result = await call('meetings.removeAgendaItem', { meetingId: meeting.id, agendaItemId: item.id, reason });
    if (!result.ok) return setError(result.error.message);
    update({ agenda: result.value.agenda }, `${item.title} removed from the agenda`);
    onDone();
  };
  return (
    <form noValidate onSubmit={(e) => void submit(e)} className="app-inline-form" aria-label={`Remove ${item.title}`}>
      <TextArea
        id={`remove-reason-${item.id}`}
        label="Why is it removed?"
        rows={2}
        value={reason}
        onChange={setReason}
        error={error}
        autoFocus
      />
      <ButtonGroup>
        <Button type="submit" variant="warning">
          Remove item
        </Button>
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </ButtonGroup>
    </form>
  );
}

function proposalReason(p: AgendaProposal): string {
  const parts = p.reasons.map((r) => PROPOSAL_REASON_LABELS[r]);
  for (const raised of p.raisedBy) parts.push(`raised by ${raised.organisation}: ${raised.reason}`);
  return parts.join('; ') || 'Proposed for this meeting';
}

function Proposals({ meeting, update }: { meeting: MeetingDetail; update: MeetingUpdate }) {
  const { call } = useSession();
  const [proposals, setProposals] = useState<AgendaProposal[] | null>(null);
  const [chosen, setChosen] = useState<number[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const propose = async () => {
    setError(null);
    const result = await call('meetings.proposeAgenda', { meetingId: meeting.id });
    if (!result.ok) return setError(result.error.message);
    setProposals(result.value.proposals);
    setChosen(result.value.proposals.filter((p) => p.proposedByDefault && !p.alreadyOnAgenda).map((p) => p.case.id));
  };

  const accept = async () => {
    if (!proposals) return;
    setBusy(true);
    setError(null);
    let agenda = meeting.agenda;
    let added = 0;
    for (const p of proposals.filter((x) => chosen.includes(x.case.id) && !x.alreadyOnAgenda)) {
      const result = await call('meetings.addAgendaItem', {
        meetingId: meeting.id,
        kind: 'case',
        caseId: p.case.id,
        reason: proposalReason(p),
        proposalReasons: p.reasons,
      });
      if (!result.ok) {
        setError(`${p.case.reference}: ${result.error.message}`);
        break;
      }
      agenda = result.value.agenda;
      added++;
    }
    setBusy(false);
    update({ agenda }, added === 1 ? '1 case added to the agenda' : `${added} cases added to the agenda`);
    setProposals(null);
  };

  const open = proposals?.filter((p) => !p.alreadyOnAgenda) ?? [];
  return (
    <section className="app-section" aria-labelledby="proposals-title">
      <h3 className="govuk-heading-s" id="proposals-title">
        Proposed items
      </h3>
      {!proposals ? (
        <>
          <p className="govuk-body">
            Cases in {meeting.area} whose review is due by the meeting date, new referrals, cases with overdue or incomplete actions, and
            cases a partner raised.
          </p>
          <Button variant="secondary" onClick={() => void propose()}>
            Propose items
          </Button>
        </>
      ) : open.length === 0 ? (
        <p className="govuk-body" role="status">
          No cases to propose: every proposed case is already on the agenda.
        </p>
      ) : (
        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Choose the cases to add</legend>
          <div className="govuk-checkboxes govuk-checkboxes--small">
            {open.map((p) => (
              <div className="govuk-checkboxes__item" key={p.case.id}>
                <input
                  className="govuk-checkboxes__input"
                  type="checkbox"
                  id={`propose-${p.case.id}`}
                  checked={chosen.includes(p.case.id)}
                  onChange={() => setChosen((c) => (c.includes(p.case.id) ? c.filter((x) => x !== p.case.id) : [...c, p.case.id]))}
                  aria-describedby={`propose-${p.case.id}-hint`}
                />
                <label className="govuk-label govuk-checkboxes__label" htmlFor={`propose-${p.case.id}`}>
                  {p.case.reference}
                  {p.case.subjects.length > 0 && `: ${p.case.subjects.join(', ')}`}
                </label>
                <div className="govuk-hint govuk-checkboxes__hint" id={`propose-${p.case.id}-hint`}>
                  {proposalReason(p)}
                  {p.incompleteActions > 0 &&
                    `. ${p.incompleteActions} incomplete action${p.incompleteActions === 1 ? '' : 's'}${p.overdueActions ? `, ${p.overdueActions} overdue` : ''}`}
                  {p.case.alreadySupported &&
                    `. Already supported by ${p.case.alreadySupported.service} (${p.case.alreadySupported.decision === 'discuss' ? 'discuss here' : 'do not discuss here'}): not added unless you tick it`}
                </div>
              </div>
            ))}
          </div>
          <ButtonGroup>
            <Button onClick={() => void accept()} disabled={busy || chosen.length === 0}>
              Add chosen cases to the agenda
            </Button>
            <Button variant="secondary" onClick={() => setProposals(null)}>
              Cancel
            </Button>
          </ButtonGroup>
        </fieldset>
      )}
      {error && (
        <p className="govuk-error-message" role="alert">
          <span className="govuk-visually-hidden">Error:</span> {error}
        </p>
      )}
    </section>
  );
}

function AddItem({ meeting, update }: { meeting: MeetingDetail; update: MeetingUpdate }) {
  const { call } = useSession();
  const [kind, setKind] = useState<AgendaItemKind>('case');
  const [reference, setReference] = useState('');
  const [title, setTitle] = useState('');
  const [reason, setReason] = useState('');
  const form = useOperationForm('meetings.addAgendaItem', {
    prefix: 'item',
    labels: { title: 'Title', reason: 'Reason', caseId: 'Case reference' },
    fallback: 'reason',
  });

  /** The case the reference names, or why there is none (the schema cannot look it up). */
  const findCase = async (): Promise<{ caseId: number | null; problem?: string }> => {
    if (kind !== 'case') return { caseId: null };
    const wanted = reference.trim();
    if (!wanted) return { caseId: null, problem: 'Enter the reference of the case' };
    const search = await call('cases.search', { query: wanted, limit: 10 });
    const match = search.ok ? search.value.cases.find((c) => c.reference.toLowerCase() === wanted.toLowerCase()) : undefined;
    if (match) return { caseId: match.id };
    return { caseId: null, problem: search.ok ? `There is no case ${wanted} that you can see` : search.error.message };
  };

  const submit = form.onSubmit(async () => {
    const found = await form.run(findCase);
    const input = { meetingId: meeting.id, kind, caseId: found.caseId, title: kind === 'other' ? title : '', reason };
    const sent = await form.send(input, {
      caseId: found.problem,
      title: kind === 'other' && !title.trim() ? 'Enter a title for the item' : undefined,
    });
    if (!sent.ok) return;
    update({ agenda: sent.value.agenda }, `${sent.value.item.title} added to the agenda`);
    setReference('');
    setTitle('');
    setReason('');
  });

  return (
    <form noValidate onSubmit={submit} className="app-inline-form" aria-labelledby="add-item-title">
      <h3 className="govuk-heading-s" id="add-item-title">
        Add an item
      </h3>
      {form.summary}
      <Select
        id="item-kind"
        label="Kind of item"
        value={kind}
        onChange={setKind}
        options={(Object.keys(KIND_LABELS) as AgendaItemKind[]).map((k) => ({ value: k, label: KIND_LABELS[k] }))}
      />
      {kind === 'case' && (
        <TextField
          {...form.field('caseId')}
          label="Case reference"
          hint="For example, LCSP-2026-7KQ3X"
          width="20"
          value={reference}
          onChange={setReference}
        />
      )}
      {kind === 'other' && <TextField {...form.field('title')} label="Title" value={title} onChange={setTitle} />}
      <TextArea {...form.field('reason')} label="Reason for adding it" rows={2} value={reason} onChange={setReason} />
      <Button type="submit" variant="secondary" disabled={form.busy}>
        Add to agenda
      </Button>
    </form>
  );
}
