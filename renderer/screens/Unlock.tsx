// Unlock: user name and passphrase. A wrong passphrase is said plainly beside the field; after repeated
// failures the store makes the next attempt wait, and the wait is shown counting down. The first unlock
// after an update may upgrade the store, which on a large one takes minutes: its progress is shown.
import { useEffect, useState } from 'react';
import type { Api } from '../api.js';
import type { SessionStart } from '../App.js';
import { Button } from '../components/Button.js';
import { TextField } from '../components/form.js';
import { Header, PageLayout } from '../components/Layout.js';
import { NotificationBanner } from '../components/NotificationBanner.js';
import { PageHeading } from '../components/PageHeading.js';
import { FIELD_LABELS, LOCK_REASON_LABELS } from '../lib/labels.js';
import { useOperationForm } from '../lib/use-operation-form.js';
import { UnlockUpgrade, useUpgradeProgress } from './UnlockUpgrade.js';

const LABELS = FIELD_LABELS['session.unlock']!;

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
  const [context, setContext] = useState('');
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const [waitTotal, setWaitTotal] = useState(0);
  const secondsLeft = useCountdown(waitUntil);
  const waiting = secondsLeft > 0;

  const startWait = (ms: unknown) => {
    if (typeof ms !== 'number' || ms <= 0) return;
    setWaitTotal(Math.ceil(ms / 1000));
    setWaitUntil(Date.now() + ms);
  };

  const form = useOperationForm('session.unlock', {
    call: api.call,
    fallback: 'username',
    ids: { justification: 'unlock-justification' },
    // Which of the two was wrong is not said: that would tell a guesser which user names exist.
    refusal: (error) => {
      if (error.code !== 'UNLOCK_DELAYED' && error.code !== 'AUTH_FAILED') return undefined;
      startWait(error.details?.retryAfterMs);
      return {
        passphrase:
          error.code === 'UNLOCK_DELAYED'
            ? 'Too many failed attempts: wait for the countdown to finish, then try again'
            : 'The user name or passphrase is not right',
      };
    },
  });

  // A store made by an older version is upgraded inside the unlock: shown while the call is pending.
  const upgrade = useUpgradeProgress(api, form.busy);

  const submit = form.onSubmit(async () => {
    if (waiting) return;
    const sent = await form.send({ username, passphrase, ...(context.trim() ? { justification: context } : {}) });
    if (sent.ok || sent.refused) setPassphrase('');
    if (!sent.ok) return;
    const { user, tamperWarning, failedAttemptsSinceLastUnlock, justification, suggestedJustification } = sent.value;
    onUnlocked({ user, justification, tamperWarning, failedAttemptsSinceLastUnlock, suggestedJustification });
  });

  return (
    <PageLayout header={<Header />}>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          {reason && LOCK_REASON_LABELS[reason] && (
            <div className="govuk-inset-text" data-testid="lock-reason">
              {LOCK_REASON_LABELS[reason]} Everything that was on screen has been cleared.
            </div>
          )}
          {form.summary}
          <PageHeading>Unlock Concordat</PageHeading>
          <form noValidate onSubmit={submit}>
            <TextField
              id="username"
              label={LABELS.username}
              autoComplete="username"
              width="20"
              value={username}
              onChange={setUsername}
              error={form.errors.username}
            />
            <TextField
              id="passphrase"
              label={LABELS.passphrase}
              type="password"
              autoComplete="current-password"
              width="30"
              value={passphrase}
              onChange={setPassphrase}
              error={form.errors.passphrase}
            />
            <TextField
              id="unlock-justification"
              label="Working context (optional)"
              hint="Why you are opening Concordat, for example “Reviewing this month’s referrals”. It is recorded with what you look at; you can change it at any time. Do not name residents here: the audit log keeps this for good, and erasing a person cannot reach it."
              value={context}
              onChange={setContext}
              error={form.errors['unlock-justification']}
            />
            {waitUntil !== null && (
              <div className="app-countdown" data-testid="unlock-countdown">
                {waiting ? (
                  <NotificationBanner
                    title="Wait before trying again"
                    heading={
                      <>
                        <span aria-hidden="true">
                          You can try again in <span className="app-countdown__seconds">{secondsLeft}</span>{' '}
                          {secondsLeft === 1 ? 'second' : 'seconds'}.
                        </span>
                        <span
                          className="govuk-visually-hidden"
                          role="status"
                        >{`Too many failed attempts. You can try again in ${waitTotal} seconds.`}</span>
                      </>
                    }
                  />
                ) : (
                  <p className="govuk-body" role="status">
                    You can try again now.
                  </p>
                )}
              </div>
            )}
            <Button type="submit" disabled={form.busy || waiting} aria-disabled={form.busy || waiting}>
              {form.busy ? 'Unlocking…' : 'Unlock'}
            </Button>
          </form>
          <UnlockUpgrade upgrade={upgrade} />
        </div>
      </div>
    </PageLayout>
  );
}
