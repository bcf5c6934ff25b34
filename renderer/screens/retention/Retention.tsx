// Retention review (issue 19: 2), a manager's screen: the ended cases past their review date, each with why
// it is there and who follows it, a decision on one at a time, and the schedule that sets the dates.
import { useState } from 'react';
import type { OutputOf } from '../../../src/contract/operations.js';
import type { RetentionQueueItem } from '../../../src/contract/ops/retention.js';
import { RETENTION_ENDING_LABELS } from '../../../src/domain/retention.js';
import { Button } from '../../components/Button.js';
import { NotificationBanner } from '../../components/NotificationBanner.js';
import { PageHeading } from '../../components/PageHeading.js';
import { SummaryList } from '../../components/SummaryList.js';
import { formatDate } from '../../lib/format.js';
import { STATUS_LABELS } from '../../lib/labels.js';
import { useOperationResult } from '../../lib/use-operation-result.js';
import { useNavigate } from '../../navigation.js';
import { LoadRefusal } from '../RefusalMessage.js';
import { DecisionForm } from './DecisionForm.js';
import { ScheduleEditor } from './ScheduleEditor.js';

type Decided = OutputOf<'retention.decide'>;

export function Retention() {
  const queue = useOperationResult('retention.queue', {});
  const [deciding, setDeciding] = useState<RetentionQueueItem | null>(null);
  const [decided, setDecided] = useState<{ reference: string; result: Decided } | null>(null);

  const onDecided = async (item: RetentionQueueItem, result: Decided) => {
    setDeciding(null);
    await queue.reload();
    setDecided({ reference: item.reference, result });
  };

  return (
    <>
      <PageHeading caption="Store">Retention review</PageHeading>
      <p className="govuk-body">
        Ended cases come up for review on the date the schedule sets. For each, decide to keep it (with a reason and the next review date),
        pseudonymise it (names, dates of birth, addresses and contact details replaced; the figures kept for the outcome indicators), or
        erase it. The people on a case follow it when no other live case needs them.
      </p>
      {decided && <DecidedBanner reference={decided.reference} result={decided.result} />}
      {deciding ? (
        <DecisionForm item={deciding} onDecided={(result) => void onDecided(deciding, result)} onCancel={() => setDeciding(null)} />
      ) : (
        <>
          <h2 className="govuk-heading-m" id="queue-title">
            Due for review
          </h2>
          {queue.error && <LoadRefusal error={queue.error} reload={queue.reload} />}
          {queue.value && queue.value.items.length === 0 && (
            <p className="govuk-body" id="queue-empty">
              Nothing is due for review on {formatDate(queue.value.asOf)}.
            </p>
          )}
          {queue.value && queue.value.items.length > 0 && (
            <ul className="govuk-list" aria-labelledby="queue-title">
              {queue.value.items.map((item) => (
                <QueueItem
                  key={item.caseId}
                  item={item}
                  onDecide={() => {
                    setDecided(null);
                    setDeciding(item);
                  }}
                />
              ))}
            </ul>
          )}
          <ScheduleEditor onSaved={() => void queue.reload()} />
        </>
      )}
    </>
  );
}

function QueueItem({ item, onDecide }: { item: RetentionQueueItem; onDecide: () => void }) {
  const navigate = useNavigate();
  const titleId = `queue-${item.caseId}-title`;
  return (
    <li className="govuk-!-margin-bottom-6">
      <section aria-labelledby={titleId}>
        <h3 className="govuk-heading-s" id={titleId}>
          {item.reference}: {RETENTION_ENDING_LABELS[item.ending]}
          {item.basis === 'erasure_pending' && ' (erasure pending)'}
        </h3>
        <SummaryList
          rows={[
            { key: 'Why it is here', value: item.reason },
            { key: 'Area', value: item.area },
            { key: 'Ended', value: formatDate(item.endedOn) },
            { key: 'Due', value: formatDate(item.dueOn) },
            ...(item.keptReason ? [{ key: 'Kept last time because', value: item.keptReason }] : []),
            {
              key: 'People',
              value:
                item.people.length === 0 ? (
                  'None'
                ) : (
                  <ul className="govuk-list">
                    {item.people.map((p) => (
                      <li key={p.personId}>
                        {p.name}:{' '}
                        {p.follows
                          ? 'follows this case'
                          : `stays identified: also on ${p.alsoOn.map((c) => `${c.reference} (${STATUS_LABELS[c.status].toLowerCase()})`).join(', ')}`}
                      </li>
                    ))}
                  </ul>
                ),
            },
          ]}
        />
        <div className="govuk-button-group">
          <Button onClick={onDecide} aria-describedby={titleId}>
            Decide on {item.reference}
          </Button>
          <Button variant="secondary" onClick={() => navigate({ name: 'case', caseId: item.caseId })} aria-describedby={titleId}>
            Open {item.reference}
          </Button>
          {item.basis === 'erasure_pending' && (
            <Button variant="warning" onClick={() => navigate({ name: 'case-erase', caseId: item.caseId })} aria-describedby={titleId}>
              Erase {item.reference}
            </Button>
          )}
        </div>
      </section>
    </li>
  );
}

function DecidedBanner({ reference, result }: { reference: string; result: Decided }) {
  const heading =
    result.decision === 'keep'
      ? `${reference} is kept until ${formatDate(result.reviewOn)}`
      : result.decision === 'pseudonymise'
        ? `${reference} has been pseudonymised`
        : `Erasure of ${reference} recorded: pending`;
  return (
    <NotificationBanner type="success" id="retention-decided" focus heading={heading}>
      {result.decision === 'pseudonymise' && (
        <p className="govuk-body">
          {result.textsRedacted === 0 ? 'No text held an identifier' : `${result.textsRedacted} pieces of text redacted`};{' '}
          {result.people
            .map((p) => (p.treatment === 'in_place' ? 'a person pseudonymised' : 'a person replaced by a stand-in'))
            .join(', ') || 'no people on the case'}
          .
        </p>
      )}
      {result.decision === 'erase' && (
        <p className="govuk-body">
          The case stays in the queue as erasure pending until it is erased: use “Erase” beside it in the queue, or on the case page.
        </p>
      )}
    </NotificationBanner>
  );
}
