// The case profile's "Meetings and actions" section: the meetings that had the case on their agenda
// (removed items say so), the actions about it, and a way to raise it at an upcoming meeting. Its own component so the case profile needs one line.
import { MEETING_KIND_LABELS } from '../../../src/domain/meetings.js';
import { useNavigate } from '../../navigation.js';
import { Table } from '../../components/Table.js';
import { formatDate } from '../../lib/format.js';
import { useOperationResult } from '../../lib/use-operation-result.js';
import { ActionsTable } from './ActionsTable.js';
import { MinutesTag } from './shared.js';
import { RaiseCase } from './RaiseCase.js';

export function CaseMeetings({ caseId }: { caseId: number }) {
  const navigate = useNavigate();
  const { value, error } = useOperationResult('meetings.forCase', { caseId });
  const meetings = value?.meetings ?? null;
  const actions = value?.actions ?? [];

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
          <Table<(typeof meetings)[number]>
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
