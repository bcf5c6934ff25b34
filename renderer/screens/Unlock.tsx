// Unlock: user name and passphrase. A wrong passphrase is said plainly beside the field; after repeated
// failures the store makes the next attempt wait, and the wait is shown counting down.
import { useEffect, useState, type FormEvent } from 'react';
import { operations } from '../../src/contract/operations.js';
import type { Api } from '../api.js';
import type { SessionStart } from '../App.js';
import { Button } from '../components/Button.js';
import { ErrorSummary, TextField, type FieldErrors } from '../components/form.js';
import { Header, PageLayout } from '../components/Layout.js';
import { NotificationBanner } from '../components/NotificationBanner.js';
import { PageHeading } from '../components/PageHeading.js';
import { errorsFromResult, errorsFromZod, type Labels } from '../lib/form-errors.js';

const LABELS: Labels = { username: 'User name', passphrase: 'Passphrase' };

const LOCK_REASONS: Readonly<Record<string, string>> = {
  user: 'You locked Concordat.',
  idle: 'Concordat locked itself because nobody used it for a while.',
  suspend: 'Concordat locked when the computer went to sleep.',
  'screen-lock': 'Concordat locked when the screen was locked.',
  shutdown: 'Concordat locked before closing.',
};

/** Seconds left until `until`, ticking while positive. */
function useCountdown(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    setNow(Date.now());
    const timer = setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= until) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [until]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

export function Unlock({ api, reason, onUnlocked }: { api: Api; reason: string | null; onUnlocked: (start: SessionStart) => void }) {
  const [username, setUsername] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const [waitTotal, setWaitTotal] = useState(0);
  const secondsLeft = useCountdown(waitUntil);
  const waiting = secondsLeft > 0;

  const startWait = (ms: unknown) => {
    if (typeof ms !== 'number' || ms <= 0) return;
    setWaitTotal(Math.ceil(ms / 1000));
    setWaitUntil(Date.now() + ms);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (waiting || busy) return;
    const parsed = operations['session.unlock'].input.safeParse({ username, passphrase });
    if (!parsed.success) return setErrors(errorsFromZod(parsed.error, LABELS));
    setBusy(true);
    const result = await api.call('session.unlock', { username, passphrase });
    setBusy(false);
    setPassphrase('');
    if (result.ok) {
      const { user, tamperWarning, failedAttemptsSinceLastUnlock } = result.value;
      onUnlocked({ user, justification: null, tamperWarning, failedAttemptsSinceLastUnlock });
      return;
    }
    const { error } = result;
    if (error.code === 'UNLOCK_DELAYED') {
      setErrors({ passphrase: 'Too many failed attempts: wait for the countdown to finish, then try again' });
      startWait(error.details?.retryAfterMs);
    } else if (error.code === 'AUTH_FAILED') {
      setErrors({ passphrase: 'The user name or passphrase is not right' });
      startWait(error.details?.retryAfterMs);
    } else {
      setErrors(errorsFromResult(error, LABELS, 'username'));
    }
  };

  return (
    <PageLayout header={<Header />}>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          {reason && LOCK_REASONS[reason] && (
            <div className="govuk-inset-text" data-testid="lock-reason">{LOCK_REASONS[reason]} Everything that was on screen has been cleared.</div>
          )}
          <ErrorSummary errors={errors} />
          <PageHeading>Unlock Concordat</PageHeading>
          <form noValidate onSubmit={(e) => void submit(e)}>
            <TextField id="username" label={LABELS.username} autoComplete="username" width="20" value={username} onChange={setUsername} error={errors.username} />
            <TextField id="passphrase" label={LABELS.passphrase} type="password" autoComplete="current-password" width="30" value={passphrase} onChange={setPassphrase} error={errors.passphrase} />
            {waitUntil !== null && (
              <div className="app-countdown" data-testid="unlock-countdown">
                {waiting ? (
                  <NotificationBanner title="Wait before trying again" heading={
                    <>
                      <span aria-hidden="true">You can try again in <span className="app-countdown__seconds">{secondsLeft}</span> {secondsLeft === 1 ? 'second' : 'seconds'}.</span>
                      <span className="govuk-visually-hidden" role="status">{`Too many failed attempts. You can try again in ${waitTotal} seconds.`}</span>
                    </>
                  } />
                ) : (
                  <p className="govuk-body" role="status">You can try again now.</p>
                )}
              </div>
            )}
            <Button type="submit" disabled={busy || waiting} aria-disabled={busy || waiting}>{busy ? 'Unlocking…' : 'Unlock'}</Button>
          </form>
        </div>
      </div>
    </PageLayout>
  );
}
