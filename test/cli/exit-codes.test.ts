import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.js';
import { tempDir } from '../support/store.js';
import { MANAGER } from '../support/partnership.js';
import { asManager, assertBuilt, concordat, inStore, initStore, sharedStore } from './run.js';

beforeAll(assertBuilt);
const shared = sharedStore();

describe('usage errors exit 2', () => {
  it.each([
    ['no command', []],
    ['an unknown command', ['frobnicate']],
    ['a group without its subcommand', ['user']],
    ['an unknown option', ['unlock-check', '--bogus']],
    ["another command's option", ['unlock-check', '--out', 'x.csv']],
    ['a missing argument', ['user', 'remove']],
    ['an extra argument', ['unlock-check', 'extra']],
    ['a missing required option', ['init', '--user', 'a.b', '--name', 'A B']],
    ['both organisation kinds', ['org', 'add', 'X', '--statutory', '--non-statutory']],
    ['input that is not JSON', ['call', 'users.list', '--input', '{nope']],
  ])('%s', async (_label, args) => {
    const result = await concordat(['--data-dir', tempDir(), ...args], { env: asManager });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^concordat: USAGE: /);
  });

  it('when there is no passphrase and no terminal to ask on', async () => {
    const { cli } = await shared();
    const result = await cli(['unlock-check', '--user', MANAGER.username]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CONCORDAT_PASSPHRASE');
  });

  it('--help lists every command, the environment and the exit codes, and exits 0', async () => {
    const result = await concordat(['--help']);
    expect(result.code).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toContain(`concordat ${command.name}`);
    for (const name of [
      'CONCORDAT_PASSPHRASE',
      'CONCORDAT_NEW_PASSPHRASE',
      'CONCORDAT_RECOVERY_KEY',
      'CONCORDAT_USER',
      'CONCORDAT_TEST_KDF',
    ])
      expect(result.stdout).toContain(name);
    for (const code of ['0 ', '2 ', '3 ', '4 ', '5 ', '6 ']) expect(result.stdout).toMatch(new RegExp(`^ {2}${code} +\\S`, 'm'));
    const one = await concordat(['user', 'add', '--help']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^Usage: concordat user add NAME --name/);
  });
});

describe('authentication failures exit 3', () => {
  it('a wrong passphrase', async () => {
    const cli = inStore(tempDir());
    await initStore(cli);
    const result = await cli(['unlock-check'], { ...asManager, CONCORDAT_PASSPHRASE: 'not the passphrase at all' });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe('concordat: AUTH_FAILED: The user name or passphrase is not right. (field: passphrase)\n');
    const json = await cli(['unlock-check', '--json'], { ...asManager, CONCORDAT_PASSPHRASE: 'still not the passphrase' });
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'AUTH_FAILED', field: 'passphrase' } });
  });

  it('a wrong recovery key', async () => {
    const cli = inStore(tempDir());
    const recoveryKey = await initStore(cli);
    const other = (await shared()).recoveryKey;
    expect(other).not.toBe(recoveryKey);
    const result = await cli(['recovery', 'raw-key'], { CONCORDAT_RECOVERY_KEY: other });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^concordat: AUTH_FAILED: .*\(field: recoveryKey\)/);
  });
});

describe('validation failures exit 4 and name the field', () => {
  it('a role that does not exist', async () => {
    const { cli } = await shared();
    const result = await cli(['user', 'add', 'sam.smith', '--name', 'Sam Smith', '--role', 'chief', '--organisation-id', '1'], {
      ...asManager,
      CONCORDAT_NEW_PASSPHRASE: 'a long enough passphrase',
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^concordat: VALIDATION: .*\(field: role\)\n$/);
  });

  it('an organisation id that is not a number', async () => {
    const { cli } = await shared();
    const result = await cli(['user', 'add', 'sam.smith', '--name', 'Sam Smith', '--role', 'statutory', '--organisation-id', 'police'], {
      ...asManager,
      CONCORDAT_NEW_PASSPHRASE: 'a long enough passphrase',
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/\(field: organisationId\)\n$/);
  });

  it('a first passphrase that is too short, leaving no store behind', async () => {
    const dataDir = join(tempDir(), 'store');
    const result = await inStore(dataDir)(
      ['init', '--user', MANAGER.username, '--name', MANAGER.displayName, '--organisation', MANAGER.organisation],
      { CONCORDAT_NEW_PASSPHRASE: 'short' },
    );
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^concordat: VALIDATION: passphrase must be at least 12 characters.*\(field: passphrase\)\n$/);
    expect(existsSync(dataDir) ? readdirSync(dataDir).filter((f) => f !== 'concordat.lock') : []).toEqual([]);
  });

  it('an operation that does not exist, before any passphrase is asked for', async () => {
    const result = await concordat(['--data-dir', tempDir(), 'call', 'cases.teleport']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^concordat: UNKNOWN_OPERATION: /);
  });

  it('a disclosure without a justification', async () => {
    const { cli, dataDir } = await shared();
    const result = await cli(['audit', 'export', '--out', join(dataDir, 'out.csv'), '--recipient', 'ICO'], asManager);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^concordat: JUSTIFICATION_REQUIRED: .*\(field: justification\)/);
    expect(existsSync(join(dataDir, 'out.csv'))).toBe(false);
  });
});

describe('store damaged or refused exits 5', () => {
  it('a missing key file', async () => {
    const dataDir = tempDir();
    const cli = inStore(dataDir);
    await initStore(cli);
    rmSync(join(dataDir, 'concordat.keys'));
    const result = await cli(['unlock-check'], asManager);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/^concordat: KEYFILE_MISSING: /);
  });

  it('no store at all, and a second init over an existing one', async () => {
    const none = await inStore(tempDir())(['unlock-check'], asManager);
    expect(none.code).toBe(5);
    expect(none.stderr).toMatch(/^concordat: STORE_NOT_INITIALISED: /);
    const { cli } = await shared();
    const again = await cli(['init', '--user', 'someone.else', '--name', 'Someone', '--organisation', 'Elsewhere'], {
      CONCORDAT_NEW_PASSPHRASE: 'another long passphrase',
    });
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(/^concordat: STORE_EXISTS: /);
  });
});
