// The retention schedule: months after a case ended before it comes up for review, per way it ended.
import { useEffect, useState } from 'react';
import { RETENTION_ENDING_LABELS, RETENTION_ENDINGS, type RetentionEnding } from '../../../src/domain/retention.js';
import { Button } from '../../components/Button.js';
import { TextField } from '../../components/form.js';
import { NotificationBanner } from '../../components/NotificationBanner.js';
import { formatDateTime } from '../../lib/format.js';
import { useOperationForm } from '../../lib/use-operation-form.js';
import { useOperationResult } from '../../lib/use-operation-result.js';
import { LoadRefusal } from '../RefusalMessage.js';

const idOf = (ending: RetentionEnding) => `months-${ending.replace(/_/g, '-')}`;

export function ScheduleEditor({ onSaved }: { onSaved: () => void }) {
  const schedule = useOperationResult('retention.schedule', {});
  const [months, setMonths] = useState<Record<RetentionEnding, string> | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (schedule.value)
      setMonths(Object.fromEntries(schedule.value.rules.map((r) => [r.ending, String(r.months)])) as Record<RetentionEnding, string>);
  }, [schedule.value]);
  const form = useOperationForm('retention.updateSchedule', {
    labels: Object.fromEntries(RETENTION_ENDINGS.map((e, i) => [`rules.${i}.months`, `${RETENTION_ENDING_LABELS[e]}: months`])),
    ids: Object.fromEntries(RETENTION_ENDINGS.map((e, i) => [`rules.${i}.months`, idOf(e)])),
    fallback: `rules.0.months`,
  });

  const submit = form.onSubmit(async () => {
    if (!months) return;
    setSaved(false);
    const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);
    const sent = await form.send(
      { rules: RETENTION_ENDINGS.map((ending) => ({ recordType: 'case' as const, ending, months: whole(months[ending]) })) },
      Object.fromEntries(
        RETENTION_ENDINGS.map((e, i) => [
          `rules.${i}.months`,
          /^\d+$/.test(months[e].trim()) ? undefined : 'Enter a whole number of months',
        ]),
      ),
    );
    if (sent.ok) {
      setSaved(true);
      await schedule.reload();
      onSaved();
    }
  });

  const updated = schedule.value?.rules.filter((r) => r.updatedAt !== null) ?? [];
  return (
    <form noValidate onSubmit={submit} aria-labelledby="schedule-title">
      <h2 className="govuk-heading-m" id="schedule-title">
        Retention schedule
      </h2>
      <p className="govuk-body">
        The months after a case ended (closed or declined) before it comes up for review. The agreed default is 12.
      </p>
      {saved && <NotificationBanner type="success" heading="Retention schedule saved" focus id="schedule-saved" />}
      {schedule.error && <LoadRefusal error={schedule.error} reload={schedule.reload} />}
      {form.summary}
      {months &&
        RETENTION_ENDINGS.map((ending) => (
          <TextField
            key={ending}
            id={idOf(ending)}
            label={`${RETENTION_ENDING_LABELS[ending]}: months`}
            inputMode="numeric"
            width="3"
            value={months[ending]}
            onChange={(value) => setMonths({ ...months, [ending]: value })}
            error={form.errors[idOf(ending)]}
          />
        ))}
      {updated.length > 0 && (
        <p className="govuk-body-s">
          Last changed{' '}
          {formatDateTime(
            updated
              .map((r) => r.updatedAt!)
              .sort()
              .at(-1)!,
          )}{' '}
          by {updated.sort((a, b) => a.updatedAt!.localeCompare(b.updatedAt!)).at(-1)!.updatedBy?.displayName}.
        </p>
      )}
      <Button type="submit" variant="secondary" disabled={form.busy || !months}>
        Save schedule
      </Button>
    </form>
  );
}
