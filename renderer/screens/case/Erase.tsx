// Erasing a case, or a person on it (issue 19: 3): a manager's confirmation page. It names what will be
// erased (the cases and people, and how many notes, steps, links and minutes), says what stays (approved
// minutes keep the record under a pseudonym; earlier backups keep their copies), and asks for the reason
// and for the case's reference or the person's name typed again.
import { useState } from 'react';
import type { ErasureCounts } from '../../../src/contract/ops/erasure.js';
import { useNavigate } from '../../navigation.js';
import { useSession } from '../../session.js';
import { Button, ButtonGroup } from '../../components/Button.js';
import { TextArea, TextField } from '../../components/form.js';
import { PageHeading } from '../../components/PageHeading.js';
import { SummaryList } from '../../components/SummaryList.js';
import { useOperationForm } from '../../lib/use-operation-form.js';
import { useOperationResult } from '../../lib/use-operation-result.js';
import { RefusalMessage } from '../RefusalMessage.js';

const COUNT_LABELS: readonly [keyof ErasureCounts, string][] = [
  ['cases', 'Cases'],
  ['people', 'People'],
  ['aliases', 'Aliases'],
  ['addresses', 'Addresses'],
  ['identifiers', 'Reference numbers'],
  ['notes', 'Notes'],
  ['transitions', 'Lifecycle steps'],
  ['links', 'Links to other cases'],
  ['locations', 'Locations'],
  ['draftAgendaItems', 'Agenda items in minutes not yet approved'],
  ['draftParagraphs', 'Paragraphs of those minutes'],
  ['actions', 'Actions'],
  ['enforcement', 'Enforcement records'],
  ['escalations', 'Escalations'],
  ['textsRewritten', 'Texts elsewhere naming them (rewritten with the pseudonym)'],
  ['approvedMeetings', 'Approved minutes given an addendum'],
];

export interface EraseTarget {
  caseId: number;
  /** Erase this person (reached from the case); without it, the case. */
  personId?: number;
}

export function ErasePage({ caseId, personId }: EraseTarget) {
  const navigate = useNavigate();
  const { changeJustification } = useSession();
  const isPerson = personId !== undefined;
  const preview = useOperationResult(isPerson ? 'people.erasurePreview' : 'cases.erasurePreview', isPerson ? { personId } : { caseId });
  const [reason, setReason] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [erased, setErased] = useState<string | null>(null);
  const personForm = useOperationForm('people.erase', {
    prefix: 'erase',
    ids: { personId: 'erase-confirmation' },
    fallback: 'confirmation',
  });
  const caseForm = useOperationForm('cases.erase', { prefix: 'erase', ids: { caseId: 'erase-confirmation' }, fallback: 'confirmation' });
  const form = isPerson ? personForm : caseForm;

  const submit = form.onSubmit(async () => {
    const sent = isPerson
      ? await personForm.send({ personId, reason, confirmation })
      : await caseForm.send({ caseId, reason, confirmation });
    if (sent.ok) setErased(sent.value.pseudonym);
  });

  const back = (label: string, toCases = false) => (
    <p className="govuk-body">
      <button
        type="button"
        className="app-link-button app-back-link"
        onClick={() => navigate(toCases ? { name: 'cases' } : { name: 'case', caseId })}
      >
        {label}
      </button>
    </p>
  );

  if (erased) {
    return (
      <>
        <div className="govuk-panel govuk-panel--confirmation" role="status">
          <h1 className="govuk-panel__title" tabIndex={-1} ref={(el) => el?.focus()}>
            Erased
          </h1>
          <div className="govuk-panel__body">From now on the record reads “{erased}”.</div>
        </div>
        <p className="govuk-body">Copies in earlier backups are not erased.</p>
        {back('Back to cases', true)}
      </>
    );
  }
  if (preview.error) {
    return (
      <>
        {back('Back to the case')}
        <PageHeading>Erase</PageHeading>
        <RefusalMessage
          error={preview.error}
          onSetContext={() => void changeJustification().then((given) => (given ? preview.reload() : undefined))}
          onRetry={() => void preview.reload()}
        />
      </>
    );
  }
  const p = preview.value;
  if (!p) {
    return (
      <p className="govuk-body" role="status">
        Working out what would be erased…
      </p>
    );
  }

  const counts = COUNT_LABELS.filter(([key]) => p.counts[key] > 0);
  return (
    <>
      {back('Back to the case')}
      <form noValidate onSubmit={submit} aria-labelledby="erase-heading">
        {form.summary}
        <h1 className="govuk-heading-l" id="erase-heading">
          <span className="govuk-caption-l">{isPerson ? 'Erase a person' : 'Erase a case'}</span>
          Erase {p.confirmation}
        </h1>
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            This cannot be undone. Copies in earlier backups are not erased.
          </strong>
        </div>
        <h2 className="govuk-heading-m">What will be erased</h2>
        <SummaryList
          rows={[
            ...(p.peopleErased.length ? [{ key: 'People', value: p.peopleErased.map((x) => x.name).join(', ') }] : []),
            ...(p.casesErased.length ? [{ key: 'Cases', value: p.casesErased.map((x) => x.reference).join(', ') }] : []),
            ...counts.map(([key, label]) => ({ key: label, value: String(p.counts[key]) })),
          ]}
        />
        {p.casesKept.length > 0 && (
          <p className="govuk-body">
            These cases stay, without this person: {p.casesKept.map((x) => x.reference).join(', ')}. Where their text names the person, it
            will name the pseudonym instead.
          </p>
        )}
        <p className="govuk-body">
          Approved minutes are not deleted: the erased names and details in them are replaced by a pseudonym, and an addendum says so. The
          audit log keeps only the erasure’s number and ids.
        </p>
        <TextArea
          {...form.field('reason')}
          label="Why this is being erased"
          hint="The rule or decision, for example the retention review. Do not name the person."
          labelSize="s"
          rows={3}
          value={reason}
          onChange={setReason}
        />
        <TextField
          {...form.field('confirmation')}
          label={`To confirm, type ${isPerson ? 'the person’s full name' : 'the case reference'}: ${p.confirmation}`}
          labelSize="s"
          autoComplete="off"
          spellCheck={false}
          value={confirmation}
          onChange={setConfirmation}
        />
        <ButtonGroup>
          <Button type="submit" variant="warning" disabled={form.busy}>
            Erase {p.confirmation}
          </Button>
          <Button variant="link" onClick={() => navigate({ name: 'case', caseId })}>
            Cancel
          </Button>
        </ButtonGroup>
      </form>
    </>
  );
}
