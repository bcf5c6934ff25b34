// The window's security settings and the rules for where its pages may go. Pure values and small
// functions over Electron objects, so the test can assert each one.
import type { BrowserWindowConstructorOptions, WebContents, WindowOpenHandlerResponse } from 'electron';
import { APP_PARTITION, isAppUrl } from '../src/shell/app-url.js';

export interface WindowSettings {
  preloadPath: string;
  /** DevTools only in development: never in a packaged build. */
  devTools: boolean;
}

export function appWindowOptions({ preloadPath, devTools }: WindowSettings): BrowserWindowConstructorOptions {
  return {
    title: 'Concordat',
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: preloadPath,
      partition: APP_PARTITION,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // The spell checker fetches dictionaries from the network and sees what is typed: off.
      spellcheck: false,
      safeDialogs: true,
      devTools,
    },
  };
}

/** will-navigate and friends: only the app's own pages. */
export function navigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

/**
 * window.open and target=_blank: always refused. A foreign URL must never reach the system browser, and a
 * second window of the app's own page would hold a session of its own view that no lock event reaches.
 */
export function windowOpenDecision(): WindowOpenHandlerResponse {
  return { action: 'deny' };
}

interface NavigationEvent {
  url: string;
  preventDefault(): void;
}

/** Applied to every web contents the app creates (windows, children, DevTools). */
export function hardenContents(contents: WebContents): void {
  const guard = (event: NavigationEvent) => {
    if (!navigationAllowed(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-frame-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(windowOpenDecision);
}
