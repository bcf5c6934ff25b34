// Signing in the room, one step at a time: read the agreement together; the signatory signs; the witness
// signs; both check everything on one page; then it is sealed. The date and time are the store's, set
// at sealing. Nothing is saved until the last step, so leaving part-way leaves the draft as it was.
import { useCallback, useEffect, useState } from 'react';
import type { ErrorShape } from '../../../src/contract/errors.js';
import type { AgreementDetail } from '../../../src/contract/ops/agreements.js';
import { signatureProblem } from '../../../src/domain/agreements.js';
import { useSession } from '../../session.js';
import { useNavigate } from '../../navigation.js';
import { Button, ButtonGroup } from '../../components/Button.js';
import { ErrorSummary, type FieldErrors } from '../../components/form.js';
import { PageHeading } from '../../components/PageHeading.js';
import { SummaryList } from '../../components/SummaryList.js';
import { LoadRefusal } from '../RefusalMessage.js';
import { EMPTY_SIGNER, SignatureField, toSignature, type SignerState } from './SignatureField.js';
import { AgreementText, kindLabel } from './shared.js';

type Step = 'review' | 'signatory' | 'witness' | 'confirm';
const STEPS: readonly Step[] = ['review', 'signatory', 'witness', 'confirm'];
const STEP_TITLES: Readonly<Record<Step, string>> = {
  review: 'Read the agreement together',
  signatory: 'The signatory signs',
  witness: 'The witness signs',
  confirm: 'Check everything before sealing',
};

function problemsOf(id: 'signatory' | 'witness', state: SignerState, other?: SignerState): FieldErrors {
  const errors: Record<string, string> = {};
  if (!state.name.trim()) errors[`${id}-name`] = 'Enter the full name';
  if (!state.role.trim()) errors[`${id}-role`] = 'Enter the role';
  if (other && state.name.trim() && state.name.trim().toLowerCase() === other.name.trim().toLowerCase())
    errors[`${id}-name`] = 'The witness must be someone other than the signatory';
  if (state.method === 'typed') {
    if (!state.typedName.trim()) errors[`${id}-typedName`] = 'Type the full name as the signature';
    if (!state.attestation) errors[`${id}-attestation`] = 'Tick the box to confirm the typed name is the signature';
  }
  const signature = toSignature(state);
  if (state.method === 'drawn' && !signature) errors[`${id}-signature`] = 'Sign in the box, or choose to type the name instead';
  if (signature && state.name.trim() && !errors[`${id}-typedName`]) {
    const problem = signatureProblem(signature, state.name);
    if (problem) errors[state.method === 'typed' ? `${id}-typedName` : `${id}-signature`] = problem;
  }
  return errors;
}

export function SignAgreement({ agreementId }: { agreementId: number }) {
  const { call } = useSession();
  const navigate = useNavigate();
  const [agreement, setAgreement] = useState<AgreementDetail | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [step, setStep] = useState<Step>('review');
  const [signatory, setSignatory] = useState<SignerState>(EMPTY_SIGNER);
  const [witness, setWitness] = useState<SignerState>(EMPTY_SIGNER);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const result = await call('agreements.get', { agreementId });
    if (result.ok) setAgreement(result.value.agreement);
    else setError(result.error);
  }, [call, agreementId]);
  useEffect(() => {
    void load();
  }, [load]);

  const go = (next: Step) => {
    setErrors({});
    setStep(next);
  };
  const next = () => {
    const found =
      step === 'signatory' ? problemsOf('signatory', signatory) : step === 'witness' ? problemsOf('witness', witness, signatory) : {};
    setErrors(found);
    if (Object.keys(found).length === 0) go(STEPS[STEPS.indexOf(step) + 1]!);
  };

  const seal = async () => {
    const s = toSignature(signatory);
    const w = toSignature(witness);
    if (!s || !w) return go(!s ? 'signatory' : 'witness');
    setBusy(true);
    const result = await call('agreements.sign', {
      agreementId,
      signatory: { name: signatory.name, role: signatory.role, signature: s },
      witness: { name: witness.name, role: witness.role, signature: w },
    });
    setBusy(false);
    if (result.ok) return navigate({ name: 'agreement', agreementId });
    // Send the signer back to the step with the problem, the store's message beside the field.
    const field = result.error.field ?? '';
    const who = field.startsWith('witness') ? 'witness' : field.startsWith('signatory') ? 'signatory' : null;
    if (who) {
      setStep(who);
      const leaf =
        field.split('.')[1] === 'signature'
          ? field.endsWith('typedName')
            ? 'typedName'
            : field.endsWith('attestation')
              ? 'attestation'
              : 'signature'
          : (field.split('.')[1] ?? 'name');
      setErrors({ [`${who}-${leaf}`]: result.error.message });
    } else {
      setErrors({ 'seal-button': result.error.message });
    }
  };

  if (error) return <LoadRefusal error={error} reload={load} />;
  if (!agreement)
    return (
      <p className="govuk-body" role="status">
        Loading the agreement…
      </p>
    );
  if (agreement.signedAt) {
    return (
      <>
        <PageHeading>This agreement is already signed</PageHeading>
        <Button onClick={() => navigate({ name: 'agreement', agreementId })}>View the signed agreement</Button>
      </>
    );
  }

  const index = STEPS.indexOf(step);
  const signerRows = (state: SignerState, label: string) => {
    const signature = toSignature(state);
    return [
      { key: `${label}`, value: `${state.name}, ${state.role}` },
      {
        key: `${label}'s signature`,
        value:
          signature?.method === 'drawn' ? (
            <img className="app-signature-image" src={signature.png} alt={`Signature of ${state.name}, drawn`} />
          ) : (
            <span>
              {state.typedName} <span className="app-muted">(typed, with attestation)</span>
            </span>
          ),
        action: (
          <button type="button" className="app-link-button" onClick={() => go(label === 'Signatory' ? 'signatory' : 'witness')}>
            Change<span className="govuk-visually-hidden"> the {label.toLowerCase()}</span>
          </button>
        ),
      },
    ];
  };

  return (
    <>
      <PageHeading
        key={step}
        caption={`${agreement.organisation}: ${kindLabel(agreement.kind).toLowerCase()}, version ${agreement.version} · step ${index + 1} of ${STEPS.length}`}
      >
        {STEP_TITLES[step]}
      </PageHeading>
      <ErrorSummary errors={errors} />
      {step === 'review' && (
        <>
          <AgreementText agreement={agreement} />
          <ButtonGroup>
            <Button onClick={() => go('signatory')}>Continue to signing</Button>
            <Button variant="secondary" onClick={() => navigate({ name: 'agreement', agreementId })}>
              Back to the draft
            </Button>
          </ButtonGroup>
        </>
      )}
      {step === 'signatory' && (
        <>
          <p className="govuk-body app-agreement-statement">{agreement.statement}</p>
          <p className="govuk-body">
            Signing for <strong>{agreement.organisation}</strong>.
          </p>
          <SignatureField id="signatory" who="Signatory" value={signatory} onChange={setSignatory} errors={errors} />
          <ButtonGroup>
            <Button onClick={next}>Continue to the witness</Button>
            <Button variant="secondary" onClick={() => go('review')}>
              Back
            </Button>
          </ButtonGroup>
        </>
      )}
      {step === 'witness' && (
        <>
          <p className="govuk-body">The witness saw {signatory.name || 'the signatory'} sign.</p>
          <SignatureField id="witness" who="Witness" value={witness} onChange={setWitness} errors={errors} />
          <ButtonGroup>
            <Button onClick={next}>Continue to the check</Button>
            <Button variant="secondary" onClick={() => go('signatory')}>
              Back
            </Button>
          </ButtonGroup>
        </>
      )}
      {step === 'confirm' && (
        <>
          <p className="govuk-body app-agreement-statement" data-testid="confirm-statement">
            {agreement.statement}
          </p>
          <SummaryList
            compact={false}
            rows={[
              { key: 'Organisation', value: agreement.organisation },
              ...signerRows(signatory, 'Signatory'),
              ...signerRows(witness, 'Witness'),
              { key: 'Date and time', value: 'Set by Concordat when you seal it' },
            ]}
          />
          <p className="govuk-body">
            Sealing fixes the agreement for good: its text, the signatures and the time are hashed together and the hash is recorded in the
            audit log. A later change needs a new version, signed again.
          </p>
          <ButtonGroup>
            <Button id="seal-button" onClick={() => void seal()} disabled={busy}>
              {busy ? 'Sealing…' : 'Seal the agreement'}
            </Button>
            <Button variant="secondary" onClick={() => go('witness')}>
              Back
            </Button>
          </ButtonGroup>
        </>
      )}
    </>
  );
}
