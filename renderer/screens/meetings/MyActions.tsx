// "My organisation's actions": every action owned by the signed-in user's organisation, from every
// meeting, with the overdue ones flagged; filtered by status and overdue.
import { useCallback, useEffect, useState } from 'react';
import type { ErrorShape } from '../../../src/contract/errors.js';
import type { MeetingAction } from '../../../src/contract/ops/meetings.js';
import { ACTION_STATUSES, ACTION_STATUS_LABELS, type ActionStatus } from '../../../src/domain/meetings.js';
import { useSession } from '../../session.js';
import { Button } from '../../components/Button.js';
import { Checkbox, Checkboxes } from '../../components/form.js';
import { PageHeading } from '../../components/PageHeading.js';
import { LoadRefusal } from '../RefusalMessage.js';
import { ActionsTable } from './ActionsTable.js';

export function MyActions() {
  const { call, user } = useSession();
  const [status, setStatus] = useState<ActionStatus[]>(['open', 'carried_over']);
  const [overdue, setOverdue] = useState(false);
  const [actions, setActions] = useState<MeetingAction[] | null>(null);
  const [total, setTotal] = useState(0);
  const [nextOffset, setNextOffset] = useState<number | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);

  const load = useCallback(
    async (offset: number) => {
      setError(null);
      const result = await call('actions.list', {
        mine: true,
        overdue,
        limit: 100,
        offset,
        ...(status.length ? { status: [...status].sort() } : {}),
      });
      if (!result.ok) return setError(result.error);
      setActions((before) => (offset === 0 ? result.value.actions : [...(before ?? []), ...result.value.actions]));
      setTotal(result.value.total);
      setNextOffset(result.value.nextOffset);
    },
    [call, overdue, status],
  );

  useEffect(() => {
    void load(0);
  }, [load]);

  return (
    <>
      <PageHeading caption={user.organisation}>My organisation's actions</PageHeading>
      <div className="app-filters" role="search" aria-label="Filter the actions">
        <Checkboxes
          id="my-actions-status"
          legend="Status"
          small
          inline
          values={status}
          onChange={setStatus}
          options={ACTION_STATUSES.map((s) => ({ value: s, label: ACTION_STATUS_LABELS[s] }))}
        />
        <Checkbox id="my-actions-overdue" label="Overdue only" checked={overdue} onChange={setOverdue} />
      </div>
      {error ? (
        <LoadRefusal error={error} reload={() => load(0)} />
      ) : !actions ? (
        <p className="govuk-body" role="status">
          Loading actions…
        </p>
      ) : (
        <>
          <p className="govuk-body app-result-count" role="status" data-testid="action-count">
            {total === 1 ? '1 action' : `${total.toLocaleString('en-GB')} actions`}
          </p>
          <ActionsTable
            caption={<span className="govuk-visually-hidden">Actions owned by {user.organisation}</span>}
            actions={actions}
            showMeeting
            empty="No actions match."
          />
          {nextOffset !== null && (
            <Button variant="secondary" onClick={() => void load(nextOffset)}>
              Show more actions
            </Button>
          )}
        </>
      )}
    </>
  );
}
