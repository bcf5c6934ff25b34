// The pure decisions behind the Electron shell: the app origin, the sender check, the CSP, the data
// folder, the idle lock and the renderer file resolver.
import { describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { APP_ENTRY_URL, isAppUrl, requestAllowed } from '../../src/shell/app-url.js';
import { checkSender } from '../../src/shell/sender-check.js';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../src/shell/csp.js';
import { defaultDataDir } from '../../src/shell/data-dir.js';
import { DEFAULT_IDLE_LOCK_MS, IdleTracker, idleLockMsFrom } from '../../src/shell/idle-lock.js';
import { RENDERER_NOT_BUILT_PAGE, readStaticFile, resolveInside } from '../../src/shell/static-files.js';
import { ConcordatError } from '../../src/contract/errors.js';
import { tempDir } from '../support/store.js';

const FOREIGN = [
  'https://evil.example/',
  'http://127.0.0.1:8080/',
  'file:///etc/passwd',
  'concordat://evil/index.html',
  'concordat://app.evil.example/index.html',
  'concordat://app:8080/index.html',
  'concordat://app@evil.example/index.html',
  'concordat://user:pw@app/index.html',
  'concordatx://app/index.html',
  'https://concordat://app/',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'about:blank',
  '',
  'not a url',
];

describe('app origin', () => {
  it('accepts the app page and its routes', () => {
    for (const url of [APP_ENTRY_URL, 'concordat://app/', 'concordat://app/cases/12?tab=risk#notes']) expect(isAppUrl(url), url).toBe(true);
  });

  it('refuses look-alikes by parsed parts, not by prefix', () => {
    for (const url of FOREIGN) expect(isAppUrl(url), url).toBe(false);
    expect(isAppUrl(null)).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
  });

  it('lets the session load only app files and local schemes', () => {
    expect(requestAllowed('concordat://app/assets/app.js')).toBe(true);
    expect(requestAllowed('data:image/png;base64,AAAA')).toBe(true);
    expect(requestAllowed('blob:concordat://app/1234')).toBe(true);
    for (const url of [
      'https://fonts.example/font.woff2',
      'http://localhost:3000/',
      'ws://127.0.0.1/',
      'file:///etc/hosts',
      'ftp://x/',
      'concordat://evil/',
      'nonsense',
    ]) {
      expect(requestAllowed(url), url).toBe(false);
    }
  });
});

describe('sender check', () => {
  it('passes the app page and refuses everything else with SENDER_REFUSED', () => {
    expect(checkSender('concordat://app/index.html')).toBeNull();
    for (const url of [...FOREIGN, null, undefined]) {
      const refusal = checkSender(url);
      expect(refusal).toBeInstanceOf(ConcordatError);
      expect(refusal?.code).toBe('SENDER_REFUSED');
    }
  });
});

describe('content security policy', () => {
  it('is the strict literal: own files only, no inline script, no remote origins, no frames or forms', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(directives).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'frame-ancestors': ["'none'"],
      'form-action': ["'none'"],
    });
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|https?:|\*/);
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('default data folder', () => {
  it('follows each platform convention', () => {
    expect(defaultDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\alex\\AppData\\Roaming' }, home: 'C:\\Users\\alex' })).toBe(
      'C:\\Users\\alex\\AppData\\Roaming\\Concordat',
    );
    expect(defaultDataDir({ platform: 'win32', env: {}, home: 'C:\\Users\\alex' })).toBe('C:\\Users\\alex\\AppData\\Roaming\\Concordat');
    expect(defaultDataDir({ platform: 'darwin', env: {}, home: '/Users/alex' })).toBe('/Users/alex/Library/Application Support/Concordat');
    expect(defaultDataDir({ platform: 'linux', env: { XDG_DATA_HOME: '/data/alex' }, home: '/home/alex' })).toBe('/data/alex/concordat');
    expect(defaultDataDir({ platform: 'linux', env: {}, home: '/home/alex' })).toBe('/home/alex/.local/share/concordat');
    // A relative XDG_DATA_HOME is invalid by the spec and ignored.
    expect(defaultDataDir({ platform: 'linux', env: { XDG_DATA_HOME: 'data' }, home: '/home/alex' })).toBe(
      '/home/alex/.local/share/concordat',
    );
  });
});

describe('idle lock', () => {
  it('reads the limit in minutes, clamped, with a five-minute default', () => {
    expect(DEFAULT_IDLE_LOCK_MS).toBe(300_000);
    expect(idleLockMsFrom(undefined)).toBe(300_000);
    expect(idleLockMsFrom('10')).toBe(600_000);
    expect(idleLockMsFrom('1.5')).toBe(90_000);
    expect(idleLockMsFrom('0')).toBe(60_000);
    expect(idleLockMsFrom('100000')).toBe(4 * 60 * 60_000);
    for (const bad of ['', 'five', '-3', '5m', 'Infinity', 'NaN']) expect(idleLockMsFrom(bad), bad).toBe(300_000);
  });

  it('locks only when both the system and the window have been idle for the limit', () => {
    const t0 = 1_000_000;
    const tracker = new IdleTracker(60_000, t0);
    expect(tracker.shouldLock(t0 + 59_999, 600)).toBe(false);
    expect(tracker.shouldLock(t0 + 60_000, 60)).toBe(true);
    // Working in another program: the system saw input 5 s ago.
    expect(tracker.shouldLock(t0 + 120_000, 5)).toBe(false);
    // Input in the window resets the clock even if the system reading lags.
    tracker.activity(t0 + 100_000);
    expect(tracker.shouldLock(t0 + 150_000, 600)).toBe(false);
    expect(tracker.shouldLock(t0 + 160_000, 600)).toBe(true);
    // An unusable system reading falls back to the window's own clock.
    expect(tracker.shouldLock(t0 + 160_000, Number.NaN)).toBe(true);
    expect(tracker.shouldLock(t0 + 150_000, -1)).toBe(false);
    // Activity never moves the clock backwards.
    tracker.activity(t0);
    expect(tracker.idleForMs(t0 + 160_000, 600)).toBe(60_000);
    expect(() => new IdleTracker(0, t0)).toThrow(RangeError);
  });

  it('falls back to the window clock where the system idle time is unsupported (always 0)', () => {
    const t0 = 1_000_000;
    const tracker = new IdleTracker(60_000, t0);
    expect(tracker.shouldLock(t0 + 30_000, 0)).toBe(false);
    expect(tracker.shouldLock(t0 + 60_000, 0)).toBe(true);
    // Once the system has reported real idle time, a 0 means real input again.
    const working = new IdleTracker(60_000, t0);
    expect(working.shouldLock(t0 + 15_000, 3)).toBe(false);
    expect(working.shouldLock(t0 + 60_000, 0)).toBe(false);
  });
});

describe('renderer files', () => {
  it('resolves paths inside the folder and refuses escapes', () => {
    const root = resolve('/srv/renderer');
    expect(resolveInside(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveInside(root, '/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
    expect(resolveInside(root, '/assets/My%20Font.woff2')).toBe(join(root, 'assets', 'My Font.woff2'));
    for (const bad of [
      '/..',
      '/../x',
      '/a/../../x',
      '/..%2fx',
      '/%2e%2e/x',
      '/a%5c..%5cx',
      '/.git/config',
      '/%00',
      '/x%ZZ',
      'relative',
      '/C:/windows',
    ]) {
      expect(resolveInside(root, bad), bad).toBeNull();
    }
  });

  it('does not follow a symlink out of the folder', async () => {
    const base = tempDir();
    const root = join(base, 'renderer');
    mkdirSync(root);
    writeFileSync(join(base, 'secret.txt'), 'secret');
    writeFileSync(join(root, 'index.html'), 'page');
    symlinkSync(join(base, 'secret.txt'), join(root, 'link.txt'));
    expect((await readStaticFile(root, '/link.txt')).status).toBe(403);
    expect((await readStaticFile(root, '/index.html')).body.toString()).toBe('page');
  });

  it('says the renderer is not built when the folder is empty or missing', async () => {
    const missing = join(tempDir(), 'nowhere');
    const page = await readStaticFile(missing, '/index.html');
    expect(page.status).toBe(200);
    expect(page.body.toString()).toBe(RENDERER_NOT_BUILT_PAGE);
    expect(RENDERER_NOT_BUILT_PAGE).not.toMatch(/<script|style=|on\w+=/i);
    expect((await readStaticFile(missing, '/app.js')).status).toBe(404);
  });
});
