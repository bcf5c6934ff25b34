import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/store.js';
import { MANAGER, NON_STATUTORY } from '../support/partnership.js';
import { asManager, assertBuilt, inStore, initStore, type StoreCli } from './run.js';

beforeAll(assertBuilt);

async function withNonStatutoryUser(cli: StoreCli): Promise<void> {
  expect((await cli(['org', 'add', NON_STATUTORY.organisation, '--non-statutory'], asManager)).code).toBe(0);
  const added = await cli(
    ['user', 'add', NON_STATUTORY.username, '--name', NON_STATUTORY.displayName, '--role', 'non_statutory', '--organisation-id', '2'],
    { ...asManager, CONCORDAT_NEW_PASSPHRASE: NON_STATUTORY.passphrase },
  );
  expect(added.code, added.stderr).toBe(0);
}

const unlockAs = (cli: StoreCli, user: string, passphrase: string) =>
  cli(['unlock-check', '--user', user], { CONCORDAT_PASSPHRASE: passphrase });

describe('concordat user', () => {
  it('passwd changes only your passphrase: the new one opens the store, the old one does not', async () => {
    const cli = inStore(tempDir());
    await initStore(cli);
    await withNonStatutoryUser(cli);
    const changed = await cli(['user', 'passwd', '--user', NON_STATUTORY.username], {
      CONCORDAT_PASSPHRASE: NON_STATUTORY.passphrase,
      CONCORDAT_NEW_PASSPHRASE: 'a different evening shift',
    });
    expect(changed.code, changed.stderr).toBe(0);
    expect((await unlockAs(cli, NON_STATUTORY.username, NON_STATUTORY.passphrase)).code).toBe(3);
    expect((await unlockAs(cli, NON_STATUTORY.username, 'a different evening shift')).code).toBe(0);
    expect((await unlockAs(cli, MANAGER.username, MANAGER.passphrase)).code).toBe(0);
  });

  it('remove takes the key slot away, and list shows who is left', async () => {
    const cli = inStore(tempDir());
    await initStore(cli);
    await withNonStatutoryUser(cli);
    expect((await cli(['user', 'remove', NON_STATUTORY.username], asManager)).code).toBe(0);
    const refused = await unlockAs(cli, NON_STATUTORY.username, NON_STATUTORY.passphrase);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^concordat: AUTH_FAILED: /);
    const active = await cli(['user', 'list', '--json'], asManager);
    expect((JSON.parse(active.stdout) as { users: { username: string }[] }).users.map((u) => u.username)).toEqual([MANAGER.username]);
    const everyone = await cli(['user', 'list', '--include-removed'], asManager);
    expect(everyone.stdout).toMatch(new RegExp(`^${NON_STATUTORY.username.replace('.', '\\.')} .* removed \\d{4}-\\d\\d-\\d\\d$`, 'm'));
  });

  it('removing yourself is refused as a conflict (exit 4)', async () => {
    const cli = inStore(tempDir());
    await initStore(cli);
    const result = await cli(['user', 'remove', MANAGER.username], asManager);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^concordat: CONFLICT: .*\(field: username\)/);
  });
});

describe('concordat recovery reset-passphrase', () => {
  it('sets a forgotten passphrase with the recovery key and records it as done by "recovery-key"', async () => {
    const cli = inStore(tempDir());
    const recoveryKey = await initStore(cli);
    await withNonStatutoryUser(cli);
    const reset = await cli(['recovery', 'reset-passphrase', '--user', NON_STATUTORY.username], {
      CONCORDAT_RECOVERY_KEY: recoveryKey.toLowerCase(),
      CONCORDAT_NEW_PASSPHRASE: 'remembered this time',
    });
    expect(reset.code, reset.stderr).toBe(0);
    expect((await unlockAs(cli, NON_STATUTORY.username, NON_STATUTORY.passphrase)).code).toBe(3);
    expect((await unlockAs(cli, NON_STATUTORY.username, 'remembered this time')).code).toBe(0);

    const query = await cli(
      ['call', 'audit.query', '--input', '{"filter":{"username":"recovery-key"}}', '--justification', 'Reviewing recovery use'],
      asManager,
    );
    const { entries } = JSON.parse(query.stdout) as { entries: { kind: string; operation: string; entityType: string; outcome: string }[] };
    expect(entries).toEqual([
      expect.objectContaining({ kind: 'settings', operation: 'recovery.resetPassphrase', entityType: 'user', outcome: 'ok' }),
    ]);
    // The entry joined the chain, and the checkpoint moved on with it.
    expect((await cli(['audit', 'verify'], asManager)).code).toBe(0);
  });

  it('refuses an unknown user, a weak passphrase and a mistyped key, changing nothing', async () => {
    const cli = inStore(tempDir());
    const recoveryKey = await initStore(cli);
    const unknown = await cli(['recovery', 'reset-passphrase', '--user', 'nobody.here'], {
      CONCORDAT_RECOVERY_KEY: recoveryKey,
      CONCORDAT_NEW_PASSPHRASE: 'a perfectly fine passphrase',
    });
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/^concordat: NOT_FOUND: .*\(field: user\)/);
    const weak = await cli(['recovery', 'reset-passphrase', '--user', MANAGER.username], {
      CONCORDAT_RECOVERY_KEY: recoveryKey,
      CONCORDAT_NEW_PASSPHRASE: 'aaaaaaaaaaaaaaaa',
    });
    expect(weak.code).toBe(4);
    expect(weak.stderr).toMatch(/^concordat: VALIDATION: .*\(field: newPassphrase\)/);
    const typo = await cli(['recovery', 'reset-passphrase', '--user', MANAGER.username], {
      CONCORDAT_RECOVERY_KEY: recoveryKey.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
      CONCORDAT_NEW_PASSPHRASE: 'a perfectly fine passphrase',
    });
    expect(typo.code).toBe(4);
    expect(typo.stderr).toMatch(/\(field: recoveryKey\)/);
    expect((await unlockAs(cli, MANAGER.username, MANAGER.passphrase)).code).toBe(0);
    const query = await cli(
      ['call', 'audit.query', '--input', '{"filter":{"username":"recovery-key"}}', '--justification', 'Reviewing recovery use'],
      asManager,
    );
    expect((JSON.parse(query.stdout) as { entries: unknown[] }).entries).toEqual([]);
  });
});
