// The manager's agreements home: what is due for review, which member organisations have no current
// agreement, whether case work depends on them yet, every agreement by organisation with its status,
// and starting a draft for an organisation.
import { useCallback, useEffect, useState } from 'react';
import type { ErrorShape } from '../../../src/contract/errors.js';
import type { OutputOf } from '../../../src/contract/operations.js';
import { AGREEMENT_KINDS, type AgreementKind } from '../../../src/domain/agreements.js';
import { PARTNER_TYPES } from '../../../src/domain/agreement-templates.js';
import { useSession } from '../../session.js';
import { useNavigate } from '../../navigation.js';
import { Button, ButtonGroup } from '../../components/Button.js';
import { ErrorSummary, Select, TextField } from '../../components/form.js';
import { PageHeading } from '../../components/PageHeading.js';
import { Table } from '../../components/Table.js';
import { Tag } from '../../components/Tag.js';
import { useOperationForm } from '../../lib/use-operation-form.js';
import type { Labels } from '../../lib/labels.js';
import { formatDate } from '../../lib/format.js';
import { LoadRefusal } from '../RefusalMessage.js';
import { StatusTag, kindLabel } from './shared.js';

type Overview = OutputOf<'agreements.overview'>;
type Summary = OutputOf<'agreements.list'>['agreements'][number];
type Organisation = OutputOf<'organisations.list'>['organisations'][number];

const REVIEW_WINDOW_DAYS = 60;

export function Agreements() {
  const { call } = useSession();
  const navigate = useNavigate();
  const [overview, setOverview] = useState<Overview | null>(null);
  const [agreements, setAgreements] = useState<Summary[] | null>(null);
  const [organisations, setOrganisations] = useState<Organisation[]>([]);
  const [error, setError] = useState<ErrorShape | null>(null);

  const load = useCallback(async () => {
    setError(null);
    const [o, a, orgs] = await Promise.all([
      call('agreements.overview', { withinDays: REVIEW_WINDOW_DAYS }),
      call('agreements.list', {}),
      call('organisations.list', {}),
    ]);
    if (!o.ok) return setError(o.error);
    if (!a.ok) return setError(a.error);
    if (!orgs.ok) return setError(orgs.error);
    setOverview(o.value);
    setAgreements(a.value.agreements);
    setOrganisations(orgs.value.organisations);
  }, [call]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <PageHeading>Agreements</PageHeading>
      <p className="govuk-body">
        Each member organisation signs the group&apos;s membership agreement and the information-sharing agreement, in the room, with a
        witness. Signed agreements are sealed and never change.
      </p>
      <ButtonGroup>
        <Button variant="secondary" onClick={() => navigate({ name: 'agreement-templates' })}>
          Edit the templates
        </Button>
      </ButtonGroup>
      {error && <LoadRefusal error={error} reload={load} />}
      {overview && agreements && (
        <>
          <Home overview={overview} onChanged={() => void load()} />
          <section className="app-section" aria-labelledby="all-title">
            <h2 className="govuk-heading-m" id="all-title">
              Agreements by organisation
            </h2>
            <Table
              caption={<span className="govuk-visually-hidden">Agreements by organisation, newest version first</span>}
              rows={agreements}
              rowKey={(a) => a.id}
              empty="No agreements yet: start a draft below."
              columns={[
                { header: 'Organisation', cell: (a) => a.organisation },
                {
                  header: 'Agreement',
                  cell: (a) => (
                    <button type="button" className="app-link-button" onClick={() => navigate({ name: 'agreement', agreementId: a.id })}>
                      {kindLabel(a.kind)}, version {a.version}
                    </button>
                  ),
                },
                { header: 'Status', cell: (a) => <StatusTag status={a.status} /> },
                { header: 'Signed', cell: (a) => (a.signedAt ? formatDate(a.signedAt.slice(0, 10)) : '') },
                { header: 'Review by', cell: (a) => (a.reviewDate ? formatDate(a.reviewDate) : '') },
                { header: 'Signatory', cell: (a) => a.signatory ?? '' },
              ]}
            />
          </section>
          <StartDraft organisations={organisations} />
        </>
      )}
    </>
  );
}

function Home({ overview, onChanged }: { overview: Overview; onChanged: () => void }) {
  const { call } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const toggle = async () => {
    const result = await call('agreements.setEnforcement', { enabled: !overview.enforced });
    if (!result.ok) return setError(result.error.message);
    setError(null);
    onChanged();
  };
  return (
    <>
      <section className="app-section" aria-labelledby="due-title">
        <h2 className="govuk-heading-m" id="due-title">
          Due for review in the next {REVIEW_WINDOW_DAYS} days
        </h2>
        {overview.dueForReview.length === 0 ? (
          <p className="govuk-body" data-testid="due-none">
            Nothing is due for review.
          </p>
        ) : (
          <ul className="govuk-list" data-testid="due-list">
            {overview.dueForReview.map((a) => (
              <li key={a.id}>
                <button type="button" className="app-link-button" onClick={() => navigate({ name: 'agreement', agreementId: a.id })}>
                  {a.organisation}: {kindLabel(a.kind).toLowerCase()}
                </button>{' '}
                review by {formatDate(a.reviewDate)} <StatusTag status={a.status} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="app-section" aria-labelledby="missing-title">
        <h2 className="govuk-heading-m" id="missing-title">
          Organisations without a current agreement
        </h2>
        {overview.missing.length === 0 ? (
          <p className="govuk-body">Every member organisation has both agreements in force.</p>
        ) : (
          <ul className="govuk-list" data-testid="missing-list">
            {overview.missing.map((m) => (
              <li key={m.organisationId}>
                <strong>{m.organisation}</strong>
                {!m.statutory && (
                  <>
                    {' '}
                    <Tag colour="grey">Non-statutory</Tag>
                  </>
                )}
                : no current {m.kinds.map((k) => kindLabel(k).toLowerCase()).join(' or ')}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="app-section" aria-labelledby="enforce-title">
        <h2 className="govuk-heading-m" id="enforce-title">
          Access to case work
        </h2>
        {error && <ErrorSummary errors={{ 'enforce-button': error }} />}
        <p className="govuk-body" data-testid="enforcement">
          {overview.enforced
            ? 'Case and meeting work needs a current signed membership agreement, and case details also the information-sharing agreement. Organisations listed above are refused.'
            : 'Not yet enforced: anyone can work on cases whether or not their organisation has signed. Turn this on once the agreements are signed.'}
        </p>
        <Button id="enforce-button" variant={overview.enforced ? 'secondary' : 'primary'} onClick={() => void toggle()}>
          {overview.enforced ? 'Stop requiring agreements' : 'Require signed agreements'}
        </Button>
      </section>
    </>
  );
}

const DRAFT_LABELS: Labels = {
  organisationId: 'Organisation',
  kind: 'Agreement',
  groupName: 'Name of the group',
  partnerType: 'Kind of partner',
};

function StartDraft({ organisations }: { organisations: Organisation[] }) {
  const navigate = useNavigate();
  const [draft, setDraft] = useState({ organisationId: '', kind: 'membership' as AgreementKind, groupName: '', partnerType: '' });
  const form = useOperationForm('agreements.draft', { prefix: 'draft', labels: DRAFT_LABELS, fallback: 'organisationId' });
  const submit = form.onSubmit(async () => {
    const input = {
      organisationId: Number(draft.organisationId) || 0,
      kind: draft.kind,
      groupName: draft.groupName,
      partnerType: draft.partnerType || null,
    };
    const sent = await form.send(input);
    if (sent.ok) navigate({ name: 'agreement', agreementId: sent.value.agreement.id });
  });
  return (
    <form noValidate onSubmit={submit} className="app-inline-form" aria-labelledby="draft-title">
      <h2 className="govuk-heading-m" id="draft-title">
        Start a draft
      </h2>
      {form.summary}
      <Select
        {...form.field('organisationId')}
        label="Organisation"
        value={draft.organisationId}
        onChange={(organisationId) => setDraft({ ...draft, organisationId })}
        options={[{ value: '', label: 'Choose an organisation' }, ...organisations.map((o) => ({ value: String(o.id), label: o.name }))]}
      />
      <Select
        id="draft-kind"
        label="Agreement"
        value={draft.kind}
        onChange={(kind) => setDraft({ ...draft, kind })}
        options={AGREEMENT_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))}
      />
      <TextField
        {...form.field('groupName')}
        label="Name of the group"
        hint="As it appears in the agreement, for example Northfield Local Partnership Delivery Group"
        value={draft.groupName}
        onChange={(groupName) => setDraft({ ...draft, groupName })}
        width="full"
      />
      {draft.kind === 'membership' && (
        <Select
          id="draft-partnerType"
          label="Kind of partner"
          hint="Fills in the member expectations for this kind of partner; you can change them before signing"
          value={draft.partnerType}
          onChange={(partnerType) => setDraft({ ...draft, partnerType })}
          options={[{ value: '', label: 'None (fill in the expectations later)' }, ...PARTNER_TYPES]}
        />
      )}
      <Button type="submit" disabled={form.busy}>
        Start the draft
      </Button>
    </form>
  );
}
