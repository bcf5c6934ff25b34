// The meetings list: upcoming (soonest first), past (latest first) or all, by area and kind. Each meeting
// opens its page; statutory partners and the manager can schedule one.
import { useCallback, useEffect, useState } from 'react';
import type { ErrorShape } from '../../../src/contract/errors.js';
import type { MeetingSummary } from '../../../src/contract/ops/meetings.js';
import { MEETING_KINDS, MEETING_KIND_LABELS, type MeetingKind } from '../../../src/domain/meetings.js';
import { userMayCall, useSession } from '../../session.js';
import { useNavigate } from '../../navigation.js';
import { Button } from '../../components/Button.js';
import { Radios, Select, TextField } from '../../components/form.js';
import { PageHeading } from '../../components/PageHeading.js';
import { Table } from '../../components/Table.js';
import { Tag } from '../../components/Tag.js';
import { formatDate } from '../../lib/format.js';
import { LoadRefusal } from '../RefusalMessage.js';
import { ClosedTag, MinutesTag, timeRange, whereText } from './shared.js';

type When = 'upcoming' | 'past' | 'all';
export interface MeetingListState {
  when: When;
  area: string;
  kind: MeetingKind | '';
}
const PAGE = 50;

export function MeetingList({ state, onState }: { state: MeetingListState; onState: (next: MeetingListState) => void }) {
  const { call, user } = useSession();
  const navigate = useNavigate();
  const [meetings, setMeetings] = useState<MeetingSummary[] | null>(null);
  const [total, setTotal] = useState(0);
  const [nextOffset, setNextOffset] = useState<number | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [area, setArea] = useState(state.area);

  useEffect(() => {
    const timer = setTimeout(() => {
      if (area !== state.area) onState({ ...state, area });
    }, 150);
    return () => clearTimeout(timer);
  }, [area, state, onState]);

  const load = useCallback(
    async (offset: number) => {
      setError(null);
      const result = await call('meetings.list', {
        when: state.when,
        limit: PAGE,
        offset,
        ...(state.area.trim() ? { area: state.area.trim() } : {}),
        ...(state.kind ? { kind: state.kind } : {}),
      });
      if (!result.ok) return setError(result.error);
      setMeetings((before) => (offset === 0 ? result.value.meetings : [...(before ?? []), ...result.value.meetings]));
      setTotal(result.value.total);
      setNextOffset(result.value.nextOffset);
    },
    [call, state.when, state.area, state.kind],
  );

  useEffect(() => {
    void load(0);
  }, [load]);

  return (
    <>
      <div className="app-heading-row">
        <PageHeading>Meetings</PageHeading>
        {userMayCall(user, 'meetings.schedule') && (
          <Button variant="secondary" onClick={() => navigate({ name: 'meeting-new' })}>
            Schedule a meeting
          </Button>
        )}
      </div>
      <div className="app-filters" role="search" aria-label="Filter meetings">
        <Radios
          id="meetings-when"
          legend="Show"
          inline
          small
          value={state.when}
          onChange={(when) => onState({ ...state, when })}
          options={[
            { value: 'upcoming', label: 'Upcoming' },
            { value: 'past', label: 'Past' },
            { value: 'all', label: 'All' },
          ]}
        />
        <TextField id="meetings-area" label="Area" width="10" value={area} onChange={setArea} />
        <Select
          id="meetings-kind"
          label="Kind"
          value={state.kind}
          onChange={(kind) => onState({ ...state, kind })}
          options={[{ value: '', label: 'People and Place' }, ...MEETING_KINDS.map((k) => ({ value: k, label: MEETING_KIND_LABELS[k] }))]}
        />
      </div>
      {error ? (
        <LoadRefusal error={error} reload={() => load(0)} />
      ) : !meetings ? (
        <p className="govuk-body" role="status">
          Loading meetings…
        </p>
      ) : (
        <>
          <p className="govuk-body app-result-count" role="status" data-testid="meeting-count">
            {total === 1 ? '1 meeting' : `${total.toLocaleString('en-GB')} meetings`}
          </p>
          <Table<MeetingSummary>
            caption={
              <span className="govuk-visually-hidden">Meetings, {state.when === 'upcoming' ? 'soonest first' : 'latest first'}</span>
            }
            rows={meetings}
            rowKey={(m) => m.id}
            empty={state.when === 'upcoming' ? 'No meetings are scheduled.' : 'No meetings match.'}
            columns={[
              {
                header: 'Date',
                cell: (m) => (
                  <button type="button" className="app-link-button" onClick={() => navigate({ name: 'meeting', meetingId: m.id })}>
                    {formatDate(m.date)}
                    <span className="govuk-visually-hidden">
                      : {MEETING_KIND_LABELS[m.kind]}, {m.area}
                    </span>
                  </button>
                ),
              },
              { header: 'Time', cell: (m) => timeRange(m) },
              {
                header: 'Kind',
                cell: (m) => (
                  <>
                    {MEETING_KIND_LABELS[m.kind]} <ClosedTag closed={m.closed} />
                  </>
                ),
              },
              { header: 'Area', cell: (m) => m.area },
              { header: 'Where', cell: (m) => whereText(m) },
              { header: 'Chair', cell: (m) => m.chair.displayName },
              { header: 'Items', cell: (m) => String(m.agendaItems), numeric: true },
              {
                header: 'Minutes',
                cell: (m) => (m.status === 'cancelled' ? <Tag colour="grey">Cancelled</Tag> : <MinutesTag status={m.minutesStatus} />),
              },
            ]}
          />
          {nextOffset !== null && (
            <Button variant="secondary" onClick={() => void load(nextOffset)}>
              Show more meetings
            </Button>
          )}
        </>
      )}
    </>
  );
}
