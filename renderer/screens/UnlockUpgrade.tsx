// The upgrade an unlock runs on a store made by an older version: on a large store it takes minutes, so
// while the unlock is pending the screen polls store.status (public, no case data, read before any
// session exists) and shows which step is running and how far it has got. The step is announced politely
// as it changes; the percentage is left to the progress bar, so a screen reader is not talked over.
import { useEffect, useState } from 'react';
import type { OutputOf } from '../../src/contract/operations.js';
import { upgradePercent, upgradeText } from '../../src/domain/upgrade.js';
import type { Api } from '../api.js';

export type UpgradeProgressView = NonNullable<OutputOf<'store.status'>['upgrade']>;

const POLL_MS = 250;

/** The unlock's upgrade, polled while `pending` (the unlock call itself answers only at the end). */
export function useUpgradeProgress(api: Api, pending: boolean): UpgradeProgressView | null {
  const [upgrade, setUpgrade] = useState<UpgradeProgressView | null>(null);
  useEffect(() => {
    if (!pending) {
      setUpgrade(null);
      return;
    }
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const poll = async () => {
      const result = await api.call('store.status', {});
      if (stopped) return;
      if (result.ok) setUpgrade(result.value.upgrade);
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, pending]);
  return upgrade;
}

/** The running upgrade: a label naming the step, a progress bar, and a polite announcement of each new step. */
export function UnlockUpgrade({ upgrade }: { upgrade: UpgradeProgressView | null }) {
  const percent = upgrade ? upgradePercent(upgrade) : null;
  return (
    <div className="govuk-!-margin-top-6" data-testid="unlock-upgrade">
      {upgrade && (
        <>
          <label className="govuk-label govuk-!-font-weight-bold" htmlFor="upgrade-progress">
            {upgradeText(upgrade)}
          </label>
          {/* Without a value the bar shows work going on whose end it cannot tell (the whole-file check). */}
          <progress id="upgrade-progress" className="app-progress" max={100} value={percent ?? undefined} />
          <p className="govuk-body-s">
            A store made by an older version of Concordat is brought up to date once, at its first unlock. On a large store this takes some
            minutes: keep Concordat open until it has finished.
          </p>
        </>
      )}
      <div aria-live="polite" className="govuk-visually-hidden" data-testid="unlock-upgrade-announcement">
        {upgrade ? upgradeText(upgrade, { withPercent: false }) : ''}
      </div>
    </div>
  );
}
