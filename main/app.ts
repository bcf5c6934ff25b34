// The Electron shell, as a function of the Electron API so it can be tested without the binary.
// Thin glue: every decision it applies lives in a module with its own test.
import type { BrowserWindow, Event as ElectronEvent, WebContents } from 'electron';
import type { ElectronApi } from './electron-api.js';
import { Host } from '../src/dispatch/index.js';
import type { HostOptions } from '../src/dispatch/index.js';
import { APP_ENTRY_URL, APP_PARTITION, APP_SCHEME } from '../src/shell/app-url.js';
import { subscribeAppEvents } from '../src/shell/app-events.js';
import { DEFAULT_IDLE_LOCK_MS } from '../src/shell/idle-lock.js';
import { CONTENT_PROTECTION_DEFAULT } from '../src/shell/content-protection.js';
import { appWindowOptions, hardenContents, type WindowSettings } from './window.js';
import { hardenSession } from './session-policy.js';
import { APP_SCHEME_DEFINITION, appProtocolHandler } from './protocol.js';
import { EVENT_CHANNEL, registerIpc } from './ipc.js';
import { startAutoLock, type AutoLock } from './auto-lock.js';

export interface AppOptions {
  dataDir: string;
  /** The compiled preload (preload.cjs). */
  preloadPath: string;
  /** The built renderer folder served at concordat://app/. */
  rendererRoot: string;
  idleLockMs?: number;
  idlePollMs?: number;
  /** Keep the window out of screen captures and shared screens (default on: src/shell/content-protection.ts). */
  contentProtection?: boolean;
  vaultOptions?: HostOptions;
  now?: () => number;
}

export interface ConcordatApp {
  readonly host: Host;
  /** Resolves true once the window is loading, false if another instance already runs. */
  start(): Promise<boolean>;
  /** Locks (audited), closes the store; idempotent. */
  shutdown(): Promise<void>;
  readonly window: BrowserWindow | null;
  readonly autoLock: AutoLock | null;
}

export function createApp(electron: ElectronApi, options: AppOptions): ConcordatApp {
  const { app } = electron;
  const host = new Host(options.dataDir, options.vaultOptions);
  const settings: WindowSettings = { preloadPath: options.preloadPath, devTools: !app.isPackaged };
  let window: BrowserWindow | null = null;
  let autoLock: AutoLock | null = null;
  let shuttingDown: Promise<void> | null = null;
  let readyToQuit = false;

  const shutdown = () => {
    shuttingDown ??= (async () => {
      autoLock?.stop();
      await host.lock('shutdown').catch(() => undefined);
      await host.close();
    })();
    return shuttingDown;
  };

  const focusWindow = () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  };

  const createWindow = async () => {
    const session = electron.session.fromPartition(APP_PARTITION);
    hardenSession(session);
    session.protocol.handle(APP_SCHEME, appProtocolHandler(options.rendererRoot));

    autoLock = startAutoLock(electron.powerMonitor, host, {
      idleLimitMs: options.idleLockMs ?? DEFAULT_IDLE_LOCK_MS,
      ...(options.idlePollMs === undefined ? {} : { pollMs: options.idlePollMs }),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    registerIpc(electron.ipcMain, host, () => autoLock?.activity());

    const win = new electron.BrowserWindow(appWindowOptions(settings));
    window = win;
    win.setContentProtection(options.contentProtection ?? CONTENT_PROTECTION_DEFAULT);
    subscribeAppEvents(host, (event) => {
      if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event);
    });
    win.once('ready-to-show', () => win.show());
    await win.loadURL(APP_ENTRY_URL);
  };

  const start = async () => {
    // Both must happen before the app is ready.
    electron.protocol.registerSchemesAsPrivileged([APP_SCHEME_DEFINITION]);
    app.enableSandbox();
    if (!app.requestSingleInstanceLock()) {
      app.quit();
      return false;
    }
    app.on('second-instance', focusWindow);
    app.on('web-contents-created', (_event: ElectronEvent, contents: WebContents) => hardenContents(contents));
    // Closing the window quits (on macOS too): a store left open in the dock is a store left unlocked.
    app.on('window-all-closed', () => app.quit());
    app.on('before-quit', (event: ElectronEvent) => {
      if (readyToQuit) return;
      event.preventDefault();
      void shutdown().finally(() => {
        readyToQuit = true;
        app.quit();
      });
    });
    await app.whenReady();
    await createWindow();
    return true;
  };

  return {
    host,
    start,
    shutdown,
    get window() {
      return window;
    },
    get autoLock() {
      return autoLock;
    },
  };
}
