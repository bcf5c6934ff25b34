// The case profile's "Community Triggers" section: the ASB Case Review applications linked to this case,
// each opening its trigger, and a way to log one for it (the form starts with the case's reference).
import type { Trigger } from '../../../src/contract/ops/enforcement.js';
import { useNavigate } from '../../navigation.js';
import { Button } from '../../components/Button.js';
import { Table } from '../../components/Table.js';
import { formatDate } from '../../lib/format.js';
import { useOperationResult } from '../../lib/use-operation-result.js';
import { StatusTag, testText } from './shared.js';

export function CaseTriggers({ caseId, reference }: { caseId: number; reference: string }) {
  const navigate = useNavigate();
  const { value, error } = useOperationResult('triggers.list', { caseId });
  const rows = value?.triggers ?? null;
  return (
    <section className="app-section" aria-labelledby="section-triggers">
      <h2 className="govuk-heading-m" id="section-triggers" tabIndex={-1}>
        Community Triggers
      </h2>
      {error ? (
        <p className="govuk-body app-muted">{error.message}</p>
      ) : !rows ? (
        <p className="govuk-body" role="status">
          Loading Community Triggers…
        </p>
      ) : (
        <Table<Trigger>
          caption={<span className="govuk-visually-hidden">Community Trigger applications about this case</span>}
          rows={rows}
          rowKey={(t) => t.id}
          empty="No Community Trigger application is linked to this case."
          columns={[
            {
              header: 'Application',
              cell: (t) => (
                <button type="button" className="app-link-button" onClick={() => navigate({ name: 'trigger', triggerId: t.id })}>
                  {formatDate(t.applicationDate)}: {t.applicant}
                </button>
              ),
            },
            { header: 'Threshold test', cell: (t) => testText(t.test, t.threshold) },
            { header: 'Status', cell: (t) => <StatusTag trigger={t} /> },
          ]}
        />
      )}
      <Button variant="secondary" onClick={() => navigate({ name: 'trigger-new', caseReference: reference })}>
        Log a Community Trigger for this case
      </Button>
    </section>
  );
}
