// The Electron shell through createApp(electron) with a recording stand-in for the electron module.
// The store, dispatcher and audit log behind it are real (SQLCipher files in a temp folder).
import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, type ConcordatApp } from '../../main/app.js';
import { ACTIVITY_CHANNEL, EVENT_CHANNEL, INVOKE_CHANNEL } from '../../main/ipc.js';
import { APP_ENTRY_URL, APP_PARTITION } from '../../src/shell/app-url.js';
import { CONTENT_SECURITY_POLICY } from '../../src/shell/csp.js';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { Vault } from '../../src/vault/vault.js';
import { call, credentials, MANAGER } from '../support/partnership.js';
import { FAST_KDF, tempDir } from '../support/store.js';
import { electronStandIn, type StandIn } from './electron-stand-in.js';

const APP_FRAME = { senderFrame: { url: 'concordat://app/index.html' } };
const apps: ConcordatApp[] = [];
afterEach(async () => {
  while (apps.length) await apps.pop()!.shutdown();
});

interface Started {
  standIn: StandIn;
  concordat: ConcordatApp;
  dataDir: string;
  rendererRoot: string;
  clock: { now: number };
  invoke(
    operation: string,
    input?: unknown,
    frame?: unknown,
  ): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string; field?: string } }>;
}

async function started(options: { packaged?: boolean; idleLockMs?: number; contentProtection?: boolean } = {}): Promise<Started> {
  const standIn = electronStandIn({ packaged: options.packaged ?? false });
  const dataDir = tempDir();
  const rendererRoot = join(tempDir(), 'dist-renderer');
  mkdirSync(rendererRoot);
  writeFileSync(join(rendererRoot, 'index.html'), '<!doctype html><title>Concordat</title>');
  const clock = { now: 1_700_000_000_000 };
  const concordat = createApp(standIn.electron, {
    dataDir,
    preloadPath: '/opt/concordat/dist/main/preload.cjs',
    rendererRoot,
    vaultOptions: { kdf: FAST_KDF },
    idleLockMs: options.idleLockMs ?? 300_000,
    idlePollMs: 3_600_000,
    now: () => clock.now,
    ...(options.contentProtection === undefined ? {} : { contentProtection: options.contentProtection }),
  });
  apps.push(concordat);
  expect(await concordat.start()).toBe(true);
  const handler = standIn.ipcHandlers.get(INVOKE_CHANNEL)!;
  const invoke = (operation: string, input: unknown = {}, frame: unknown = APP_FRAME) =>
    handler(frame as never, { operation, input } as never) as Promise<never>;
  return { standIn, concordat, dataDir, rendererRoot, clock, invoke };
}

const navigationEvent = (url: string) => {
  const event = {
    url,
    prevented: false,
    preventDefault() {
      event.prevented = true;
    },
  };
  return event;
};

describe('the window', () => {
  it('opens one sandboxed, isolated window on the app protocol with the preload and an in-memory session', async () => {
    const { standIn } = await started();
    expect(standIn.windows).toHaveLength(1);
    const [win] = standIn.windows;
    expect(win!.options.webPreferences).toEqual({
      preload: '/opt/concordat/dist/main/preload.cjs',
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
      spellcheck: false,
      safeDialogs: true,
      devTools: true,
    });
    expect(APP_PARTITION.startsWith('persist:')).toBe(false);
    expect(win!.options.show).toBe(false);
    expect(win!.loadedUrl).toBe(APP_ENTRY_URL);
    expect(win!.shown).toBe(true);
    expect(standIn.app.calls).toEqual(['enableSandbox', 'requestSingleInstanceLock', 'whenReady']);
  });

  it('has no DevTools in a packaged build', async () => {
    const { standIn } = await started({ packaged: true });
    expect(standIn.windows[0]!.options.webPreferences.devTools).toBe(false);
  });

  it('registers the app scheme as standard and secure, without bypassing the CSP', async () => {
    const { standIn } = await started();
    expect(standIn.schemes).toEqual([
      {
        scheme: 'concordat',
        privileges: {
          standard: true,
          secure: true,
          supportFetchAPI: true,
          bypassCSP: false,
          allowServiceWorkers: false,
          corsEnabled: false,
          stream: false,
        },
      },
    ]);
  });

  it('refuses navigation and redirects to anything but the app origin', async () => {
    const { standIn } = await started();
    const contents = standIn.windows[0]!.webContents;
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(contents.listenerCount(event), event).toBeGreaterThan(0);
      for (const url of [
        'https://evil.example/',
        'file:///etc/passwd',
        'concordat://app.evil.example/',
        'concordat://app@evil.example/',
        'http://127.0.0.1:9999/',
      ]) {
        const e = navigationEvent(url);
        contents.emit(event, e);
        expect(e.prevented, `${event} ${url}`).toBe(true);
      }
      const ours = navigationEvent('concordat://app/cases/12');
      contents.emit(event, ours);
      expect(ours.prevented, event).toBe(false);
    }
    const webview = navigationEvent('');
    contents.emit('will-attach-webview', webview);
    expect(webview.prevented).toBe(true);
  });

  it('denies every new window, the app’s own pages included (a second window would never hear of a lock)', async () => {
    const { standIn } = await started();
    const handler = standIn.windows[0]!.webContents.windowOpenHandler!;
    for (const url of [
      'https://evil.example/',
      'mailto:someone@example.org',
      'file:///C:/',
      'concordat://evil/',
      'concordat://app/print.html',
      'concordat://app/index.html',
      '',
    ])
      expect(handler({ url }), url).toEqual({ action: 'deny' });
  });

  it('keeps the window out of screen captures by default, and only an explicit setting turns that off', async () => {
    const { standIn } = await started();
    expect(standIn.windows[0]!.contentProtection).toBe(true);
    const off = await started({ contentProtection: false });
    expect(off.standIn.windows[0]!.contentProtection).toBe(false);
  });

  it('denies every permission, device and screen capture, and blocks network and file requests', async () => {
    const { standIn } = await started();
    const session = standIn.sessions.get(APP_PARTITION)!;
    for (const permission of ['media', 'notifications', 'geolocation', 'openExternal', 'clipboard-read', 'fileSystem']) {
      let granted: boolean | null = null;
      session.permissionRequest!({} as never, permission as never, ((g: boolean) => (granted = g)) as never, {} as never);
      expect(granted, permission).toBe(false);
      expect(session.permissionCheck!(null as never, permission as never, 'concordat://app' as never, {} as never), permission).toBe(false);
    }
    expect(session.devicePermission!({} as never)).toBe(false);
    let streams: unknown = 'unset';
    session.displayMedia!({} as never, ((s: unknown) => (streams = s)) as never);
    expect(streams).toEqual({});
    expect(session.spellChecker).toBe(false);

    const decide = (url: string) => {
      let cancel: boolean | undefined;
      session.beforeRequest!({ url } as never, ((r: { cancel: boolean }) => (cancel = r.cancel)) as never);
      return cancel;
    };
    expect(decide('concordat://app/assets/app.js')).toBe(false);
    expect(decide('data:image/png;base64,AAAA')).toBe(false);
    for (const url of ['https://cdn.example/lib.js', 'http://127.0.0.1:3000/', 'wss://x.example/', 'file:///etc/passwd'])
      expect(decide(url), url).toBe(true);

    // Downloads: only object URLs the app's own page made (an export), each through a save dialog.
    const downloadOf = (url: string) => {
      const event = navigationEvent('');
      const item = {
        dialog: null as unknown,
        getURL: () => url,
        getFilename: () => 'concordat-audit.csv',
        setSaveDialogOptions(o: unknown) {
          item.dialog = o;
        },
      };
      session.emit('will-download', event, item);
      return { prevented: event.prevented, dialog: item.dialog };
    };
    expect(downloadOf('blob:concordat://app/5b7f1c2e-0d7a-4a57-9c1e-3f0b1c9f2a11')).toEqual({
      prevented: false,
      dialog: expect.objectContaining({ defaultPath: 'concordat-audit.csv' }),
    });
    for (const url of [
      'https://evil.example/payload.exe',
      'blob:https://evil.example/5b7f',
      'blob:concordat://app.evil/5b7f',
      'file:///etc/passwd',
      'data:text/csv,a',
      '',
    ]) {
      expect(downloadOf(url), url).toEqual({ prevented: true, dialog: null });
    }
  });

  it('puts the literal CSP on every response, in the session and from the protocol handler', async () => {
    const { standIn, rendererRoot } = await started();
    const session = standIn.sessions.get(APP_PARTITION)!;
    let headers: Record<string, string[]> = {};
    session.headersReceived!(
      { responseHeaders: { 'X-Other': ['1'] } } as never,
      ((r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders)) as never,
    );
    expect(headers).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });

    const serve = session.protocolHandlers.get('concordat')!;
    const page = await serve(new Request(APP_ENTRY_URL));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>Concordat</title>');

    writeFileSync(join(rendererRoot, '..', 'secret.txt'), 'outside');
    const escape = await serve(new Request('concordat://app/..%2fsecret.txt'));
    expect(escape.status).toBe(403);
    expect(escape.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await serve(new Request('concordat://evil/index.html'))).status).toBe(404);
    expect((await serve(new Request(APP_ENTRY_URL, { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});

describe('single instance', () => {
  it('quits at once when another instance holds the lock, before opening a window or an IPC door', async () => {
    const standIn = electronStandIn();
    standIn.app.lockGranted = false;
    const concordat = createApp(standIn.electron, {
      dataDir: tempDir(),
      preloadPath: 'p',
      rendererRoot: 'r',
      vaultOptions: { kdf: FAST_KDF },
    });
    apps.push(concordat);
    expect(await concordat.start()).toBe(false);
    expect(standIn.app.calls).toContain('quit');
    expect(standIn.app.calls).not.toContain('whenReady');
    expect(standIn.windows).toHaveLength(0);
    expect(standIn.ipcHandlers.size).toBe(0);
  });

  it('brings the existing window forward when a second copy is started', async () => {
    const { standIn } = await started();
    const win = standIn.windows[0]!;
    win.minimized = true;
    standIn.app.emit('second-instance');
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(1);
  });
});

describe('IPC', () => {
  it('registers exactly one invoke channel', async () => {
    const { standIn } = await started();
    expect([...standIn.ipcHandlers.keys()]).toEqual([INVOKE_CHANNEL]);
    expect([...standIn.ipcListeners.keys()]).toEqual([ACTIVITY_CHANNEL]);
  });

  it('refuses a call whose sender frame is not the app origin, before any operation runs', async () => {
    const { invoke, dataDir } = await started();
    for (const frame of [
      { senderFrame: { url: 'https://evil.example/' } },
      { senderFrame: { url: 'concordat://app.evil.example/index.html' } },
      { senderFrame: { url: 'file:///tmp/index.html' } },
      { senderFrame: null },
      {
        senderFrame: {
          get url(): string {
            throw new Error('frame destroyed');
          },
        },
      },
    ]) {
      const result = await invoke('store.init', MANAGER, frame);
      expect(result).toEqual({ ok: false, error: { code: 'SENDER_REFUSED', message: expect.any(String) } });
    }
    expect(Vault.isInitialised(dataDir)).toBe(false);
  });

  it('runs a call from the app page through the dispatcher on the real store; errors cross as {code, message, field}', async () => {
    const { invoke, concordat, standIn } = await started();
    const init = await invoke('store.init', MANAGER);
    expect(init).toMatchObject({ ok: true, value: { user: { username: MANAGER.username } } });
    expect(concordat.host.session?.user.username).toBe(MANAGER.username);
    expect(await invoke('store.status')).toMatchObject({ ok: true, value: { state: 'unlocked' } });

    const invalid = await invoke('organisations.add', { name: '', statutory: true });
    expect(invalid).toEqual({ ok: false, error: { code: 'VALIDATION', message: expect.any(String), field: 'name' } });
    expect(await invoke('no.such.operation')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
    const handler = standIn.ipcHandlers.get(INVOKE_CHANNEL)!;
    for (const malformed of [null, 'store.status', { operation: 42 }, []]) {
      expect(await handler(APP_FRAME as never, malformed as never)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field: 'operation' },
      });
    }
  });

  it('tells the page when the store locks, however it was locked', async () => {
    const { invoke, standIn } = await started();
    await invoke('store.init', MANAGER);
    await invoke('session.lock');
    expect(standIn.windows[0]!.webContents.sent).toContainEqual([EVENT_CHANNEL, { type: 'locked', reason: 'user' }]);
  });
});

async function lockEntries(concordat: ConcordatApp): Promise<{ details: Record<string, unknown>; username: string | null }[]> {
  // Unlock again (audited) and read the log through the dispatcher, as a manager would.
  const host = concordat.host;
  const unlocked = await dispatch(host, 'session.unlock', credentials(MANAGER));
  expect(unlocked.ok).toBe(true);
  await dispatch(host, 'session.setJustification', { justification: 'Checking auto-lock' });
  return (await call(host, 'audit.query', { filter: { kind: 'lock' }, limit: 20 })).entries as never;
}

describe('auto-lock', () => {
  it('locks after the idle limit when neither the system nor the window saw input, and audits it', async () => {
    const { invoke, concordat, standIn, clock } = await started({ idleLockMs: 60_000 });
    await invoke('store.init', MANAGER);
    const autoLock = concordat.autoLock!;

    clock.now += 59_000;
    standIn.powerMonitor.idleSeconds = 59;
    await autoLock.check();
    expect(concordat.host.session).not.toBeNull();

    // The user is busy in another program: the system saw input a second ago.
    clock.now += 60_000;
    standIn.powerMonitor.idleSeconds = 1;
    await autoLock.check();
    expect(concordat.host.session).not.toBeNull();

    // Input in the window (through the preload's activity channel) resets the clock; a foreign frame's does not.
    standIn.ipcListeners.get(ACTIVITY_CHANNEL)!({ senderFrame: { url: 'https://evil.example/' } } as never);
    clock.now += 30_000;
    standIn.ipcListeners.get(ACTIVITY_CHANNEL)!(APP_FRAME as never);
    clock.now += 30_000;
    standIn.powerMonitor.idleSeconds = 600;
    await autoLock.check();
    expect(concordat.host.session).not.toBeNull();

    clock.now += 30_000;
    await autoLock.check();
    expect(concordat.host.session).toBeNull();
    expect(concordat.host.vault?.isUnlocked).toBe(false);
    expect(standIn.windows[0]!.webContents.sent).toContainEqual([EVENT_CHANNEL, { type: 'locked', reason: 'idle' }]);
    expect(await invoke('users.list')).toMatchObject({ ok: false, error: { code: 'LOCKED' } });

    const entries = await lockEntries(concordat);
    expect(entries.map((e) => e.details.reason)).toEqual(['idle']);
    expect(entries[0]!.username).toBe(MANAGER.username);
  });

  it('counts an IPC call as activity', async () => {
    const { invoke, concordat, standIn, clock } = await started({ idleLockMs: 60_000 });
    await invoke('store.init', MANAGER);
    standIn.powerMonitor.idleSeconds = 600;
    clock.now += 50_000;
    await invoke('store.status');
    clock.now += 50_000;
    await concordat.autoLock!.check();
    expect(concordat.host.session).not.toBeNull();
  });

  it('locks on system suspend and on screen lock, each audited with its reason', async () => {
    const { invoke, concordat, standIn } = await started();
    await invoke('store.init', MANAGER);
    let locked = once(concordat.host, 'locked');
    standIn.powerMonitor.emit('suspend');
    expect(await locked).toEqual(['suspend']);
    expect(concordat.host.vault?.isUnlocked).toBe(false);

    await invoke('session.unlock', credentials(MANAGER));
    locked = once(concordat.host, 'locked');
    standIn.powerMonitor.emit('lock-screen');
    expect(await locked).toEqual(['screen-lock']);
    expect(standIn.windows[0]!.webContents.sent).toContainEqual([EVENT_CHANNEL, { type: 'locked', reason: 'screen-lock' }]);

    const entries = await lockEntries(concordat);
    expect(entries.map((e) => e.details.reason).sort()).toEqual(['screen-lock', 'suspend']);
  });

  it('does not lock a store that is already locked, so idle polling adds no entries', async () => {
    const { invoke, concordat, standIn, clock } = await started({ idleLockMs: 60_000 });
    await invoke('store.init', MANAGER);
    await invoke('session.lock');
    standIn.powerMonitor.idleSeconds = 10_000;
    clock.now += 10_000_000;
    await concordat.autoLock!.check();
    standIn.powerMonitor.emit('suspend');
    const entries = await lockEntries(concordat);
    expect(entries.map((e) => e.details.reason)).toEqual(['user']);
  });
});

describe('quitting', () => {
  it('holds the quit until the store is locked (audited) and closed, then quits', async () => {
    const { invoke, concordat, standIn, dataDir } = await started();
    await invoke('store.init', MANAGER);
    const quit = navigationEvent('');
    const locked = once(concordat.host, 'locked');
    standIn.app.emit('before-quit', quit);
    expect(quit.prevented).toBe(true);
    expect(await locked).toEqual(['shutdown']);
    await concordat.shutdown();
    await new Promise((r) => setImmediate(r));
    expect(standIn.app.calls.filter((c) => c === 'quit')).toHaveLength(1);
    expect(concordat.host.vault).toBeNull();

    // The second before-quit (from that app.quit()) goes through.
    const second = navigationEvent('');
    standIn.app.emit('before-quit', second);
    expect(second.prevented).toBe(false);

    // The store was left locked and released: another process can open it.
    const { Host } = await import('../../src/host/host.js');
    const again = new Host(dataDir, { kdf: FAST_KDF });
    const entries = await lockEntries({ host: again } as ConcordatApp);
    expect(entries.map((e) => e.details.reason)).toEqual(['shutdown']);
    await again.close();
  });

  it('quits when the last window closes', async () => {
    const { standIn } = await started();
    standIn.app.emit('window-all-closed');
    expect(standIn.app.calls).toContain('quit');
  });
});
