// Clearing a case's closed-only mark: a manager's reviewed step. The review lists every closed-only note,
// lifecycle step, link and enforcement record; each is released or kept closed (kept by default), and the reason is required.
// The store refuses the release if anything was added since the review, so nothing goes out unseen.
import { useState } from 'react';
import type { CaseDetail, ReleaseItem } from '../../../src/contract/ops/cases.js';
import { useSession } from '../../session.js';
import { Button, ButtonGroup } from '../../components/Button.js';
import { Radios, TextArea } from '../../components/form.js';
import { formatDate } from '../../lib/format.js';
import { useOperationForm } from '../../lib/use-operation-form.js';

const KIND_LABELS: Record<ReleaseItem['kind'], string> = {
  note: 'Note',
  transition: 'Lifecycle step',
  link: 'Link',
  enforcement: 'Enforcement record',
};
type Choice = 'keep' | 'release';
const itemKey = (item: Pick<ReleaseItem, 'kind' | 'id'>) => `${item.kind}-${item.id}`;

export function Release({ detail, onReleased }: { detail: CaseDetail; onReleased: (next: CaseDetail, message: string) => void }) {
  const { call } = useSession();
  const [items, setItems] = useState<ReleaseItem[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [reason, setReason] = useState('');
  const form = useOperationForm('cases.releaseClosedOnly', {
    prefix: 'release',
    ids: { decisions: 'release-reason', caseId: 'release-reason' },
    fallback: 'reason',
  });

  const review = async () => {
    setLoadError(null);
    const result = await call('cases.releaseReview', { caseId: detail.id });
    if (!result.ok) return setLoadError(result.error.message);
    setItems(result.value.items);
    setChoices(Object.fromEntries(result.value.items.map((i) => [itemKey(i), 'keep' as Choice])));
    setReason('');
    form.clear();
  };

  const submit = form.onSubmit(async () => {
    if (!items) return;
    const decisions = items.map(({ kind, id }) => ({ kind, id, release: choices[itemKey({ kind, id })] === 'release' }));
    const sent = await form.send({ caseId: detail.id, reason, decisions });
    if (!sent.ok) {
      // Something was added since the review: show the review again, with the store's message.
      if (sent.refused?.code === 'CONFLICT') await review().then(() => form.refuse({ reason: sent.refused!.message }));
      return;
    }
    setItems(null);
    const { released, keptClosed } = sent.value;
    onReleased(sent.value.case, `The closed-only mark was cleared: ${released} released, ${keptClosed} kept closed`);
  });

  if (!items) {
    return (
      <>
        <p className="govuk-body">
          Clearing the mark shows this case to non-statutory members. Review what was said while it was closed first.
        </p>
        {loadError && (
          <p className="govuk-error-message" role="alert">
            {loadError}
          </p>
        )}
        <Button variant="secondary" onClick={() => void review()}>
          Review what clearing the mark would release
        </Button>
      </>
    );
  }

  return (
    <form noValidate onSubmit={submit} aria-label="Clear the closed-only mark">
      {form.summary}
      {items.length === 0 ? (
        <p className="govuk-body">Nothing on this case is marked closed meeting only.</p>
      ) : (
        items.map((item) => (
          <Radios<Choice>
            key={itemKey(item)}
            id={`release-${itemKey(item)}`}
            legend={`${KIND_LABELS[item.kind]}, ${formatDate(item.at)}, by ${item.by.displayName}`}
            hint={item.text}
            inline
            small
            value={choices[itemKey(item)] ?? 'keep'}
            onChange={(v) => setChoices({ ...choices, [itemKey(item)]: v })}
            options={[
              { value: 'keep', label: 'Keep closed' },
              { value: 'release', label: 'Release' },
            ]}
          />
        ))
      )}
      <TextArea
        id="release-reason"
        label="Why the mark can be cleared"
        labelSize="s"
        rows={3}
        value={reason}
        onChange={setReason}
        error={form.errors['release-reason']}
      />
      <ButtonGroup>
        <Button type="submit" variant="warning" disabled={form.busy}>
          Clear the closed-only mark
        </Button>
        <Button variant="link" onClick={() => setItems(null)}>
          Cancel
        </Button>
      </ButtonGroup>
    </form>
  );
}
