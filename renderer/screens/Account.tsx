// Your account: change your own passphrase. Only your key slot is rewritten.
import { useState } from 'react';
import { useSession } from '../session.js';
import { Button } from '../components/Button.js';
import { TextField } from '../components/form.js';
import { NotificationBanner } from '../components/NotificationBanner.js';
import { PageHeading } from '../components/PageHeading.js';
import { PassphraseField, passphraseError } from '../components/PassphraseField.js';
import { SummaryList } from '../components/SummaryList.js';
import { FIELD_LABELS, ROLE_LABELS } from '../lib/labels.js';
import { useOperationForm } from '../lib/use-operation-form.js';

const LABELS = FIELD_LABELS['users.changePassphrase']!;
const BLANK = { current: '', next: '', confirm: '' };

export function Account() {
  const { user } = useSession();
  const [fields, setFields] = useState(BLANK);
  const [done, setDone] = useState(false);
  const set = (key: keyof typeof BLANK) => (value: string) => setFields((f) => ({ ...f, [key]: value }));
  const form = useOperationForm('users.changePassphrase', {
    ids: { currentPassphrase: 'current-passphrase', newPassphrase: 'new-passphrase', confirm: 'confirm-passphrase' },
    messages: { currentPassphrase: 'Enter your current passphrase' },
    fallback: 'newPassphrase',
    refusal: (error) =>
      error.code === 'AUTH_FAILED' || error.field === 'currentPassphrase'
        ? { currentPassphrase: 'Your current passphrase is not right' }
        : { newPassphrase: error.message },
  });

  const submit = form.onSubmit(async () => {
    setDone(false);
    // The schema speaks first for the new passphrase; the confirmation is only worth checking once it is allowed.
    const unchanged = fields.next === fields.current;
    const allowed = !passphraseError(fields.next) && !unchanged;
    const sent = await form.send(
      { currentPassphrase: fields.current, newPassphrase: fields.next },
      {
        newPassphrase: unchanged ? 'New passphrase must be different from the current one' : undefined,
        confirm: allowed && fields.confirm !== fields.next ? 'Enter the same new passphrase again' : undefined,
      },
    );
    // Once sent, the passphrases are not kept on screen, whatever the answer.
    if (sent.ok || sent.refused) setFields(BLANK);
    if (sent.ok) setDone(true);
  });

  return (
    <>
      <PageHeading>Your account</PageHeading>
      <SummaryList
        rows={[
          { key: 'Name', value: user.displayName },
          { key: 'User name', value: user.username },
          { key: 'Role', value: ROLE_LABELS[user.role] },
          { key: 'Organisation', value: user.organisation },
        ]}
      />
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <form noValidate onSubmit={submit} aria-labelledby="change-passphrase-title">
            <h2 className="govuk-heading-m" id="change-passphrase-title">
              Change your passphrase
            </h2>
            {done && <NotificationBanner type="success" heading="Your passphrase has been changed" focus id="passphrase-done" />}
            {form.summary}
            <TextField
              id="current-passphrase"
              label={LABELS.currentPassphrase}
              type="password"
              autoComplete="current-password"
              width="30"
              value={fields.current}
              onChange={set('current')}
              error={form.errors['current-passphrase']}
            />
            <PassphraseField
              id="new-passphrase"
              label={LABELS.newPassphrase!}
              value={fields.next}
              onChange={set('next')}
              error={form.errors['new-passphrase']}
            />
            <TextField
              id="confirm-passphrase"
              label={LABELS.confirm}
              type="password"
              autoComplete="new-password"
              width="30"
              value={fields.confirm}
              onChange={set('confirm')}
              error={form.errors['confirm-passphrase']}
            />
            <Button type="submit" disabled={form.busy}>
              {form.busy ? 'Changing…' : 'Change passphrase'}
            </Button>
          </form>
        </div>
      </div>
    </>
  );
}
