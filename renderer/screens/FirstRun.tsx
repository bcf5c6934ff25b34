// First run: create the store and its first manager, then show the recovery key once and do not go on
// until the person says they have stored it.
import { useState, type FormEvent } from 'react';
import type { Api } from '../api.js';
import type { SessionStart } from '../App.js';
import { Button } from '../components/Button.js';
import { Checkbox, ErrorSummary, TextField } from '../components/form.js';
import { Header, PageLayout } from '../components/Layout.js';
import { PageHeading } from '../components/PageHeading.js';
import { PassphraseField, passphraseError } from '../components/PassphraseField.js';
import { RecoveryKey } from '../components/RecoveryKey.js';
import { FIELD_LABELS } from '../lib/labels.js';
import { useOperationForm } from '../lib/use-operation-form.js';

const LABELS = FIELD_LABELS['store.init']!;

export function FirstRun({ api, onDone }: { api: Api; onDone: (start: SessionStart) => void }) {
  const [form, setForm] = useState({ displayName: '', username: '', organisation: '', passphrase: '', confirm: '' });
  const [created, setCreated] = useState<{ recoveryKey: string; start: SessionStart } | null>(null);
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const setup = useOperationForm('store.init', {
    call: api.call,
    fallback: 'displayName',
    order: ['displayName', 'username', 'organisation', 'passphrase', 'confirm'],
  });

  const submit = setup.onSubmit(async () => {
    const input = { displayName: form.displayName, username: form.username, organisation: form.organisation, passphrase: form.passphrase };
    // The confirmation is the form's own: it is only worth checking once the passphrase itself is allowed.
    const mismatch = !passphraseError(form.passphrase) && form.confirm !== form.passphrase;
    const sent = await setup.send(input, { confirm: mismatch ? 'Enter the same passphrase again' : undefined });
    if (!sent.ok) return;
    setForm((f) => ({ ...f, passphrase: '', confirm: '' }));
    setCreated({ recoveryKey: sent.value.recoveryKey, start: { user: sent.value.user, justification: null, tamperWarning: null } });
  });

  if (created) {
    return (
      <PageLayout header={<Header />}>
        <RecoveryKeyStep recoveryKey={created.recoveryKey} onConfirmed={() => onDone(created.start)} />
      </PageLayout>
    );
  }

  return (
    <PageLayout header={<Header />}>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {setup.summary}
          <PageHeading caption="First run">Set up Concordat</PageHeading>
          <p className="govuk-body">
            This creates an encrypted store on this computer and you as its first partnership manager. You will add the other members
            afterwards.
          </p>
          <form noValidate onSubmit={submit}>
            <TextField
              id="displayName"
              label={LABELS.displayName}
              autoComplete="name"
              width="30"
              value={form.displayName}
              onChange={set('displayName')}
              error={setup.errors.displayName}
            />
            <TextField
              id="username"
              label={LABELS.username}
              hint="You type this to unlock: letters, digits, dots, dashes. For example, alex.smith"
              autoComplete="username"
              width="20"
              value={form.username}
              onChange={set('username')}
              error={setup.errors.username}
            />
            <TextField
              id="organisation"
              label={LABELS.organisation}
              hint="For example, Northfield Community Safety Team"
              width="30"
              value={form.organisation}
              onChange={set('organisation')}
              error={setup.errors.organisation}
            />
            <PassphraseField
              id="passphrase"
              label="Passphrase"
              value={form.passphrase}
              onChange={set('passphrase')}
              error={setup.errors.passphrase}
            />
            <TextField
              id="confirm"
              label="Confirm passphrase"
              type="password"
              autoComplete="new-password"
              width="30"
              value={form.confirm}
              onChange={set('confirm')}
              error={setup.errors.confirm}
            />
            <Button type="submit" disabled={setup.busy} aria-disabled={setup.busy}>
              {setup.busy ? 'Creating the store…' : 'Create the store'}
            </Button>
          </form>
        </div>
      </div>
    </PageLayout>
  );
}

function RecoveryKeyStep({ recoveryKey, onConfirmed }: { recoveryKey: string; onConfirmed: () => void }) {
  const [stored, setStored] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!stored) return setError('Confirm that you have stored the recovery key');
    onConfirmed();
  };
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={error ? { 'recovery-stored': error } : {}} />
        <PageHeading caption="First run">Store your recovery key</PageHeading>
        <RecoveryKey recoveryKey={recoveryKey} />
        <form noValidate onSubmit={submit}>
          <Checkbox
            id="recovery-stored"
            label="I have stored the recovery key somewhere safe, away from this computer"
            checked={stored}
            onChange={(c) => {
              setStored(c);
              if (c) setError(undefined);
            }}
            error={error}
          />
          <Button type="submit">Continue</Button>
        </form>
      </div>
    </div>
  );
}
