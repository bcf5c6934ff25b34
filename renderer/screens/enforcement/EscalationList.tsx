// Escalations across the partnership's cases: those awaiting an outcome or come back, by kind (Disruption
// Planning Meeting or Task and Finish Group), by the case's area and the date referred, each linked to its
// case. Closed-only cases are there only for those who may see them (the store filters; the tag says so).
import { useEffect, useState } from 'react';
import type { Escalation, EscalationListInput } from '../../../src/contract/ops/enforcement.js';
import { ESCALATION_KINDS, type EscalationKind } from '../../../src/domain/enforcement.js';
import { useNavigate } from '../../navigation.js';
import { Button } from '../../components/Button.js';
import { DateField, Select, TextField } from '../../components/form.js';
import { PageHeading } from '../../components/PageHeading.js';
import { Table } from '../../components/Table.js';
import { Tag } from '../../components/Tag.js';
import { formatDate } from '../../lib/format.js';
import { ESCALATION_LABELS } from '../../lib/labels.js';
import { useOperationForm } from '../../lib/use-operation-form.js';

type State = '' | 'open' | 'returned';

export function EscalationList() {
  const navigate = useNavigate();
  const [status, setStatus] = useState<State>('open');
  const [kind, setKind] = useState<EscalationKind | ''>('');
  const [area, setArea] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [rows, setRows] = useState<Escalation[] | null>(null);
  const form = useOperationForm('escalations.list', {
    prefix: 'esc',
    fallback: 'status',
    messages: { to: 'The end of the period must be on or after its start' },
  });

  const load = async () => {
    const filter: EscalationListInput = {
      ...(status ? { status } : {}),
      ...(kind ? { kind } : {}),
      ...(area.trim() ? { area: area.trim() } : {}),
      ...(from.trim() ? { from: from.trim() } : {}),
      ...(to.trim() ? { to: to.trim() } : {}),
    };
    const sent = await form.send(filter);
    if (sent.ok) setRows(sent.value.escalations);
  };
  // The first load only (awaiting an outcome); later ones follow the form's submit.
  const [first] = useState(() => load);
  useEffect(() => {
    void first();
  }, [first]);

  return (
    <>
      <PageHeading>Escalations</PageHeading>
      <p className="govuk-body">
        Cases referred to a Disruption Planning Meeting or a Task and Finish Group, across the partnership, newest first.
      </p>
      <form noValidate onSubmit={form.onSubmit(load)} aria-label="Filter escalations" className="app-filters">
        {form.summary}
        <Select
          {...form.field('status')}
          label="State"
          value={status}
          onChange={setStatus}
          options={[
            { value: '', label: 'Any' },
            { value: 'open', label: 'Awaiting an outcome' },
            { value: 'returned', label: 'Outcome come back' },
          ]}
        />
        <Select
          {...form.field('kind')}
          label="Referred to"
          value={kind}
          onChange={setKind}
          options={[{ value: '', label: 'Either' }, ...ESCALATION_KINDS.map((k) => ({ value: k, label: ESCALATION_LABELS[k] }))]}
        />
        <TextField {...form.field('area')} label="Area of the case" width="20" value={area} onChange={setArea} />
        <DateField {...form.field('from')} label="Referred from (optional)" value={from} onChange={setFrom} />
        <DateField {...form.field('to')} label="Referred up to (optional)" value={to} onChange={setTo} />
        <Button type="submit" variant="secondary" disabled={form.busy}>
          Show escalations
        </Button>
      </form>
      {!rows ? (
        <p className="govuk-body" role="status">
          {form.busy ? 'Loading escalations…' : ''}
        </p>
      ) : (
        <div aria-live="polite">
          <Table<Escalation>
            caption={`${rows.length} ${rows.length === 1 ? 'escalation' : 'escalations'}${rows.length === 500 ? ' (the newest 500: narrow the filter)' : ''}`}
            rows={rows}
            rowKey={(e) => e.id}
            empty="No escalations match."
            columns={[
              {
                header: 'Case',
                cell: (e) => (
                  <>
                    <button type="button" className="app-link-button" onClick={() => navigate({ name: 'case', caseId: e.case.id })}>
                      {e.case.reference}
                    </button>
                    {e.closedOnly && (
                      <>
                        {' '}
                        <Tag colour="purple">Closed meeting only</Tag>
                      </>
                    )}
                  </>
                ),
              },
              { header: 'Referred to', cell: (e) => ESCALATION_LABELS[e.kind] },
              { header: 'Referred', cell: (e) => `${formatDate(e.referredOn)} by ${e.referredBy.displayName}` },
              { header: 'Shared with', cell: (e) => e.recipients.join(', ') },
              {
                header: 'State',
                cell: (e) =>
                  e.returnedOn === null ? (
                    <Tag colour="orange">Awaiting outcome</Tag>
                  ) : (
                    <>
                      <Tag colour="green">Came back {formatDate(e.returnedOn)}</Tag> {e.outcome}
                    </>
                  ),
              },
            ]}
          />
        </div>
      )}
    </>
  );
}
