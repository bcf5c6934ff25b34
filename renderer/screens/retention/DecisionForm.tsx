// A retention decision on one queued case: keep (a reason and the next review date, both required),
// pseudonymise, or erase (recorded as pending: the erasure itself is done from the case).
import { useEffect, useRef, useState } from 'react';
import type { OutputOf } from '../../../src/contract/operations.js';
import type { RetentionQueueItem } from '../../../src/contract/ops/retention.js';
import { RETENTION_DECISION_LABELS, type RetentionDecision } from '../../../src/domain/retention.js';
import { Button } from '../../components/Button.js';
import { DateField, Radios, TextArea } from '../../components/form.js';
import { useOperationForm } from '../../lib/use-operation-form.js';

const LABELS = { caseId: 'Case', decision: 'Decision', reason: 'Reason', reviewOn: 'Next review date' };

const HINTS: Readonly<Record<RetentionDecision, string>> = {
  keep: 'Give the reason and when it is next reviewed.',
  pseudonymise:
    'Names, aliases, dates of birth (kept as the year), addresses (kept as the ward), contact details and references are replaced in the case, its notes and the people who follow it. The figures stay.',
  erase: 'Records the decision as pending erasure; the case is then erased from its own page.',
};

export function DecisionForm({
  item,
  onDecided,
  onCancel,
}: {
  item: RetentionQueueItem;
  onDecided: (result: OutputOf<'retention.decide'>) => void;
  onCancel: () => void;
}) {
  const [decision, setDecision] = useState<RetentionDecision | null>(null);
  const [reason, setReason] = useState('');
  const [reviewOn, setReviewOn] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const form = useOperationForm('retention.decide', {
    labels: LABELS,
    ids: { decision: 'decision', reason: 'decision-reason', reviewOn: 'decision-review-on' },
    fallback: 'decision',
  });

  const submit = form.onSubmit(async () => {
    const sent = await form.send(
      {
        caseId: item.caseId,
        decision: decision as RetentionDecision,
        reason: reason.trim(),
        ...(decision === 'keep' && reviewOn.trim() ? { reviewOn: reviewOn.trim() } : {}),
      },
      {
        decision: decision ? undefined : 'Choose a decision',
        reason: decision === 'keep' && !reason.trim() ? 'Give the reason for keeping it' : undefined,
        reviewOn: decision === 'keep' && !reviewOn.trim() ? 'Give the next review date' : undefined,
      },
    );
    if (sent.ok) onDecided(sent.value);
  });

  return (
    <form noValidate onSubmit={submit} aria-labelledby="decision-title">
      <h2 className="govuk-heading-m" id="decision-title" tabIndex={-1} ref={heading}>
        Decide on {item.reference}
      </h2>
      <p className="govuk-body">{item.reason}</p>
      {form.summary}
      <Radios
        id="decision"
        legend="Decision"
        value={decision}
        onChange={setDecision}
        error={form.errors['decision']}
        options={(['keep', 'pseudonymise', 'erase'] as const).map((d) => ({
          value: d,
          label: RETENTION_DECISION_LABELS[d],
          hint: HINTS[d],
        }))}
      />
      <TextArea
        id="decision-reason"
        label={decision === 'keep' ? 'Reason for keeping it' : 'Reason (optional)'}
        value={reason}
        onChange={setReason}
        error={form.errors['decision-reason']}
      />
      {decision === 'keep' && (
        <DateField
          id="decision-review-on"
          label="Next review date"
          hint="After today, written YYYY-MM-DD"
          value={reviewOn}
          onChange={setReviewOn}
          error={form.errors['decision-review-on']}
        />
      )}
      <div className="govuk-button-group">
        <Button type="submit" variant={decision === 'erase' ? 'warning' : 'primary'} disabled={form.busy}>
          Record decision
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Back to the queue
        </Button>
      </div>
    </form>
  );
}
