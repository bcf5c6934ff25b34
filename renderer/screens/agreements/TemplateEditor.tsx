// Editing an agreement template. Saving makes the next version; agreements already drafted or signed
// keep the version they were made from, so what someone signed is never rewritten under them.
import { useCallback, useEffect, useState } from 'react';
import type { ErrorShape } from '../../../src/contract/errors.js';
import type { TemplateOutput } from '../../../src/contract/ops/agreements.js';
import { AGREEMENT_KINDS, type AgreementKind } from '../../../src/domain/agreements.js';
import type { TemplateContent } from '../../../src/domain/agreement-templates.js';
import { useSession } from '../../session.js';
import { useNavigate } from '../../navigation.js';
import { Button, ButtonGroup } from '../../components/Button.js';
import { Select, TextArea, TextField } from '../../components/form.js';
import { NotificationBanner } from '../../components/NotificationBanner.js';
import { PageHeading } from '../../components/PageHeading.js';
import { useOperationForm } from '../../lib/use-operation-form.js';
import type { Labels } from '../../lib/labels.js';
import { formatDateTime, nonEmptyLines } from '../../lib/format.js';
import { LoadRefusal } from '../RefusalMessage.js';
import { kindLabel } from './shared.js';

const LABELS: Labels = {
  'content.title': 'Title',
  'content.statement': 'Statement',
  'content.reviewAfterMonths': 'Review after (months)',
  'content.validForMonths': 'In force for (months)',
  'content.sections.*.heading': 'Section # heading',
  'content.sections.*.body': 'Section # text',
  'content.sections': 'Sections',
  'content.expectations.*.partner': 'Expectation row # partner',
  'content.expectations.*.responsibilities': 'Expectation row # responsibilities',
};

interface Form {
  title: string;
  statement: string;
  reviewAfterMonths: string;
  validForMonths: string;
  sections: { heading: string; body: string }[];
  expectations: { partnerType: string; partner: string; department: string; responsibilities: string; officerLevel: string }[];
}

function toForm(c: TemplateContent): Form {
  return {
    title: c.title,
    statement: c.statement,
    reviewAfterMonths: String(c.reviewAfterMonths),
    validForMonths: String(c.validForMonths),
    sections: c.sections.map((s) => ({ ...s })),
    expectations: c.expectations.map((r) => ({ ...r, responsibilities: r.responsibilities.join('\n') })),
  };
}

function fromForm(f: Form) {
  return {
    title: f.title,
    statement: f.statement,
    reviewAfterMonths: Number(f.reviewAfterMonths),
    validForMonths: Number(f.validForMonths),
    sections: f.sections,
    expectations: f.expectations.map((r) => ({
      ...r,
      responsibilities: nonEmptyLines(r.responsibilities),
    })),
  };
}

export function TemplateEditor() {
  const { call } = useSession();
  const navigate = useNavigate();
  const [kind, setKind] = useState<AgreementKind>('membership');
  const [versions, setVersions] = useState<TemplateOutput[]>([]);
  const [form, setForm] = useState<Form | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const editor = useOperationForm('agreements.templates.edit', { labels: LABELS, fallback: 'content.title' });
  const errors = editor.errors;
  const [saved, setSaved] = useState<number | null>(null);

  const load = useCallback(async () => {
    setError(null);
    const result = await call('agreements.templates.list', { kind });
    if (!result.ok) return setError(result.error);
    setVersions(result.value.templates);
    setForm(toForm(result.value.templates[0]!.content));
  }, [call, kind]);
  useEffect(() => {
    void load();
  }, [load]);

  const latest = versions[0];
  const save = editor.onSubmit(async () => {
    if (!form || !latest) return;
    const sent = await editor.send({ kind, basedOnVersion: latest.version, content: fromForm(form) });
    if (!sent.ok) return;
    setSaved(sent.value.template.version);
    void load();
  });

  const update = (patch: Partial<Form>) => setForm((f) => (f ? { ...f, ...patch } : f));
  return (
    <>
      <PageHeading caption="Agreements">Agreement templates</PageHeading>
      <ButtonGroup>
        <Button variant="secondary" onClick={() => navigate({ name: 'agreements' })}>
          Back to agreements
        </Button>
      </ButtonGroup>
      <Select
        id="template-kind"
        label="Template"
        value={kind}
        onChange={(k) => {
          setSaved(null);
          setKind(k);
        }}
        options={AGREEMENT_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))}
      />
      {saved !== null && (
        <NotificationBanner type="success" id="template-saved" focus heading={`Saved as version ${saved}`}>
          <p className="govuk-body">New drafts use it. Agreements already drafted or signed keep the version they were made from.</p>
        </NotificationBanner>
      )}
      {error && <LoadRefusal error={error} reload={load} />}
      {form && latest && (
        <form noValidate onSubmit={save} aria-labelledby="template-title">
          <h2 className="govuk-heading-m" id="template-title">
            Version {latest.version}
            {latest.createdBy ? `, by ${latest.createdBy}` : ', as shipped'} ({formatDateTime(latest.createdAt)})
          </h2>
          <p className="govuk-hint">
            Write <code className="app-code">{'{group}'}</code> where the group&apos;s name goes.
          </p>
          {editor.summary}
          <TextField
            {...editor.field('content-title')}
            label="Title"
            value={form.title}
            onChange={(title) => update({ title })}
            width="full"
          />
          {form.sections.map((s, i) => (
            <fieldset className="govuk-fieldset app-section" key={i}>
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Section {i + 1}</legend>
              <TextField
                id={`content-sections-${i}-heading`}
                label={`Section ${i + 1} heading`}
                value={s.heading}
                error={errors[`content-sections-${i}-heading`]}
                width="full"
                onChange={(heading) => update({ sections: form.sections.map((x, j) => (j === i ? { ...x, heading } : x)) })}
              />
              <TextArea
                id={`content-sections-${i}-body`}
                label={`Section ${i + 1} text`}
                rows={5}
                value={s.body}
                error={errors[`content-sections-${i}-body`]}
                onChange={(body) => update({ sections: form.sections.map((x, j) => (j === i ? { ...x, body } : x)) })}
              />
              <Button variant="link" onClick={() => update({ sections: form.sections.filter((_, j) => j !== i) })}>
                Remove section {i + 1}
              </Button>
            </fieldset>
          ))}
          <ButtonGroup>
            <Button variant="secondary" onClick={() => update({ sections: [...form.sections, { heading: '', body: '' }] })}>
              Add a section
            </Button>
          </ButtonGroup>
          {kind === 'membership' && (
            <>
              <h3 className="govuk-heading-m">Member expectations</h3>
              {form.expectations.map((r, i) => {
                const set = (patch: Partial<Form['expectations'][number]>) =>
                  update({ expectations: form.expectations.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
                return (
                  <details className="govuk-details" key={i}>
                    <summary className="govuk-details__summary">
                      <span className="govuk-details__summary-text">
                        {r.partner || 'New row'}: {r.department || 'no department'}
                      </span>
                    </summary>
                    <div className="govuk-details__text">
                      <TextField
                        id={`content-expectations-${i}-partner`}
                        label="Partner"
                        value={r.partner}
                        onChange={(partner) => set({ partner })}
                        error={errors[`content-expectations-${i}-partner`]}
                      />
                      <TextField
                        id={`content-expectations-${i}-department`}
                        label="Department"
                        value={r.department}
                        onChange={(department) => set({ department })}
                      />
                      <TextArea
                        id={`content-expectations-${i}-responsibilities`}
                        label="Responsibilities"
                        hint="One per line"
                        rows={6}
                        value={r.responsibilities}
                        onChange={(responsibilities) => set({ responsibilities })}
                        error={errors[`content-expectations-${i}-responsibilities`]}
                      />
                      <TextField
                        id={`content-expectations-${i}-officerLevel`}
                        label="Officer level"
                        value={r.officerLevel}
                        onChange={(officerLevel) => set({ officerLevel })}
                      />
                      <Button variant="link" onClick={() => update({ expectations: form.expectations.filter((_, j) => j !== i) })}>
                        Remove this row
                      </Button>
                    </div>
                  </details>
                );
              })}
              <ButtonGroup>
                <Button
                  variant="secondary"
                  onClick={() =>
                    update({
                      expectations: [
                        ...form.expectations,
                        { partnerType: '', partner: '', department: '', responsibilities: '', officerLevel: '' },
                      ],
                    })
                  }
                >
                  Add a row
                </Button>
              </ButtonGroup>
            </>
          )}
          <TextArea
            {...editor.field('content-statement')}
            label="Statement above the signatures"
            rows={3}
            value={form.statement}
            onChange={(statement) => update({ statement })}
          />
          <TextField
            {...editor.field('content-reviewAfterMonths')}
            label="Review after (months)"
            inputMode="numeric"
            width="3"
            value={form.reviewAfterMonths}
            onChange={(reviewAfterMonths) => update({ reviewAfterMonths })}
          />
          <TextField
            {...editor.field('content-validForMonths')}
            label="In force for (months)"
            hint="At least until the review date"
            inputMode="numeric"
            width="3"
            value={form.validForMonths}
            onChange={(validForMonths) => update({ validForMonths })}
          />
          <Button type="submit" disabled={editor.busy}>
            Save as version {latest.version + 1}
          </Button>
        </form>
      )}
      {versions.length > 1 && (
        <section className="app-section" aria-labelledby="versions-title">
          <h2 className="govuk-heading-m" id="versions-title">
            Earlier versions
          </h2>
          <ul className="govuk-list">
            {versions.slice(1).map((v) => (
              <li key={v.id}>
                Version {v.version}, {v.createdBy ?? 'as shipped'}, {formatDateTime(v.createdAt)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
