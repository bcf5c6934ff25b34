// One meeting: its heading and four tabs (details and attendance, agenda, minutes, actions). The page
// loads the whole meeting once (meetings.get, a consultation logged with the working context); each tab
// changes it through its own operations and hands back what changed.
import { useCallback, useEffect, useState } from 'react';
import type { ErrorShape } from '../../../src/contract/errors.js';
import type { MeetingDetail } from '../../../src/contract/ops/meetings.js';
import { useSession, userMayCall } from '../../session.js';
import { useNavigate, type MeetingTab } from '../../navigation.js';
import { NotificationBanner } from '../../components/NotificationBanner.js';
import { PageHeading } from '../../components/PageHeading.js';
import { Tag } from '../../components/Tag.js';
import { LoadRefusal } from '../RefusalMessage.js';
import { ClosedTag, MinutesTag, meetingTitle } from './shared.js';
import { Tabs } from './Tabs.js';
import { AttendanceTab } from './AttendanceTab.js';
import { AgendaTab } from './AgendaTab.js';
import { MinutesTab } from './MinutesTab.js';
import { ActionsTab } from './ActionsTab.js';
import { ExportTab } from './ExportTab.js';

export type MeetingUpdate = (patch: Partial<MeetingDetail> | ((m: MeetingDetail) => MeetingDetail), message?: string) => void;

const TABS: { id: MeetingTab; label: string }[] = [
  { id: 'details', label: 'Details and attendance' },
  { id: 'agenda', label: 'Agenda' },
  { id: 'minutes', label: 'Minutes' },
  { id: 'actions', label: 'Actions' },
];
/** Exporting is for the manager and statutory partners: the others do not see the tab. */
const EXPORT_TAB: { id: MeetingTab; label: string } = { id: 'export', label: 'Export' };

export function MeetingPage({ meetingId, tab: initialTab = 'details' }: { meetingId: number; tab?: MeetingTab | undefined }) {
  const { call, user } = useSession();
  const navigate = useNavigate();
  const [meeting, setMeeting] = useState<MeetingDetail | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [tab, setTab] = useState<MeetingTab>(initialTab);
  const [done, setDone] = useState<{ message: string; n: number } | null>(null);

  const load = useCallback(async () => {
    setError(null);
    const result = await call('meetings.get', { meetingId });
    if (result.ok) setMeeting(result.value.meeting);
    else setError(result.error);
  }, [call, meetingId]);

  useEffect(() => {
    void load();
  }, [load]);

  const update = useCallback<MeetingUpdate>((patch, message) => {
    setMeeting((m) => (m ? (typeof patch === 'function' ? patch(m) : { ...m, ...patch }) : m));
    if (message) setDone((d) => ({ message, n: (d?.n ?? 0) + 1 }));
  }, []);

  const back = (
    <p className="govuk-body">
      <button type="button" className="app-link-button app-back-link" onClick={() => navigate({ name: 'meetings' })}>
        Back to meetings
      </button>
    </p>
  );
  if (error) {
    return (
      <>
        {back}
        <PageHeading>Meeting</PageHeading>
        <LoadRefusal
          error={
            error.code === 'NOT_FOUND' ? { ...error, message: 'This meeting does not exist, or you do not have access to it.' } : error
          }
          reload={load}
        />
      </>
    );
  }
  if (!meeting)
    return (
      <>
        {back}
        <p className="govuk-body" role="status">
          Loading the meeting…
        </p>
      </>
    );

  return (
    <>
      {back}
      {done && <NotificationBanner key={done.n} type="success" heading={done.message} id="meeting-done" />}
      <PageHeading
        caption={
          <span className="app-meeting-tags">
            {meeting.status === 'cancelled' && <Tag colour="grey">Cancelled</Tag>}
            <ClosedTag closed={meeting.closed} />
            <MinutesTag status={meeting.minutes.status} />
          </span>
        }
      >
        {meetingTitle(meeting)}
      </PageHeading>
      <Tabs
        idPrefix="meeting"
        label="Meeting"
        tabs={userMayCall(user, 'minutes.export') ? [...TABS, EXPORT_TAB] : TABS}
        selected={tab}
        onSelect={setTab}
      >
        {tab === 'details' && <AttendanceTab meeting={meeting} update={update} reload={load} />}
        {tab === 'agenda' && <AgendaTab meeting={meeting} update={update} />}
        {tab === 'minutes' && <MinutesTab meeting={meeting} update={update} reload={load} />}
        {tab === 'actions' && <ActionsTab meeting={meeting} update={update} />}
        {tab === 'export' && <ExportTab meeting={meeting} />}
      </Tabs>
    </>
  );
}
