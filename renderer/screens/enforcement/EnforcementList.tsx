// Enforcement across the partnership: what expires within N days, what has been breached, by tool and area.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ErrorShape } from '../../../src/contract/errors.js';
import type { Enforcement, EnforcementListInput } from '../../../src/contract/ops/enforcement.js';
import type { EnforcementType } from '../../../src/domain/enforcement.js';
import { useSession } from '../../session.js';
import { Button } from '../../components/Button.js';
import { Checkbox, Select, TextField } from '../../components/form.js';
import { PageHeading } from '../../components/PageHeading.js';
import { LoadRefusal } from '../RefusalMessage.js';
import { EnforcementTable, TYPE_OPTIONS } from './shared.js';

export function EnforcementList() {
  const { call } = useSession();
  const [days, setDays] = useState('30');
  const [expiringOnly, setExpiringOnly] = useState(true);
  const [breached, setBreached] = useState(false);
  const [type, setType] = useState<EnforcementType | ''>('');
  const [area, setArea] = useState('');
  const [rows, setRows] = useState<Enforcement[] | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [dayError, setDayError] = useState<string | undefined>();

  const load = useCallback(async () => {
    const n = Number(days);
    if (expiringOnly && (!/^\d+$/.test(days.trim()) || n > 3650)) return setDayError('Enter a number of days from 0 to 3650');
    setDayError(undefined);
    const filter: EnforcementListInput = {
      ...(expiringOnly ? { expiringWithinDays: n } : {}),
      ...(breached ? { breached: true } : {}),
      ...(type ? { type } : {}),
      ...(area.trim() ? { area: area.trim() } : {}),
    };
    const result = await call('enforcement.list', filter);
    if (!result.ok) return setError(result.error);
    setError(null);
    setRows(result.value.enforcement);
  }, [call, days, expiringOnly, breached, type, area]);
  // The first load only; later ones follow the form's submit.
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
      <PageHeading>Enforcement</PageHeading>
      <form noValidate onSubmit={submit} aria-label="Filter enforcement" className="app-filters">
        <Checkbox id="enf-expiring" label="Only those expiring soon" checked={expiringOnly} onChange={setExpiringOnly} />
        {expiringOnly && (
          <TextField
            id="enf-days"
            label="Expiring within (days)"
            width="4"
            inputMode="numeric"
            value={days}
            onChange={setDays}
            error={dayError}
          />
        )}
        <Checkbox id="enf-breached" label="Only those breached" checked={breached} onChange={setBreached} />
        <Select
          id="enf-filter-type"
          label="Tool"
          value={type}
          onChange={setType}
          options={[{ value: '', label: 'Any tool' }, ...TYPE_OPTIONS]}
        />
        <TextField id="enf-area" label="Area" width="20" value={area} onChange={setArea} />
        <Button type="submit" variant="secondary">
          Show enforcement
        </Button>
      </form>
      {error ? (
        <LoadRefusal error={error} reload={load} />
      ) : !rows ? (
        <p className="govuk-body" role="status">
          Loading enforcement…
        </p>
      ) : (
        <div aria-live="polite">
          <EnforcementTable
            caption={`${rows.length} ${rows.length === 1 ? 'record' : 'records'}`}
            rows={rows}
            showCase
            empty="No enforcement matches."
          />
        </div>
      )}
    </>
  );
}
