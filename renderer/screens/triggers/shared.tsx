// What the Community Trigger screens share: the words for the threshold test, the status tag and the table of applications.
import type { ReactNode } from 'react';
import type { Trigger } from '../../../src/contract/ops/enforcement.js';
import { DEFAULT_TRIGGER_THRESHOLD, type TriggerTest, type TriggerThreshold } from '../../../src/domain/enforcement.js';
import { Table } from '../../components/Table.js';
import { Tag } from '../../components/Tag.js';
import { useNavigate } from '../../navigation.js';
import { formatDate, TRIGGER_STATUS_COLOURS } from '../../lib/format.js';
import { TRIGGER_STATUS_LABELS } from '../../lib/labels.js';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function thresholdText(t: TriggerThreshold): string {
  const usual = t.complaints === DEFAULT_TRIGGER_THRESHOLD.complaints && t.windowDays === DEFAULT_TRIGGER_THRESHOLD.windowDays;
  return `${plural(t.complaints, 'complaint', 'complaints')} within ${t.windowDays} days of the application${usual ? ' (the usual three in six months)' : ''}`;
}

/** The test's result in a sentence: met by the count, by the local test of persistent harm, or not met. */
export function testText(test: TriggerTest, threshold: TriggerThreshold): string {
  const counted = `${plural(test.qualifyingComplaints, 'qualifying complaint', 'qualifying complaints')} of ${threshold.complaints} needed`;
  if (test.complaintsMet) return `Met: ${counted}`;
  if (test.persistentHarm) return `Met by the local test of persistent harm (${counted})`;
  return `Not met: ${counted}, and no persistent harm recorded`;
}

export function StatusTag({ trigger }: { trigger: Pick<Trigger, 'status'> }) {
  return <Tag colour={TRIGGER_STATUS_COLOURS[trigger.status]}>{TRIGGER_STATUS_LABELS[trigger.status]}</Tag>;
}

/** Applications, each opening its trigger; the area column is left out where every row shares one (a case's). */
export function TriggerTable({
  rows,
  caption,
  empty,
  showArea,
}: {
  rows: Trigger[];
  caption: ReactNode;
  empty: string;
  showArea: boolean;
}) {
  const navigate = useNavigate();
  return (
    <Table<Trigger>
      caption={caption}
      rows={rows}
      rowKey={(t) => t.id}
      empty={empty}
      columns={[
        {
          header: 'Application',
          cell: (t) => (
            <button type="button" className="app-link-button" onClick={() => navigate({ name: 'trigger', triggerId: t.id })}>
              {formatDate(t.applicationDate)}: {t.applicant}
            </button>
          ),
        },
        ...(showArea ? [{ header: 'Area', cell: (t: Trigger) => t.area }] : []),
        { header: 'Threshold test', cell: (t) => testText(t.test, t.threshold) },
        { header: 'Status', cell: (t) => <StatusTag trigger={t} /> },
      ]}
    />
  );
}
