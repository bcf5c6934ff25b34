// The case profile's "Enforcement" section: the 2014 Act tools recorded on the case, a form to record the
// next one (a CPN names the CPW it follows, a Closure Order its Closure Notice) and one to record a breach.
// Its own component so the case profile needs one line.
import { useEffect, useState } from 'react';
import type { Enforcement } from '../../../src/contract/ops/enforcement.js';
import { ENFORCEMENT_LABELS, PREREQUISITE, type EnforcementType } from '../../../src/domain/enforcement.js';
import { userMayCall, useSession } from '../../session.js';
import { Button } from '../../components/Button.js';
import { Checkbox, DateField, Select, TextArea, TextField } from '../../components/form.js';
import { NotificationBanner } from '../../components/NotificationBanner.js';
import { formatDate } from '../../lib/format.js';
import { useOperationForm } from '../../lib/use-operation-form.js';
import { useOperationResult } from '../../lib/use-operation-result.js';
import { EnforcementTable, TYPE_OPTIONS, typeLabel } from './shared.js';

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

export function CaseEnforcement({ caseId }: { caseId: number }) {
  const { user } = useSession();
  const { value, error, reload: load } = useOperationResult('enforcement.list', { caseId });
  const records = value?.enforcement ?? null;
  const [done, setDone] = useState<string | null>(null);

  return (
    <section className="app-section" aria-labelledby="section-enforcement">
      <h2 className="govuk-heading-m" id="section-enforcement" tabIndex={-1}>
        Enforcement
      </h2>
      {done && <NotificationBanner key={done} type="success" heading={done} id="enforcement-done" />}
      {error ? (
        <p className="govuk-body app-muted">{error.message}</p>
      ) : !records ? (
        <p className="govuk-body" role="status">
          Loading enforcement…
        </p>
      ) : (
        <>
          <EnforcementTable
            caption={<span className="govuk-visually-hidden">Enforcement on this case</span>}
            rows={records}
            showCase={false}
            empty="No enforcement recorded."
          />
          {userMayCall(user, 'enforcement.record') && (
            <>
              <RecordForm
                caseId={caseId}
                records={records}
                onRecorded={(e) => {
                  // The banner follows the reloaded table, so what it announces is already on screen.
                  void load().then(() => setDone(`${typeLabel(e)} recorded`));
                }}
              />
              {records.length > 0 && (
                <BreachForm
                  records={records}
                  onRecorded={(e) => {
                    void load().then(() => setDone(`Breach of the ${typeLabel(e)} recorded`));
                  }}
                />
              )}
              {records.some((r) => r.breaches.length > 0) && userMayCall(user, 'enforcement.updateBreach') && (
                <CorrectBreachForm
                  records={records}
                  onCorrected={(e) => {
                    void load().then(() => setDone(`Breach of the ${typeLabel(e)} corrected`));
                  }}
                />
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}

function RecordForm({
  caseId,
  records,
  onRecorded,
}: {
  caseId: number;
  records: readonly Enforcement[];
  onRecorded: (e: Enforcement) => void;
}) {
  const { call } = useSession();
  const [organisations, setOrganisations] = useState<{ id: number; name: string }[]>([]);
  const [type, setType] = useState<EnforcementType>('community_protection_warning');
  const [organisationId, setOrganisationId] = useState('');
  const [priorId, setPriorId] = useState('');
  const [issued, setIssued] = useState('');
  const [served, setServed] = useState('');
  const [granted, setGranted] = useState('');
  const [expiry, setExpiry] = useState('');
  const [powerOfArrest, setPowerOfArrest] = useState(false);
  const [conditions, setConditions] = useState('');
  const form = useOperationForm('enforcement.record', { prefix: 'enf', fallback: 'type' });

  useEffect(() => {
    void call('organisations.list', {}).then((r) => {
      if (!r.ok) return;
      setOrganisations(r.value.organisations);
      setOrganisationId((current) => current || String(r.value.organisations[0]?.id ?? ''));
    });
  }, [call]);

  const required = PREREQUISITE[type];
  const priors = required ? records.filter((r) => r.type === required) : [];
  const types = TYPE_OPTIONS.filter((o) => o.value !== 'public_spaces_protection_order');

  const submit = form.onSubmit(async () => {
    const sent = await form.send({
      type,
      caseId,
      organisationId: Number(organisationId),
      priorId: required && priorId ? Number(priorId) : null,
      issued: orNull(issued),
      served: orNull(served),
      granted: orNull(granted),
      expiry: orNull(expiry),
      powerOfArrest: type === 'civil_injunction' && powerOfArrest,
      conditions,
    });
    if (!sent.ok) return;
    setIssued('');
    setServed('');
    setGranted('');
    setExpiry('');
    setConditions('');
    setPriorId('');
    onRecorded(sent.value.enforcement);
  });

  return (
    <form noValidate onSubmit={submit} aria-label="Record enforcement">
      <h3 className="govuk-heading-s">Record enforcement</h3>
      {form.summary}
      <Select
        {...form.field('type')}
        label="Tool"
        value={type}
        onChange={(v) => {
          setType(v);
          setPriorId('');
        }}
        options={types}
      />
      {required && (
        <Select
          {...form.field('priorId')}
          label={`The ${ENFORCEMENT_LABELS[required]} it follows`}
          value={priorId}
          onChange={setPriorId}
          options={[
            { value: '', label: 'Choose one' },
            ...priors.map((p) => ({ value: String(p.id), label: `${ENFORCEMENT_LABELS[p.type]} issued ${p.issued ?? 'undated'}` })),
          ]}
        />
      )}
      {type === 'civil_injunction' && (
        <Checkbox {...form.field('powerOfArrest')} label="With a power of arrest" checked={powerOfArrest} onChange={setPowerOfArrest} />
      )}
      <Select
        {...form.field('organisationId')}
        label="Organisation that applied or issued it"
        value={organisationId}
        onChange={setOrganisationId}
        options={organisations.map((o) => ({ value: String(o.id), label: o.name }))}
      />
      <DateField {...form.field('issued')} label="Issued (or applied for)" value={issued} onChange={setIssued} />
      <DateField {...form.field('served')} label="Served" value={served} onChange={setServed} />
      <DateField {...form.field('granted')} label="Granted" value={granted} onChange={setGranted} />
      <DateField {...form.field('expiry')} label="Expires" value={expiry} onChange={setExpiry} />
      <TextArea {...form.field('conditions')} label="Conditions" value={conditions} onChange={setConditions} rows={3} />
      <Button type="submit" variant="secondary" disabled={form.busy}>
        Record enforcement
      </Button>
    </form>
  );
}

function BreachForm({ records, onRecorded }: { records: readonly Enforcement[]; onRecorded: (e: Enforcement) => void }) {
  const [enforcementId, setEnforcementId] = useState(String(records[0]?.id ?? ''));
  const [date, setDate] = useState('');
  const [reportedBy, setReportedBy] = useState('');
  const [actionTaken, setActionTaken] = useState('');
  const form = useOperationForm('enforcement.addBreach', { prefix: 'breach', fallback: 'date' });
  const submit = form.onSubmit(async () => {
    const sent = await form.send({ enforcementId: Number(enforcementId), date, reportedBy, actionTaken });
    if (!sent.ok) return;
    setDate('');
    setReportedBy('');
    setActionTaken('');
    onRecorded(sent.value.enforcement);
  });
  return (
    <form noValidate onSubmit={submit} aria-label="Record a breach">
      <h3 className="govuk-heading-s">Record a breach</h3>
      {form.summary}
      <Select
        {...form.field('enforcementId')}
        label="Of"
        value={enforcementId}
        onChange={setEnforcementId}
        options={records.map((r) => ({ value: String(r.id), label: `${typeLabel(r)} issued ${r.issued ?? 'undated'}` }))}
      />
      <DateField {...form.field('date')} label="Date of the breach" value={date} onChange={setDate} />
      <TextField {...form.field('reportedBy')} label="Reported by" value={reportedBy} onChange={setReportedBy} />
      <TextArea {...form.field('actionTaken')} label="Action taken" value={actionTaken} onChange={setActionTaken} rows={2} />
      <Button type="submit" variant="secondary" disabled={form.busy}>
        Record breach
      </Button>
    </form>
  );
}

/** Corrects a breach recorded wrongly: only what was changed is sent, so the audit entry names those fields. */
function CorrectBreachForm({ records, onCorrected }: { records: readonly Enforcement[]; onCorrected: (e: Enforcement) => void }) {
  const breaches = records.flatMap((r) => r.breaches.map((b) => ({ record: r, breach: b })));
  const [chosen, setChosen] = useState(String(breaches[0]?.breach.id ?? ''));
  const current = breaches.find((x) => String(x.breach.id) === chosen) ?? breaches[0];
  const [date, setDate] = useState(current?.breach.date ?? '');
  const [reportedBy, setReportedBy] = useState(current?.breach.reportedBy ?? '');
  const [actionTaken, setActionTaken] = useState(current?.breach.actionTaken ?? '');
  const form = useOperationForm('enforcement.updateBreach', { prefix: 'fix', fallback: 'breachId' });

  const choose = (id: string) => {
    const next = breaches.find((x) => String(x.breach.id) === id);
    setChosen(id);
    setDate(next?.breach.date ?? '');
    setReportedBy(next?.breach.reportedBy ?? '');
    setActionTaken(next?.breach.actionTaken ?? '');
    form.clear();
  };

  const submit = form.onSubmit(async () => {
    if (!current) return;
    const b = current.breach;
    if (date === b.date && reportedBy === b.reportedBy && actionTaken === b.actionTaken) {
      form.refuse({ date: 'Change the date, who reported it or the action taken: nothing has changed yet' });
      return;
    }
    const sent = await form.send({
      enforcementId: current.record.id,
      breachId: b.id,
      ...(date !== b.date ? { date } : {}),
      ...(reportedBy !== b.reportedBy ? { reportedBy } : {}),
      ...(actionTaken !== b.actionTaken ? { actionTaken } : {}),
    });
    if (sent.ok) onCorrected(sent.value.enforcement);
  });

  return (
    <form noValidate onSubmit={submit} aria-label="Correct a breach">
      <h3 className="govuk-heading-s">Correct a breach</h3>
      {form.summary}
      <Select
        id="fix-breachId"
        label="Breach"
        value={current ? String(current.breach.id) : ''}
        onChange={choose}
        error={form.errors['fix-breachId']}
        options={breaches.map(({ record, breach }) => ({
          value: String(breach.id),
          label: `${typeLabel(record)}: breach of ${formatDate(breach.date)}`,
        }))}
      />
      <TextField
        id="fix-date"
        label="Date of the breach"
        hint="YYYY-MM-DD"
        width="10"
        value={date}
        onChange={setDate}
        error={form.errors['fix-date']}
      />
      <TextField
        id="fix-reportedBy"
        label="Reported by"
        value={reportedBy}
        onChange={setReportedBy}
        error={form.errors['fix-reportedBy']}
      />
      <TextArea
        id="fix-actionTaken"
        label="Action taken"
        value={actionTaken}
        onChange={setActionTaken}
        error={form.errors['fix-actionTaken']}
        rows={2}
      />
      <Button type="submit" variant="secondary" disabled={form.busy}>
        Save the correction
      </Button>
    </form>
  );
}
