// The IPC sender check: only the app's own page may call the dispatcher. A frame that navigated
// elsewhere (or was never ours) gets SENDER_REFUSED before any operation name is even looked at.
import { ConcordatError } from '../contract/errors.js';
import { isAppUrl } from './app-url.js';

/** Returns null when the frame URL is the app's origin, otherwise the typed refusal to send back. */
export function checkSender(frameUrl: string | null | undefined): ConcordatError | null {
  if (isAppUrl(frameUrl)) return null;
  return new ConcordatError('SENDER_REFUSED', 'This request did not come from the Concordat window and was refused.');
}
