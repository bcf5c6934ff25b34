// The case profile's "Community Triggers" section: the ASB Case Review applications linked to this case,
// each opening its trigger, and a way to log one for it (the form starts with the case's reference).
import { useNavigate } from '../../navigation.js';
import { Button } from '../../components/Button.js';
import { useOperationResult } from '../../lib/use-operation-result.js';
import { TriggerTable } from './shared.js';

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
        <TriggerTable
          caption={<span className="govuk-visually-hidden">Community Trigger applications about this case</span>}
          rows={rows}
          empty="No Community Trigger application is linked to this case."
          showArea={false}
        />
      )}
      <Button variant="secondary" onClick={() => navigate({ name: 'trigger-new', caseReference: reference })}>
        Log a Community Trigger for this case
      </Button>
    </section>
  );
}
