// The preview/e2e transport against a real store: real HTTP on 127.0.0.1, real fetch, real SQLCipher.
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpTransport, TOKEN_HEADER, type HttpTransport } from '../../src/transport/http-transport.js';
import { CONTENT_SECURITY_POLICY } from '../../src/shell/csp.js';
import { Vault } from '../../src/vault/vault.js';
import { call, credentials, MANAGER } from '../support/partnership.js';
import { filesIn, holdQueue, newHost, tempDir } from '../support/store.js';

const open: HttpTransport[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function serve(options: { staticRoot?: string; maxBodyBytes?: number } = {}) {
  const dataDir = tempDir();
  const host = newHost(dataDir);
  const transport = await startHttpTransport({ host, ...options });
  open.push(transport);
  const invoke = (operation: unknown, input?: unknown, token = transport.token) =>
    fetch(`${transport.origin}/invoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
      body: JSON.stringify({ operation, input }),
    });
  return { dataDir, host, transport, invoke };
}

/** A raw request, for headers fetch will not let a test forge (Host) and paths it would normalise. */
function raw(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('HTTP transport', () => {
  it('listens on 127.0.0.1 with a random port and a fresh 256-bit token each time', async () => {
    const a = await serve();
    const b = await serve();
    expect(a.transport.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(a.transport.token).toMatch(/^[0-9a-f]{64}$/);
    expect(a.transport.token).not.toBe(b.transport.token);
    expect(a.transport.port).not.toBe(b.transport.port);
    expect(a.transport.pageUrl).toBe(`${a.transport.origin}/#token=${a.transport.token}`);
  });

  it('runs operations through the dispatcher: set-up, unlock, audited calls and typed errors', async () => {
    const { invoke, host } = await serve();
    expect(await (await invoke('store.status', {})).json()).toMatchObject({ ok: true, value: { state: 'uninitialised' } });

    const init = await invoke('store.init', MANAGER);
    expect(init.status).toBe(200);
    expect(init.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const created = (await init.json()) as { ok: true; value: { recoveryKey: string; user: { username: string } } };
    expect(created.ok).toBe(true);
    expect(created.value.user.username).toBe(MANAGER.username);
    expect(host.session?.user.username).toBe(MANAGER.username);

    expect(await (await invoke('organisations.add', { name: 'West Midlands Police', statutory: 'yes' })).json()).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: expect.any(String), field: 'statutory' },
    });
    expect(await (await invoke('no.such.thing', {})).json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });

    expect(await (await invoke('session.lock', {})).json()).toEqual({ ok: true, value: { ok: true } });
    expect(await (await invoke('users.list', {})).json()).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await (await invoke('session.unlock', credentials(MANAGER))).json()).toMatchObject({ ok: true });

    // The transport's calls are audited like any other: the refused add and the lock are in the log.
    expect(await (await invoke('session.setJustification', { justification: 'Checking the audit trail' })).json()).toMatchObject({
      ok: true,
    });
    const log = (await (await invoke('audit.query', { limit: 50 })).json()) as {
      ok: true;
      value: { entries: { operation: string; outcome: string }[] };
    };
    expect(log.ok).toBe(true);
    const ops = log.value.entries.map((e) => `${e.operation}:${e.outcome}`);
    expect(ops).toEqual(expect.arrayContaining(['organisations.add:refused', 'session.lock:ok', 'session.unlock:ok']));
  });

  it('refuses a missing or wrong token before touching the store', async () => {
    const { invoke, transport, dataDir } = await serve();
    const wrong = await invoke('store.init', MANAGER, 'f'.repeat(64));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ ok: false, error: { code: 'SENDER_REFUSED' } });
    const short = await invoke('store.init', MANAGER, transport.token.slice(0, 63));
    expect(short.status).toBe(401);
    const none = await fetch(`${transport.origin}/invoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ operation: 'store.init', input: MANAGER }),
    });
    expect(none.status).toBe(401);
    expect(Vault.isInitialised(dataDir)).toBe(false);
    expect(filesIn(dataDir)).toEqual([]);
  });

  it('refuses a foreign Host header (DNS rebinding) and a foreign Origin (another web page), even with the token', async () => {
    const { transport, dataDir } = await serve();
    const body = JSON.stringify({ operation: 'store.init', input: MANAGER });
    const headers = { 'Content-Type': 'application/json', [TOKEN_HEADER]: transport.token };
    const rebound = await raw(transport.port, {
      method: 'POST',
      path: '/invoke',
      headers: { ...headers, Host: `evil.example:${transport.port}` },
      body,
    });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ ok: false, error: { code: 'SENDER_REFUSED' } });
    const otherPort = await raw(transport.port, {
      method: 'POST',
      path: '/invoke',
      headers: { ...headers, Host: `127.0.0.1:${transport.port + 1}` },
      body,
    });
    expect(otherPort.status).toBe(403);
    const crossSite = await raw(transport.port, {
      method: 'POST',
      path: '/invoke',
      headers: { ...headers, Origin: 'https://evil.example' },
      body,
    });
    expect(crossSite.status).toBe(403);
    // A CORS preflight gets no Access-Control-Allow-* headers, so browsers will not send the real call.
    const preflight = await raw(transport.port, {
      method: 'OPTIONS',
      path: '/invoke',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(Vault.isInitialised(dataDir)).toBe(false);

    const sameOrigin = await raw(transport.port, {
      method: 'POST',
      path: '/invoke',
      headers: { ...headers, Origin: transport.origin, Host: `localhost:${transport.port}` },
      body: JSON.stringify({ operation: 'store.status', input: {} }),
    });
    expect(sameOrigin.status).toBe(200);
  });

  it('answers malformed calls with typed errors naming the field', async () => {
    const { transport } = await serve({ maxBodyBytes: 1024 });
    const headers = { [TOKEN_HEADER]: transport.token, 'Content-Type': 'application/json' };
    const post = (body: string, extra: Record<string, string> = {}) =>
      fetch(`${transport.origin}/invoke`, { method: 'POST', headers: { ...headers, ...extra }, body });

    const notJson = await post('{"operation":');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'body' } });
    const noOperation = await post(JSON.stringify({ input: {} }));
    expect(await noOperation.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'operation' } });
    const array = await post('[]');
    expect(await array.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'body' } });
    const textPlain = await post(JSON.stringify({ operation: 'store.status' }), { 'Content-Type': 'text/plain' });
    expect(textPlain.status).toBe(415);
    const huge = await post(JSON.stringify({ operation: 'store.status', input: { pad: 'x'.repeat(2048) } }));
    expect(huge.status).toBe(413);
    const get = await fetch(`${transport.origin}/invoke`, { headers });
    expect(get.status).toBe(405);
  });

  it('serves the renderer folder with the CSP, and nothing outside it', async () => {
    const base = tempDir();
    const root = join(base, 'dist-renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Concordat</title><script type="module" src="/assets/app.js"></script>');
    writeFileSync(join(root, 'assets', 'app.js'), 'export {};');
    writeFileSync(join(root, '.env'), 'SECRET=1');
    writeFileSync(join(base, 'secret.txt'), 'outside the renderer folder');
    const { transport } = await serve({ staticRoot: root });

    const page = await fetch(`${transport.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Concordat</title>');
    const script = await fetch(`${transport.origin}/assets/app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    // A route of the renderer survives a reload.
    expect(await (await fetch(`${transport.origin}/cases/12`)).text()).toContain('<title>Concordat</title>');

    // Encoded separators and dotfiles reach the resolver and are refused outright.
    for (const path of [
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/.env',
      '/%2e%2e%5csecret.txt',
      '/assets%2f..%2f..%2fsecret.txt',
    ]) {
      const res = await raw(transport.port, { path });
      expect(res.status, path).toBe(403);
      expect(res.body).not.toContain('outside the renderer folder');
    }
    // Plain and percent-encoded dot segments are folded by the URL parser first: still never the file outside.
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt']) {
      const res = await raw(transport.port, { path });
      expect(res.status, path).not.toBe(200);
      expect(res.body).not.toContain('outside the renderer folder');
    }
    expect((await raw(transport.port, { path: '/missing.js' })).status).toBe(404);
    expect((await raw(transport.port, { method: 'DELETE', path: '/index.html' })).status).toBe(405);
  });

  it('serves no files at all without a renderer folder', async () => {
    const { transport } = await serve();
    expect((await fetch(`${transport.origin}/`)).status).toBe(404);
  });

  it('streams lock events to a client holding the token', async () => {
    const { transport, invoke, host } = await serve();
    await invoke('store.init', MANAGER);
    expect((await fetch(`${transport.origin}/events`)).status).toBe(401);

    const events = await fetch(`${transport.origin}/events`, { headers: { [TOKEN_HEADER]: transport.token } });
    expect(events.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = events.body!.getReader();
    const received: string[] = [];
    const readUntilLocked = (async () => {
      const decoder = new TextDecoder();
      while (!received.join('').includes('"locked"')) {
        const { value, done } = await reader.read();
        if (done) break;
        received.push(decoder.decode(value));
      }
    })();
    await call(host, 'session.lock');
    await readUntilLocked;
    expect(received.join('')).toContain('data: {"type":"locked","reason":"user"}\n\n');
    await reader.cancel();
  });

  it('passes a lane to the dispatcher: a newer case list call on it supersedes one still waiting', async () => {
    const { host, transport } = await serve();
    await call(host, 'store.init', MANAGER);
    await call(host, 'session.setJustification', { justification: 'Testing lanes over HTTP' });
    const invoke = (lane: unknown) =>
      fetch(`${transport.origin}/invoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: transport.token },
        body: JSON.stringify({ operation: 'cases.list', input: {}, lane }),
      }).then((r) => r.json() as Promise<{ ok: boolean; error?: { code: string } }>);
    const queue = await holdQueue(host);
    const sameLane = [invoke('page-1 case list'), invoke('page-1 case list')];
    const others = [invoke('page-2 case list'), invoke(42)];
    // Whichever reached the dispatcher first is answered while the queue is still held.
    expect(await Promise.race(sameLane)).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    await queue.release();
    expect((await Promise.all(sameLane)).map((r) => r.ok).sort()).toEqual([false, true]);
    expect((await Promise.all(others)).map((r) => r.ok)).toEqual([true, true]);
  });

  it('stops answering once closed', async () => {
    const { transport } = await serve();
    await transport.close();
    open.pop();
    await expect(fetch(`${transport.origin}/invoke`, { method: 'POST' })).rejects.toThrow();
  });
});
