// The cases linked to this one, and the form that links another by its reference.
import { useState } from 'react';
import type { CaseDetail } from '../../../src/contract/ops/cases.js';
import { userMayCall, useSession } from '../../session.js';
import { useNavigate } from '../../navigation.js';
import { Button } from '../../components/Button.js';
import { TextField } from '../../components/form.js';
import { Table } from '../../components/Table.js';
import { formatDate } from '../../lib/format.js';
import { statusLabel } from '../../lib/labels.js';
import { useOperationForm } from '../../lib/use-operation-form.js';

type Link = CaseDetail['links'][number];

export function Links({ detail, onLinked }: { detail: CaseDetail; onLinked: (link: Link) => void }) {
  const { call, user } = useSession();
  const navigate = useNavigate();
  const [reference, setReference] = useState('');
  const [reason, setReason] = useState('');
  // People know the other case by its reference, so every problem with it (or with this case) is shown there.
  const form = useOperationForm('cases.link', {
    prefix: 'link',
    ids: { otherCaseId: 'link-reference', caseId: 'link-reference' },
    fallback: 'otherCaseId',
    refusal: (error) => ({ [error.field === 'reason' ? 'reason' : 'otherCaseId']: error.message }),
  });

  const submit = form.onSubmit(async () => {
    const wanted = reference.trim();
    if (
      form.refuse({
        otherCaseId: wanted ? undefined : 'Enter the reference of the other case',
        reason: reason.trim() ? undefined : 'Enter why the cases are linked',
      })
    )
      return;
    // Busy from the look-up to the link: the operation takes ids, so first find the case whose reference matches exactly.
    await form.run(async () => {
      const search = await call('cases.search', { query: wanted, limit: 10 });
      const other = search.ok ? search.value.cases.find((x) => x.reference.toLowerCase() === wanted.toLowerCase()) : undefined;
      if (!other)
        return void form.refuse({ otherCaseId: search.ok ? `There is no case ${wanted} that you can see` : search.error.message });
      const sent = await form.send({ caseId: detail.id, otherCaseId: other.id, reason });
      if (!sent.ok) return;
      setReference('');
      setReason('');
      onLinked(sent.value.link);
    });
  });

  return (
    <>
      <Table
        caption={<span className="govuk-visually-hidden">Cases linked to this one</span>}
        rows={detail.links}
        rowKey={(l) => l.caseId}
        empty="No linked cases."
        columns={[
          {
            header: 'Case',
            cell: (l) => (
              <button type="button" className="app-link-button" onClick={() => navigate({ name: 'case', caseId: l.caseId })}>
                {l.reference}
              </button>
            ),
          },
          { header: 'Status', cell: (l) => statusLabel(l.status) },
          { header: 'Why linked', cell: (l) => l.reason },
          { header: 'Linked', cell: (l) => formatDate(l.linkedAt) },
        ]}
      />
      {userMayCall(user, 'cases.link') && (
        <form noValidate onSubmit={submit} className="app-inline-form" aria-label="Link another case">
          {form.summary}
          <TextField
            id="link-reference"
            label="Link another case: its reference"
            labelSize="s"
            hint="For example, LCSP-2026-7KQ3X"
            width="20"
            value={reference}
            onChange={setReference}
            error={form.errors['link-reference']}
          />
          <TextField id="link-reason" label="Why they are linked" value={reason} onChange={setReason} error={form.errors['link-reason']} />
          <Button type="submit" variant="secondary" disabled={form.busy}>
            Link case
          </Button>
        </form>
      )}
    </>
  );
}
