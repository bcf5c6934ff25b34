// `npm run security`: electronegativity always exits 0, so the gate script reads its SARIF and decides.
// Run here on the shell's own main/ (must pass) and on deliberately insecure trees (must fail).
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../support/store.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

function gate(root: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repo, 'scripts/electronegativity-gate.mjs'), '--root', root, '--report', join(root, 'report.sarif')],
      { cwd: repo },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr });
      },
    );
  });
}

function treeWith(files: Record<string, string>): string {
  const root = tempDir();
  writeFileSync(join(root, 'package.json'), readFileSync(join(repo, 'package.json')));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('security gate', () => {
  it('passes the shell, fails an insecure main process, and fails a weakened CSP', async () => {
    const shell = treeWith({});
    cpSync(join(repo, 'main'), join(shell, 'main'), { recursive: true });

    const weakCsp = treeWith({});
    cpSync(join(repo, 'main'), join(weakCsp, 'main'), { recursive: true });
    const policy = join(weakCsp, 'main', 'session-policy.ts');
    writeFileSync(policy, readFileSync(policy, 'utf8').replace("script-src 'self';", "script-src 'self' 'unsafe-inline';"));

    const insecure = treeWith({
      'main/main.ts': [
        "import { app, BrowserWindow, shell } from 'electron';",
        'app.whenReady().then(() => {',
        '  const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });',
        "  void win.loadURL('https://example.org/');",
        "  win.webContents.on('did-finish-load', () => void shell.openExternal(win.webContents.getURL()));",
        '});',
      ].join('\n'),
    });

    const [ok, weak, bad] = await Promise.all([gate(shell), gate(weakCsp), gate(insecure)]);
    expect(ok.out).toContain('findings: 0');
    expect(ok.code, ok.out).toBe(0);

    expect(weak.code, weak.out).toBe(1);
    expect(weak.out).toMatch(/FINDING CSP_GLOBAL_CHECK main\/session-policy\.ts/);

    expect(bad.code, bad.out).toBe(1);
    for (const rule of [
      'CONTEXT_ISOLATION_JS_CHECK',
      'SANDBOX_JS_CHECK',
      'OPEN_EXTERNAL_JS_CHECK',
      'LIMIT_NAVIGATION_GLOBAL_CHECK',
      'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
      'CSP_GLOBAL_CHECK',
    ]) {
      expect(bad.out, rule).toContain(`FINDING ${rule}`);
    }
  });
});
