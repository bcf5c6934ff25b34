// The audit log for the manager: filter and page through it, prove the hash chain, export it as CSV for
// a named recipient (itself a logged disclosure), and acknowledge a tamper warning after investigating.
import { useCallback, useEffect, useState } from 'react';
import type { ErrorShape } from '../../src/contract/errors.js';
import { AUDIT_KINDS, type AuditKind } from '../../src/contract/audit-kinds.js';
import type { OutputOf } from '../../src/contract/operations.js';
import type { auditFilterSchema } from '../../src/contract/ops/audit.js';
import type { z } from 'zod';
import { userMayCall, useSession } from '../session.js';
import { Button, ButtonGroup } from '../components/Button.js';
import { Select, TextArea, TextField } from '../components/form.js';
import { NotificationBanner } from '../components/NotificationBanner.js';
import { PageHeading } from '../components/PageHeading.js';
import { Table } from '../components/Table.js';
import { Tag } from '../components/Tag.js';
import type { Problems } from '../lib/form-errors.js';
import { formatDateTime } from '../lib/format.js';
import { AUDIT_KIND_LABELS, AUDIT_OUTCOME_LABELS } from '../lib/labels.js';
import { useOperationForm } from '../lib/use-operation-form.js';
import { download } from '../lib/download.js';
import { LoadRefusal } from './RefusalMessage.js';

const PAGE = 50;
type Filter = z.input<typeof auditFilterSchema>;
type Entry = OutputOf<'audit.query'>['entries'][number];
type Verification = OutputOf<'audit.verify'>;

interface FilterForm {
  kind: AuditKind | '';
  outcome: 'ok' | 'refused' | '';
  username: string;
  entityType: string;
  from: string;
  to: string;
}
const EMPTY_FILTER: FilterForm = { kind: '', outcome: '', username: '', entityType: '', from: '', to: '' };

/** A calendar day typed as YYYY-MM-DD, as the instant its local day starts (or ends). */
function dayBoundary(day: string, end: boolean): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (end ? 1 : 0));
  if (end) d.setMilliseconds(-1);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The filter the form describes, and the dates it could not read (by field path). */
function toFilter(f: FilterForm): { filter: Filter; problems: Problems } {
  const problems: Record<string, string> = {};
  const filter: Filter = {};
  if (f.kind) filter.kind = f.kind;
  if (f.outcome) filter.outcome = f.outcome;
  if (f.username.trim()) filter.username = f.username.trim().toLowerCase();
  if (f.entityType.trim()) filter.entityType = f.entityType.trim();
  if (f.from.trim()) {
    const from = dayBoundary(f.from, false);
    if (from) filter.from = from;
    else problems['filter.from'] = 'From must be a date written YYYY-MM-DD';
  }
  if (f.to.trim()) {
    const to = dayBoundary(f.to, true);
    if (to) filter.to = to;
    else problems['filter.to'] = 'To must be a date written YYYY-MM-DD';
  }
  return { filter, problems };
}

export function AuditLog() {
  const { call, user, tamperWarning } = useSession();
  const [form, setForm] = useState<FilterForm>(EMPTY_FILTER);
  const [filter, setFilter] = useState<Filter>({});
  const [cursor, setCursor] = useState<(number | undefined)[]>([undefined]);
  const [page, setPage] = useState<{ entries: Entry[]; total: number; nextBeforeSeq: number | null } | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  // Applying the filters runs nothing: the query follows the filter. The form checks what it would send.
  const filters = useOperationForm('audit.query', {
    ids: { 'filter.from': 'audit-from', 'filter.to': 'audit-to', 'filter.username': 'audit-username', 'filter.entityType': 'audit-entity' },
    fallback: 'filter.from',
  });
  const verifying = useOperationForm('audit.verify', {
    fallback: 'verify',
    refusal: (refused) => {
      setError(refused);
      return {};
    },
  });
  const [verification, setVerification] = useState<Verification | null>(null);
  const [anchorText, setAnchorText] = useState('');
  const [anchorError, setAnchorError] = useState<string | undefined>(undefined);
  const [anchorResult, setAnchorResult] = useState<Verification['anchors'][number] | null>(null);
  const beforeSeq = cursor.at(-1);

  const load = useCallback(async () => {
    setError(null);
    const result = await call('audit.query', { filter, limit: PAGE, ...(beforeSeq === undefined ? {} : { beforeSeq }) });
    if (result.ok) setPage(result.value);
    else setError(result.error);
  }, [call, filter, beforeSeq]);
  useEffect(() => {
    void load();
  }, [load]);

  const apply = filters.onSubmit(() => {
    const { filter: next, problems } = toFilter(form);
    if (!filters.validate({ filter: next, limit: PAGE }, problems)) return;
    setFilter(next);
    setCursor([undefined]);
  });

  const verify = async () => {
    setVerification(null);
    const sent = await verifying.send({});
    if (sent.ok) setVerification(sent.value);
  };

  // A head as exports print it, "SEQ:HASH"; the same check as `concordat audit verify --anchor`.
  const checkAnchor = async (event: React.FormEvent) => {
    event.preventDefault();
    setAnchorResult(null);
    const match = /^\s*(?:Audit log head at export:\s*)?(\d+)\s*:\s*([0-9a-fA-F]{64})\s*$/.exec(anchorText);
    if (!match || Number(match[1]) < 1) {
      setAnchorError('Enter the head as printed on the export: its number, a colon, then the 64 letters and digits of its hash');
      return;
    }
    setAnchorError(undefined);
    const sent = await verifying.send({ anchors: [{ seq: Number(match[1]), hash: match[2]!.toLowerCase() }] });
    if (sent.ok) setAnchorResult(sent.value.anchors[0] ?? null);
  };

  const shownFrom = (cursor.length - 1) * PAGE + 1;
  return (
    <>
      <PageHeading>Audit log</PageHeading>
      <p className="govuk-body">
        Every view, change, export and unlock is recorded here with who did it, when and why. Entries cannot be changed or removed.
      </p>

      {tamperWarning && userMayCall(user, 'audit.acknowledgeTamper') && <AcknowledgeTamper />}

      <section className="app-section" aria-labelledby="verify-title">
        <h2 className="govuk-heading-m" id="verify-title">
          Check the log has not been altered
        </h2>
        {verification &&
          (verification.intact ? (
            <NotificationBanner type="success" id="verify-result" focus heading="The audit log is intact">
              <p className="govuk-body" data-testid="verify-result">
                All {verification.entries.toLocaleString('en-GB')} entries are linked by their hashes and match the checkpoint
                {verification.headSeq !== null ? `; the latest is number ${verification.headSeq.toLocaleString('en-GB')}` : ''}.
              </p>
            </NotificationBanner>
          ) : (
            <NotificationBanner id="verify-result" type="warning" focus heading="The audit log has been altered">
              <p className="govuk-body" data-testid="verify-result">
                The chain breaks at entry {verification.brokenAt}: {verification.reason}. Tell your information governance lead.
              </p>
            </NotificationBanner>
          ))}
        <Button variant="secondary" onClick={() => void verify()} disabled={verifying.busy}>
          {verifying.busy ? 'Verifying…' : 'Verify the audit log'}
        </Button>

        <form noValidate onSubmit={(event) => void checkAnchor(event)} aria-labelledby="anchor-title">
          <h3 className="govuk-heading-s" id="anchor-title">
            Check a head printed on an export
          </h3>
          {anchorResult &&
            (anchorResult.inChain ? (
              <NotificationBanner type="success" id="anchor-result" focus heading="That head is in the chain">
                <p className="govuk-body" data-testid="anchor-result">
                  Entry {anchorResult.seq.toLocaleString('en-GB')} still has the hash printed on the export: the log up to it has not been
                  rewritten or cut back since.
                </p>
              </NotificationBanner>
            ) : (
              <NotificationBanner type="warning" id="anchor-result" focus heading="That head is not in the chain">
                <p className="govuk-body" data-testid="anchor-result">
                  Entry {anchorResult.seq.toLocaleString('en-GB')} does not have the hash printed on the export: the log was rewritten, cut
                  back or restored from an older copy since. Tell your information governance lead.
                </p>
              </NotificationBanner>
            ))}
          <TextField
            id="anchor"
            label="Audit log head, as printed on an export"
            hint="As printed at the end of an exported CSV or PDF, for example 1234:9f86d0…"
            value={anchorText}
            onChange={setAnchorText}
            error={anchorError}
            width="full"
            spellCheck={false}
            autoComplete="off"
          />
          <Button type="submit" variant="secondary" disabled={verifying.busy}>
            Check this head
          </Button>
        </form>
      </section>

      <div className="app-case-list">
        <form noValidate onSubmit={apply} className="app-case-list__filters" aria-label="Filter the audit log">
          {filters.summary}
          <h2 className="govuk-heading-s">Filter</h2>
          <Select
            id="audit-kind"
            label="Kind"
            value={form.kind}
            onChange={(kind) => setForm({ ...form, kind })}
            options={[{ value: '' as const, label: 'Any kind' }, ...AUDIT_KINDS.map((k) => ({ value: k, label: AUDIT_KIND_LABELS[k] }))]}
          />
          <Select
            id="audit-outcome"
            label="Outcome"
            value={form.outcome}
            onChange={(outcome) => setForm({ ...form, outcome })}
            options={[
              { value: '' as const, label: 'Any outcome' },
              ...(['ok', 'refused'] as const).map((o) => ({ value: o, label: AUDIT_OUTCOME_LABELS[o] })),
            ]}
          />
          <TextField
            id="audit-username"
            label="User name"
            value={form.username}
            onChange={(username) => setForm({ ...form, username })}
            error={filters.errors['audit-username']}
            width="full"
          />
          <TextField
            id="audit-entity"
            label="Record type"
            hint="For example, case, person, user"
            value={form.entityType}
            onChange={(entityType) => setForm({ ...form, entityType })}
            error={filters.errors['audit-entity']}
            width="full"
          />
          <TextField
            id="audit-from"
            label="From"
            hint="YYYY-MM-DD"
            value={form.from}
            onChange={(from) => setForm({ ...form, from })}
            error={filters.errors['audit-from']}
            width="full"
          />
          <TextField
            id="audit-to"
            label="To"
            hint="YYYY-MM-DD"
            value={form.to}
            onChange={(to) => setForm({ ...form, to })}
            error={filters.errors['audit-to']}
            width="full"
          />
          <ButtonGroup>
            <Button type="submit" variant="secondary">
              Apply filters
            </Button>
            <Button
              variant="link"
              onClick={() => {
                setForm(EMPTY_FILTER);
                setFilter({});
                setCursor([undefined]);
                filters.clear();
              }}
            >
              Clear
            </Button>
          </ButtonGroup>
        </form>
        <div className="app-case-list__results">
          {error ? (
            <LoadRefusal error={error} reload={load} />
          ) : !page ? (
            <p className="govuk-body" role="status">
              Loading the audit log…
            </p>
          ) : (
            <>
              <p className="govuk-body" role="status" data-testid="audit-count">
                {page.total === 0
                  ? 'No entries match.'
                  : `Entries ${shownFrom.toLocaleString('en-GB')} to ${(shownFrom + page.entries.length - 1).toLocaleString('en-GB')} of ${page.total.toLocaleString('en-GB')}, newest first`}
              </p>
              <div className="app-table-scroll app-audit" tabIndex={0} role="region" aria-label="Audit entries">
                <Table
                  caption={<span className="govuk-visually-hidden">Audit entries</span>}
                  rows={page.entries}
                  rowKey={(e) => e.seq}
                  columns={[
                    { header: 'No.', cell: (e) => e.seq, numeric: true },
                    { header: 'When', cell: (e) => formatDateTime(e.at) },
                    { header: 'Who', cell: (e) => (e.username ? <span title={e.organisation ?? undefined}>{e.username}</span> : 'System') },
                    { header: 'Kind', cell: (e) => AUDIT_KIND_LABELS[e.kind] },
                    { header: 'Operation', cell: (e) => <code className="app-code">{e.operation}</code> },
                    { header: 'Record', cell: (e) => [e.entityType, e.entityId].filter(Boolean).join(' ') },
                    { header: 'Why', cell: (e) => e.justification ?? '' },
                    {
                      header: 'Outcome',
                      cell: (e) =>
                        e.outcome === 'ok' ? (
                          <Tag colour="green">{AUDIT_OUTCOME_LABELS.ok}</Tag>
                        ) : (
                          <Tag colour="red" title={e.errorCode ?? undefined}>
                            {AUDIT_OUTCOME_LABELS.refused}
                            {e.errorCode ? `: ${e.errorCode}` : ''}
                          </Tag>
                        ),
                    },
                  ]}
                />
              </div>
              <nav className="govuk-pagination app-pagination" aria-label="Audit log pages">
                <ButtonGroup>
                  <Button variant="secondary" disabled={cursor.length <= 1} onClick={() => setCursor(cursor.slice(0, -1))}>
                    Newer entries
                  </Button>
                  <Button
                    variant="secondary"
                    disabled={page.nextBeforeSeq === null}
                    onClick={() => page.nextBeforeSeq !== null && setCursor([...cursor, page.nextBeforeSeq])}
                  >
                    Older entries
                  </Button>
                </ButtonGroup>
              </nav>
              <ExportCsv filter={filter} />
            </>
          )}
        </div>
      </div>
    </>
  );
}

function ExportCsv({ filter }: { filter: Filter }) {
  const [recipients, setRecipients] = useState('');
  const [done, setDone] = useState<{ rows: number; sha256: string } | null>(null);
  // The recipients are typed in one box: every problem with them, and any refusal, is shown there.
  const form = useOperationForm('audit.exportCsv', {
    prefix: 'export',
    groups: ['recipients'],
    messages: { recipients: 'Enter who the export is for' },
    fallback: 'recipients',
    refusal: (error) => ({ recipients: error.message }),
  });
  const submit = form.onSubmit(async () => {
    setDone(null);
    const sent = await form.send({
      filter,
      recipients: recipients
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    });
    if (!sent.ok) return;
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    download(`concordat-audit-${stamp}.csv`, sent.value.csv, 'text/csv;charset=utf-8');
    setDone({ rows: sent.value.rows, sha256: sent.value.sha256 });
  });
  return (
    <form noValidate onSubmit={submit} className="app-inline-form" aria-labelledby="export-title">
      <h2 className="govuk-heading-m" id="export-title">
        Export as CSV
      </h2>
      <p className="govuk-body">Exports every entry matching the filter. The export is recorded as a disclosure to the people you name.</p>
      {form.summary}
      {done && (
        <NotificationBanner type="success" id="export-done" heading={`Exported ${done.rows.toLocaleString('en-GB')} entries`}>
          <p className="govuk-body">
            SHA-256 of the file:{' '}
            <code className="app-code" data-testid="export-sha256">
              {done.sha256}
            </code>
          </p>
        </NotificationBanner>
      )}
      <TextField
        id="export-recipients"
        label="Who it is for"
        hint="Names or roles, separated by commas. For example, ICO, Information governance lead"
        value={recipients}
        onChange={setRecipients}
        error={form.errors['export-recipients']}
      />
      <Button type="submit" variant="secondary" disabled={form.busy}>
        Export as CSV
      </Button>
    </form>
  );
}

function AcknowledgeTamper() {
  const { tamperAcknowledged } = useSession();
  const [note, setNote] = useState('');
  const form = useOperationForm('audit.acknowledgeTamper', {
    prefix: 'tamper',
    messages: { note: 'Say what was found when the warning was investigated' },
    fallback: 'note',
    refusal: (error) => ({ note: error.message }),
  });
  const submit = form.onSubmit(async () => {
    const sent = await form.send({ note });
    if (sent.ok) tamperAcknowledged();
  });
  return (
    <form noValidate onSubmit={submit} className="app-inline-form" aria-labelledby="tamper-title">
      <h2 className="govuk-heading-m" id="tamper-title">
        Acknowledge the tamper warning
      </h2>
      {form.summary}
      <TextArea
        id="tamper-note"
        label="What the investigation found"
        rows={3}
        value={note}
        onChange={setNote}
        error={form.errors['tamper-note']}
      />
      <Button type="submit" variant="warning" disabled={form.busy}>
        Acknowledge and re-baseline
      </Button>
    </form>
  );
}
