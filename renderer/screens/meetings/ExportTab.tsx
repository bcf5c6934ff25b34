// Exporting the minutes for one audience: the automatic redactions listed with their context for review
// (each can be undone, and more added by selecting words in the text), then the export, a preview of
// the very file that was exported, and saving it. The export uses the reviewed set, and the disclosure
// entry stores the review with the file's SHA-256. While the export runs, a progress bar follows it
// (minutes.exportStatus, polled as the Backups screen polls backup.status) and its end is announced.
import { Suspense, lazy, useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorShape } from '../../../src/contract/errors.js';
import { AUDIENCES, AUDIENCE_LABELS, type Audience } from '../../../src/contract/audiences.js';
import type { MinutesExportJobView, ReviewText, ReviewedRedactionOutput } from '../../../src/contract/ops/exports.js';
import type { MeetingDetail } from '../../../src/contract/ops/meetings.js';
import { REASON_LABELS } from '../../../src/domain/redaction.js';
import { Button } from '../../components/Button.js';
import { NotificationBanner } from '../../components/NotificationBanner.js';
import { Checkbox, Radios, Select, TextArea } from '../../components/form.js';
import { base64Bytes, download } from '../../lib/download.js';
import { nonEmptyLines } from '../../lib/format.js';
import { useOperationForm } from '../../lib/use-operation-form.js';
import { useSession } from '../../session.js';
import { LoadRefusal } from '../RefusalMessage.js';
import { SmallButton, meetingTitle } from './shared.js';

const PdfPreview = lazy(() => import('../../components/PdfPreview.js'));

interface Review {
  undone: string[];
  added: { textId: string; start: number; end: number }[];
}
const NO_REVIEW: Review = { undone: [], added: [] };

interface Exported {
  audience: Audience;
  bytes: Uint8Array<ArrayBuffer>;
  sha256: string;
  redactions: number;
  fileName: string;
}

const AUDIENCE_OPTIONS = AUDIENCES.map((a) => ({ value: a, label: AUDIENCE_LABELS[a] }));

export function ExportTab({ meeting }: { meeting: MeetingDetail }) {
  const { call } = useSession();
  const [audience, setAudience] = useState<Audience>('open');
  const [review, setReview] = useState<Review>(NO_REVIEW);
  const [found, setFound] = useState<{ redactions: ReviewedRedactionOutput[]; texts: ReviewText[] } | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [exported, setExported] = useState<Exported | null>(null);

  /** Lists the redactions the audience's minutes would carry with this review, and keeps the review. */
  const apply = useCallback(
    async (next: Review, forAudience: Audience) => {
      const result = await call('minutes.redactions', { meetingId: meeting.id, audience: forAudience, review: next });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(null);
      setReview(next);
      setFound(result.value);
    },
    [call, meeting.id],
  );

  useEffect(() => {
    setFound(null);
    setExported(null);
    void apply(NO_REVIEW, audience);
  }, [apply, audience]);

  const toggle = (r: ReviewedRedactionOutput) => {
    setExported(null);
    if (r.reason === 'manual') {
      void apply({ ...review, added: review.added.filter((a) => `manual:${a.textId}@${a.start}-${a.end}` !== r.key) }, audience);
    } else {
      void apply({ ...review, undone: r.undone ? review.undone.filter((k) => k !== r.key) : [...review.undone, r.key] }, audience);
    }
  };

  return (
    <>
      <h2 className="govuk-heading-m">Export the minutes</h2>
      <p className="govuk-body">
        Each audience gets its own version of the minutes. Review what is redacted for the audience, then export: the export is recorded as
        a disclosure to the people you name, with the review and the file&apos;s SHA-256.
      </p>
      <Radios
        id="export-audience"
        legend="Who is the export for?"
        legendSize="s"
        value={audience}
        onChange={setAudience}
        options={AUDIENCE_OPTIONS}
      />
      {error && <LoadRefusal error={error} reload={() => apply(review, audience)} />}
      {!found && !error && (
        <p className="govuk-body" role="status">
          Finding the redactions…
        </p>
      )}
      {found && audience !== 'open' && (
        <p className="govuk-body" data-testid="no-review">
          {audience === 'closed'
            ? 'The closed version carries everything, for the statutory attendees of the closed meeting: nothing is redacted.'
            : 'The board version carries figures and outcome indicators only: no case row and no free text, so there is nothing to review.'}
        </p>
      )}
      {found && audience === 'open' && (
        <>
          <RedactionTable redactions={found.redactions} onToggle={toggle} />
          <AddRedaction
            meetingId={meeting.id}
            texts={found.texts}
            review={review}
            onAdded={(next, value) => {
              setExported(null);
              setReview(next);
              setFound(value);
            }}
          />
        </>
      )}
      {found && (
        <ExportForm
          meeting={meeting}
          audience={audience}
          review={review}
          redactionCount={found.redactions.filter((r) => !r.undone).length}
          onExported={setExported}
        />
      )}
      {exported && <ExportedFile exported={exported} title={`${meetingTitle(meeting)}, ${exported.audience} minutes`} />}
    </>
  );
}

function RedactionTable({
  redactions,
  onToggle,
}: {
  redactions: ReviewedRedactionOutput[];
  onToggle: (r: ReviewedRedactionOutput) => void;
}) {
  const kept = redactions.filter((r) => r.undone).length;
  return (
    <>
      <h3 className="govuk-heading-s" id="redactions-title">
        Redactions for the open audience
      </h3>
      <p className="govuk-body" role="status" data-testid="redaction-count">
        {redactions.length === 1 ? '1 redaction' : `${redactions.length} redactions`}
        {kept > 0 ? `, ${kept} undone` : ''}
      </p>
      {redactions.length > 0 && (
        <table className="govuk-table app-table app-redactions" aria-labelledby="redactions-title">
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Where
              </th>
              <th scope="col" className="govuk-table__header">
                In context
              </th>
              <th scope="col" className="govuk-table__header">
                What it is
              </th>
              <th scope="col" className="govuk-table__header">
                <span className="govuk-visually-hidden">Change</span>
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {redactions.map((r, i) => (
              <tr className="govuk-table__row" key={r.key} data-testid="redaction-row">
                <td className="govuk-table__cell">{r.where}</td>
                <td className="govuk-table__cell" id={`redaction-${i}-context`}>
                  …{r.before}
                  <mark className={r.undone ? 'app-redaction app-redaction--undone' : 'app-redaction'}>{r.match}</mark>
                  {r.after}…
                </td>
                <td className="govuk-table__cell">
                  {REASON_LABELS[r.reason]}
                  {r.subject ? ` (${r.subject})` : ''}
                  {r.undone ? <strong className="app-redaction__state">Not redacted</strong> : null}
                </td>
                <td className="govuk-table__cell">
                  <SmallButton onClick={() => onToggle(r)} describedBy={`redaction-${i}-context`}>
                    {r.reason === 'manual' ? 'Remove' : r.undone ? 'Redact again' : 'Undo'}
                    <span className="govuk-visually-hidden"> redaction {i + 1}</span>
                  </SmallButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** A redaction added by hand: the reviewer picks a text, selects words in it (mouse or Shift and the arrow keys), and redacts them. */
function AddRedaction({
  meetingId,
  texts,
  review,
  onAdded,
}: {
  meetingId: number;
  texts: ReviewText[];
  review: Review;
  onAdded: (next: Review, found: { redactions: ReviewedRedactionOutput[]; texts: ReviewText[] }) => void;
}) {
  const [textId, setTextId] = useState(texts[0]?.textId ?? '');
  const form = useOperationForm('minutes.redactions', {
    prefix: 'redact',
    groups: ['review.added'],
    ids: { 'review.added': 'redact-source' },
    messages: { 'review.added': 'Select the words to redact' },
    fallback: 'review.added',
  });
  const text = texts.find((t) => t.textId === textId) ?? texts[0];
  const submit = form.onSubmit(async () => {
    if (!text) return;
    const source = document.getElementById('redact-source') as HTMLTextAreaElement | null;
    let start = source?.selectionStart ?? 0;
    let end = source?.selectionEnd ?? 0;
    // A selection made with the keyboard often takes a space either side: the redaction covers the words.
    while (start < end && /\s/.test(text.text.charAt(start))) start += 1;
    while (end > start && /\s/.test(text.text.charAt(end - 1))) end -= 1;
    if (form.refuse({ 'review.added': start < end ? undefined : 'Select the words to redact in the text' })) return;
    const next: Review = { ...review, added: [...review.added, { textId: text.textId, start, end }] };
    const sent = await form.send({ meetingId, audience: 'open', review: next });
    if (sent.ok) {
      onAdded(next, sent.value);
      source?.setSelectionRange(0, 0);
    }
  });
  if (texts.length === 0) return null;
  return (
    <form noValidate onSubmit={submit} aria-labelledby="redact-title" className="app-redact-form">
      <h3 className="govuk-heading-s" id="redact-title">
        Add a redaction
      </h3>
      {form.summary}
      <Select
        id="redact-text"
        label="Text"
        value={text?.textId ?? ''}
        onChange={setTextId}
        options={texts.map((t) => ({ value: t.textId, label: t.where }))}
      />
      <TextArea
        id="redact-source"
        label="Select the words to redact"
        hint="Select with the mouse, or move with the arrow keys and hold Shift to select. The text cannot be changed here."
        value={text?.text ?? ''}
        // Not `readOnly`: Chromium moves no caret in a read-only textarea, so the keyboard could not select.
        // The value is held by React, so an edit is undone at once; assistive technology is told it is read-only.
        onChange={() => undefined}
        aria-readonly
        rows={5}
        error={form.errors['redact-source']}
      />
      <Button type="submit" variant="secondary" disabled={form.busy}>
        Redact the selected words
      </Button>
    </form>
  );
}

function ExportForm({
  meeting,
  audience,
  review,
  redactionCount,
  onExported,
}: {
  meeting: MeetingDetail;
  audience: Audience;
  review: Review;
  redactionCount: number;
  onExported: (exported: Exported) => void;
}) {
  const [recipients, setRecipients] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [running, setRunning] = useState(false);
  const [finished, setFinished] = useState<string | null>(null);
  const job = useExportProgress(running);
  const form = useOperationForm('minutes.export', {
    prefix: 'export',
    groups: ['recipients'],
    messages: { recipients: 'Enter who the minutes are for' },
    fallback: 'recipients',
  });
  const submit = form.onSubmit(async () => {
    setFinished(null);
    setRunning(true);
    const sent = await form.send(
      {
        meetingId: meeting.id,
        audience,
        review,
        recipients: nonEmptyLines(recipients),
      },
      { confirmed: audience === 'open' && !confirmed ? 'Confirm that you have reviewed the redactions' : undefined },
    );
    setRunning(false);
    if (!sent.ok) return;
    setFinished(`The ${audience} minutes are exported (${sent.value.bytes.toLocaleString('en-GB')} bytes): the preview follows.`);
    onExported({
      audience,
      bytes: base64Bytes(sent.value.pdfBase64),
      sha256: sent.value.sha256,
      redactions: sent.value.redactions,
      fileName: `minutes-${meeting.area}-${meeting.date}-${audience}.pdf`.replace(/[^A-Za-z0-9.-]+/g, '-'),
    });
  });
  return (
    <form noValidate onSubmit={submit} aria-labelledby="export-form-title">
      <h3 className="govuk-heading-s" id="export-form-title">
        Export
      </h3>
      {form.summary}
      <TextArea
        id="export-recipients"
        label="Who the minutes are for"
        hint="One name, role or group a line. They are printed on the title page and recorded in the audit log."
        value={recipients}
        onChange={setRecipients}
        rows={3}
        error={form.errors['export-recipients']}
      />
      {audience === 'open' && (
        <Checkbox
          id="export-confirmed"
          label={`I have reviewed the redactions: export with ${redactionCount === 1 ? '1 redaction' : `${redactionCount} redactions`}`}
          checked={confirmed}
          onChange={setConfirmed}
          error={form.errors['export-confirmed']}
        />
      )}
      <Button type="submit" disabled={form.busy}>
        {form.busy ? 'Exporting…' : 'Export and preview'}
      </Button>
      <ExportProgress running={running} job={job} finished={finished} />
    </form>
  );
}

const POLL_MS = 250;

/** The running export's state, polled while `running` (the export call itself answers only at the end). */
function useExportProgress(running: boolean): MinutesExportJobView | null {
  const { call } = useSession();
  const [job, setJob] = useState<MinutesExportJobView | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (!running) return;
    let stopped = false;
    setJob(null);
    const poll = async () => {
      const result = await call('minutes.exportStatus', {});
      if (stopped) return;
      if (result.ok) setJob(result.value);
      timer.current = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer.current) clearTimeout(timer.current);
    };
  }, [call, running]);
  return job;
}

/** A progress bar while the export runs, left full when it has finished; the end is announced. */
function ExportProgress({ running, job, finished }: { running: boolean; job: MinutesExportJobView | null; finished: string | null }) {
  const percent = finished ? 100 : job?.state === 'running' ? Math.round(job.progress * 100) : 0;
  const label = finished
    ? 'Export finished'
    : job?.state === 'running' && job.phase === 'pages'
      ? `Numbering the pages: ${percent}%`
      : job?.state === 'running' && job.phase === 'layout'
        ? `Laying out the pages: ${percent}%`
        : `Preparing the minutes: ${percent}%`;
  return (
    <div className="govuk-!-margin-top-4">
      {(running || finished) && (
        <>
          <label className="govuk-label" htmlFor="export-progress">
            {label}
          </label>
          <progress id="export-progress" className="app-progress" max={100} value={percent} />
        </>
      )}
      <div aria-live="polite" className="govuk-visually-hidden" data-testid="export-announcement">
        {finished ?? ''}
      </div>
    </div>
  );
}

function ExportedFile({ exported, title }: { exported: Exported; title: string }) {
  return (
    <section aria-labelledby="exported-banner-title">
      <NotificationBanner type="success" id="exported" heading={`Exported the ${exported.audience} minutes`} focus>
        <p className="govuk-body">
          {exported.redactions === 1 ? '1 redaction' : `${exported.redactions} redactions`}. SHA-256 of the file:{' '}
          <code className="app-code" data-testid="exported-sha256">
            {exported.sha256}
          </code>
        </p>
      </NotificationBanner>
      <h3 className="govuk-heading-s">Preview</h3>
      <Suspense
        fallback={
          <p className="govuk-body" role="status">
            Loading the preview…
          </p>
        }
      >
        <PdfPreview key={exported.sha256} bytes={exported.bytes} title={title} />
      </Suspense>
      <Button onClick={() => download(exported.fileName, exported.bytes, 'application/pdf')}>Save the PDF</Button>
    </section>
  );
}
