// Your account: change your own passphrase. Only your key slot is rewritten.
import { useState, type FormEvent } from 'react';
import { ROLE_LABELS } from '../../src/domain/access.js';
import { useSession } from '../session.js';
import { Button } from '../components/Button.js';
import { ErrorSummary, TextField, type FieldErrors } from '../components/form.js';
import { NotificationBanner } from '../components/NotificationBanner.js';
import { PageHeading } from '../components/PageHeading.js';
import { PassphraseField, passphraseError } from '../components/PassphraseField.js';
import { SummaryList } from '../components/SummaryList.js';

export function Account() {
  const { call, user } = useSession();
  const [form, setForm] = useState({ current: '', next: '', confirm: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    const found: Record<string, string> = {};
    if (!form.current) found['current-passphrase'] = 'Enter your current passphrase';
    const weak = passphraseError(form.next, 'New passphrase');
    if (weak) found['new-passphrase'] = weak;
    else if (form.next === form.current) found['new-passphrase'] = 'New passphrase must be different from the current one';
    if (!found['new-passphrase'] && form.confirm !== form.next) found['confirm-passphrase'] = 'Enter the same new passphrase again';
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    const result = await call('users.changePassphrase', { currentPassphrase: form.current, newPassphrase: form.next });
    setBusy(false);
    setForm({ current: '', next: '', confirm: '' });
    if (!result.ok) {
      const wrong = result.error.code === 'AUTH_FAILED' || result.error.field === 'currentPassphrase';
      return setErrors(wrong ? { 'current-passphrase': 'Your current passphrase is not right' } : { 'new-passphrase': result.error.message });
    }
    setDone(true);
  };

  return (
    <>
      <PageHeading>Your account</PageHeading>
      <SummaryList rows={[
        { key: 'Name', value: user.displayName },
        { key: 'User name', value: user.username },
        { key: 'Role', value: ROLE_LABELS[user.role] },
        { key: 'Organisation', value: user.organisation },
      ]} />
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <form noValidate onSubmit={(e) => void submit(e)} aria-labelledby="change-passphrase-title">
            <h2 className="govuk-heading-m" id="change-passphrase-title">Change your passphrase</h2>
            {done && <NotificationBanner type="success" heading="Your passphrase has been changed" focus id="passphrase-done" />}
            <ErrorSummary errors={errors} />
            <TextField id="current-passphrase" label="Current passphrase" type="password" autoComplete="current-password" width="30" value={form.current} onChange={set('current')} error={errors['current-passphrase']} />
            <PassphraseField id="new-passphrase" label="New passphrase" value={form.next} onChange={set('next')} error={errors['new-passphrase']} />
            <TextField id="confirm-passphrase" label="Confirm new passphrase" type="password" autoComplete="new-password" width="30" value={form.confirm} onChange={set('confirm')} error={errors['confirm-passphrase']} />
            <Button type="submit" disabled={busy}>{busy ? 'Changing…' : 'Change passphrase'}</Button>
          </form>
        </div>
      </div>
    </>
  );
}
