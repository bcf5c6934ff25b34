import type { ReactNode } from 'react';

export interface SummaryRow {
  key: ReactNode;
  value: ReactNode;
  action?: ReactNode;
}

export function SummaryList({ rows, compact = true }: { rows: readonly SummaryRow[]; compact?: boolean }) {
  return (
    <dl
      className={['govuk-summary-list', compact ? 'govuk-summary-list--no-border app-summary-list--compact' : ''].filter(Boolean).join(' ')}
    >
      {rows.map((row, i) => (
        <div className="govuk-summary-list__row" key={i}>
          <dt className="govuk-summary-list__key">{row.key}</dt>
          <dd className="govuk-summary-list__value">{row.value}</dd>
          {row.action !== undefined && <dd className="govuk-summary-list__actions">{row.action}</dd>}
        </div>
      ))}
    </dl>
  );
}
