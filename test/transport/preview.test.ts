// `npm run preview` as a real process: the compiled entry point serves a real store and the renderer
// folder, prints where, and locks the store (audited) when stopped.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Host } from '../../src/host/host.js';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { TOKEN_HEADER } from '../../src/transport/http-transport.js';
import { credentials, MANAGER } from '../support/partnership.js';
import { FAST_KDF, tempDir } from '../support/store.js';
import { REPO_ROOT, ensureBuilt } from '../support/child-dist.js';

const PREVIEW_SOURCES = [
  'transport/preview',
  'transport/http-transport',
  'shell/static-files',
  'shell/csp',
  'shell/app-events',
  'shell/data-dir',
  'shell/app-paths',
];

/** ensureBuilt() follows the dispatcher's imports; the preview's own modules are checked here. */
function ensurePreviewBuilt(): string {
  ensureBuilt();
  const entry = join(REPO_ROOT, 'dist/src/transport/preview.js');
  const stale = () =>
    PREVIEW_SOURCES.some((name) => {
      const js = join(REPO_ROOT, `dist/src/${name}.js`);
      return !existsSync(js) || statSync(js).mtimeMs < statSync(join(REPO_ROOT, `src/${name}.ts`)).mtimeMs;
    });
  if (stale()) {
    // tsc still emits when an unrelated file has a type error: judge by the outputs, not the exit code.
    const build = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    if (stale()) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  }
  return entry;
}

describe('npm run preview', () => {
  it('serves the store and the renderer on a token, and locks the store when stopped', async () => {
    const entry = ensurePreviewBuilt();
    const dataDir = tempDir();
    const renderer = join(tempDir(), 'dist-renderer');
    mkdirSync(renderer);
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Preview</title>');

    // The child uses the production KDF; set-up is one Argon2id derivation.
    const child = spawn(process.execPath, [entry, '--data-dir', dataDir, '--renderer', renderer, '--json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
      const started = JSON.parse(line) as { url: string; origin: string; token: string; dataDir: string };
      expect(started.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(started.url).toBe(`${started.origin}/#token=${started.token}`);
      expect(started.dataDir).toBe(dataDir);

      expect(await (await fetch(`${started.origin}/`)).text()).toContain('<title>Preview</title>');
      const init = await fetch(`${started.origin}/invoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: started.token },
        body: JSON.stringify({ operation: 'store.init', input: MANAGER }),
      });
      expect(await init.json()).toMatchObject({ ok: true, value: { user: { username: MANAGER.username } } });

      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }

    const host = new Host(dataDir, { kdf: FAST_KDF });
    try {
      expect((await dispatch(host, 'session.unlock', credentials(MANAGER))).ok).toBe(true);
      await dispatch(host, 'session.setJustification', { justification: 'Checking the preview shut down cleanly' });
      const locks = await dispatch(host, 'audit.query', { filter: { kind: 'lock' }, limit: 10 });
      expect(locks.ok && locks.value.entries.map((e) => e.details.reason)).toEqual(['shutdown']);
    } finally {
      await host.close();
    }
  });

  it('serves the renderer built beside it when started from another folder (issue 16: 9)', async () => {
    const entry = ensurePreviewBuilt();
    const child = spawn(process.execPath, [entry, '--data-dir', tempDir(), '--json'], {
      cwd: tempDir(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
      expect((JSON.parse(line) as { renderer: string }).renderer).toBe(join(REPO_ROOT, 'dist-renderer'));
    } finally {
      child.kill('SIGKILL');
    }
  });
});
