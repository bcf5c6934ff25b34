// A stand-in for the `electron` module, for test/main only: the Electron binary does not exist on the
// build machine, so the shell is exercised through createApp(electron) with this object, which records
// every call and handler. Everything behind it (dispatcher, store, audit) is real.
import { EventEmitter } from 'node:events';
import type { WindowOpenHandlerResponse } from 'electron';
import type { ElectronApi } from '../../main/electron-api.js';

type Fn = (...args: never[]) => unknown;

export class StandInWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => WindowOpenHandlerResponse) | null = null;
  readonly sent: [channel: string, payload: unknown][] = [];
  setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenHandlerResponse) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
}

export class StandInSession extends EventEmitter {
  permissionRequest: Fn | null = null;
  permissionCheck: Fn | null = null;
  devicePermission: Fn | null = null;
  displayMedia: Fn | null = null;
  spellChecker: boolean | null = null;
  beforeRequest: Fn | null = null;
  headersReceived: Fn | null = null;
  readonly protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  readonly protocol = {
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => void this.protocolHandlers.set(scheme, handler),
  };
  readonly webRequest = {
    onBeforeRequest: (listener: Fn) => void (this.beforeRequest = listener),
    onHeadersReceived: (listener: Fn) => void (this.headersReceived = listener),
  };
  setPermissionRequestHandler(handler: Fn) {
    this.permissionRequest = handler;
  }
  setPermissionCheckHandler(handler: Fn) {
    this.permissionCheck = handler;
  }
  setDevicePermissionHandler(handler: Fn) {
    this.devicePermission = handler;
  }
  setDisplayMediaRequestHandler(handler: Fn) {
    this.displayMedia = handler;
  }
  setSpellCheckerEnabled(enabled: boolean) {
    this.spellChecker = enabled;
  }
}

export interface StandIn {
  electron: ElectronApi;
  app: EventEmitter & { packaged: boolean; lockGranted: boolean; calls: string[] };
  windows: StandInWindow[];
  sessions: Map<string, StandInSession>;
  schemes: unknown[];
  ipcHandlers: Map<string, Fn>;
  ipcListeners: Map<string, Fn>;
  powerMonitor: EventEmitter & { idleSeconds: number };
}

export interface StandInWindow extends EventEmitter {
  options: Record<string, unknown> & { webPreferences: Record<string, unknown> };
  webContents: StandInWebContents;
  loadedUrl: string | null;
  shown: boolean;
  minimized: boolean;
  focused: number;
  contentProtection: boolean | null;
}

export function electronStandIn(options: { packaged?: boolean; lockGranted?: boolean } = {}): StandIn {
  const app = Object.assign(new EventEmitter(), {
    packaged: options.packaged ?? false,
    lockGranted: options.lockGranted ?? true,
    calls: [] as string[],
  });
  const windows: StandInWindow[] = [];
  const sessions = new Map<string, StandInSession>();
  const schemes: unknown[] = [];
  const ipcHandlers = new Map<string, Fn>();
  const ipcListeners = new Map<string, Fn>();
  const powerMonitor = Object.assign(new EventEmitter(), { idleSeconds: 0 });

  class Window extends EventEmitter implements StandInWindow {
    webContents = new StandInWebContents();
    loadedUrl: string | null = null;
    shown = false;
    minimized = false;
    focused = 0;
    contentProtection: boolean | null = null;
    constructor(public options: StandInWindow['options']) {
      super();
      windows.push(this);
      // Electron announces every new web contents on the app object; the shell hardens them there.
      app.emit('web-contents-created', {}, this.webContents);
    }
    async loadURL(url: string) {
      this.loadedUrl = url;
      this.emit('ready-to-show');
    }
    show() {
      this.shown = true;
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return this.minimized;
    }
    restore() {
      this.minimized = false;
    }
    focus() {
      this.focused++;
    }
    setContentProtection(enabled: boolean) {
      this.contentProtection = enabled;
    }
  }

  const electron = {
    app: Object.assign(Object.defineProperty(app, 'isPackaged', { get: () => app.packaged }), {
      requestSingleInstanceLock: () => {
        app.calls.push('requestSingleInstanceLock');
        return app.lockGranted;
      },
      enableSandbox: () => void app.calls.push('enableSandbox'),
      quit: () => void app.calls.push('quit'),
      whenReady: async () => {
        app.calls.push('whenReady');
      },
    }),
    BrowserWindow: Window,
    ipcMain: {
      handle: (channel: string, handler: Fn) => void ipcHandlers.set(channel, handler),
      on: (channel: string, listener: Fn) => void ipcListeners.set(channel, listener),
    },
    protocol: { registerSchemesAsPrivileged: (list: unknown[]) => void schemes.push(...list) },
    session: {
      fromPartition: (partition: string) => {
        if (!sessions.has(partition)) sessions.set(partition, new StandInSession());
        return sessions.get(partition)!;
      },
    },
    powerMonitor: Object.assign(powerMonitor, { getSystemIdleTime: () => powerMonitor.idleSeconds }),
  };
  return { electron: electron as unknown as ElectronApi, app, windows, sessions, schemes, ipcHandlers, ipcListeners, powerMonitor };
}
