import type { ReactNode } from 'react';

export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  numeric?: boolean;
  className?: string;
}

export function Table<T>({
  caption,
  columns,
  rows,
  rowKey,
  empty = 'Nothing to show.',
}: {
  caption: ReactNode;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string | number;
  empty?: ReactNode;
}) {
  return (
    <table className="govuk-table app-table">
      <caption className="govuk-table__caption govuk-table__caption--s">{caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          {columns.map((c, i) => (
            <th
              scope="col"
              key={i}
              className={['govuk-table__header', c.numeric ? 'govuk-table__header--numeric' : '', c.className ?? ''].join(' ')}
            >
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {rows.length === 0 ? (
          <tr className="govuk-table__row">
            <td className="govuk-table__cell" colSpan={columns.length}>
              {empty}
            </td>
          </tr>
        ) : (
          rows.map((row) => (
            <tr className="govuk-table__row" key={rowKey(row)}>
              {columns.map((c, i) => (
                <td key={i} className={['govuk-table__cell', c.numeric ? 'govuk-table__cell--numeric' : '', c.className ?? ''].join(' ')}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
