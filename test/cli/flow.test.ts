import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/store.js';
import { MANAGER, STATUTORY } from '../support/partnership.js';
import { RECOVERY_KEY_PATTERN, all, asManager, assertBuilt, concordat, inStore, sharedStore, withRawDatabase } from './run.js';

beforeAll(assertBuilt);
const shared = sharedStore();

describe('concordat, end to end through the built command', () => {
  it('init → unlock-check → user add → refused as a non-manager → rotate-key → raw key opens the file → audit verify', async () => {
    const dataDir = tempDir();
    const cli = inStore(dataDir);
    const outputs: string[] = [];
    const run = async (args: string[], env: Record<string, string> = {}) => {
      const result = await cli(args, env);
      outputs.push(result.stdout, result.stderr);
      return result;
    };

    const created = await run(['init', '--user', MANAGER.username, '--name', MANAGER.displayName, '--organisation', MANAGER.organisation], {
      CONCORDAT_NEW_PASSPHRASE: MANAGER.passphrase,
    });
    expect(created.code, created.stderr).toBe(0);
    const recoveryKey = RECOVERY_KEY_PATTERN.exec(created.stdout)![0];
    expect(created.stdout.split(recoveryKey)).toHaveLength(2); // printed exactly once
    expect(created.stdout).toMatch(/RECOVERY KEY \(shown this once/);

    const check = await run(['unlock-check', '--user', MANAGER.username], { CONCORDAT_PASSPHRASE: MANAGER.passphrase });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain(`Unlocked as ${MANAGER.username} (${MANAGER.displayName}), manager at ${MANAGER.organisation}.`);

    const org = await run(['org', 'add', STATUTORY.organisation, '--statutory', '--json'], asManager);
    expect(org.code, org.stderr).toBe(0);
    const organisationId = (JSON.parse(org.stdout) as { organisation: { id: number } }).organisation.id;

    const added = await run(
      [
        'user',
        'add',
        STATUTORY.username,
        '--name',
        STATUTORY.displayName,
        '--role',
        'statutory',
        '--organisation-id',
        String(organisationId),
      ],
      { ...asManager, CONCORDAT_NEW_PASSPHRASE: STATUTORY.passphrase },
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(`Added ${STATUTORY.username} (${STATUTORY.displayName}), statutory at ${STATUTORY.organisation}.`);

    const forbidden = await run(['call', 'users.list', '--user', STATUTORY.username], { CONCORDAT_PASSPHRASE: STATUTORY.passphrase });
    expect(forbidden.code).toBe(3);
    expect(forbidden.stdout).toBe('');
    expect(forbidden.stderr).toMatch(/^concordat: FORBIDDEN: /);

    const listed = await run(['call', 'users.list', '--input', '{"includeRemoved":false}'], asManager);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { users: { username: string }[] }).users.map((u) => u.username)).toEqual([
      MANAGER.username,
      STATUTORY.username,
    ]);

    const before = await run(['recovery', 'raw-key'], { CONCORDAT_RECOVERY_KEY: recoveryKey });
    expect(before.code, before.stderr).toBe(0);
    const rotated = await run(['rotate-key'], asManager);
    expect(rotated.code, rotated.stderr).toBe(0);
    const after = await run(['recovery', 'raw-key'], { CONCORDAT_RECOVERY_KEY: recoveryKey });
    expect(after.code, after.stderr).toBe(0);
    // stdout is one PRAGMA line per file, each under a comment naming it, and nothing else; the hint is on stderr.
    expect(after.stdout).toMatch(
      /^-- opens concordat\.db\nPRAGMA key = "x'[0-9a-f]{64}'";\n-- opens concordat-closed\.db\nPRAGMA key = "x'[0-9a-f]{64}'";\n$/,
    );
    expect(after.stderr).toContain('sqlcipher');
    expect(after.stdout).not.toBe(before.stdout);

    const database = join(dataDir, 'concordat.db');
    // One line per file: the store's opens concordat.db, the closed database's opens concordat-closed.db.
    const lineFor = (stdout: string, file: string) => stdout.split('\n')[stdout.split('\n').indexOf(`-- opens ${file}`) + 1]!;
    const closedUsers = await withRawDatabase(join(dataDir, 'concordat-closed.db'), lineFor(after.stdout, 'concordat-closed.db'), (db) =>
      all<{ n: number }>(db, 'SELECT count(*) AS n FROM closed_cases'),
    );
    expect(closedUsers).toEqual([{ n: 0 }]);
    const users = await withRawDatabase(database, lineFor(after.stdout, 'concordat.db'), (db) =>
      all<{ username: string }>(db, 'SELECT username FROM users ORDER BY username'),
    );
    expect(users.map((u) => u.username)).toEqual([MANAGER.username, STATUTORY.username]);
    // The key printed before the rotation no longer decrypts the file.
    await expect(
      withRawDatabase(database, lineFor(before.stdout, 'concordat.db'), (db) => all(db, 'SELECT count(*) FROM users')),
    ).rejects.toThrow(/not a database/);

    const verified = await run(['audit', 'verify'], asManager);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^The audit log is intact: \d+ entries/);

    // The officer still gets in after the rotation, with the same passphrase.
    expect((await run(['unlock-check', '--user', STATUTORY.username], { CONCORDAT_PASSPHRASE: STATUTORY.passphrase })).code).toBe(0);
    // Passphrases never appear in anything the command printed.
    for (const text of outputs) {
      expect(text).not.toContain(MANAGER.passphrase);
      expect(text).not.toContain(STATUTORY.passphrase);
    }
  });

  it('recovery rotate prints a new recovery key once; the old one stops opening the store', async () => {
    const dataDir = tempDir();
    const cli = inStore(dataDir);
    const created = await cli(['init', '--user', MANAGER.username, '--name', MANAGER.displayName, '--organisation', MANAGER.organisation], {
      CONCORDAT_NEW_PASSPHRASE: MANAGER.passphrase,
    });
    expect(created.code, created.stderr).toBe(0);
    const oldKey = RECOVERY_KEY_PATTERN.exec(created.stdout)![0];

    const rotated = await cli(['recovery', 'rotate'], asManager);
    expect(rotated.code, rotated.stderr).toBe(0);
    const newKey = RECOVERY_KEY_PATTERN.exec(rotated.stdout)![0];
    expect(newKey).not.toBe(oldKey);
    expect(rotated.stdout.split(newKey)).toHaveLength(2);
    expect(rotated.stdout).toMatch(/RECOVERY KEY \(shown this once/);

    expect((await cli(['recovery', 'raw-key'], { CONCORDAT_RECOVERY_KEY: oldKey })).code).toBe(3);
    const raw = await cli(['recovery', 'raw-key'], { CONCORDAT_RECOVERY_KEY: newKey });
    expect(raw.code, raw.stderr).toBe(0);
    expect(raw.stdout).toMatch(
      /^-- opens concordat\.db\nPRAGMA key = "x'[0-9a-f]{64}'";\n-- opens concordat-closed\.db\nPRAGMA key = "x'[0-9a-f]{64}'";\n$/,
    );

    // Refused without a manager's passphrase (a non-manager is refused FORBIDDEN by the access matrix test).
    const unknown = await cli(['recovery', 'rotate', '--user', 'nobody.here'], { CONCORDAT_PASSPHRASE: 'not a real passphrase at all' });
    expect(unknown.code).toBe(3);
  });

  it('records the recovery key’s disclosure of the raw key in the audit log', async () => {
    const { cli, recoveryKey } = await shared();
    expect((await cli(['recovery', 'raw-key'], { CONCORDAT_RECOVERY_KEY: recoveryKey })).code).toBe(0);
    const query = await cli(
      ['call', 'audit.query', '--input', '{"filter":{"kind":"export"}}', '--justification', 'Checking key disclosures'],
      asManager,
    );
    expect(query.code, query.stderr).toBe(0);
    const { entries } = JSON.parse(query.stdout) as { entries: { username: string; operation: string; outcome: string }[] };
    expect(entries).toEqual([expect.objectContaining({ username: 'recovery-key', operation: 'recovery.rawKey', outcome: 'ok' })]);
  });

  it('--json gives machine-readable results', async () => {
    const { cli } = await shared();
    const check = await cli(['unlock-check', '--json'], asManager);
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({
      user: { username: MANAGER.username, role: 'manager' },
      failedAttemptsSinceLastUnlock: 0,
      tamperWarning: null,
    });
    const orgs = await cli(['org', 'list', '--json'], asManager);
    expect((JSON.parse(orgs.stdout) as { organisations: unknown[] }).organisations).toContainEqual(
      expect.objectContaining({ id: 1, name: MANAGER.organisation, statutory: true }),
    );
  });

  it('call reads its input from stdin with --input -', async () => {
    const { cli } = await shared();
    const added = await cli(['call', 'organisations.add', '--input', '-'], asManager, '{"name":"Fire and Rescue","statutory":true}');
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ organisation: { name: 'Fire and Rescue', statutory: true } });
  });

  it('call runs public operations without unlocking', async () => {
    const { cli } = await shared();
    const status = await cli(['call', 'store.status']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'locked', user: null });
  });

  it.skipIf(process.platform === 'win32' || process.platform === 'darwin')(
    'without --data-dir, uses CONCORDAT_DATA_DIR, else the per-user data folder',
    async () => {
      const home = tempDir();
      const initArgs = ['init', '--user', MANAGER.username, '--name', MANAGER.displayName, '--organisation', MANAGER.organisation];
      const env = { HOME: home, XDG_DATA_HOME: join(home, 'xdg'), CONCORDAT_NEW_PASSPHRASE: MANAGER.passphrase };
      const byDefault = await concordat(initArgs, { env });
      expect(byDefault.code, byDefault.stderr).toBe(0);
      expect(existsSync(join(home, 'xdg', 'concordat', 'concordat.keys'))).toBe(true);
      const named = await concordat(initArgs, { env: { ...env, CONCORDAT_DATA_DIR: join(home, 'named') } });
      expect(named.code, named.stderr).toBe(0);
      expect(existsSync(join(home, 'named', 'concordat.keys'))).toBe(true);
    },
  );
});
