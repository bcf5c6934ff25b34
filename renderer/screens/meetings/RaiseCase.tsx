// "Raise at a meeting" on the case profile: any partner may ask for a case to be discussed at an
// upcoming meeting, with the reason (meetings.raiseCase). The chair then sees it among the agenda's
// proposals, "raised by" that organisation; nothing goes on the agenda until the chair accepts it.
import { useEffect, useState } from 'react';
import type { MeetingSummary } from '../../../src/contract/ops/meetings.js';
import { MEETING_KIND_LABELS } from '../../../src/domain/meetings.js';
import { useSession } from '../../session.js';
import { Button } from '../../components/Button.js';
import { NotificationBanner } from '../../components/NotificationBanner.js';
import { Select, TextArea } from '../../components/form.js';
import { formatDate } from '../../lib/format.js';
import { useOperationForm } from '../../lib/use-operation-form.js';

const LABELS = { meetingId: 'Meeting', reason: 'Why the meeting should discuss this case' };

export function RaiseCase({ caseId }: { caseId: number }) {
  const { call } = useSession();
  const [meetings, setMeetings] = useState<MeetingSummary[] | null>(null);
  const [meetingId, setMeetingId] = useState('');
  const [reason, setReason] = useState('');
  const [raised, setRaised] = useState<{ message: string; n: number } | null>(null);
  const form = useOperationForm('meetings.raiseCase', { labels: LABELS, prefix: 'raise', fallback: 'meetingId' });

  useEffect(() => {
    let live = true;
    void call('meetings.list', { when: 'upcoming' }).then((r) => {
      if (!live || !r.ok) return;
      const open = r.value.meetings.filter((m) => m.status !== 'cancelled' && m.minutesStatus !== 'approved');
      setMeetings(open);
      setMeetingId((current) => current || (open[0] ? String(open[0].id) : ''));
    });
    return () => {
      live = false;
    };
  }, [call]);

  const submit = form.onSubmit(async () => {
    const sent = await form.send({ meetingId: Number(meetingId), caseId, reason });
    if (!sent.ok) return;
    const meeting = meetings?.find((m) => String(m.id) === meetingId);
    setReason('');
    setRaised((r) => ({
      message: `Raised for the meeting on ${meeting ? formatDate(meeting.date) : 'that date'}: it will be proposed for the agenda.`,
      n: (r?.n ?? 0) + 1,
    }));
  });

  if (!meetings) return null;
  return (
    <section className="app-section" aria-labelledby="raise-case-heading">
      <h3 className="govuk-heading-s" id="raise-case-heading">
        Raise this case at a meeting
      </h3>
      {raised && <NotificationBanner key={raised.n} type="success" heading={raised.message} id="raise-done" />}
      {meetings.length === 0 ? (
        <p className="govuk-body app-muted">No upcoming meeting to raise it at.</p>
      ) : (
        <>
          {form.summary}
          <form noValidate onSubmit={submit} aria-labelledby="raise-case-heading">
            <Select
              {...form.field('meetingId')}
              label={LABELS.meetingId}
              value={meetingId}
              onChange={setMeetingId}
              options={meetings.map((m) => ({
                value: String(m.id),
                label: `${formatDate(m.date)}: ${MEETING_KIND_LABELS[m.kind]}, ${m.area}`,
              }))}
            />
            <TextArea
              {...form.field('reason')}
              label={LABELS.reason}
              hint="The chair sees this beside the case when the agenda is proposed"
              rows={3}
              value={reason}
              onChange={setReason}
            />
            <Button type="submit" variant="secondary" disabled={form.busy}>
              Raise at the meeting
            </Button>
          </form>
        </>
      )}
    </section>
  );
}
