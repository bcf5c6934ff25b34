// The window's session: no permissions, no network, no spell-check service, no downloads except the
// files the user exports from the app itself, and the CSP stamped on every response it receives.
import type { Session } from 'electron';
import { isAppUrl, requestAllowed } from '../src/shell/app-url.js';

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  session.setSpellCheckerEnabled(false);
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !requestAllowed(details.url) }));
  // The protocol handler already sends this header; repeating it here covers any response that does not
  // come from it. Written out as a literal so the security scanner can evaluate it; a test keeps it equal
  // to CONTENT_SECURITY_POLICY in src/shell/csp.ts.
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
        ],
      },
    }),
  );
  session.on('will-download', (event, item) => {
    if (!isOwnExport(item.getURL())) {
      event.preventDefault();
      return;
    }
    // No save path is set, so Electron asks where to save: an export lands only where the user puts it.
    item.setSaveDialogOptions({ title: 'Save the export', defaultPath: item.getFilename(), buttonLabel: 'Save' });
  });
}

/**
 * An export is an object URL the app's page made from data it already holds (blob:concordat://app/…);
 * anything else, a link to the network or a file, is not downloaded.
 */
export function isOwnExport(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'blob:' && isAppUrl(parsed.pathname);
  } catch {
    return false;
  }
}
