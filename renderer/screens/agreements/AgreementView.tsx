// One agreement. A draft: its text to review, its few fields to change, and the way into signing. A
// signed one: the sealed text, the signatures, the witness, the seal (re-checked by the store), the PDF
// export, a new version, or termination with a reason.
import { useState, type FormEvent } from 'react';
import type { AgreementDetail } from '../../../src/contract/ops/agreements.js';
import { PARTNER_TYPES } from '../../../src/domain/agreement-templates.js';
import { isInForce } from '../../../src/domain/agreements.js';
import { useSession } from '../../session.js';
import { useNavigate } from '../../navigation.js';
import { Button, ButtonGroup } from '../../components/Button.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorSummary, Select, TextArea, TextField, type FieldErrors } from '../../components/form.js';
import { NotificationBanner } from '../../components/NotificationBanner.js';
import { PageHeading } from '../../components/PageHeading.js';
import { SummaryList } from '../../components/SummaryList.js';
import { base64Bytes, download } from '../../lib/download.js';
import { formatDate, formatDateTime } from '../../lib/format.js';
import { useOperationResult } from '../../lib/use-operation-result.js';
import { LoadRefusal } from '../RefusalMessage.js';
import { AgreementText, StatusTag, kindLabel } from './shared.js';

export function AgreementView({ agreementId }: { agreementId: number }) {
  const { value, error, reload: load } = useOperationResult('agreements.get', { agreementId });
  const agreement = value?.agreement ?? null;
  const [done, setDone] = useState<string | null>(null);

  if (error) return <LoadRefusal error={error} reload={load} />;
  if (!agreement)
    return (
      <p className="govuk-body" role="status">
        Loading the agreement…
      </p>
    );
  return (
    <>
      <PageHeading caption={agreement.organisation}>
        {kindLabel(agreement.kind)}, version {agreement.version}
      </PageHeading>
      {done && <NotificationBanner type="success" id="agreement-done" focus heading={done} />}
      <p className="govuk-body">
        <StatusTag status={agreement.status} />
      </p>
      <SummaryList
        rows={[
          { key: 'Group', value: agreement.groupName },
          { key: 'Template', value: `Version ${agreement.templateVersion}` },
          ...(agreement.supersedes
            ? [{ key: 'Replaces', value: `Version ${agreement.version - 1} (agreement ${agreement.supersedes})` }]
            : []),
          ...(agreement.signedAt
            ? [
                { key: 'Signed', value: formatDateTime(agreement.signedAt) },
                { key: 'Review by', value: formatDate(agreement.reviewDate) },
                { key: 'In force until', value: formatDate(agreement.validUntil) },
              ]
            : []),
          ...(agreement.terminatedAt
            ? [{ key: 'Terminated', value: `${formatDateTime(agreement.terminatedAt)}: ${agreement.terminationReason ?? ''}` }]
            : []),
        ]}
      />
      {agreement.signedAt ? (
        <Signed
          agreement={agreement}
          onChanged={(message) => {
            setDone(message);
            void load();
          }}
        />
      ) : (
        <Draft
          agreement={agreement}
          onChanged={(message) => {
            setDone(message);
            void load();
          }}
        />
      )}
    </>
  );
}

function Draft({ agreement, onChanged }: { agreement: AgreementDetail; onChanged: (message: string) => void }) {
  const { call } = useSession();
  const navigate = useNavigate();
  const [groupName, setGroupName] = useState(agreement.groupName);
  const [partnerType, setPartnerType] = useState(agreement.partnerType ?? '');
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const result = await call('agreements.updateDraft', { agreementId: agreement.id, groupName, partnerType: partnerType || null });
    if (!result.ok) return setErrors({ [result.error.field === 'groupName' ? 'draft-groupName' : 'draft-form']: result.error.message });
    setErrors({});
    onChanged('The draft has been saved');
  };
  return (
    <>
      <h2 className="govuk-heading-m">Review the agreement</h2>
      <AgreementText agreement={agreement} />
      <ButtonGroup>
        <Button onClick={() => navigate({ name: 'agreement-sign', agreementId: agreement.id })}>Sign in the room</Button>
      </ButtonGroup>
      <form noValidate onSubmit={(e) => void save(e)} className="app-inline-form" aria-labelledby="change-draft-title">
        <h2 className="govuk-heading-m" id="change-draft-title">
          Change the draft
        </h2>
        <ErrorSummary errors={errors} />
        <TextField
          id="draft-groupName"
          label="Name of the group"
          value={groupName}
          onChange={setGroupName}
          error={errors['draft-groupName']}
          width="full"
        />
        {agreement.kind === 'membership' && (
          <Select
            id="draft-partnerType"
            label="Kind of partner"
            hint="Changing it replaces the member expectations with that kind of partner's"
            value={partnerType}
            onChange={setPartnerType}
            options={[{ value: '', label: 'None' }, ...PARTNER_TYPES]}
          />
        )}
        <Button type="submit" variant="secondary">
          Save the draft
        </Button>
      </form>
    </>
  );
}

function Signer({ title, signer }: { title: string; signer: NonNullable<AgreementDetail['signatory']> }) {
  return (
    <div className="app-signer">
      <h3 className="govuk-heading-s">{title}</h3>
      <SummaryList
        rows={[
          { key: 'Name', value: signer.name },
          ...(signer.organisation ? [{ key: 'Organisation', value: signer.organisation }] : []),
          { key: 'Role', value: signer.role },
          {
            key: 'Signature',
            value:
              signer.method === 'drawn' && signer.png ? (
                <img className="app-signature-image" src={signer.png} alt={`Signature of ${signer.name}, drawn`} />
              ) : (
                <span>
                  {signer.typedName} <span className="app-muted">(typed, with attestation)</span>
                </span>
              ),
          },
        ]}
      />
    </div>
  );
}

function Signed({ agreement, onChanged }: { agreement: AgreementDetail; onChanged: (message: string) => void }) {
  const { call } = useSession();
  const navigate = useNavigate();
  const [recipients, setRecipients] = useState('');
  const [exported, setExported] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [terminating, setTerminating] = useState(false);
  const [reason, setReason] = useState('');

  const exportPdf = async (event: FormEvent) => {
    event.preventDefault();
    const list = recipients
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    const result = await call('agreements.exportPdf', { agreementId: agreement.id, recipients: list });
    if (!result.ok) return setErrors({ 'export-recipients': result.error.message });
    setErrors({});
    download(result.value.filename, base64Bytes(result.value.pdfBase64), 'application/pdf');
    setExported(result.value.sha256);
  };
  const newVersion = async () => {
    const result = await call('agreements.newVersion', { agreementId: agreement.id });
    if (!result.ok) return setErrors({ 'new-version': result.error.message });
    navigate({ name: 'agreement', agreementId: result.value.agreement.id });
  };
  const terminate = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return setErrors({ 'terminate-reason': 'Enter why the agreement is ending' });
    const result = await call('agreements.terminate', { agreementId: agreement.id, reason });
    if (!result.ok) return setErrors({ 'terminate-reason': result.error.message });
    setTerminating(false);
    onChanged('The agreement has been terminated');
  };

  return (
    <>
      <section className="app-section" aria-labelledby="seal-title">
        <h2 className="govuk-heading-m" id="seal-title">
          Seal
        </h2>
        <p className="govuk-body">SHA-256 of the agreement as signed, signatures included:</p>
        <p className="govuk-body">
          <code className="app-code app-hash" data-testid="agreement-hash">
            {agreement.hash}
          </code>
        </p>
        <p className="govuk-body" data-testid="hash-verified">
          {agreement.hashVerified
            ? 'The store recomputed the hash just now: it matches, so nothing has changed since signing.'
            : 'Warning: the stored agreement no longer matches its seal. Tell your information governance lead.'}
        </p>
      </section>
      <h2 className="govuk-heading-m">The agreement</h2>
      <AgreementText agreement={agreement} />
      {agreement.signatory && <Signer title="Signed" signer={agreement.signatory} />}
      {agreement.witness && <Signer title="Witness" signer={agreement.witness} />}

      <form noValidate onSubmit={(e) => void exportPdf(e)} className="app-inline-form" aria-labelledby="export-title">
        <h2 className="govuk-heading-m" id="export-title">
          Export PDF
        </h2>
        <p className="govuk-body">
          The PDF carries the text, the signatures and the seal, marked OFFICIAL-SENSITIVE. Its SHA-256 is recorded, so{' '}
          <code className="app-code">concordat verify-document</code> can check a copy later.
        </p>
        <ErrorSummary errors={errors} />
        {exported && (
          <NotificationBanner type="success" id="export-done" heading="The PDF has been exported">
            <p className="govuk-body">
              SHA-256 of the file:{' '}
              <code className="app-code" data-testid="pdf-sha256">
                {exported}
              </code>
            </p>
          </NotificationBanner>
        )}
        <TextField
          id="export-recipients"
          label="Who it is for (optional)"
          hint="Names or roles, separated by commas"
          value={recipients}
          onChange={setRecipients}
          error={errors['export-recipients']}
        />
        <Button type="submit" variant="secondary">
          Export PDF
        </Button>
      </form>

      {isInForce(agreement.status) && (
        <section className="app-section" aria-labelledby="change-title">
          <h2 className="govuk-heading-m" id="change-title">
            Change or end it
          </h2>
          <p className="govuk-body">
            A signed agreement never changes. A change is a new version, signed again; this one stays in force until then.
          </p>
          {errors['new-version'] && <ErrorSummary errors={{ 'new-version': errors['new-version'] }} />}
          <ButtonGroup>
            <Button id="new-version" variant="secondary" onClick={() => void newVersion()}>
              Make a new version
            </Button>
            <Button variant="warning" onClick={() => setTerminating(true)}>
              Terminate
            </Button>
          </ButtonGroup>
        </section>
      )}
      {terminating && (
        <Dialog id="terminate" title="Terminate this agreement?" onCancel={() => setTerminating(false)}>
          <form noValidate onSubmit={(e) => void terminate(e)}>
            <TextArea
              id="terminate-reason"
              label="Why it is ending"
              rows={3}
              value={reason}
              onChange={setReason}
              error={errors['terminate-reason']}
              autoFocus
            />
            <ButtonGroup>
              <Button type="submit" variant="warning">
                Terminate the agreement
              </Button>
              <Button variant="secondary" onClick={() => setTerminating(false)}>
                Cancel
              </Button>
            </ButtonGroup>
          </form>
        </Dialog>
      )}
    </>
  );
}
