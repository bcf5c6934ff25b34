// Subject access, for a manager: who the pack is for and the request it answers, whether material marked
// for closed meetings goes in, then the export, a preview of the very PDF that was exported, and saving
// the PDF and the JSON. The export is logged as a disclosure with the SHA-256 of both files.
import { Suspense, lazy, useState } from 'react';
import { Button, ButtonGroup } from '../components/Button.js';
import { Checkbox, TextArea } from '../components/form.js';
import { NotificationBanner } from '../components/NotificationBanner.js';
import { PageHeading } from '../components/PageHeading.js';
import { base64Bytes, download } from '../lib/download.js';
import { nonEmptyLines } from '../lib/format.js';
import { useOperationForm } from '../lib/use-operation-form.js';
import { useNavigate } from '../navigation.js';

const PdfPreview = lazy(() => import('../components/PdfPreview.js'));

interface Exported {
  pdf: Uint8Array<ArrayBuffer>;
  json: string;
  sha256: string;
  jsonSha256: string;
  redactions: number;
  thirdParties: number;
}

export function SubjectAccess({ personId, personName, caseId }: { personId: number; personName: string; caseId: number }) {
  const navigate = useNavigate();
  const [recipients, setRecipients] = useState(`${personName} (the data subject)`);
  const [justification, setJustification] = useState('');
  const [includeClosedOnly, setIncludeClosedOnly] = useState(false);
  const [exported, setExported] = useState<Exported | null>(null);
  const form = useOperationForm('people.subjectAccess', {
    prefix: 'sar',
    groups: ['recipients'],
    messages: { recipients: 'Enter who the pack is for', justification: 'Enter the request this answers' },
    fallback: 'justification',
  });
  const submit = form.onSubmit(async () => {
    setExported(null);
    const sent = await form.send({
      personId,
      recipients: nonEmptyLines(recipients),
      justification,
      includeClosedOnly,
    });
    if (!sent.ok) return;
    const v = sent.value;
    setExported({
      pdf: base64Bytes(v.pdfBase64),
      json: v.json,
      sha256: v.sha256,
      jsonSha256: v.jsonSha256,
      redactions: v.redactions,
      thirdParties: v.thirdParties,
    });
  });
  const fileName = `subject-access-${personId}`;

  return (
    <>
      <p className="govuk-body">
        <button type="button" className="app-link-button app-back-link" onClick={() => navigate({ name: 'case', caseId })}>
          Back to the case
        </button>
      </p>
      <PageHeading caption="Subject access">{personName}</PageHeading>
      <p className="govuk-body">
        The pack holds everything the store holds about {personName}: their record, the cases they are a subject of with the notes on them,
        the minutes of the meetings that discussed those cases, actions, enforcement, escalations, and who consulted or disclosed their
        records. Other people named in those records are shown as &ldquo;third party&rdquo; with their identifiers redacted.
      </p>
      <p className="govuk-body">
        It is written as a PDF and as a JSON file, and recorded in the audit log as a disclosure to the people you name, with the request
        and the SHA-256 of both files.
      </p>
      <form noValidate onSubmit={submit} aria-labelledby="sar-form-title">
        <h2 className="govuk-heading-m" id="sar-form-title">
          Export the pack
        </h2>
        {form.summary}
        <TextArea
          id="sar-recipients"
          label="Who the pack is for"
          hint="One name a line: the data subject, or whoever asked on their behalf. Printed on the title page and recorded in the audit log."
          value={recipients}
          onChange={setRecipients}
          rows={2}
          error={form.errors['sar-recipients']}
        />
        <TextArea
          id="sar-justification"
          label="The request this answers"
          hint="For example: Subject access request SAR-2026-014, received 1 March 2026, identity checked."
          value={justification}
          onChange={setJustification}
          rows={3}
          error={form.errors['sar-justification']}
        />
        <Checkbox
          id="sar-includeClosedOnly"
          label="Include material recorded for closed meetings only"
          hint="Police and other statutory intelligence shared in closed meetings may fall under an exemption. Leave this unticked unless you have decided it is to be disclosed."
          checked={includeClosedOnly}
          onChange={setIncludeClosedOnly}
          error={form.errors['sar-includeClosedOnly']}
        />
        <Button type="submit" disabled={form.busy}>
          {form.busy ? 'Exporting…' : 'Export and preview'}
        </Button>
      </form>
      {exported && (
        <section aria-labelledby="sar-exported-title">
          <NotificationBanner type="success" id="sar-exported" heading={`Exported the subject access pack for ${personName}`} focus>
            <p className="govuk-body">
              {exported.redactions === 1 ? '1 redaction' : `${exported.redactions} redactions`} of{' '}
              {exported.thirdParties === 1 ? '1 other person' : `${exported.thirdParties} other people`}.
            </p>
            <p className="govuk-body">
              SHA-256 of the PDF:{' '}
              <code className="app-code" data-testid="sar-pdf-sha256">
                {exported.sha256}
              </code>
            </p>
            <p className="govuk-body">
              SHA-256 of the JSON:{' '}
              <code className="app-code" data-testid="sar-json-sha256">
                {exported.jsonSha256}
              </code>
            </p>
          </NotificationBanner>
          <h2 className="govuk-heading-m" id="sar-exported-title">
            Preview
          </h2>
          <Suspense
            fallback={
              <p className="govuk-body" role="status">
                Loading the preview…
              </p>
            }
          >
            <PdfPreview key={exported.sha256} bytes={exported.pdf} title={`Subject access pack for ${personName}`} />
          </Suspense>
          <ButtonGroup>
            <Button onClick={() => download(`${fileName}.pdf`, exported.pdf, 'application/pdf')}>Save the PDF</Button>
            <Button variant="secondary" onClick={() => download(`${fileName}.json`, exported.json, 'application/json')}>
              Save the JSON
            </Button>
          </ButtonGroup>
        </section>
      )}
    </>
  );
}
