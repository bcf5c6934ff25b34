// Logging an ASB Case Review (Community Trigger) application: the applicant and their consent, who applied
// for them, the incidents they reported (date, agency told, reference), the local test of persistent harm
// and the threshold. The threshold test is worked out as the incidents are typed, with the same rule the
// store applies, so the person logging it sees whether it is met before saving.
import { useEffect, useState } from 'react';
import { DEFAULT_TRIGGER_THRESHOLD, triggerTest, type TriggerThreshold } from '../../../src/domain/enforcement.js';
import { localToday } from '../../../src/domain/risk.js';
import { useNavigate } from '../../navigation.js';
import { useSession } from '../../session.js';
import { Button, ButtonGroup } from '../../components/Button.js';
import { Checkbox, Radios, TextField } from '../../components/form.js';
import { PageHeading } from '../../components/PageHeading.js';
import { useOperationForm } from '../../lib/use-operation-form.js';
import { testText, thresholdText } from './shared.js';

interface IncidentDraft {
  key: number;
  date: string;
  agency: string;
  reference: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const wholeNumber = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);

export function TriggerForm({ caseReference = '' }: { caseReference?: string }) {
  const navigate = useNavigate();
  const { call } = useSession();
  const [reference, setReference] = useState(caseReference);
  const [area, setArea] = useState('');
  const [applicant, setApplicant] = useState('');
  const [consent, setConsent] = useState(false);
  const [onBehalfOf, setOnBehalfOf] = useState('');
  const [applicationDate, setApplicationDate] = useState(localToday());
  const [incidents, setIncidents] = useState<IncidentDraft[]>([{ key: 0, date: '', agency: '', reference: '' }]);
  const [nextKey, setNextKey] = useState(1);
  const [persistentHarm, setPersistentHarm] = useState(false);
  const [thresholdKind, setThresholdKind] = useState<'usual' | 'own'>('usual');
  const [complaints, setComplaints] = useState(String(DEFAULT_TRIGGER_THRESHOLD.complaints));
  const [windowDays, setWindowDays] = useState(String(DEFAULT_TRIGGER_THRESHOLD.windowDays));
  const form = useOperationForm('triggers.apply', {
    prefix: 'trig',
    ids: { caseId: 'trig-case' },
    fallback: 'applicant',
    messages: {
      'threshold.complaints': 'Enter the complaints needed as a whole number from 1 to 20',
      'threshold.windowDays': 'Enter the window as a whole number of days from 1 to 730',
    },
  });

  const threshold: TriggerThreshold | null =
    thresholdKind === 'usual' ? null : { complaints: wholeNumber(complaints), windowDays: wholeNumber(windowDays) };
  const effective = threshold ?? DEFAULT_TRIGGER_THRESHOLD;
  const preview =
    ISO_DATE.test(applicationDate) && Number.isInteger(effective.complaints) && Number.isInteger(effective.windowDays)
      ? testText(
          triggerTest(
            incidents.map((i) => i.date.trim()).filter((d) => ISO_DATE.test(d)),
            applicationDate,
            persistentHarm,
            effective,
          ),
          effective,
        )
      : null;

  // A keyboard user goes on where the list changed: into the incident just added, or back to "Add" after a removal.
  const [focusNext, setFocusNext] = useState<string | null>(null);
  useEffect(() => {
    if (focusNext === null) return;
    document.getElementById(focusNext)?.focus();
    setFocusNext(null);
  }, [focusNext]);

  const edit = (key: number, change: Partial<IncidentDraft>) =>
    setIncidents((list) => list.map((i) => (i.key === key ? { ...i, ...change } : i)));

  /** The case the reference names (optional), or why there is none: the operation takes an id. */
  const findCase = async (): Promise<{ caseId: number | null; problem?: string }> => {
    const wanted = reference.trim();
    if (!wanted) return { caseId: null };
    const search = await call('cases.search', { query: wanted, limit: 10 });
    const match = search.ok ? search.value.cases.find((c) => c.reference.toLowerCase() === wanted.toLowerCase()) : undefined;
    if (match) return { caseId: match.id };
    return { caseId: null, problem: search.ok ? `There is no case ${wanted} that you can see` : search.error.message };
  };

  const submit = form.onSubmit(async () => {
    const found = await form.run(findCase);
    const sent = await form.send(
      {
        area: area.trim(),
        applicant,
        consent,
        onBehalfOf: onBehalfOf.trim() === '' ? null : onBehalfOf.trim(),
        applicationDate,
        caseId: found.caseId,
        incidents: incidents
          .filter((i) => i.date.trim() || i.agency.trim() || i.reference.trim())
          .map((i) => ({ date: i.date.trim(), agency: i.agency, reference: i.reference.trim() })),
        persistentHarm,
        threshold,
      },
      { caseId: found.problem },
    );
    if (sent.ok) navigate({ name: 'trigger', triggerId: sent.value.trigger.id, logged: true });
  });

  return (
    <>
      <p className="govuk-body">
        <button type="button" className="app-link-button app-back-link" onClick={() => navigate({ name: 'triggers' })}>
          Back to Community Triggers
        </button>
      </p>
      <PageHeading caption="ASB Case Review">Log a Community Trigger application</PageHeading>
      <form noValidate onSubmit={submit} aria-label="Community Trigger application">
        {form.summary}
        <TextField
          id="trig-applicant"
          label="Applicant"
          hint="The person experiencing the anti-social behaviour"
          value={applicant}
          onChange={setApplicant}
          error={form.errors['trig-applicant']}
        />
        <Checkbox
          id="trig-consent"
          label="The applicant consents to their details being shared with the partners reviewing it"
          checked={consent}
          onChange={setConsent}
          error={form.errors['trig-consent']}
        />
        <TextField
          id="trig-onBehalfOf"
          label="Made on their behalf by (optional)"
          hint="A councillor, carer, MP or anyone else applying for them, with their consent"
          value={onBehalfOf}
          onChange={setOnBehalfOf}
          error={form.errors['trig-onBehalfOf']}
        />
        <TextField id="trig-area" label="Area" width="20" value={area} onChange={setArea} error={form.errors['trig-area']} />
        <TextField
          id="trig-case"
          label="Case it concerns (optional)"
          hint="The reference of a case you can see, for example LCSP-2026-0042; the case profile then lists this application"
          width="20"
          value={reference}
          onChange={setReference}
          error={form.errors['trig-case']}
        />
        <TextField
          id="trig-applicationDate"
          label="Date of application"
          hint="YYYY-MM-DD"
          width="10"
          value={applicationDate}
          onChange={setApplicationDate}
          error={form.errors['trig-applicationDate']}
        />

        <h2 className="govuk-heading-m">Incidents reported</h2>
        <p className="govuk-body">
          Each complaint the applicant made about the anti-social behaviour: when, which agency they told, its reference.
        </p>
        {incidents.map((incident, index) => {
          const n = index + 1;
          const id = (field: string) => `trig-incidents-${index}-${field}`;
          return (
            <fieldset className="govuk-fieldset app-repeat" key={incident.key}>
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Incident {n}</legend>
              <TextField
                id={id('date')}
                label={`Incident ${n} date`}
                hint="YYYY-MM-DD"
                width="10"
                value={incident.date}
                onChange={(date) => edit(incident.key, { date })}
                error={form.errors[id('date')]}
              />
              <TextField
                id={id('agency')}
                label={`Incident ${n} agency told`}
                width="20"
                value={incident.agency}
                onChange={(agency) => edit(incident.key, { agency })}
                error={form.errors[id('agency')]}
              />
              <TextField
                id={id('reference')}
                label={`Incident ${n} reference (optional)`}
                width="20"
                value={incident.reference}
                onChange={(reference) => edit(incident.key, { reference })}
                error={form.errors[id('reference')]}
              />
              {incidents.length > 1 && (
                <Button
                  variant="secondary"
                  onClick={() => {
                    setIncidents((list) => list.filter((i) => i.key !== incident.key));
                    setFocusNext('trig-add-incident');
                  }}
                >
                  Remove incident {n}
                </Button>
              )}
            </fieldset>
          );
        })}
        <Button
          id="trig-add-incident"
          variant="secondary"
          onClick={() => {
            setIncidents((list) => [...list, { key: nextKey, date: '', agency: '', reference: '' }]);
            setNextKey((k) => k + 1);
            setFocusNext(`trig-incidents-${incidents.length}-date`);
          }}
        >
          Add another incident
        </Button>

        <h2 className="govuk-heading-m">The threshold</h2>
        <Checkbox
          id="trig-persistentHarm"
          label="Persistent harm: the local test is met whatever the number of complaints"
          hint="The partnership's local test: the applicant or their household has suffered persistent harm or distress"
          checked={persistentHarm}
          onChange={setPersistentHarm}
          error={form.errors['trig-persistentHarm']}
        />
        <Radios
          id="trig-threshold"
          legend="Threshold for the number of complaints"
          value={thresholdKind}
          onChange={setThresholdKind}
          options={[
            { value: 'usual', label: `The usual threshold: ${thresholdText(DEFAULT_TRIGGER_THRESHOLD)}` },
            { value: 'own', label: "The partnership's own threshold" },
          ]}
        />
        {thresholdKind === 'own' && (
          <>
            <TextField
              id="trig-threshold-complaints"
              label="Complaints needed"
              width="2"
              inputMode="numeric"
              value={complaints}
              onChange={setComplaints}
              error={form.errors['trig-threshold-complaints']}
            />
            <TextField
              id="trig-threshold-windowDays"
              label="Within (days before the application)"
              width="4"
              inputMode="numeric"
              value={windowDays}
              onChange={setWindowDays}
              error={form.errors['trig-threshold-windowDays']}
            />
          </>
        )}
        <div className="govuk-inset-text" id="trig-test">
          <strong>Threshold test:</strong> {preview ?? 'enter the date of application to see it'}
        </div>
        <ButtonGroup>
          <Button type="submit" disabled={form.busy}>
            Log the application
          </Button>
        </ButtonGroup>
      </form>
    </>
  );
}
