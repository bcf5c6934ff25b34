// The app's own origin. The renderer is served from a custom privileged scheme, never file://, so
// "is this our page?" has one exact answer: scheme concordat, host app, no port, no credentials.
export const APP_SCHEME = 'concordat';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True only for URLs whose parsed scheme and host are the app's. Compares parsed parts, never prefixes:
 * "concordat://app.evil.example/" and "concordat://app@evil/" must not pass. (Node reports origin "null"
 * for non-special schemes, so protocol and host are compared instead of `origin`.)
 */
export function isAppUrl(url: string | null | undefined): boolean {
  if (typeof url !== 'string' || url.length === 0) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}

/** The in-memory session partition (no "persist:" prefix): Chromium keeps no cache, storage or cookies on disk. */
export const APP_PARTITION = 'concordat';

// Schemes a page of ours may still reference without leaving the app: images inlined as data:, object
// URLs it made itself, and the DevTools front end in development builds.
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'devtools:']);

/** Whether the app's session may load `url` at all: its own origin and local schemes, never the network or file://. */
export function requestAllowed(url: string): boolean {
  if (isAppUrl(url)) return true;
  try {
    return LOCAL_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}
