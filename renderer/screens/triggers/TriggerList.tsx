// The ASB Case Reviews (Community Triggers) of the partnership, newest first, optionally for one area,
// with where each has got to; a new application starts here.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ErrorShape } from '../../../src/contract/errors.js';
import type { Trigger } from '../../../src/contract/ops/enforcement.js';
import { useSession } from '../../session.js';
import { useNavigate } from '../../navigation.js';
import { Button } from '../../components/Button.js';
import { TextField } from '../../components/form.js';
import { PageHeading } from '../../components/PageHeading.js';
import { LoadRefusal } from '../RefusalMessage.js';
import { TriggerTable } from './shared.js';

export function TriggerList() {
  const { call } = useSession();
  const navigate = useNavigate();
  const [area, setArea] = useState('');
  const [rows, setRows] = useState<Trigger[] | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);

  const load = useCallback(async () => {
    const result = await call('triggers.list', area.trim() ? { area: area.trim() } : {});
    if (!result.ok) return setError(result.error);
    setError(null);
    setRows(result.value.triggers);
  }, [call, area]);
  // The first load only; later ones follow the filter's submit.
  const [first] = useState(() => load);
  useEffect(() => {
    void first();
  }, [first]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void load();
  };

  return (
    <>
      <div className="app-heading-row">
        <PageHeading caption="ASB Case Reviews">Community Triggers</PageHeading>
        <Button variant="secondary" onClick={() => navigate({ name: 'trigger-new' })}>
          Log an application
        </Button>
      </div>
      <form noValidate onSubmit={submit} aria-label="Filter Community Triggers" className="app-filters">
        <TextField id="triggers-area" label="Area" width="20" value={area} onChange={setArea} />
        <Button type="submit" variant="secondary">
          Show Community Triggers
        </Button>
      </form>
      {error ? (
        <LoadRefusal error={error} reload={load} />
      ) : !rows ? (
        <p className="govuk-body" role="status">
          Loading Community Triggers…
        </p>
      ) : (
        <div aria-live="polite">
          <TriggerTable
            caption={`${rows.length} ${rows.length === 1 ? 'application' : 'applications'}`}
            rows={rows}
            empty="No Community Trigger applications."
            showArea
          />
        </div>
      )}
    </>
  );
}
