// What the enforcement screens share: labels and the table of records.
import type { ReactNode } from 'react';
import type { Enforcement } from '../../../src/contract/ops/enforcement.js';
import { ENFORCEMENT_LABELS, ENFORCEMENT_TYPES, type EnforcementType } from '../../../src/domain/enforcement.js';
import { Table } from '../../components/Table.js';
import { Tag } from '../../components/Tag.js';
import { formatDate } from '../../lib/format.js';

export const TYPE_OPTIONS = ENFORCEMENT_TYPES.map((t) => ({ value: t, label: ENFORCEMENT_LABELS[t] }));

export function typeLabel(e: Pick<Enforcement, 'type' | 'powerOfArrest'>): string {
  return `${ENFORCEMENT_LABELS[e.type as EnforcementType]}${e.powerOfArrest ? ' (with power of arrest)' : ''}`;
}

export function EnforcementTable({
  caption,
  rows,
  showCase,
  empty,
}: {
  caption: ReactNode;
  rows: readonly Enforcement[];
  showCase: boolean;
  empty: string;
}) {
  return (
    <Table<Enforcement>
      caption={caption}
      rows={rows}
      rowKey={(e) => e.id}
      empty={empty}
      columns={[
        {
          header: 'Tool',
          cell: (e) => (
            <>
              {typeLabel(e)}
              {e.closedOnly && (
                <>
                  {' '}
                  <Tag colour="purple">Closed meeting only</Tag>
                </>
              )}
            </>
          ),
        },
        ...(showCase
          ? [{ header: 'Case or place', cell: (e: Enforcement) => e.case?.reference ?? `${e.location ?? ''} (${e.area})` }]
          : []),
        { header: 'Stage', cell: (e) => e.stage },
        { header: 'By', cell: (e) => e.organisation.name },
        { header: 'Issued', cell: (e) => formatDate(e.issued) },
        { header: 'Served', cell: (e) => formatDate(e.served) },
        { header: 'Expires', cell: (e) => formatDate(e.expiry) },
        {
          header: 'Breaches',
          cell: (e) => (e.breaches.length === 0 ? 'None' : e.breaches.map((b) => `${formatDate(b.date)}: ${b.actionTaken}`).join('; ')),
        },
      ]}
    />
  );
}
