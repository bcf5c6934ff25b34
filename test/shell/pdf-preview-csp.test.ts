// The preview of an exported PDF (react-pdf, PDF.js) under the app's CSP, checked statically: the Electron
// binary cannot run everywhere, and the Chromium e2e (test/e2e/renderer-minutes-export.test.ts) draws the
// preview under the same header. What must hold for it to work inside the shell as it does there:
// - the PDF.js worker is a file of the renderer build, served from the app's own origin ('self'), as a
//   JavaScript module (strict MIME checking for module workers, nosniff);
// - PDF.js needs no eval: the build react-pdf uses holds neither eval nor new Function, and WebAssembly
//   (refused without 'wasm-unsafe-eval') is switched off in the options;
// - the CSP allows none of these from anywhere else, and the Electron session stamps the same policy.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/shell/csp.js';
import { readStaticFile } from '../../src/shell/static-files.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(join(repo, 'node_modules/react-pdf/package.json'));
/** The pdfjs-dist react-pdf itself resolves: the one vite bundles for the preview. */
const pdfjsRoot = dirname(require.resolve('pdfjs-dist/package.json'));
const preview = readFileSync(join(repo, 'renderer/components/PdfPreview.tsx'), 'utf8');
const directives = new Map(
  CONTENT_SECURITY_POLICY.split(';').map((d) => {
    const [name = '', ...values] = d.trim().split(/\s+/);
    return [name, values] as const;
  }),
);

/** eval( or new Function( as code, not as part of a longer name (FunctionBasedShading). */
const EVAL = /(?<![\w$.])eval\s*\(|new\s+Function\s*\(/;

describe('the PDF preview under the CSP', () => {
  it('loads the PDF.js worker from a file of the build, on its own origin', () => {
    expect(preview).toMatch(/import workerUrl from 'pdfjs-dist\/build\/pdf\.worker\.min\.mjs\?url';/);
    expect(preview).toMatch(/pdfjs\.GlobalWorkerOptions\.workerSrc = workerUrl;/);
    // worker-src is not set, so it falls back to script-src: the app's own origin only, no blob:, no data:.
    expect(directives.has('worker-src')).toBe(false);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
  });

  it('needs no eval: none in the PDF.js build, none allowed by the CSP, WebAssembly off', () => {
    for (const file of ['build/pdf.min.mjs', 'build/pdf.worker.min.mjs', 'build/pdf.mjs', 'build/pdf.worker.mjs']) {
      const source = readFileSync(join(pdfjsRoot, file), 'utf8');
      expect(EVAL.exec(source)?.[0] ?? null, file).toBeNull();
      // The option that once turned eval off is gone with the code that needed it.
      expect(source.includes('isEvalSupported'), file).toBe(false);
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-inline/);
    expect(preview).toMatch(/useWasm: false/);
    expect(preview).toMatch(/options=\{PDF_OPTIONS\}/);
  });

  it('is served from the renderer build as a JavaScript module, like the rest of the app', async () => {
    const root = join(repo, 'dist-renderer');
    const assets = existsSync(join(root, 'assets')) ? readdirSync(join(root, 'assets')) : [];
    const worker = assets.find((name) => /^pdf\.worker\.min-.*\.mjs$/.test(name));
    if (!worker) {
      console.log('pdf-preview-csp: the renderer is not built (npm run build): the served worker is not checked');
      return;
    }
    const file = await readStaticFile(root, `/assets/${worker}`);
    expect(file.status).toBe(200);
    expect(file.contentType).toMatch(/^text\/javascript/);
    expect(EVAL.exec(file.body.toString('utf8'))?.[0] ?? null).toBeNull();
  });

  it('is under the same policy in the Electron session as in the Chromium e2e', () => {
    // main/ stamps the policy as a literal (for the security scanner); it must be this one.
    const session = readFileSync(join(repo, 'main/session-policy.ts'), 'utf8');
    expect(session).toContain(JSON.stringify(CONTENT_SECURITY_POLICY));
    const protocol = readFileSync(join(repo, 'main/protocol.ts'), 'utf8');
    expect(protocol).toMatch(/bypassCSP: false/);
    expect(protocol).toMatch(/\.\.\.SECURITY_HEADERS/);
  });
});
