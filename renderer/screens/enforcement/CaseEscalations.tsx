// The case profile's "Escalations" section: referrals of the case to a Disruption Planning Meeting or a
// Task and Finish Group, with where each has got to, a form to refer the case (what is shared is a
// disclosure, logged with its recipients) and one to record what came back.
import { useState } from 'react';
import type { Escalation } from '../../../src/contract/ops/enforcement.js';
import { ESCALATION_KINDS, type EscalationKind } from '../../../src/domain/enforcement.js';
import { localToday } from '../../../src/domain/risk.js';
import { userMayCall, useSession } from '../../session.js';
import { Button } from '../../components/Button.js';
import { Radios, Select, TextArea, TextField } from '../../components/form.js';
import { NotificationBanner } from '../../components/NotificationBanner.js';
import { Table } from '../../components/Table.js';
import { Tag } from '../../components/Tag.js';
import { formatDate, nonEmptyLines } from '../../lib/format.js';
import { ESCALATION_LABELS } from '../../lib/labels.js';
import { useOperationForm } from '../../lib/use-operation-form.js';
import { useOperationResult } from '../../lib/use-operation-result.js';

function State({ e }: { e: Escalation }) {
  return e.returnedOn === null ? (
    <Tag colour="orange">Awaiting outcome</Tag>
  ) : (
    <>
      <Tag colour="green">Came back {formatDate(e.returnedOn)}</Tag> {e.outcome}
    </>
  );
}

export function CaseEscalations({ caseId }: { caseId: number }) {
  const { user } = useSession();
  const { value, error, reload: load } = useOperationResult('escalations.list', { caseId });
  const rows = value?.escalations ?? null;
  const [done, setDone] = useState<string | null>(null);

  const awaiting = rows?.filter((e) => e.returnedOn === null) ?? [];
  return (
    <section className="app-section" aria-labelledby="section-escalations">
      <h2 className="govuk-heading-m" id="section-escalations" tabIndex={-1}>
        Escalations
      </h2>
      {done && <NotificationBanner key={done} type="success" heading={done} id="escalation-done" />}
      {error ? (
        <p className="govuk-body app-muted">{error.message}</p>
      ) : !rows ? (
        <p className="govuk-body" role="status">
          Loading escalations…
        </p>
      ) : (
        <>
          <Table<Escalation>
            caption={<span className="govuk-visually-hidden">Escalations of this case</span>}
            rows={rows}
            rowKey={(e) => e.id}
            empty="Not escalated."
            columns={[
              { header: 'Referred to', cell: (e) => ESCALATION_LABELS[e.kind] },
              { header: 'Referred', cell: (e) => `${formatDate(e.referredOn)} by ${e.referredBy.displayName}` },
              { header: 'Shared with', cell: (e) => e.recipients.join(', ') },
              { header: 'What was shared', cell: (e) => e.shared },
              { header: 'State', cell: (e) => <State e={e} /> },
            ]}
          />
          {userMayCall(user, 'escalations.refer') && (
            <ReferForm
              caseId={caseId}
              onReferred={(e) => {
                void load().then(() => setDone(`Referred to the ${ESCALATION_LABELS[e.kind]}; the disclosure is in the audit log`));
              }}
            />
          )}
          {awaiting.length > 0 && userMayCall(user, 'escalations.recordOutcome') && (
            <OutcomeForm
              awaiting={awaiting}
              onRecorded={(e) => {
                void load().then(() => setDone(`What came back from the ${ESCALATION_LABELS[e.kind]} recorded`));
              }}
            />
          )}
        </>
      )}
    </section>
  );
}

function ReferForm({ caseId, onReferred }: { caseId: number; onReferred: (e: Escalation) => void }) {
  const [kind, setKind] = useState<EscalationKind | null>(null);
  const [referredOn, setReferredOn] = useState(localToday());
  const [shared, setShared] = useState('');
  const [recipients, setRecipients] = useState('');
  const form = useOperationForm('escalations.refer', { prefix: 'esc', fallback: 'kind', groups: ['recipients'] });
  const submit = form.onSubmit(async () => {
    const sent = await form.send({ caseId, kind: kind as EscalationKind, referredOn, shared, recipients: nonEmptyLines(recipients) });
    if (!sent.ok) return;
    setKind(null);
    setShared('');
    setRecipients('');
    onReferred(sent.value.escalation);
  });
  return (
    <form noValidate onSubmit={submit} aria-label="Refer this case">
      <h3 className="govuk-heading-s">Refer this case</h3>
      {form.summary}
      <div className="govuk-inset-text">What you share is a disclosure: it is logged in the audit log with its recipients.</div>
      <Radios
        id="esc-kind"
        legend="Refer to"
        value={kind}
        onChange={setKind}
        error={form.errors['esc-kind']}
        options={ESCALATION_KINDS.map((k) => ({ value: k, label: ESCALATION_LABELS[k] }))}
      />
      <TextField
        id="esc-referredOn"
        label="Date referred"
        hint="YYYY-MM-DD"
        width="10"
        value={referredOn}
        onChange={setReferredOn}
        error={form.errors['esc-referredOn']}
      />
      <TextArea
        id="esc-shared"
        label="What was shared"
        hint="For example: case summary, risk assessment, the last three police logs"
        value={shared}
        onChange={setShared}
        error={form.errors['esc-shared']}
        rows={3}
      />
      <TextArea
        id="esc-recipients"
        label="Who it was shared with"
        hint="One team or person on each line"
        value={recipients}
        onChange={setRecipients}
        error={form.errors['esc-recipients']}
        rows={2}
      />
      <Button type="submit" variant="secondary" disabled={form.busy}>
        Refer and log the disclosure
      </Button>
    </form>
  );
}

function OutcomeForm({ awaiting, onRecorded }: { awaiting: readonly Escalation[]; onRecorded: (e: Escalation) => void }) {
  const [escalationId, setEscalationId] = useState(String(awaiting[0]?.id ?? ''));
  const [outcome, setOutcome] = useState('');
  const [returnedOn, setReturnedOn] = useState(localToday());
  const form = useOperationForm('escalations.recordOutcome', { prefix: 'escout', fallback: 'outcome' });
  // The referral chosen may have come back meanwhile (the list reloads): fall back to the first still waiting.
  const chosen = awaiting.some((e) => String(e.id) === escalationId) ? escalationId : String(awaiting[0]?.id ?? '');
  const submit = form.onSubmit(async () => {
    const sent = await form.send({ escalationId: Number(chosen), outcome, returnedOn });
    if (!sent.ok) return;
    setOutcome('');
    onRecorded(sent.value.escalation);
  });
  return (
    <form noValidate onSubmit={submit} aria-label="Record what came back">
      <h3 className="govuk-heading-s">Record what came back</h3>
      {form.summary}
      <Select
        id="escout-escalationId"
        label="Referral"
        value={chosen}
        onChange={setEscalationId}
        error={form.errors['escout-escalationId']}
        options={awaiting.map((e) => ({
          value: String(e.id),
          label: `${ESCALATION_LABELS[e.kind]}, referred ${formatDate(e.referredOn)}`,
        }))}
      />
      <TextArea
        id="escout-outcome"
        label="What came back"
        value={outcome}
        onChange={setOutcome}
        error={form.errors['escout-outcome']}
        rows={3}
      />
      <TextField
        id="escout-returnedOn"
        label="Date it came back"
        hint="YYYY-MM-DD"
        width="10"
        value={returnedOn}
        onChange={setReturnedOn}
        error={form.errors['escout-returnedOn']}
      />
      <Button type="submit" variant="secondary" disabled={form.busy}>
        Record the outcome
      </Button>
    </form>
  );
}
