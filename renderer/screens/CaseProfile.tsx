// A case's profile: its people, referral, risk, lifecycle (with only the steps the domain allows),
// notes, linked cases and locations. Opening it is a consultation, logged with the working context.
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { ErrorShape } from '../../src/contract/errors.js';
import type { CaseDetail } from '../../src/contract/ops/cases.js';
import type { Person } from '../../src/contract/ops/people.js';
import { operations } from '../../src/contract/operations.js';
import { CASE_OUTCOMES, type CaseOutcome, type CaseStatus } from '../../src/domain/lifecycle.js';
import { HARM_KINDS, HARM_LABELS } from '../../src/domain/risk.js';
import { mayMarkClosedOnly } from '../../src/domain/access.js';
import { mayCall, useSession } from '../session.js';
import { useNavigate } from '../navigation.js';
import { Button, ButtonGroup } from '../components/Button.js';
import { Checkbox, ErrorSummary, Radios, Select, TextArea, TextField, type FieldErrors } from '../components/form.js';
import { PageHeading } from '../components/PageHeading.js';
import { SummaryList } from '../components/SummaryList.js';
import { Table } from '../components/Table.js';
import { Tag } from '../components/Tag.js';
import { Timeline } from '../components/Timeline.js';
import { NotificationBanner } from '../components/NotificationBanner.js';
import { errorsFromResult, errorsFromZod } from '../lib/form-errors.js';
import { RISK_COLOURS, RISK_LABELS, STATUS_COLOURS, concernText, formatDate, outcomeLabel, personName, statusLabel } from '../lib/format.js';
import { PersonDialog } from './PersonDialog.js';
import { RefusalMessage } from './RefusalMessage.js';
import { CaseMeetings } from './meetings/CaseMeetings.js';

const ACTION_LABELS: Readonly<Record<CaseStatus, string>> = {
  referred: 'Refer', accepted: 'Accept', declined: 'Decline', active: 'Make active', under_review: 'Start review', closed: 'Close case',
};

const CONSENT_LABELS: Readonly<Record<CaseDetail['referral']['consent'], string>> = {
  given: 'Given', refused: 'Refused', not_sought: 'Not sought', not_required: 'Not required',
};

export function CaseProfile({ caseId }: { caseId: number }) {
  const { call, changeJustification, user } = useSession();
  const navigate = useNavigate();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [editingPerson, setEditingPerson] = useState<Person | null>(null);

  const load = useCallback(async () => {
    setError(null);
    const result = await call('cases.get', { caseId });
    if (result.ok) setDetail(result.value.case);
    else setError(result.error);
  }, [call, caseId]);

  useEffect(() => {
    void load();
  }, [load]);

  const back = (
    <p className="govuk-body">
      <button type="button" className="app-link-button app-back-link" onClick={() => navigate({ name: 'cases' })}>Back to cases</button>
    </p>
  );

  if (error) {
    return (
      <>
        {back}
        <PageHeading>Case</PageHeading>
        <RefusalMessage error={error} onSetContext={() => void changeJustification().then((ok) => { if (ok) void load(); })} onRetry={() => void load()} />
      </>
    );
  }
  if (!detail) {
    return (
      <>
        {back}
        <p className="govuk-body" role="status">Loading the case…</p>
      </>
    );
  }

  const c = detail;
  return (
    <>
      {back}
      {done && <NotificationBanner key={done} type="success" heading={done} focus id="case-done" />}
      <div className="app-heading-row">
        <PageHeading caption="Case">
          {c.reference}{' '}
          <Tag colour={STATUS_COLOURS[c.status]}>{statusLabel(c.status)}</Tag>
          {c.closedOnly && <> <Tag colour="purple">Closed meeting only</Tag></>}
        </PageHeading>
        {mayCall(user, 'cases.update') && <Button variant="secondary" onClick={() => navigate({ name: 'case-edit', caseId: c.id })}>Edit case</Button>}
      </div>

      <nav className="app-contents" aria-label="On this page">
        <ul className="govuk-list app-contents__list">
          {['Details', 'People', 'Risk assessment', 'Lifecycle', 'Notes', 'Linked cases', 'Locations'].map((s) => (
            <li key={s}><a href={`#section-${s.toLowerCase().replace(/ /g, '-')}`} onClick={(e) => { e.preventDefault(); document.getElementById(`section-${s.toLowerCase().replace(/ /g, '-')}`)?.focus(); }}>{s}</a></li>
          ))}
        </ul>
      </nav>

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <Section id="details" title="Details">
            <SummaryList rows={[
              { key: 'Status', value: <>{statusLabel(c.status)}{c.outcome && `: ${outcomeLabel(c.outcome)}`}</> },
              { key: 'Area', value: c.area },
              { key: 'Concerns', value: c.concerns.map(concernText).join(', ') },
              { key: 'Review date', value: <>{formatDate(c.reviewDate)}{c.reviewOverdue && <> <Tag colour="red">Overdue</Tag></>}</> },
              { key: 'Referred by', value: [c.referral.organisation, c.referral.officer].filter(Boolean).join(', ') },
              { key: 'Referral date', value: formatDate(c.referral.date) },
              { key: 'Reason for referral', value: <Prose text={c.referral.reason} /> },
              { key: 'Consent', value: CONSENT_LABELS[c.referral.consent] },
              { key: 'Already supported', value: c.alreadySupported ? `${c.alreadySupported.service} (${c.alreadySupported.decision === 'discuss' ? 'discuss here' : 'do not discuss here'})` : 'No' },
              { key: 'Summary', value: c.summary ? <Prose text={c.summary} /> : 'None' },
              { key: 'Recorded', value: `${formatDate(c.createdAt)} by ${c.createdBy.displayName}` },
            ]} />
          </Section>

          <Section id="people" title="People">
            {c.subjects.map((p) => (
              <div key={p.id} className="app-person">
                <div className="app-heading-row">
                  <h3 className="govuk-heading-s">{personName(p)}</h3>
                  {mayCall(user, 'people.update') && (
                    <Button variant="link" onClick={() => setEditingPerson(p)}>
                      Change details<span className="govuk-visually-hidden"> of {personName(p)}</span>
                    </Button>
                  )}
                </div>
                <SummaryList rows={[
                  ...(p.aliases.length ? [{ key: 'Also known as', value: p.aliases.join(', ') }] : []),
                  { key: 'Date of birth', value: p.dateOfBirth ? formatDate(p.dateOfBirth) : 'Not known' },
                  ...(p.addresses.length ? [{ key: 'Addresses', value: <ul className="govuk-list">{p.addresses.map((a, i) => <li key={i}>{[a.line1, a.line2, a.town, a.postcode].filter(Boolean).join(', ')}{a.current ? '' : ' (previous)'}</li>)}</ul> }] : []),
                  ...(p.identifiers.length ? [{ key: 'References', value: p.identifiers.map((i) => `${i.scheme}: ${i.value}`).join('; ') }] : []),
                  ...(p.contacts.length ? [{ key: 'Contact', value: p.contacts.map((x) => x.value).join('; ') }] : []),
                  ...(p.household.length ? [{ key: 'Household', value: p.household.map((h) => `${h.name} (${h.relationship.replace(/_/g, ' ')})`).join('; ') }] : []),
                ]} />
              </div>
            ))}
            {editingPerson && (
              <PersonDialog
                editing={editingPerson}
                onCancel={() => setEditingPerson(null)}
                onSaved={(person) => {
                  setEditingPerson(null);
                  setDone(`The details of ${personName(person)} were saved`);
                  void load();
                }}
              />
            )}
          </Section>

          <Section id="risk-assessment" title="Risk assessment">
            <SummaryList rows={[
              { key: 'Overall', value: <Tag colour={RISK_COLOURS[c.risk.overall]}>{RISK_LABELS[c.risk.overall]}</Tag> },
              ...HARM_KINDS.map((k) => ({ key: HARM_LABELS[k], value: RISK_LABELS[c.risk[k]] })),
              { key: 'Vulnerability factors', value: c.risk.vulnerabilityFactors.length ? c.risk.vulnerabilityFactors.join('; ') : 'None recorded' },
              { key: 'Reasons', value: c.risk.reasons ? <Prose text={c.risk.reasons} /> : 'None recorded' },
              { key: 'Assessed', value: `${formatDate(c.risk.assessedOn)} by ${c.risk.assessedBy.displayName}` },
            ]} />
          </Section>

          <Section id="locations" title="Locations">
            <Table caption={<span className="govuk-visually-hidden">Locations linked to this case</span>} rows={c.locations} rowKey={(l) => l.id} empty="No locations linked."
              columns={[
                { header: 'Place', cell: (l) => l.label },
                { header: 'Address', cell: (l) => l.address },
                { header: 'Postcode', cell: (l) => l.postcode ?? '' },
                { header: 'Ward', cell: (l) => l.ward ?? '' },
              ]} />
          </Section>
        </div>

        <div className="govuk-grid-column-one-half">
          <Section id="lifecycle" title="Lifecycle">
            <Lifecycle detail={c} onChanged={(next, message) => { setDetail(next); setDone(message); }} />
          </Section>
          <Section id="notes" title="Notes">
            <Notes detail={c} onAdded={(note) => { setDetail({ ...c, notes: [note, ...c.notes] }); setDone('Note added'); }} />
          </Section>
          <Section id="linked-cases" title="Linked cases">
            <Links detail={c} onLinked={(link) => { setDetail({ ...c, links: [...c.links, link] }); setDone(`Linked to ${link.reference}`); }} />
          </Section>
          <CaseMeetings caseId={c.id} />
        </div>
      </div>
    </>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="app-section" aria-labelledby={`section-${id}`}>
      <h2 className="govuk-heading-m" id={`section-${id}`} tabIndex={-1}>{title}</h2>
      {children}
    </section>
  );
}

/** Free text as paragraphs, never as HTML. */
function Prose({ text }: { text: string }) {
  return <>{text.split(/\n{2,}/).map((p, i) => <p key={i} className="govuk-body app-prose">{p}</p>)}</>;
}

function Lifecycle({ detail, onChanged }: { detail: CaseDetail; onChanged: (next: CaseDetail, message: string) => void }) {
  const { call, user } = useSession();
  const [to, setTo] = useState<CaseStatus | null>(null);
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<CaseOutcome | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const may = mayCall(user, 'cases.transition');
  const labels = { reason: 'Reason', outcome: 'Outcome', to: 'Next status' };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!to) return;
    const input = { caseId: detail.id, to, reason, ...(to === 'closed' && outcome ? { outcome } : {}) };
    const parsed = operations['cases.transition'].input.safeParse(input);
    const found: Record<string, string> = parsed.success ? {} : { ...errorsFromZod(parsed.error, labels, 'transition') };
    if (to === 'closed' && !outcome) found['transition-outcome'] = 'Choose the outcome of the case';
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    const result = await call('cases.transition', input);
    setBusy(false);
    if (!result.ok) return setErrors(errorsFromResult({ ...result.error, ...(result.error.field ? { field: `transition.${result.error.field}` } : {}) }, { 'transition.reason': 'Reason', 'transition.outcome': 'Outcome' }, 'transition-reason'));
    setTo(null);
    setReason('');
    setOutcome(null);
    onChanged(result.value.case, `Case moved to ${statusLabel(result.value.case.status)}`);
  };

  return (
    <>
      <p className="govuk-body">
        Now <Tag colour={STATUS_COLOURS[detail.status]}>{statusLabel(detail.status)}</Tag>
        {detail.outcome && <> with outcome <strong>{outcomeLabel(detail.outcome)}</strong></>}
      </p>
      {may && detail.allowedTransitions.length > 0 && !to && (
        <ButtonGroup>
          {detail.allowedTransitions.map((next) => (
            <Button key={next} variant={next === 'declined' || next === 'closed' ? 'warning' : 'secondary'} onClick={() => { setTo(next); setErrors({}); }}>
              {ACTION_LABELS[next]}
            </Button>
          ))}
        </ButtonGroup>
      )}
      {!may && detail.allowedTransitions.length > 0 && <p className="govuk-body app-muted">Only statutory partners and the manager can change a case's status.</p>}
      {detail.allowedTransitions.length === 0 && <p className="govuk-body app-muted">This case is {statusLabel(detail.status).toLowerCase()}: its status cannot change. A new referral can be linked to it.</p>}
      {to && (
        <form noValidate onSubmit={(e) => void submit(e)} className="app-inline-form" aria-labelledby="transition-title">
          <h3 className="govuk-heading-s" id="transition-title">{ACTION_LABELS[to]}: {statusLabel(detail.status)} to {statusLabel(to)}</h3>
          <ErrorSummary errors={errors} />
          <TextArea id="transition-reason" label="Reason" hint="Recorded on the case's history" rows={3} value={reason} onChange={setReason} error={errors['transition-reason']} autoFocus />
          {to === 'closed' && (
            <Radios id="transition-outcome" legend="Outcome" small value={outcome} onChange={setOutcome} error={errors['transition-outcome']}
              options={CASE_OUTCOMES.map((o) => ({ value: o, label: outcomeLabel(o) }))} />
          )}
          <ButtonGroup>
            <Button type="submit" disabled={busy}>{ACTION_LABELS[to]}</Button>
            <Button variant="secondary" onClick={() => setTo(null)}>Cancel</Button>
          </ButtonGroup>
        </form>
      )}
      <h3 className="govuk-heading-s">History</h3>
      <Timeline label="Status history" items={[...detail.transitions].reverse().map((t, i) => ({
        key: i,
        title: t.from ? `${statusLabel(t.from)} to ${statusLabel(t.to)}${t.outcome ? `: ${outcomeLabel(t.outcome)}` : ''}` : 'Referral recorded',
        byline: t.by.displayName,
        at: t.at,
        description: t.from ? <p className="govuk-body app-prose">{t.reason}</p> : undefined,
      }))} />
    </>
  );
}

function Notes({ detail, onAdded }: { detail: CaseDetail; onAdded: (note: CaseDetail['notes'][number]) => void }) {
  const { call, user } = useSession();
  const [body, setBody] = useState('');
  const [special, setSpecial] = useState<'free_text' | 'special_category'>('free_text');
  const [closedOnly, setClosedOnly] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const labels = { body: 'Note' };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { caseId: detail.id, body, classification: special, closedOnly };
    const parsed = operations['cases.addNote'].input.safeParse(input);
    if (!parsed.success) return setErrors(errorsFromZod(parsed.error, labels, 'note'));
    setErrors({});
    setBusy(true);
    const result = await call('cases.addNote', input);
    setBusy(false);
    if (!result.ok) return setErrors(errorsFromResult({ ...result.error, ...(result.error.field ? { field: `note.${result.error.field}` } : {}) }, { 'note.body': 'Note' }, 'note-body'));
    setBody('');
    setClosedOnly(false);
    setSpecial('free_text');
    onAdded(result.value.note);
  };

  return (
    <>
      {mayCall(user, 'cases.addNote') && (
        <form noValidate onSubmit={(e) => void submit(e)} className="app-inline-form">
          <ErrorSummary errors={errors} />
          <TextArea id="note-body" label="Add a note" labelSize="s" rows={3} value={body} onChange={setBody} error={errors['note-body']} />
          <Select id="note-classification" label="Kind of information" value={special} onChange={setSpecial}
            options={[{ value: 'free_text', label: 'General' }, { value: 'special_category', label: 'Special category (health, ethnicity, beliefs…)' }]} />
          {mayMarkClosedOnly(user.role) && (
            <Checkbox id="note-closed-only" label="Closed meeting only" hint="Only statutory partners will see it" checked={closedOnly} onChange={setClosedOnly} />
          )}
          <Button type="submit" variant="secondary" disabled={busy}>Add note</Button>
        </form>
      )}
      {detail.notes.length === 0 ? <p className="govuk-body app-muted">No notes yet.</p> : (
        <Timeline label="Notes, newest first" items={detail.notes.map((n) => ({
          key: n.id,
          title: <>Note{n.classification === 'special_category' && <> <Tag colour="orange">Special category</Tag></>}{n.closedOnly && <> <Tag colour="purple">Closed meeting only</Tag></>}</>,
          byline: n.author.displayName,
          at: n.at,
          description: <Prose text={n.body} />,
        }))} />
      )}
    </>
  );
}

function Links({ detail, onLinked }: { detail: CaseDetail; onLinked: (link: CaseDetail['links'][number]) => void }) {
  const { call, user } = useSession();
  const navigate = useNavigate();
  const [reference, setReference] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!reference.trim()) found['link-reference'] = 'Enter the reference of the other case';
    if (!reason.trim()) found['link-reason'] = 'Enter why the cases are linked';
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    // People know cases by reference; the operation takes ids, so find the one whose reference matches exactly.
    const search = await call('cases.search', { query: reference.trim(), limit: 10 });
    const other = search.ok ? search.value.cases.find((x) => x.reference.toLowerCase() === reference.trim().toLowerCase()) : undefined;
    if (!other) {
      setBusy(false);
      return setErrors({ 'link-reference': search.ok ? `There is no case ${reference.trim()} that you can see` : search.error.message });
    }
    const result = await call('cases.link', { caseId: detail.id, otherCaseId: other.id, reason });
    setBusy(false);
    if (!result.ok) return setErrors({ [result.error.field === 'reason' ? 'link-reason' : 'link-reference']: result.error.message });
    setReference('');
    setReason('');
    onLinked(result.value.link);
  };

  return (
    <>
      <Table caption={<span className="govuk-visually-hidden">Cases linked to this one</span>} rows={detail.links} rowKey={(l) => l.caseId} empty="No linked cases."
        columns={[
          { header: 'Case', cell: (l) => <button type="button" className="app-link-button" onClick={() => navigate({ name: 'case', caseId: l.caseId })}>{l.reference}</button> },
          { header: 'Status', cell: (l) => statusLabel(l.status) },
          { header: 'Why linked', cell: (l) => l.reason },
          { header: 'Linked', cell: (l) => formatDate(l.linkedAt) },
        ]} />
      {mayCall(user, 'cases.link') && (
        <form noValidate onSubmit={(e) => void submit(e)} className="app-inline-form" aria-label="Link another case">
          <ErrorSummary errors={errors} />
          <TextField id="link-reference" label="Link another case: its reference" labelSize="s" hint="For example, LCSP-2026-0042" width="20" value={reference} onChange={setReference} error={errors['link-reference']} />
          <TextField id="link-reason" label="Why they are linked" value={reason} onChange={setReason} error={errors['link-reason']} />
          <Button type="submit" variant="secondary" disabled={busy}>Link case</Button>
        </form>
      )}
    </>
  );
}
