// Secrets typed at a real terminal: util-linux `script` gives the CLI a pseudo-terminal, and the test types
// each answer only once its prompt has appeared (typing earlier would be echoed by the terminal itself,
// before the CLI could turn echo off).
import { spawn, spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/store.js';
import { MANAGER } from '../support/partnership.js';
import { BIN, RECOVERY_KEY_PATTERN, assertBuilt, inStore, initStore } from './run.js';

beforeAll(assertBuilt);

const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

interface Step {
  prompt: RegExp;
  /** What to type; '\x04' is Ctrl-D. */
  type: string;
}

function onTerminal(args: readonly string[], steps: readonly Step[]): Promise<{ code: number | null; output: string }> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('CONCORDAT_')) env[name] = value;
  env.CONCORDAT_TEST_KDF = 'floor';
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let seenUpTo = 0;
    let step = 0;
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const next = steps[step];
      if (!next) return;
      const match = next.prompt.exec(output.slice(seenUpTo));
      if (!match) return;
      seenUpTo += match.index + match[0].length;
      step += 1;
      child.stdin.write(next.type === '\x04' ? next.type : `${next.type}\r`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    setTimeout(() => child.kill(), 20_000).unref();
  });
}

describe.skipIf(!hasScript)('secrets typed at a terminal', () => {
  it('asks for the passphrase with echo off', async () => {
    const dataDir = tempDir();
    await initStore(inStore(dataDir));
    const { code, output } = await onTerminal(
      ['--data-dir', dataDir, 'unlock-check', '--user', MANAGER.username],
      [{ prompt: /Passphrase for alex\.manager: /, type: MANAGER.passphrase }],
    );
    expect(code, output).toBe(0);
    expect(output).toContain('Unlocked as alex.manager');
    expect(output).not.toContain(MANAGER.passphrase);
  });

  it('asks for a new passphrase twice, and again when the two differ', async () => {
    const dataDir = tempDir();
    const chosen = 'typed at the terminal twice';
    const { code, output } = await onTerminal(
      ['--data-dir', dataDir, 'init', '--user', MANAGER.username, '--name', MANAGER.displayName, '--organisation', MANAGER.organisation],
      [
        { prompt: /New passphrase for alex\.manager[^:]*: /, type: 'first attempt at this' },
        { prompt: /Type it again: /, type: 'first attempt at thus' },
        { prompt: /New passphrase for alex\.manager[^:]*: /, type: chosen },
        { prompt: /Type it again: /, type: chosen },
      ],
    );
    expect(code, output).toBe(0);
    expect(output).toContain('The two did not match.');
    expect(output).toMatch(RECOVERY_KEY_PATTERN);
    for (const secret of ['first attempt at this', 'first attempt at thus', chosen]) expect(output).not.toContain(secret);
    const check = await inStore(dataDir)(['unlock-check', '--user', MANAGER.username], { CONCORDAT_PASSPHRASE: chosen });
    expect(check.code, check.stderr).toBe(0);
  });

  it('exits 130 when the prompt is answered with end of input', async () => {
    const dataDir = tempDir();
    await initStore(inStore(dataDir));
    const { code, output } = await onTerminal(
      ['--data-dir', dataDir, 'unlock-check', '--user', MANAGER.username],
      [{ prompt: /Passphrase for alex\.manager: /, type: '\x04' }],
    );
    expect(code, output).toBe(130);
    expect(output).toContain('concordat: CANCELLED: ');
  });
});
