// Events the main side pushes to the page: over IPC in Electron, over the preview transport in a browser.
// They carry no case data; on 'locked' the page clears every view and shows the unlock screen.
import type { Host, HostEvents } from '../host/host.js';

export type LockReason = HostEvents['locked'][0];
export type AppEvent = { type: 'locked'; reason: LockReason } | { type: 'unlocked' };

/** Forwards the host's lock and unlock to `listener`; returns the unsubscribe. */
export function subscribeAppEvents(host: Host, listener: (event: AppEvent) => void): () => void {
  const onLocked = (reason: LockReason) => listener({ type: 'locked', reason });
  const onUnlocked = () => listener({ type: 'unlocked' });
  host.on('locked', onLocked);
  host.on('unlocked', onUnlocked);
  return () => {
    host.off('locked', onLocked);
    host.off('unlocked', onUnlocked);
  };
}
