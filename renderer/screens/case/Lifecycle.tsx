// A case's status: the steps the domain allows from here, the form that takes one (with its reason, and
// the outcome when closing), and the history of steps taken.
import { useState } from 'react';
import type { CaseDetail } from '../../../src/contract/ops/cases.js';
import { allowedTransitions, checkTransition, CASE_OUTCOMES, type CaseOutcome, type CaseStatus } from '../../../src/domain/lifecycle.js';
import { userMayCall, useSession } from '../../session.js';
import { Button, ButtonGroup } from '../../components/Button.js';
import { Radios, TextArea } from '../../components/form.js';
import { Tag } from '../../components/Tag.js';
import { Timeline } from '../../components/Timeline.js';
import type { Problems } from '../../lib/form-errors.js';
import { STATUS_COLOURS } from '../../lib/format.js';
import { ACTION_LABELS, outcomeLabel, statusLabel } from '../../lib/labels.js';
import { useOperationForm } from '../../lib/use-operation-form.js';

/** How this form words the domain's refusals, where the domain's own sentence is not an instruction. */
const STEP_MESSAGES: Readonly<Record<string, string>> = { outcome: 'Choose the outcome of the case' };

/**
 * The domain's verdict on the step (is it allowed, does it need an outcome). The reason is checked by
 * the operation's schema with every other field, so here it is taken as given: otherwise the domain
 * would stop at a missing reason and a missing outcome would only be named on the next try.
 */
function stepProblems(from: CaseStatus, to: CaseStatus, outcome: CaseOutcome | null): Problems {
  try {
    checkTransition({ from, to, reason: 'checked by the schema', outcome });
    return {};
  } catch (refusal) {
    const { field = 'to', message } = refusal as { field?: string; message: string };
    return { [field]: STEP_MESSAGES[field] ?? message };
  }
}

export function Lifecycle({ detail, onChanged }: { detail: CaseDetail; onChanged: (next: CaseDetail, message: string) => void }) {
  const { user } = useSession();
  const [to, setTo] = useState<CaseStatus | null>(null);
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<CaseOutcome | null>(null);
  // A step the domain would refuse is never offered, so "to" has no control of its own: its problems sit on the form's title.
  const form = useOperationForm('cases.transition', { prefix: 'transition', ids: { to: 'transition-title' }, fallback: 'reason' });
  const may = userMayCall(user, 'cases.transition');
  const next = allowedTransitions(detail.status);

  const submit = form.onSubmit(async () => {
    if (!to) return;
    const chosen = to === 'closed' ? outcome : null;
    const sent = await form.send(
      { caseId: detail.id, to, reason, ...(chosen ? { outcome: chosen } : {}) },
      stepProblems(detail.status, to, chosen),
    );
    if (!sent.ok) return;
    setTo(null);
    setReason('');
    setOutcome(null);
    onChanged(sent.value.case, `Case moved to ${statusLabel(sent.value.case.status)}`);
  });

  return (
    <>
      <p className="govuk-body">
        Now <Tag colour={STATUS_COLOURS[detail.status]}>{statusLabel(detail.status)}</Tag>
        {detail.outcome && (
          <>
            {' '}
            with outcome <strong>{outcomeLabel(detail.outcome)}</strong>
          </>
        )}
      </p>
      {may && next.length > 0 && !to && (
        <ButtonGroup>
          {next.map((step) => (
            <Button
              key={step}
              variant={step === 'declined' || step === 'closed' ? 'warning' : 'secondary'}
              onClick={() => {
                setTo(step);
                form.clear();
              }}
            >
              {ACTION_LABELS[step]}
            </Button>
          ))}
        </ButtonGroup>
      )}
      {!may && next.length > 0 && (
        <p className="govuk-body app-muted">Only statutory partners and the manager can change a case's status.</p>
      )}
      {next.length === 0 && (
        <p className="govuk-body app-muted">
          This case is {statusLabel(detail.status).toLowerCase()}: its status cannot change. A new referral can be linked to it.
        </p>
      )}
      {to && (
        <form noValidate onSubmit={submit} className="app-inline-form" aria-labelledby="transition-title">
          <h3 className="govuk-heading-s" id="transition-title">
            {ACTION_LABELS[to]}: {statusLabel(detail.status)} to {statusLabel(to)}
          </h3>
          {form.summary}
          <TextArea
            id="transition-reason"
            label="Reason"
            hint="Recorded on the case's history"
            rows={3}
            value={reason}
            onChange={setReason}
            error={form.errors['transition-reason']}
            autoFocus
          />
          {to === 'closed' && (
            <Radios
              id="transition-outcome"
              legend="Outcome"
              small
              value={outcome}
              onChange={setOutcome}
              error={form.errors['transition-outcome']}
              options={CASE_OUTCOMES.map((o) => ({ value: o, label: outcomeLabel(o) }))}
            />
          )}
          <ButtonGroup>
            <Button type="submit" disabled={form.busy}>
              {ACTION_LABELS[to]}
            </Button>
            <Button variant="secondary" onClick={() => setTo(null)}>
              Cancel
            </Button>
          </ButtonGroup>
        </form>
      )}
      <h3 className="govuk-heading-s">History</h3>
      <Timeline
        label="Status history"
        items={[...detail.transitions].reverse().map((t, i) => ({
          key: i,
          title: t.from
            ? `${statusLabel(t.from)} to ${statusLabel(t.to)}${t.outcome ? `: ${outcomeLabel(t.outcome)}` : ''}`
            : 'Referral recorded',
          byline: t.by.displayName,
          at: t.at,
          description: t.from ? <p className="govuk-body app-prose">{t.reason}</p> : undefined,
        }))}
      />
    </>
  );
}
