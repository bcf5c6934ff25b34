// The minutes of one agenda item while they are a draft: paragraphs typed in text boxes and autosaved
// a couple of seconds after the last keystroke (with the item's revision, so an older copy never
// overwrites a newer one), each closed-only as a whole or in marked spans; and its decisions.
import { useEffect, useRef, useState } from 'react';
import type { AgendaItem, MeetingDetail, MinuteItem } from '../../../src/contract/ops/meetings.js';
import { allowedTransitions, CASE_OUTCOMES, type CaseOutcome, type CaseStatus } from '../../../src/domain/lifecycle.js';
import { mayMarkClosedOnly } from '../../../src/domain/access.js';
import { userMayCall, useSession } from '../../session.js';
import { Button } from '../../components/Button.js';
import { Checkbox, Radios, Select, TextArea } from '../../components/form.js';
import { Tag } from '../../components/Tag.js';
import { formatDateTime } from '../../lib/format.js';
import { outcomeLabel, statusLabel, RISK_LABELS } from '../../lib/labels.js';
import { useOperationForm } from '../../lib/use-operation-form.js';
import { ClosedText } from './ClosedText.js';
import { SmallButton } from './shared.js';
import { mark, rebase, trimWithSpans, unmark, type Span } from './spans.js';
import { statusText, useAutosave, type SaveOutcome } from './useAutosave.js';
import type { Flushers } from './MinutesTab.js';

interface Draft {
  key: number;
  text: string;
  closedOnly: boolean;
  spans: Span[];
}

let nextKey = 1;

function paragraphsKey(item: MinuteItem | null): string {
  return JSON.stringify((item?.paragraphs ?? []).map((p) => [p.text, p.closedOnly, p.closedOnlySpans.map((s) => [s.start, s.end])]));
}

function fromItem(item: MinuteItem | null): Draft[] {
  if (!item || item.paragraphs.length === 0) return [{ key: nextKey++, text: '', closedOnly: false, spans: [] }];
  return item.paragraphs.map((p) => ({
    key: nextKey++,
    text: p.text,
    closedOnly: p.closedOnly,
    spans: p.closedOnlySpans.map(({ start, end }) => ({ start, end })),
  }));
}

export function ItemEditor({
  meeting,
  agendaItem,
  item,
  flushers,
  onSaved,
}: {
  meeting: MeetingDetail;
  agendaItem: AgendaItem;
  item: MinuteItem | null;
  flushers: Flushers;
  onSaved: (item: MinuteItem) => void;
}) {
  const { call, user } = useSession();
  // The text on screen is the user's: it is read from the store once, never replaced by a save's answer.
  const [drafts, setDrafts] = useState<Draft[]>(() => fromItem(item));
  const revision = useRef(item?.revision ?? 0);
  /** The paragraphs the store holds at `revision`, as sent. */
  const stored = useRef(paragraphsKey(item));
  const [announce, setAnnounce] = useState('');
  const areas = useRef(new Map<number, HTMLTextAreaElement>());
  const focusKey = useRef<number | null>(null);
  const onSavedRef = useRef(onSaved);
  onSavedRef.current = onSaved;

  const save = async (value: Draft[]): Promise<SaveOutcome> => {
    const paragraphs = value
      .map((d) => ({ ...trimWithSpans(d.text, d.spans), closedOnly: d.closedOnly }))
      .filter((p) => p.text.length > 0)
      .map((p) => ({ text: p.text, closedOnly: p.closedOnly, closedOnlySpans: p.spans }));
    const result = await call('minutes.saveItem', {
      meetingId: meeting.id,
      agendaItemId: agendaItem.id,
      revision: revision.current,
      paragraphs,
    });
    if (!result.ok) {
      return {
        ok: false,
        conflict: result.error.code === 'CONFLICT',
        message:
          result.error.code === 'CONFLICT'
            ? 'someone else saved this item since you opened it; copy your text, then reload the meeting'
            : result.error.message,
      };
    }
    revision.current = result.value.item.revision;
    stored.current = paragraphsKey(result.value.item);
    onSavedRef.current(result.value.item);
    return { ok: true, savedAt: result.value.item.updatedAt ?? new Date().toISOString() };
  };
  const { status, flush } = useAutosave(drafts, save);

  useEffect(() => {
    flushers.set(agendaItem.id, flush);
    return () => {
      flushers.delete(agendaItem.id);
    };
  }, [flushers, agendaItem.id, flush]);

  useEffect(() => {
    // A decision recorded on this item moves its revision without touching the paragraphs: follow it.
    // A newer revision with other paragraphs is someone else's edit, and the next save says so.
    if (item && item.revision > revision.current && paragraphsKey(item) === stored.current) revision.current = item.revision;
  }, [item]);

  useEffect(() => {
    if (focusKey.current === null) return;
    areas.current.get(focusKey.current)?.focus();
    focusKey.current = null;
  }, [drafts]);

  const change = (key: number, patch: (d: Draft) => Draft) => setDrafts((all) => all.map((d) => (d.key === key ? patch(d) : d)));

  const markSelection = (d: Draft, closed: boolean) => {
    const area = areas.current.get(d.key);
    const start = area?.selectionStart ?? 0;
    const end = area?.selectionEnd ?? 0;
    if (end <= start) {
      setAnnounce('Select some text in the paragraph first (Shift with the arrow keys), then choose the button.');
      return;
    }
    const range = { start, end };
    const words = d.text.slice(start, end);
    change(d.key, (x) => ({ ...x, spans: closed ? mark(x.spans, range, x.text.length) : unmark(x.spans, range, x.text.length) }));
    setAnnounce(closed ? `Marked closed-only: ${words}` : `No longer closed-only: ${words}`);
  };

  const canMark = mayMarkClosedOnly(user.role);
  const id = (d: Draft, part: string) => `minutes-${agendaItem.id}-${d.key}-${part}`;
  return (
    <div className="app-minute-editor">
      <div className="app-autosave">
        <p
          className={status.state === 'error' ? 'app-autosave__error' : 'app-autosave__saved'}
          role="status"
          aria-live="polite"
          data-testid={`autosave-${agendaItem.id}`}
        >
          {statusText(status)}
        </p>
        {status.state === 'pending' && <p className="app-autosave__pending">Changes waiting to save…</p>}
        {status.state === 'saving' && <p className="app-autosave__pending">Saving…</p>}
      </div>
      <p className="govuk-visually-hidden" role="status">
        {announce}
      </p>
      {drafts.map((d, n) => {
        const selectionHint = id(d, 'hint');
        return (
          <div key={d.key} className={['app-paragraph', d.closedOnly ? 'app-closed-paragraph' : ''].join(' ')}>
            <div className="govuk-form-group">
              <label className="govuk-label govuk-label--s" htmlFor={id(d, 'text')}>
                Paragraph {n + 1}
              </label>
              {canMark && (
                <div className="govuk-hint" id={selectionHint}>
                  To mark words closed-only, select them here, then choose "Mark selected words closed-only".
                </div>
              )}
              <textarea
                id={id(d, 'text')}
                ref={(el) => {
                  if (el) areas.current.set(d.key, el);
                  else areas.current.delete(d.key);
                }}
                className="govuk-textarea"
                rows={4}
                value={d.text}
                spellCheck
                aria-describedby={canMark ? selectionHint : undefined}
                onChange={(e) => {
                  const text = e.target.value;
                  change(d.key, (x) => ({ ...x, text, spans: rebase(x.spans, x.text, text) }));
                }}
              />
            </div>
            {canMark && (
              <div className="app-paragraph__tools">
                <Checkbox
                  id={id(d, 'closed')}
                  label="Whole paragraph closed meeting only"
                  checked={d.closedOnly}
                  onChange={(closedOnly) => change(d.key, (x) => ({ ...x, closedOnly }))}
                />
                <SmallButton onClick={() => markSelection(d, true)}>
                  Mark selected words closed-only<span className="govuk-visually-hidden"> in paragraph {n + 1}</span>
                </SmallButton>{' '}
                {d.spans.length > 0 && (
                  <SmallButton onClick={() => markSelection(d, false)}>
                    Unmark selected words<span className="govuk-visually-hidden"> in paragraph {n + 1}</span>
                  </SmallButton>
                )}{' '}
                {drafts.length > 1 && (
                  <SmallButton
                    variant="warning"
                    onClick={() => {
                      const before = drafts[n - 1] ?? drafts[n + 1];
                      if (before) focusKey.current = before.key;
                      setDrafts((all) => all.filter((x) => x.key !== d.key));
                    }}
                  >
                    Remove paragraph {n + 1}
                  </SmallButton>
                )}
              </div>
            )}
            {(d.spans.length > 0 || d.closedOnly) && d.text && (
              <div className="app-paragraph__preview" data-testid="closed-preview">
                <p className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">
                  How it reads
                  {d.closedOnly ? (
                    <>
                      {' '}
                      <Tag colour="purple">Closed meeting only: whole paragraph</Tag>
                    </>
                  ) : (
                    `: ${d.spans.length} closed-only ${d.spans.length === 1 ? 'part' : 'parts'}`
                  )}
                </p>
                <ClosedText text={d.text} spans={d.spans} className="govuk-body app-prose govuk-!-margin-bottom-0" />
              </div>
            )}
          </div>
        );
      })}
      <Button
        variant="secondary"
        onClick={() => {
          const key = nextKey++;
          focusKey.current = key;
          setDrafts((all) => [...all, { key, text: '', closedOnly: false, spans: [] }]);
        }}
      >
        Add a paragraph<span className="govuk-visually-hidden"> to {agendaItem.title}</span>
      </Button>
      {status.state === 'error' && (
        <Button variant="secondary" onClick={() => void flush()}>
          Try saving again
        </Button>
      )}
    </div>
  );
}

export function Decisions({
  meeting,
  agendaItem,
  item,
  editing,
  onRecorded,
}: {
  meeting: MeetingDetail;
  agendaItem: AgendaItem;
  item: MinuteItem | null;
  editing: boolean;
  onRecorded: (item: MinuteItem) => void;
}) {
  const { user } = useSession();
  const [text, setText] = useState('');
  const [closedOnly, setClosedOnly] = useState(false);
  const [to, setTo] = useState<CaseStatus | ''>('');
  const [outcome, setOutcome] = useState<CaseOutcome | null>(null);
  const prefix = `decision-${agendaItem.id}`;
  // The store's refusals (an illegal status change among them) are read beside the decision's text.
  const form = useOperationForm('minutes.recordDecision', {
    prefix,
    labels: { text: 'Decision' },
    fallback: 'text',
    refusal: (error) => ({ text: error.message }),
  });
  const errors = form.errors;
  const c = agendaItem.case;
  const steps = c ? allowedTransitions(c.status) : [];

  const submit = form.onSubmit(async () => {
    const input = {
      meetingId: meeting.id,
      agendaItemId: agendaItem.id,
      text,
      closedOnly,
      caseStatus: to ? { to, ...(to === 'closed' && outcome ? { outcome } : {}) } : null,
    };
    const sent = await form.send(input, { outcome: to === 'closed' && !outcome ? 'Choose the outcome of the case' : undefined });
    if (!sent.ok) return;
    setText('');
    setClosedOnly(false);
    setTo('');
    setOutcome(null);
    onRecorded(sent.value.item);
  });

  const decisions = item?.decisions ?? [];
  return (
    <>
      {decisions.length > 0 && (
        <>
          <h4 className="govuk-heading-s">Decisions</h4>
          <ul className="govuk-list govuk-list--bullet" data-testid={`decisions-${agendaItem.id}`}>
            {decisions.map((d) => (
              <li key={d.id}>
                {d.closedOnly && (
                  <>
                    <Tag colour="purple">Closed meeting only</Tag>{' '}
                  </>
                )}
                <span className="app-prose">{d.text}</span>
                {d.caseStatus && (
                  <>
                    {' '}
                    · Case status: {statusLabel(d.caseStatus.from)} to {statusLabel(d.caseStatus.to)}
                    {d.caseStatus.outcome && ` (${outcomeLabel(d.caseStatus.outcome)})`}
                  </>
                )}
                {d.risk && (
                  <>
                    {' '}
                    · Risk: {RISK_LABELS[d.risk.from]} to {RISK_LABELS[d.risk.to]}
                  </>
                )}
                <span className="app-muted">
                  {' '}
                  ({d.by.displayName}, {formatDateTime(d.at)})
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {editing && userMayCall(user, 'minutes.recordDecision') && (
        <form noValidate onSubmit={submit} className="app-inline-form" aria-label={`Record a decision on ${agendaItem.title}`}>
          {form.summary}
          <TextArea
            id={`${prefix}-text`}
            label="Record a decision"
            labelSize="s"
            rows={2}
            value={text}
            onChange={setText}
            error={errors[`${prefix}-text`]}
          />
          {c && steps.length > 0 && (
            <Select
              id={`${prefix}-to`}
              label={`Change the status of ${c.reference} (now ${statusLabel(c.status)})`}
              value={to}
              onChange={setTo}
              hint="Made through the case's own lifecycle, so the case and the minutes agree"
              options={[{ value: '', label: 'No status change' }, ...steps.map((s) => ({ value: s, label: statusLabel(s) }))]}
            />
          )}
          {to === 'closed' && (
            <Radios
              id={`${prefix}-outcome`}
              legend="Outcome"
              small
              value={outcome}
              onChange={setOutcome}
              error={errors[`${prefix}-outcome`]}
              options={CASE_OUTCOMES.map((o) => ({ value: o, label: outcomeLabel(o) }))}
            />
          )}
          {mayMarkClosedOnly(user.role) && (
            <Checkbox id={`${prefix}-closed`} label="Closed meeting only" checked={closedOnly} onChange={setClosedOnly} />
          )}
          <Button type="submit" variant="secondary" disabled={form.busy}>
            Record decision
          </Button>
        </form>
      )}
    </>
  );
}
