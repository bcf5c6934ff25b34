// The top of the renderer: which phase the store is in (no store yet, locked, unlocked) and the switch
// between them. Locking unmounts the whole workspace, so every case view and every piece of state that
// held case data goes with it; the next unlock starts a fresh tree under a new key.
import { useCallback, useEffect, useState } from 'react';
import type { User } from '../src/contract/common.js';
import type { Api } from './api.js';
import { FirstRun } from './screens/FirstRun.js';
import { Unlock } from './screens/Unlock.js';
import { Workspace } from './Workspace.js';
import { Header, PageLayout } from './components/Layout.js';
import { PageHeading } from './components/PageHeading.js';
import { Button } from './components/Button.js';

export interface SessionStart {
  user: User;
  justification: string | null;
  tamperWarning: string | null;
  failedAttemptsSinceLastUnlock?: number;
  /** The user's last working context, offered in the working-context dialog when none was given at unlock. */
  suggestedJustification?: string | null;
}

type Phase =
  | { name: 'starting' }
  | { name: 'unavailable'; message: string }
  | { name: 'first-run' }
  | { name: 'locked'; reason: string | null }
  | { name: 'unlocked'; start: SessionStart; key: number };

export function App({ api }: { api: Api }) {
  const [phase, setPhase] = useState<Phase>({ name: 'starting' });

  const locked = useCallback((reason: string | null) => {
    setPhase((p) => (p.name === 'locked' ? p : { name: 'locked', reason }));
    // Nothing about the last session stays on screen, in the title or in a selection.
    document.title = 'Concordat: locked';
    window.getSelection()?.removeAllRanges();
  }, []);

  const refresh = useCallback(async () => {
    const status = await api.call('store.status', {});
    if (!status.ok) return setPhase({ name: 'unavailable', message: status.error.message });
    const s = status.value;
    if (s.state === 'uninitialised') return setPhase({ name: 'first-run' });
    if (s.state === 'locked' || !s.user) return locked(null);
    setPhase((p) =>
      p.name === 'unlocked'
        ? p
        : { name: 'unlocked', key: Date.now(), start: { user: s.user!, justification: s.justification, tamperWarning: s.tamperWarning } },
    );
  }, [api, locked]);

  useEffect(() => {
    void refresh();
    return api.onEvent((event) => {
      if (event.type === 'locked') locked(event.reason);
    });
  }, [api, refresh, locked]);

  const unlocked = useCallback((start: SessionStart) => setPhase({ name: 'unlocked', start, key: Date.now() }), []);

  switch (phase.name) {
    case 'starting':
      return (
        <PageLayout header={<Header />}>
          <p className="govuk-body" role="status">
            Opening Concordat…
          </p>
        </PageLayout>
      );
    case 'unavailable':
      return (
        <PageLayout header={<Header />}>
          <PageHeading>Concordat cannot open the store</PageHeading>
          <p className="govuk-body">{phase.message}</p>
          <Button onClick={() => void refresh()}>Try again</Button>
        </PageLayout>
      );
    case 'first-run':
      return <FirstRun api={api} onDone={unlocked} />;
    case 'locked':
      return <Unlock api={api} reason={phase.reason} onUnlocked={unlocked} />;
    case 'unlocked':
      return <Workspace key={phase.key} api={api} start={phase.start} onLocked={locked} />;
  }
}
