// Actions as a table, shared by the meeting's Actions tab, "My organisation's actions" and the case
// profile: what, about which case, who owns it, when it is due, its status (overdue flagged in words).
import type { ReactNode } from 'react';
import type { MeetingAction } from '../../../src/contract/ops/meetings.js';
import { FAILURE_REASON_LABELS } from '../../../src/domain/meetings.js';
import { useNavigate } from '../../navigation.js';
import { Table, type Column } from '../../components/Table.js';
import { Tag } from '../../components/Tag.js';
import { formatDate } from '../../lib/format.js';
import { ActionStatusTag } from './shared.js';

export function ActionsTable({
  caption,
  actions,
  showMeeting = false,
  showCase = true,
  tools,
  empty = 'No actions.',
}: {
  caption: ReactNode;
  actions: readonly MeetingAction[];
  showMeeting?: boolean;
  showCase?: boolean;
  tools?: (action: MeetingAction) => ReactNode;
  empty?: ReactNode;
}) {
  const navigate = useNavigate();
  const columns: Column<MeetingAction>[] = [
    {
      header: 'Action',
      cell: (a) => (
        <>
          <span className="app-prose">{a.description}</span>
          {a.closedOnly && (
            <>
              {' '}
              <Tag colour="purple">Closed meeting only</Tag>
            </>
          )}
        </>
      ),
    },
    ...(showCase
      ? [
          {
            header: 'Case',
            cell: (a: MeetingAction) =>
              a.case ? (
                <button type="button" className="app-link-button" onClick={() => navigate({ name: 'case', caseId: a.case!.id })}>
                  {a.case.reference}
                </button>
              ) : (
                'The meeting'
              ),
          },
        ]
      : []),
    {
      header: 'Owner',
      cell: (a) => (
        <>
          {a.ownerOrganisation.name}
          <br />
          <span className="app-muted">{a.officer}</span>
        </>
      ),
    },
    { header: 'Due', cell: (a) => formatDate(a.dueDate) },
    {
      header: 'Status',
      cell: (a) => (
        <>
          <ActionStatusTag status={a.status} overdue={a.overdue} />
          {a.failureReason && (
            <>
              <br />
              {FAILURE_REASON_LABELS[a.failureReason]}
            </>
          )}
          {a.reviews.length > 0 && (
            <>
              <br />
              <span className="app-muted">
                Last reviewed {formatDate(a.reviews.at(-1)!.meetingDate)}
                {a.reviews.at(-1)!.note && `: ${a.reviews.at(-1)!.note}`}
              </span>
            </>
          )}
        </>
      ),
    },
    ...(showMeeting
      ? [
          {
            header: 'Agreed at',
            cell: (a: MeetingAction) => (
              <button
                type="button"
                className="app-link-button"
                onClick={() => navigate({ name: 'meeting', meetingId: a.meetingId, tab: 'actions' })}
              >
                {a.area}, {formatDate(a.meetingDate)}
              </button>
            ),
          },
        ]
      : []),
    ...(tools ? [{ header: <span className="govuk-visually-hidden">Review</span>, cell: tools }] : []),
  ];
  return (
    <div className="app-table-scroll">
      <Table caption={caption} rows={actions} rowKey={(a) => a.id} columns={columns} empty={empty} />
    </div>
  );
}
