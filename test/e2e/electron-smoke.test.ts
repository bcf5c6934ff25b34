// Smoke test of the real Electron app with Playwright: launch, set up a store, unlock, open a case, lock.
// It needs the Electron binary (node_modules/electron/dist) and a build (`npm run build`); where either
// is missing it is skipped with the reason printed, since nothing else can stand in for the binary.
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron } from 'playwright-core';
import { caseInput, MANAGER, personInput } from '../support/partnership.js';
import { tempDir } from '../support/store.js';

const require = createRequire(import.meta.url);
const repo = fileURLToPath(new URL('../../', import.meta.url));

function electronBinary(): { path: string | null; why: string } {
  try {
    const path = require('electron') as unknown as string;
    return existsSync(path) ? { path, why: '' } : { path: null, why: `the Electron binary is not at ${path}` };
  } catch (err) {
    return { path: null, why: `the Electron binary is not installed (${(err as Error).message.split('\n')[0]})` };
  }
}

const binary = electronBinary();
const built = existsSync(join(repo, 'dist/main/main.js')) && existsSync(join(repo, 'dist/main/preload.cjs'));
const skipReason = !binary.path ? binary.why : !built ? 'the app is not built: run `npm run build` first' : null;
if (skipReason) console.log(`electron-smoke skipped: ${skipReason}`);
/** The PDF.js worker file of the renderer build, which the export preview starts (renderer/components/PdfPreview.tsx). */
const assets = join(repo, 'dist-renderer/assets');
const pdfWorker = existsSync(assets) ? (readdirSync(assets).find((name) => /^pdf\.worker\.min-.*\.mjs$/.test(name)) ?? null) : null;
const previewSkipReason = skipReason ?? (pdfWorker ? null : 'the renderer build has no PDF.js worker: run `npm run build` first');
if (previewSkipReason && !skipReason) console.log(`electron-smoke preview skipped: ${previewSkipReason}`);

type Result = { ok: boolean; value?: any; error?: { code: string } }; // eslint-disable-line @typescript-eslint/no-explicit-any
type Bridge = {
  concordat: { invoke(op: string, input?: unknown): Promise<Result>; onEvent(cb: (e: unknown) => void): () => void };
  seen?: unknown[];
};

describe('Electron smoke', () => {
  it.skipIf(skipReason !== null)(
    'launches, unlocks, opens a case and locks',
    async () => {
      const dataDir = tempDir();
      const app = await electron.launch({
        executablePath: binary.path!,
        args: [repo],
        env: { ...process.env, CONCORDAT_DATA_DIR: dataDir } as Record<string, string>,
      });
      try {
        const page = await app.firstWindow();
        expect(page.url()).toMatch(/^concordat:\/\/app\//);
        // The page sees the two bridge functions and no Node.
        expect(await page.evaluate(() => Object.keys((globalThis as unknown as Bridge).concordat).sort())).toEqual(['invoke', 'onEvent']);
        expect(await page.evaluate(() => typeof (globalThis as Record<string, unknown>).require)).toBe('undefined');
        expect(await page.evaluate(() => typeof (globalThis as Record<string, unknown>).process)).toBe('undefined');
        // No remote content: the CSP and the session refuse the network.
        expect(
          await page.evaluate(() =>
            fetch('https://example.org/').then(
              () => 'fetched',
              () => 'refused',
            ),
          ),
        ).toBe('refused');

        const invoke = (op: string, input: unknown = {}) =>
          page.evaluate(([o, i]) => (globalThis as unknown as Bridge).concordat.invoke(o as string, i), [op, input] as const);
        await page.evaluate(() => {
          const g = globalThis as unknown as Bridge;
          g.seen = [];
          g.concordat.onEvent((e) => g.seen!.push(e));
        });

        expect(await invoke('store.init', MANAGER)).toMatchObject({ ok: true });
        expect(await invoke('session.lock')).toMatchObject({ ok: true });
        expect(await invoke('users.list')).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
        expect(await invoke('session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase })).toMatchObject({ ok: true });
        await invoke('session.setJustification', { justification: 'Smoke test' });
        const person = await invoke('people.create', { ...personInput(), createDespiteDuplicates: true });
        expect(person).toMatchObject({ ok: true });
        const created = await invoke('cases.create', caseInput([person.value.person.id]));
        expect(created).toMatchObject({ ok: true });
        expect(await invoke('cases.get', { caseId: created.value.case.id })).toMatchObject({
          ok: true,
          value: { case: { id: created.value.case.id } },
        });

        expect(await invoke('session.lock')).toMatchObject({ ok: true });
        expect(await page.evaluate(() => (globalThis as unknown as Bridge).seen)).toContainEqual({ type: 'locked', reason: 'user' });
        expect(await invoke('store.status')).toMatchObject({ ok: true, value: { state: 'locked' } });

        // One window, still on the app's own page.
        expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.webContents.getURL()))).toEqual([
          page.url(),
        ]);
      } finally {
        await app.close();
      }
    },
    120_000,
  );

  // The export preview inside the shell: PDF.js starts its worker, a module file of the build, from
  // concordat:// under the CSP the protocol and the session send. The Chromium e2e draws the whole preview
  // under the same header (renderer-minutes-export); this is the part only the shell's protocol can show.
  it.skipIf(previewSkipReason !== null)(
    "starts the preview's PDF.js worker from concordat:// under the app's CSP",
    async () => {
      const app = await electron.launch({
        executablePath: binary.path!,
        args: [repo],
        env: { ...process.env, CONCORDAT_DATA_DIR: tempDir() } as Record<string, string>,
      });
      try {
        const page = await app.firstWindow();
        expect(page.url()).toMatch(/^concordat:\/\/app\//);
        // A string, as the other e2e scripts are: this file is type-checked without the DOM's types.
        const outcome = await page.evaluate(`new Promise((resolve) => {
          const violations = [];
          document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI));
          const url = new URL('/assets/' + ${JSON.stringify(pdfWorker)}, location.href).href;
          const worker = new Worker(url, { type: 'module' });
          const timer = setTimeout(() => resolve('no answer from ' + url + '; ' + violations.join(', ')), 20000);
          const end = (what) => {
            clearTimeout(timer);
            worker.terminate();
            resolve(violations.length ? what + '; CSP violations: ' + violations.join(', ') : what);
          };
          // PDF.js's worker says "ready" as soon as it has loaded.
          worker.onmessage = (e) => end('answered ' + e.data.action);
          worker.onerror = (e) => end('worker error: ' + e.message);
        })`);
        expect(outcome).toBe('answered ready');
      } finally {
        await app.close();
      }
    },
    120_000,
  );
});
