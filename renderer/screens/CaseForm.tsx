// Recording a referral as a case, and changing one. The form checks itself against the contract's own
// schema (so every problem is listed at once, beside its field), and on edit sends only what changed:
// a new risk assessment resets the review date, so an untouched one must not be resent.
import { useEffect, useState } from 'react';
import { CONSENT_POSITIONS, type CaseDetail } from '../../src/contract/ops/cases.js';
import type { InputOf } from '../../src/contract/operations.js';
import type { ConcernCode } from '../../src/domain/concerns.js';
import { HARM_KINDS, HARM_LEVELS, type HarmLevel } from '../../src/domain/risk.js';
import { mayMarkClosedOnly } from '../../src/domain/access.js';
import { useSession } from '../session.js';
import { useNavigate } from '../navigation.js';
import { Button, ButtonGroup } from '../components/Button.js';
import { Checkbox, Checkboxes, Radios, TextArea, TextField } from '../components/form.js';
import { PageHeading } from '../components/PageHeading.js';
import { nonEmptyLines, parseDateInput } from '../lib/format.js';
import { CONCERN_OPTIONS, CONSENT_LABELS, FIELD_LABELS, HARM_LABELS, RISK_LABELS, SUPPORT_DECISION_LABELS } from '../lib/labels.js';
import { useCase } from '../lib/use-case.js';
import { useOperationForm } from '../lib/use-operation-form.js';
import { PersonDialog, type ChosenPerson } from './PersonDialog.js';
import { RefusalMessage } from './RefusalMessage.js';

type Consent = (typeof CONSENT_POSITIONS)[number];

interface LocationRow {
  label: string;
  address: string;
  postcode: string;
  ward: string;
}

interface CaseFormState {
  subjects: ChosenPerson[];
  area: string;
  summary: string;
  referral: { organisation: string; officer: string; date: string; reason: string; consent: Consent | '' };
  concerns: ConcernCode[];
  risk: Record<(typeof HARM_KINDS)[number], HarmLevel | ''> & { vulnerabilityFactors: string; reasons: string; assessedOn: string };
  locations: LocationRow[];
  supported: boolean;
  supportService: string;
  supportDecision: 'discuss' | 'do_not_discuss' | '';
  closedOnly: boolean;
}

const EMPTY: CaseFormState = {
  subjects: [],
  area: '',
  summary: '',
  referral: { organisation: '', officer: '', date: '', reason: '', consent: '' },
  concerns: [],
  risk: { personalHarm: '', communityHarm: '', environmentalHarm: '', vulnerabilityFactors: '', reasons: '', assessedOn: '' },
  locations: [],
  supported: false,
  supportService: '',
  supportDecision: '',
  closedOnly: false,
};

const LABELS = FIELD_LABELS['cases.create']!;
const MESSAGES = { subjectIds: 'Add at least one person the case is about', concerns: 'Choose at least one concern' };
const ORDER = [
  'subjectIds',
  'area',
  'summary',
  'referral-organisation',
  'referral-officer',
  'referral-date',
  'referral-reason',
  'referral-consent',
  'concerns',
  'risk-personalHarm',
  'risk-communityHarm',
  'risk-environmentalHarm',
  'risk-vulnerabilityFactors',
  'risk-reasons',
  'risk-assessedOn',
];

function fromDetail(c: CaseDetail): CaseFormState {
  return {
    subjects: c.subjects.map((p) => ({ id: p.id, name: `${p.givenName} ${p.familyName}`, dateOfBirth: p.dateOfBirth })),
    area: c.area,
    summary: c.summary,
    referral: { ...c.referral },
    concerns: [...c.concerns],
    risk: {
      personalHarm: c.risk.personalHarm,
      communityHarm: c.risk.communityHarm,
      environmentalHarm: c.risk.environmentalHarm,
      vulnerabilityFactors: c.risk.vulnerabilityFactors.join('\n'),
      reasons: c.risk.reasons,
      assessedOn: c.risk.assessedOn,
    },
    locations: c.locations.map((l) => ({ label: l.label, address: l.address, postcode: l.postcode ?? '', ward: l.ward ?? '' })),
    supported: c.alreadySupported !== null,
    supportService: c.alreadySupported?.service ?? '',
    supportDecision: c.alreadySupported?.decision ?? '',
    closedOnly: c.closedOnly,
  };
}

/** The form as the operation's input; blanks stay as given so the schema names what is missing. */
function toInput(s: CaseFormState) {
  const date = parseDateInput(s.referral.date);
  const assessedOn = parseDateInput(s.risk.assessedOn);
  return {
    subjectIds: s.subjects.map((p) => p.id),
    area: s.area,
    summary: s.summary,
    referral: {
      organisation: s.referral.organisation,
      officer: s.referral.officer,
      date,
      reason: s.referral.reason,
      consent: s.referral.consent,
    },
    concerns: s.concerns,
    risk: {
      personalHarm: s.risk.personalHarm,
      communityHarm: s.risk.communityHarm,
      environmentalHarm: s.risk.environmentalHarm,
      vulnerabilityFactors: nonEmptyLines(s.risk.vulnerabilityFactors),
      reasons: s.risk.reasons,
      ...(assessedOn ? { assessedOn } : {}),
    },
    locations: s.locations.map((l) => ({
      label: l.label,
      address: l.address,
      postcode: l.postcode.trim() || null,
      ward: l.ward.trim() || null,
    })),
    alreadySupported: s.supported ? { service: s.supportService, decision: s.supportDecision } : null,
    closedOnly: s.closedOnly,
  };
}

export function CaseFormScreen({ caseId }: { caseId?: number }) {
  const loaded = useCase(caseId);
  if (caseId === undefined) return <CaseForm />;
  if (loaded.error) return <RefusalMessage error={loaded.error} onSetContext={loaded.giveContext} onRetry={() => void loaded.reload()} />;
  if (!loaded.detail)
    return (
      <p className="govuk-body" role="status">
        Loading the case…
      </p>
    );
  return <CaseForm original={loaded.detail} />;
}

function CaseForm({ original }: { original?: CaseDetail }) {
  const { user } = useSession();
  const navigate = useNavigate();
  const [state, setState] = useState<CaseFormState>(() => (original ? fromDetail(original) : EMPTY));
  const form = useOperationForm(original ? 'cases.update' : 'cases.create', {
    groups: ['risk.vulnerabilityFactors'],
    messages: MESSAGES,
    order: ORDER,
    fallback: 'area',
  });
  const [addingPerson, setAddingPerson] = useState(false);
  // Focus returns to "Add a person" once the dialog has gone, after React has committed the change.
  const [refocus, setRefocus] = useState(false);
  useEffect(() => {
    if (!refocus || addingPerson) return;
    document.getElementById('subjectIds')?.focus();
    setRefocus(false);
  }, [refocus, addingPerson]);
  const set = <K extends keyof CaseFormState>(key: K, value: CaseFormState[K]) => setState((s) => ({ ...s, [key]: value }));
  const setReferral = (key: keyof CaseFormState['referral']) => (value: string) =>
    setState((s) => ({ ...s, referral: { ...s.referral, [key]: value } }));
  const setRisk = (key: keyof CaseFormState['risk']) => (value: string) => setState((s) => ({ ...s, risk: { ...s.risk, [key]: value } }));
  const setLocation = (i: number, key: keyof LocationRow) => (value: string) =>
    setState((s) => ({ ...s, locations: s.locations.map((l, j) => (j === i ? { ...l, [key]: value } : l)) }));

  const submit = form.onSubmit(async () => {
    const input = toInput(state);
    let sent;
    if (!original) {
      sent = await form.send(input as InputOf<'cases.create'>);
    } else {
      // Only what changed: an untouched risk assessment must not be resent, as a new one resets the review date.
      const before = toInput(fromDetail(original)) as Record<string, unknown>;
      const changes = Object.fromEntries(Object.entries(input).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k])));
      if (Object.keys(changes).length === 0)
        return void form.refuse({ area: 'You have not changed anything: change a field or go back to the case' });
      sent = await form.send({ caseId: original.id, ...changes } as InputOf<'cases.update'>);
    }
    if (sent.ok) navigate({ name: 'case', caseId: sent.value.case.id });
  });

  return (
    <>
      <p className="govuk-body">
        <button
          type="button"
          className="app-link-button app-back-link"
          onClick={() => navigate(original ? { name: 'case', caseId: original.id } : { name: 'cases' })}
        >
          {original ? `Back to ${original.reference}` : 'Back to cases'}
        </button>
      </p>
      {form.summary}
      <PageHeading caption={original ? original.reference : 'New referral'}>{original ? 'Edit case' : 'Record a new case'}</PageHeading>

      <div className={`app-subjects govuk-form-group${form.errors.subjectIds ? ' govuk-form-group--error' : ''}`} id="subjectIds-group">
        <h2 className="govuk-heading-m">Who the case is about</h2>
        {form.errors.subjectIds && (
          <p className="govuk-error-message">
            <span className="govuk-visually-hidden">Error:</span> {form.errors.subjectIds}
          </p>
        )}
        {state.subjects.length === 0 ? (
          <p className="govuk-body app-muted">Nobody added yet.</p>
        ) : (
          <ul className="govuk-list app-subject-list">
            {state.subjects.map((p) => (
              <li key={p.id}>
                <strong>{p.name}</strong>
                {p.dateOfBirth && `, born ${p.dateOfBirth}`}{' '}
                <button
                  type="button"
                  className="app-link-button"
                  onClick={() =>
                    set(
                      'subjects',
                      state.subjects.filter((x) => x.id !== p.id),
                    )
                  }
                >
                  Remove<span className="govuk-visually-hidden"> {p.name}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <Button variant="secondary" id="subjectIds" onClick={() => setAddingPerson(true)}>
          Add a person
        </Button>
      </div>

      <form noValidate onSubmit={submit} id="case-form">
        <h2 className="govuk-heading-m">Referral</h2>
        <div className="app-form-columns">
          <TextField
            id="referral-organisation"
            label={LABELS['referral.organisation']}
            value={state.referral.organisation}
            onChange={setReferral('organisation')}
            error={form.errors['referral-organisation']}
          />
          <TextField
            id="referral-officer"
            label={LABELS['referral.officer']}
            hint="Optional"
            value={state.referral.officer}
            onChange={setReferral('officer')}
            error={form.errors['referral-officer']}
          />
          <TextField
            id="referral-date"
            label={LABELS['referral.date']}
            hint="For example, 2025-10-01 or 1/10/2025"
            width="10"
            value={state.referral.date}
            onChange={setReferral('date')}
            error={form.errors['referral-date']}
          />
          <TextField
            id="area"
            label={LABELS.area}
            hint="The neighbourhood or ward the partnership knows it by"
            value={state.area}
            onChange={(v) => set('area', v)}
            error={form.errors.area}
          />
        </div>
        <TextArea
          id="referral-reason"
          label={LABELS['referral.reason']}
          rows={3}
          value={state.referral.reason}
          onChange={setReferral('reason')}
          error={form.errors['referral-reason']}
        />
        <Radios
          id="referral-consent"
          legend="Consent"
          inline
          small
          value={state.referral.consent || null}
          onChange={(v) => setReferral('consent')(v)}
          error={form.errors['referral-consent']}
          options={CONSENT_POSITIONS.map((c) => ({ value: c, label: CONSENT_LABELS[c] }))}
        />
        <TextArea
          id="summary"
          label="Summary"
          hint="Optional. What the partnership needs to know"
          rows={3}
          value={state.summary}
          onChange={(v) => set('summary', v)}
          error={form.errors.summary}
        />
        <Checkboxes
          id="concerns"
          legend="Concerns"
          small
          columns
          values={state.concerns}
          onChange={(v) => set('concerns', v)}
          error={form.errors.concerns}
          options={CONCERN_OPTIONS}
        />

        <h2 className="govuk-heading-m">Risk assessment</h2>
        {original && <p className="govuk-hint">Changing the risk assessment sets a new review date from the assessment date.</p>}
        <div className="app-form-columns">
          {HARM_KINDS.map((k) => (
            <Radios
              key={k}
              id={`risk-${k}`}
              legend={HARM_LABELS[k]}
              small
              value={state.risk[k] || null}
              onChange={(v) => setRisk(k)(v)}
              error={form.errors[`risk-${k}`]}
              options={HARM_LEVELS.map((h) => ({ value: h, label: RISK_LABELS[h] }))}
            />
          ))}
        </div>
        <TextArea
          id="risk-vulnerabilityFactors"
          label="Vulnerability factors"
          hint="Optional. One per line"
          rows={3}
          value={state.risk.vulnerabilityFactors}
          onChange={setRisk('vulnerabilityFactors')}
          error={form.errors['risk-vulnerabilityFactors']}
        />
        <TextArea
          id="risk-reasons"
          label="Reasons"
          hint="Optional. Why these levels"
          rows={3}
          value={state.risk.reasons}
          onChange={setRisk('reasons')}
          error={form.errors['risk-reasons']}
        />
        <TextField
          id="risk-assessedOn"
          label="Assessment date"
          hint="Optional: today if left blank"
          width="10"
          value={state.risk.assessedOn}
          onChange={setRisk('assessedOn')}
          error={form.errors['risk-assessedOn']}
        />

        <h2 className="govuk-heading-m">Locations</h2>
        {state.locations.map((l, i) => (
          <fieldset className="govuk-fieldset app-repeat" key={i}>
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Location {i + 1}</legend>
            <div className="app-form-columns">
              <TextField
                id={`locations-${i}-label`}
                label="Name of the place"
                value={l.label}
                onChange={setLocation(i, 'label')}
                error={form.errors[`locations-${i}-label`]}
              />
              <TextField
                id={`locations-${i}-address`}
                label="Address"
                hint="Optional"
                value={l.address}
                onChange={setLocation(i, 'address')}
                error={form.errors[`locations-${i}-address`]}
              />
              <TextField
                id={`locations-${i}-postcode`}
                label="Postcode"
                hint="Optional"
                width="10"
                value={l.postcode}
                onChange={setLocation(i, 'postcode')}
                error={form.errors[`locations-${i}-postcode`]}
              />
              <TextField
                id={`locations-${i}-ward`}
                label="Ward"
                hint="Optional"
                value={l.ward}
                onChange={setLocation(i, 'ward')}
                error={form.errors[`locations-${i}-ward`]}
              />
            </div>
            <button
              type="button"
              className="app-link-button"
              onClick={() =>
                set(
                  'locations',
                  state.locations.filter((_, j) => j !== i),
                )
              }
            >
              Remove location {i + 1}
            </button>
          </fieldset>
        ))}
        <Button
          variant="secondary"
          onClick={() => set('locations', [...state.locations, { label: '', address: '', postcode: '', ward: '' }])}
        >
          Add a location
        </Button>

        <h2 className="govuk-heading-m">Other services</h2>
        <Checkbox
          id="supported"
          label="Already supported by another service"
          checked={state.supported}
          onChange={(v) => set('supported', v)}
        />
        {state.supported && (
          <div className="app-conditional">
            <TextField
              id="alreadySupported-service"
              label="Which service"
              value={state.supportService}
              onChange={(v) => set('supportService', v)}
              error={form.errors['alreadySupported-service']}
            />
            <Radios
              id="alreadySupported-decision"
              legend="Should the partnership discuss the case?"
              small
              inline
              value={state.supportDecision || null}
              onChange={(v) => set('supportDecision', v)}
              error={form.errors['alreadySupported-decision']}
              options={Object.entries(SUPPORT_DECISION_LABELS).map(([value, label]) => ({
                value: value as keyof typeof SUPPORT_DECISION_LABELS,
                label,
              }))}
            />
          </div>
        )}
        {original?.closedOnly ? (
          <p className="govuk-inset-text">
            This case is closed meeting only. A manager clears the mark from the case page, reviewing each note, step and link first.
          </p>
        ) : (
          mayMarkClosedOnly(user.role) && (
            <Checkbox
              id="closedOnly"
              label="Closed meeting only"
              hint="Only statutory partners will see this case"
              checked={state.closedOnly}
              onChange={(v) => set('closedOnly', v)}
              error={form.errors.closedOnly}
            />
          )
        )}
        <ButtonGroup>
          <Button type="submit" disabled={form.busy}>
            {original ? 'Save changes' : 'Record case'}
          </Button>
        </ButtonGroup>
      </form>
      {addingPerson && (
        <PersonDialog
          onChosen={(person) => {
            setAddingPerson(false);
            if (!state.subjects.some((p) => p.id === person.id)) set('subjects', [...state.subjects, person]);
            form.dismiss('subjectIds');
            setRefocus(true);
          }}
          onCancel={() => {
            setAddingPerson(false);
            setRefocus(true);
          }}
        />
      )}
    </>
  );
}
