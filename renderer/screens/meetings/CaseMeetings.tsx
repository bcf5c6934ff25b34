// The case profile's "Meetings and actions" section: the meetings that had the case on their agenda
// (removed items say so), the actions about it, and a way to raise it at an upcoming meeting. Its own component so the case profile needs one line.
import { useCallback, useEffect, useState } from 'react';
import type { ErrorShape } from '../../../src/contract/errors.js';
import type { MeetingAction, MeetingSummary } from '../../../src/contract/ops/meetings.js';
import { MEETING_KIND_LABELS } from '../../../src/domain/meetings.js';
import { useSession } from '../../session.js';
import { useNavigate } from '../../navigation.js';
import { Table } from '../../components/Table.js';
import { formatDate } from '../../lib/format.js';
import { ActionsTable } from './ActionsTable.js';
import { MinutesTag } from './shared.js';
import { RaiseCase } from './RaiseCase.js';

type CaseMeeting = MeetingSummary & { agendaItemId: number; itemRemoved: boolean };

export function CaseMeetings({ caseId }: { caseId: number }) {
  const { call } = useSession();
  const navigate = useNavigate();
  const [meetings, setMeetings] = useState<CaseMeeting[] | null>(null);
  const [actions, setActions] = useState<MeetingAction[]>([]);
  const [error, setError] = useState<ErrorShape | null>(null);

  const load = useCallback(async () => {
    const result = await call('meetings.forCase', { caseId });
    if (!result.ok) return setError(result.error);
    setMeetings(result.value.meetings);
    setActions(result.value.actions);
  }, [call, caseId]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="app-section" aria-labelledby="section-meetings-and-actions">
      <h2 className="govuk-heading-m" id="section-meetings-and-actions" tabIndex={-1}>
        Meetings and actions
      </h2>
      {error ? (
        <p className="govuk-body app-muted">{error.message}</p>
      ) : !meetings ? (
        <p className="govuk-body" role="status">
          Loading meetings…
        </p>
      ) : (
        <>
          <Table<CaseMeeting>
            caption={<span className="govuk-visually-hidden">Meetings that discussed this case</span>}
            rows={meetings}
            rowKey={(m) => m.id}
            empty="Not on any meeting's agenda yet."
            columns={[
              {
                header: 'Meeting',
                cell: (m) => (
                  <button
                    type="button"
                    className="app-link-button"
                    onClick={() => navigate({ name: 'meeting', meetingId: m.id, tab: 'minutes' })}
                  >
                    {formatDate(m.date)}
                    <span className="govuk-visually-hidden">
                      : {MEETING_KIND_LABELS[m.kind]}, {m.area}
                    </span>
                  </button>
                ),
              },
              { header: 'Kind', cell: (m) => `${MEETING_KIND_LABELS[m.kind]}, ${m.area}` },
              { header: 'On the agenda', cell: (m) => (m.itemRemoved ? 'Removed' : 'Yes') },
              { header: 'Minutes', cell: (m) => <MinutesTag status={m.minutesStatus} /> },
            ]}
          />
          <ActionsTable
            caption={<span className="govuk-visually-hidden">Actions about this case</span>}
            actions={actions}
            showCase={false}
            showMeeting
            empty="No actions about this case."
          />
          <RaiseCase caseId={caseId} />
        </>
      )}
    </section>
  );
}
