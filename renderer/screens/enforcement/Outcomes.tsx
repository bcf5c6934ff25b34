// The outcome indicators of the terms of reference for a period and area, month by month or by quarter,
// as a table (the board's figures), with a CSV of the same rows.
import { useState } from 'react';
import type { IndicatorRow } from '../../../src/contract/ops/enforcement.js';
import { INDICATOR_FIGURES, PERIOD_GRANULARITIES, type PeriodGranularity } from '../../../src/domain/enforcement.js';
import { BarChart } from '../../components/BarChart.js';
import { Button } from '../../components/Button.js';
import { DateField, Select, TextField } from '../../components/form.js';
import { PageHeading } from '../../components/PageHeading.js';
import { Table } from '../../components/Table.js';
import { useOperationForm } from '../../lib/use-operation-form.js';

const GRANULARITY_LABELS: Record<PeriodGranularity, string> = { month: 'By month', quarter: 'By quarter', whole: 'The whole period' };

const COLUMNS: readonly (readonly [keyof IndicatorRow, string])[] = INDICATOR_FIGURES;

const cell = (r: IndicatorRow, key: keyof IndicatorRow) => {
  const v = r[key];
  return v === null ? 'None closed' : typeof v === 'object' ? '' : String(v);
};

function toCsv(rows: readonly IndicatorRow[], head: { seq: number; hash: string } | null): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const lines = [['Period', ...COLUMNS.map(([, h]) => h)].map(quote).join(',')];
  for (const r of rows) lines.push([r.period, ...COLUMNS.map(([k]) => (r[k] === null ? '' : cell(r, k)))].map(quote).join(','));
  // The audit head at the time: `concordat audit verify --anchor SEQ:HASH` later proves it is still in the chain.
  const anchor = quote(`Audit log head at export: ${head ? `${head.seq}:${head.hash}` : 'empty log'}`);
  return `"OFFICIAL-SENSITIVE"\r\n${lines.join('\r\n')}\r\n${anchor}\r\n`;
}

export function Outcomes() {
  const year = new Date().getFullYear();
  const [from, setFrom] = useState(`${year}-01-01`);
  const [to, setTo] = useState(`${year}-12-31`);
  const [area, setArea] = useState('');
  const [granularity, setGranularity] = useState<PeriodGranularity>('quarter');
  const [rows, setRows] = useState<IndicatorRow[] | null>(null);
  const [head, setHead] = useState<{ seq: number; hash: string } | null>(null);
  const form = useOperationForm('outcomes.indicators', { prefix: 'outcomes', fallback: 'from' });

  const submit = form.onSubmit(async () => {
    const sent = await form.send({ from, to, granularity, ...(area.trim() ? { area: area.trim() } : {}) });
    if (sent.ok) {
      setRows([...sent.value.rows, sent.value.total]);
      setHead(sent.value.auditHead);
    }
  });

  const csvHref = rows ? `data:text/csv;charset=utf-8,${encodeURIComponent(toCsv(rows, head))}` : null;

  return (
    <>
      <PageHeading>Outcome indicators</PageHeading>
      <p className="govuk-body">
        The figures the terms of reference report to the ASB steering group monthly and to the partnership board quarterly.
      </p>
      <form noValidate onSubmit={submit} aria-label="Choose the period">
        {form.summary}
        <DateField {...form.field('from')} label="From" value={from} onChange={setFrom} />
        <DateField {...form.field('to')} label="To" value={to} onChange={setTo} />
        <TextField {...form.field('area')} label="Area (optional)" width="20" value={area} onChange={setArea} />
        <Select
          id="outcomes-granularity"
          label="Periods"
          value={granularity}
          onChange={setGranularity}
          options={PERIOD_GRANULARITIES.map((g) => ({ value: g, label: GRANULARITY_LABELS[g] }))}
        />
        <Button type="submit" disabled={form.busy}>
          Show the indicators
        </Button>
      </form>
      {rows && (
        <div aria-live="polite">
          <div className="app-table-scroll" tabIndex={0} role="region" aria-label="Outcome indicators, scrollable">
            <Table<IndicatorRow>
              caption="Outcome indicators"
              rows={rows}
              rowKey={(r) => r.period}
              columns={[
                { header: 'Period', cell: (r) => (r.period === 'total' ? 'Total' : r.period === 'whole' ? `${from} to ${to}` : r.period) },
                ...COLUMNS.map(([k, h]) => ({ header: h, cell: (r: IndicatorRow) => cell(r, k) })),
              ]}
            />
          </div>
          <Charts rows={rows.filter((r) => r.period !== 'total')} periodLabel={(p) => (p === 'whole' ? `${from} to ${to}` : p)} />
          {csvHref && (
            <p className="govuk-body">
              <a className="govuk-link" href={csvHref} download={`outcomes-${from}-to-${to}.csv`}>
                Download the figures as CSV (OFFICIAL-SENSITIVE)
              </a>
            </p>
          )}
        </div>
      )}
    </>
  );
}

/** The indicators as charts, period by period; each also opens as a table, and the full table is above. */
function Charts({ rows, periodLabel }: { rows: readonly IndicatorRow[]; periodLabel: (period: string) => string }) {
  const categories = rows.map((r) => periodLabel(r.period));
  const of = (key: keyof IndicatorRow) => rows.map((r) => r[key] as number | null);
  return (
    <>
      <h2 className="govuk-heading-m">Charts</h2>
      <div className="app-charts">
        <BarChart caption="Interventions" categories={categories} series={[{ name: 'Interventions', values: of('interventions') }]} />
        <BarChart
          caption="Cases resolved (% of cases closed)"
          categories={categories}
          unit="%"
          max={100}
          series={[{ name: 'Resolved', values: of('percentResolved') }]}
        />
        <BarChart
          caption="Partnership activities"
          categories={categories}
          series={[
            { name: 'Face the Public', values: of('faceThePublic') },
            { name: 'Community tension', values: of('communityTension') },
          ]}
        />
        <BarChart
          caption="Community Triggers"
          categories={categories}
          series={[
            { name: 'Received', values: of('triggersReceived') },
            { name: 'Threshold not met', values: of('triggersThresholdNotMet') },
            { name: 'Reviews held', values: of('triggerReviewsHeld') },
            { name: 'Reviews with recommendations', values: of('triggerReviewsWithRecommendations') },
          ]}
        />
      </div>
    </>
  );
}
