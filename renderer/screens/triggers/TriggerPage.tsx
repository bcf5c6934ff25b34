// One ASB Case Review (Community Trigger): the application, its incidents (which of them count towards
// the threshold), the threshold test, and the next step its status allows: the decision with reasons,
// the review meeting, the recommendations with owners and dates, the outcome and any appeal.
import { useCallback, useEffect, useState } from 'react';
import type { ErrorShape } from '../../../src/contract/errors.js';
import type { Trigger } from '../../../src/contract/ops/enforcement.js';
import { daysBetween } from '../../../src/domain/enforcement.js';
import { localToday } from '../../../src/domain/risk.js';
import { useSession } from '../../session.js';
import { useNavigate } from '../../navigation.js';
import { Button } from '../../components/Button.js';
import { Radios, TextArea, TextField } from '../../components/form.js';
import { NotificationBanner } from '../../components/NotificationBanner.js';
import { PageHeading } from '../../components/PageHeading.js';
import { SummaryList } from '../../components/SummaryList.js';
import { Table } from '../../components/Table.js';
import { formatDate } from '../../lib/format.js';
import { useOperationForm } from '../../lib/use-operation-form.js';
import { LoadRefusal } from '../RefusalMessage.js';
import { Prose } from '../case/Section.js';
import { StatusTag, testText, thresholdText } from './shared.js';

type Changed = (trigger: Trigger, message: string) => void;

export function TriggerPage({ triggerId, logged = false }: { triggerId: number; logged?: boolean }) {
  const { call } = useSession();
  const navigate = useNavigate();
  const [trigger, setTrigger] = useState<Trigger | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [done, setDone] = useState<string | null>(logged ? 'Application logged' : null);

  const load = useCallback(async () => {
    const result = await call('triggers.get', { triggerId });
    if (!result.ok) return setError(result.error);
    setError(null);
    setTrigger(result.value.trigger);
  }, [call, triggerId]);
  useEffect(() => {
    void load();
  }, [load]);

  const changed: Changed = (next, message) => {
    setTrigger(next);
    setDone(message);
  };

  const back = (
    <p className="govuk-body">
      <button type="button" className="app-link-button app-back-link" onClick={() => navigate({ name: 'triggers' })}>
        Back to Community Triggers
      </button>
    </p>
  );
  if (error) {
    return (
      <>
        {back}
        <PageHeading>Community Trigger</PageHeading>
        <LoadRefusal error={error} reload={load} />
      </>
    );
  }
  if (!trigger) {
    return (
      <>
        {back}
        <p className="govuk-body" role="status">
          Loading the Community Trigger…
        </p>
      </>
    );
  }

  const t = trigger;
  const qualifies = (date: string) => date <= t.applicationDate && daysBetween(date, t.applicationDate) <= t.threshold.windowDays;
  return (
    <>
      {back}
      {done && <NotificationBanner key={done} type="success" heading={done} id="trigger-done" />}
      <PageHeading caption="Community Trigger (ASB Case Review)">
        {t.applicant}, {formatDate(t.applicationDate)} <StatusTag trigger={t} />
      </PageHeading>

      <h2 className="govuk-heading-m">Application</h2>
      <SummaryList
        rows={[
          { key: 'Applicant', value: t.applicant },
          { key: 'Consent to share', value: t.consent ? 'Given' : 'Not given' },
          ...(t.onBehalfOf ? [{ key: 'Made on their behalf by', value: t.onBehalfOf }] : []),
          { key: 'Area', value: t.area },
          { key: 'Date of application', value: formatDate(t.applicationDate) },
          ...(t.case
            ? [
                {
                  key: 'Case',
                  value: (
                    <button type="button" className="app-link-button" onClick={() => navigate({ name: 'case', caseId: t.case!.id })}>
                      {t.case.reference}
                    </button>
                  ),
                },
              ]
            : []),
          { key: 'Threshold', value: thresholdText(t.threshold) },
          { key: 'Threshold test', value: <strong>{testText(t.test, t.threshold)}</strong> },
        ]}
      />
      <Table
        caption="Incidents reported"
        rows={t.incidents}
        rowKey={(i) => i.id}
        empty="No incidents recorded."
        columns={[
          { header: 'Date', cell: (i) => formatDate(i.date) },
          { header: 'Agency told', cell: (i) => i.agency },
          { header: 'Reference', cell: (i) => i.reference },
          { header: 'Counts towards the threshold', cell: (i) => (qualifies(i.date) ? 'Yes' : 'No: outside the window') },
        ]}
      />

      {t.decidedOn !== null && (
        <>
          <h2 className="govuk-heading-m">Decision</h2>
          <SummaryList
            rows={[
              {
                key: 'Threshold',
                value: t.status === 'threshold_not_met' || (t.status === 'closed' && t.reviewDate === null) ? 'Not met' : 'Met',
              },
              {
                key: 'Decided',
                value: `${formatDate(t.decidedOn)}${t.decisionDays === null ? '' : `, ${t.decisionDays} ${t.decisionDays === 1 ? 'day' : 'days'} after the application`}`,
              },
              ...(t.decisionReasons ? [{ key: 'Reasons', value: <Prose text={t.decisionReasons} /> }] : []),
            ]}
          />
        </>
      )}
      {t.reviewDate !== null && (
        <>
          <h2 className="govuk-heading-m">Case review</h2>
          <SummaryList
            rows={[
              { key: 'Review meeting', value: formatDate(t.reviewDate) },
              ...(t.reviewNotes ? [{ key: 'Notes', value: <Prose text={t.reviewNotes} /> }] : []),
            ]}
          />
          <Table
            caption="Recommendations"
            rows={t.recommendations}
            rowKey={(r) => r.id}
            empty="No recommendations yet."
            columns={[
              { header: 'Recommendation', cell: (r) => r.text },
              { header: 'Owner', cell: (r) => r.owner },
              { header: 'Due', cell: (r) => formatDate(r.due) },
            ]}
          />
        </>
      )}
      {t.status === 'closed' && (
        <>
          <h2 className="govuk-heading-m">Outcome</h2>
          <SummaryList
            rows={[
              { key: 'Outcome', value: <Prose text={t.outcome ?? ''} /> },
              ...(t.appeal ? [{ key: 'Appeal', value: <Prose text={t.appeal} /> }] : []),
            ]}
          />
        </>
      )}

      {t.status === 'received' && <DecideForm trigger={t} onChanged={changed} />}
      {t.status === 'threshold_met' && <ReviewForm trigger={t} onChanged={changed} />}
      {t.status === 'review_held' && <RecommendationForm trigger={t} onChanged={changed} />}
      {(t.status === 'review_held' || t.status === 'threshold_not_met') && <CloseForm trigger={t} onChanged={changed} />}
    </>
  );
}

function DecideForm({ trigger, onChanged }: { trigger: Trigger; onChanged: Changed }) {
  const [met, setMet] = useState<'met' | 'not_met'>(trigger.test.met ? 'met' : 'not_met');
  const [reasons, setReasons] = useState('');
  const [decidedOn, setDecidedOn] = useState(localToday());
  const form = useOperationForm('triggers.decide', { prefix: 'decide', fallback: 'decidedOn', ids: { met: 'decide-met' } });
  const submit = form.onSubmit(async () => {
    const sent = await form.send({ triggerId: trigger.id, met: met === 'met', reasons, decidedOn });
    if (sent.ok)
      onChanged(sent.value.trigger, met === 'met' ? 'Threshold met: hold the case review' : 'Threshold not met: reasons recorded');
  });
  return (
    <form noValidate onSubmit={submit} aria-label="Decide on the threshold">
      <h2 className="govuk-heading-m">Decide on the threshold</h2>
      {form.summary}
      <Radios
        id="decide-met"
        legend="Is the threshold met?"
        hint={`The test above says: ${testText(trigger.test, trigger.threshold).toLowerCase()}.`}
        value={met}
        onChange={setMet}
        error={form.errors['decide-met']}
        options={[
          { value: 'met', label: 'Yes: hold a case review' },
          { value: 'not_met', label: 'No: write to the applicant with the reasons' },
        ]}
      />
      <TextArea
        id="decide-reasons"
        label={met === 'met' ? 'Reasons (optional)' : 'Reasons'}
        hint={met === 'met' ? undefined : 'They go in the letter to the applicant'}
        value={reasons}
        onChange={setReasons}
        error={form.errors['decide-reasons']}
        rows={4}
      />
      <TextField
        id="decide-decidedOn"
        label="Date decided"
        hint="YYYY-MM-DD"
        width="10"
        value={decidedOn}
        onChange={setDecidedOn}
        error={form.errors['decide-decidedOn']}
      />
      <Button type="submit" disabled={form.busy}>
        Record the decision
      </Button>
    </form>
  );
}

function ReviewForm({ trigger, onChanged }: { trigger: Trigger; onChanged: Changed }) {
  const [reviewDate, setReviewDate] = useState(localToday());
  const [notes, setNotes] = useState('');
  const form = useOperationForm('triggers.recordReview', { prefix: 'review', fallback: 'reviewDate' });
  const submit = form.onSubmit(async () => {
    const sent = await form.send({ triggerId: trigger.id, reviewDate, notes });
    if (sent.ok) onChanged(sent.value.trigger, 'Case review recorded: add its recommendations');
  });
  return (
    <form noValidate onSubmit={submit} aria-label="Record the case review">
      <h2 className="govuk-heading-m">Record the case review</h2>
      {form.summary}
      <TextField
        id="review-reviewDate"
        label="Date of the review meeting"
        hint="YYYY-MM-DD"
        width="10"
        value={reviewDate}
        onChange={setReviewDate}
        error={form.errors['review-reviewDate']}
      />
      <TextArea
        id="review-notes"
        label="Notes of the review (optional)"
        value={notes}
        onChange={setNotes}
        error={form.errors['review-notes']}
        rows={4}
      />
      <Button type="submit" disabled={form.busy}>
        Record the review
      </Button>
    </form>
  );
}

function RecommendationForm({ trigger, onChanged }: { trigger: Trigger; onChanged: Changed }) {
  const [text, setText] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState('');
  const form = useOperationForm('triggers.addRecommendation', { prefix: 'rec', fallback: 'text' });
  const submit = form.onSubmit(async () => {
    const sent = await form.send({ triggerId: trigger.id, text, owner, due });
    if (!sent.ok) return;
    setText('');
    setOwner('');
    setDue('');
    onChanged(sent.value.trigger, `Recommendation ${sent.value.trigger.recommendations.length} added`);
  });
  return (
    <form noValidate onSubmit={submit} aria-label="Add a recommendation">
      <h2 className="govuk-heading-m">Add a recommendation</h2>
      {form.summary}
      <TextArea id="rec-text" label="Recommendation" value={text} onChange={setText} error={form.errors['rec-text']} rows={3} />
      <TextField
        id="rec-owner"
        label="Owner"
        hint="The organisation or officer who will carry it out"
        value={owner}
        onChange={setOwner}
        error={form.errors['rec-owner']}
      />
      <TextField id="rec-due" label="Due by" hint="YYYY-MM-DD" width="10" value={due} onChange={setDue} error={form.errors['rec-due']} />
      <Button type="submit" variant="secondary" disabled={form.busy}>
        Add the recommendation
      </Button>
    </form>
  );
}

function CloseForm({ trigger, onChanged }: { trigger: Trigger; onChanged: Changed }) {
  const [outcome, setOutcome] = useState('');
  const [appeal, setAppeal] = useState('');
  const form = useOperationForm('triggers.close', { prefix: 'close', fallback: 'outcome' });
  const submit = form.onSubmit(async () => {
    const sent = await form.send({ triggerId: trigger.id, outcome, appeal: appeal.trim() === '' ? null : appeal });
    if (sent.ok) onChanged(sent.value.trigger, 'Community Trigger closed');
  });
  return (
    <form noValidate onSubmit={submit} aria-label="Close the Community Trigger">
      <h2 className="govuk-heading-m">Close the Community Trigger</h2>
      {form.summary}
      <TextArea
        id="close-outcome"
        label="Outcome"
        hint={trigger.status === 'threshold_not_met' ? 'For example: letter sent with the reasons' : 'What the review achieved'}
        value={outcome}
        onChange={setOutcome}
        error={form.errors['close-outcome']}
        rows={3}
      />
      <TextArea
        id="close-appeal"
        label="Appeal (optional)"
        hint="If the applicant asked for the decision or the review to be looked at again: what they asked and what was decided"
        value={appeal}
        onChange={setAppeal}
        error={form.errors['close-appeal']}
        rows={3}
      />
      <Button type="submit" variant="warning" disabled={form.busy}>
        Close the Community Trigger
      </Button>
    </form>
  );
}
