// Runs the real built `concordat` (bin/concordat.js → dist/) in a child process, as a user's shell would.
// `npm test` builds first; run `npm run build` before `npx vitest run test/cli` on its own.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sqlcipher from '@journeyapps/sqlcipher';
import { afterAll } from 'vitest';
import { MANAGER } from '../support/partnership.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The test entry (honours CONCORDAT_TEST_KDF); PRODUCTION_BIN is what users run. */
export const BIN = fileURLToPath(new URL('../support/concordat-test.mjs', import.meta.url));
export const PRODUCTION_BIN = fileURLToPath(new URL('../../bin/concordat.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

export const RECOVERY_KEY_PATTERN = /([A-Z2-7]{4}-){13}[A-Z2-7]{3}/;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a clean shell: nothing CONCORDAT_* leaks in from the test runner, and the fast KDF. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('CONCORDAT_')) env[name] = value;
  return { ...env, CONCORDAT_TEST_KDF: 'floor', ...extra };
}

export function assertBuilt(): void {
  if (!existsSync(BUILT)) throw new Error('dist/src/cli/main.js is missing: run `npm run build` (npm test does it first).');
}

export function concordat(
  args: readonly string[],
  options: { env?: Record<string, string>; stdin?: string; bin?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? BIN, ...args], {
      cwd: REPO,
      env: childEnv(options.env ?? {}),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** `concordat --data-dir DIR …` with a passphrase (and any other env) for one call. */
export function inStore(dataDir: string) {
  return (args: readonly string[], env: Record<string, string> = {}, stdin?: string) =>
    concordat(['--data-dir', dataDir, ...args], { env, ...(stdin === undefined ? {} : { stdin }) });
}

export type StoreCli = ReturnType<typeof inStore>;

/** `init` as MANAGER; returns the recovery key it printed. */
export async function initStore(cli: StoreCli): Promise<string> {
  const result = await cli(['init', '--user', MANAGER.username, '--name', MANAGER.displayName, '--organisation', MANAGER.organisation], {
    CONCORDAT_NEW_PASSPHRASE: MANAGER.passphrase,
  });
  if (result.code !== 0) throw new Error(`init failed: ${result.stderr}`);
  return RECOVERY_KEY_PATTERN.exec(result.stdout)![0];
}

export interface SharedStore {
  dataDir: string;
  cli: StoreCli;
  recoveryKey: string;
}

/**
 * One initialised store for the tests of a file that only add to it in ways the others do not look at:
 * spawning `init` for every test would double the time of the suite. Made on first use, removed after the file.
 */
export function sharedStore(): () => Promise<SharedStore> {
  let dataDir: string | undefined;
  let ready: Promise<SharedStore> | undefined;
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return () =>
    (ready ??= (async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'concordat-cli-'));
      const cli = inStore(dataDir);
      return { dataDir, cli, recoveryKey: await initStore(cli) };
    })());
}

export const asManager = { CONCORDAT_PASSPHRASE: MANAGER.passphrase, CONCORDAT_USER: MANAGER.username };

/** Opens the database file with the binding and nothing but a `PRAGMA key` line, as the sqlcipher shell would. */
export async function withRawDatabase<T>(
  databasePath: string,
  pragmaLine: string,
  work: (db: InstanceType<typeof sqlcipher.Database>) => Promise<T>,
): Promise<T> {
  const db = await new Promise<InstanceType<typeof sqlcipher.Database>>((resolve, reject) => {
    const opened = new sqlcipher.Database(databasePath, sqlcipher.OPEN_READWRITE, (err: Error | null) =>
      err ? reject(err) : resolve(opened),
    );
  });
  try {
    await exec(db, 'PRAGMA cipher_log_level = NONE');
    await exec(db, pragmaLine);
    return await work(db);
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

export function exec(db: InstanceType<typeof sqlcipher.Database>, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err: Error | null) => (err ? reject(err) : resolve())));
}

export function all<T>(db: InstanceType<typeof sqlcipher.Database>, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => db.all(sql, [], (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows))));
}
