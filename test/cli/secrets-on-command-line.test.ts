// Secrets never on a command line (issue 16, finding 6): an operation whose input has a secret field (the
// contract marks them) refuses inline --input, since /proc/*/cmdline and shell history keep it, and takes
// it on stdin with `--input -`. The installed command refuses CONCORDAT_TEST_KDF: only the test harness's
// entry may make floor-strength slots.
import { beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../src/contract/operations.js';
import { secretFieldPaths } from '../../src/contract/fields.js';
import { tempDir } from '../support/store.js';
import { MANAGER } from '../support/partnership.js';
import { PRODUCTION_BIN, assertBuilt, concordat, inStore } from './run.js';

beforeAll(assertBuilt);

describe('secrets on the command line', () => {
  it('the contract knows which operations take a secret', () => {
    const withSecrets = Object.entries(operations)
      .filter(([, op]) => secretFieldPaths(op.input).length > 0)
      .map(([name]) => name)
      .sort();
    expect(withSecrets).toEqual(['session.unlock', 'store.init', 'users.add', 'users.changePassphrase', 'users.resetPassphrase']);
    expect(secretFieldPaths(operations['users.changePassphrase'].input)).toEqual(['currentPassphrase', 'newPassphrase']);
  });

  it('refuses a passphrase in an inline --input and takes it on stdin', async () => {
    const dataDir = tempDir();
    const cli = inStore(dataDir);
    const input = JSON.stringify({
      username: MANAGER.username,
      displayName: MANAGER.displayName,
      organisation: MANAGER.organisation,
      passphrase: MANAGER.passphrase,
    });
    const inline = await cli(['call', 'store.init', '--input', input]);
    expect(inline.code).toBe(2);
    expect(inline.stderr).toContain('--input -');
    expect(inline.stderr).not.toContain(MANAGER.passphrase);
    const piped = await cli(['call', 'store.init', '--input', '-'], {}, input);
    expect(piped.code, piped.stderr).toBe(0);
    const unlockInline = await cli([
      'call',
      'session.unlock',
      '--input',
      JSON.stringify({ username: MANAGER.username, passphrase: MANAGER.passphrase }),
    ]);
    expect(unlockInline.code).toBe(2);
  });

  it('the installed command refuses CONCORDAT_TEST_KDF; the test entry honours it', async () => {
    const dataDir = tempDir();
    const env = { CONCORDAT_NEW_PASSPHRASE: MANAGER.passphrase };
    const args = [
      '--data-dir',
      dataDir,
      'init',
      '--user',
      MANAGER.username,
      '--name',
      MANAGER.displayName,
      '--organisation',
      MANAGER.organisation,
    ];
    const production = await concordat(args, { env, bin: PRODUCTION_BIN });
    expect(production.code).toBe(2);
    expect(production.stderr).toContain('CONCORDAT_TEST_KDF');
    const harness = await concordat(args, { env });
    expect(harness.code, harness.stderr).toBe(0);
  });
});
