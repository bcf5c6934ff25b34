import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATION_NAMES } from '../../src/contract/operations.js';
import { tempDir } from '../support/store.js';
import { all, asManager, assertBuilt, concordat, exec, inStore, initStore, sharedStore, withRawDatabase, type StoreCli } from './run.js';

beforeAll(assertBuilt);
const shared = sharedStore();

/** The PRAGMA line `recovery raw-key` prints under the comment naming `file` (one line per file). */
function pragmaFor(stdout: string, file: string): string {
  const lines = stdout.split('\n');
  return lines[lines.indexOf(`-- opens ${file}`) + 1]!;
}

/** What an attacker holding the recovery key can do: take the raw key, drop the triggers, and edit the file. */
async function tamper(dataDir: string, cli: StoreCli, recoveryKey: string, sql: string): Promise<void> {
  const raw = await cli(['recovery', 'raw-key'], { CONCORDAT_RECOVERY_KEY: recoveryKey });
  expect(raw.code, raw.stderr).toBe(0);
  await withRawDatabase(join(dataDir, 'concordat.db'), pragmaFor(raw.stdout, 'concordat.db'), async (db) => {
    await exec(db, 'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    await exec(db, sql);
  });
}

describe('concordat audit verify', () => {
  it('exits 6 naming the first altered entry when a column of the log was changed', async () => {
    const dataDir = tempDir();
    const cli = inStore(dataDir);
    const recoveryKey = await initStore(cli);
    expect((await cli(['org', 'add', 'West Midlands Police', '--statutory'], asManager)).code).toBe(0);
    const intact = await cli(['audit', 'verify', '--json'], asManager);
    expect(intact.code, intact.stderr).toBe(0);
    expect(JSON.parse(intact.stdout)).toMatchObject({ intact: true });

    await tamper(dataDir, cli, recoveryKey, "UPDATE audit_log SET details = '{}' WHERE seq = 2");
    const broken = await cli(['audit', 'verify'], asManager);
    expect(broken.code).toBe(6);
    expect(broken.stdout).toContain('The audit log is broken at entry 2: entry 2 was altered after it was written.');

    const json = await cli(['audit', 'verify', '--json'], asManager);
    expect(json.code).toBe(6);
    expect(JSON.parse(json.stdout)).toMatchObject({ intact: false, brokenAt: 2, entries: 1 });
  });

  it('exits 6 when the tail of the log was deleted, and unlock-check raises the tamper warning too', async () => {
    const dataDir = tempDir();
    const cli = inStore(dataDir);
    const recoveryKey = await initStore(cli);
    expect((await cli(['org', 'add', 'Fire and Rescue', '--statutory'], asManager)).code).toBe(0);
    await tamper(dataDir, cli, recoveryKey, 'DELETE FROM audit_log WHERE seq > 3');

    // Unlocking appends (the tamper and unlock entries) before verifying, so the log is no longer 3 long.
    const verified = await cli(['audit', 'verify'], asManager);
    expect(verified.code).toBe(6);
    expect(verified.stdout).toMatch(
      /^The audit log is broken at entry \d+: the log ends at entry \d+ but the checkpoint recorded entry \d+: entries were removed/,
    );

    // A tamper warning keeps the old checkpoint as evidence, so every later unlock raises it again.
    const check = await cli(['unlock-check'], asManager);
    expect(check.code).toBe(6);
    expect(check.stdout).toMatch(
      /TAMPER WARNING: .*differs from the one recorded at the (last )?checkpoint|TAMPER WARNING: the audit log ends at entry/,
    );
    expect(check.stderr).toMatch(/^concordat: warning: AUDIT_TAMPERED: /);
  });
});

describe('concordat audit export', () => {
  it('writes the log as CSV with mode 0600, and logs the export as a disclosure to the recipients', async () => {
    const { cli, dataDir } = await shared();
    const out = join(dataDir, 'audit.csv');
    const result = await cli(
      [
        'audit',
        'export',
        '--out',
        out,
        '--recipient',
        'ICO case officer',
        '--recipient',
        'Partnership board',
        '--justification',
        'ICO request 2025-114',
        '--json',
      ],
      asManager,
    );
    expect(result.code, result.stderr).toBe(0);
    const written = readFileSync(out);
    const { rows, sha256, file } = JSON.parse(result.stdout) as { rows: number; sha256: string; file: string };
    expect(file).toBe(out);
    expect(sha256).toBe(createHash('sha256').update(written).digest('hex'));
    if (process.platform !== 'win32') expect(statSync(out).mode & 0o777).toBe(0o600);
    const lines = written.toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'seq,at,user_id,username,organisation,role,kind,operation,entity_type,entity_id,justification,recipients,outcome,error_code,details,prev_hash,hash',
    );
    // The header, the rows, and the marking with the audit head at the export.
    expect(lines).toHaveLength(rows + 2);
    expect(lines.at(-1)).toMatch(/^# OFFICIAL-SENSITIVE; audit log head at export: \d+:[0-9a-f]{64}$/);
    expect(lines[1]).toMatch(/^1,.*,store\.init,/);

    const query = await cli(
      ['call', 'audit.query', '--input', '{"filter":{"kind":"disclosure"}}', '--justification', 'Checking disclosures'],
      asManager,
    );
    const { entries } = JSON.parse(query.stdout) as {
      entries: { operation: string; recipients: string[]; justification: string; details: { sha256: string } }[];
    };
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      operation: 'audit.exportCsv',
      recipients: ['ICO case officer', 'Partnership board'],
      justification: 'ICO request 2025-114',
      details: { sha256 },
    });
  });

  it('--filter exports only the matching entries; a bad filter is refused, naming its field, and writes nothing', async () => {
    const { cli, dataDir } = await shared();
    const out = join(dataDir, 'settings.csv');
    const result = await cli(
      [
        'audit',
        'export',
        '--out',
        out,
        '--recipient',
        'ICO',
        '--justification',
        'ICO request',
        '--filter',
        '{"kind":"settings","outcome":"ok"}',
        '--json',
      ],
      asManager,
    );
    expect(result.code, result.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\r\n').slice(1, -1);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBe((JSON.parse(result.stdout) as { rows: number }).rows);
    for (const line of lines) expect(line.split(',')[6]).toBe('settings');

    const badKind = join(dataDir, 'bad-kind.csv');
    const refused = await cli(
      ['audit', 'export', '--out', badKind, '--recipient', 'ICO', '--justification', 'ICO request', '--filter', '{"kind":"gossip"}'],
      asManager,
    );
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/^concordat: VALIDATION: .*\(field: filter\.kind\)/);
    const notJson = await cli(
      ['audit', 'export', '--out', badKind, '--recipient', 'ICO', '--justification', 'ICO request', '--filter', '{kind:'],
      asManager,
    );
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/^concordat: USAGE: --filter is not valid JSON/);
    expect(existsSync(badKind)).toBe(false);
  });

  it('never overwrites an existing file', async () => {
    const { cli, dataDir } = await shared();
    const out = join(dataDir, 'keep.csv');
    writeFileSync(out, 'precious');
    const result = await cli(['audit', 'export', '--out', out, '--recipient', 'ICO', '--justification', 'ICO request'], asManager);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^concordat: CONFLICT: .*\(field: out\)/);
    expect(readFileSync(out, 'utf8')).toBe('precious');
    expect(existsSync(join(dataDir, 'keep.csv'))).toBe(true);
  });
});

describe('concordat ops', () => {
  it('--json lists every operation in the contract with its input JSON Schema', async () => {
    const result = await concordat(['ops', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const { operations } = JSON.parse(result.stdout) as {
      operations: { name: string; summary: string; access: unknown; inputSchema: { type: string; $schema: string } }[];
    };
    expect(operations.map((o) => o.name).sort()).toEqual([...OPERATION_NAMES].sort());
    for (const op of operations) {
      expect(op.summary.length, op.name).toBeGreaterThan(0);
      expect(op.inputSchema, op.name).toMatchObject({ type: 'object', $schema: expect.stringContaining('json-schema.org') });
    }
    const addUser = operations.find((o) => o.name === 'users.add')!;
    expect(addUser).toMatchObject({
      access: ['manager'],
      inputSchema: { required: expect.arrayContaining(['username', 'role', 'passphrase']) },
    });
  });

  it('lists them for people too', async () => {
    const result = await concordat(['ops']);
    expect(result.code).toBe(0);
    for (const name of OPERATION_NAMES) expect(result.stdout).toMatch(new RegExp(`^${name.replace('.', '\\.')}$`, 'm'));
    expect(result.stdout).toContain('role*: manager|statutory|non_statutory');
  });
});

// A raw connection is also how the test confirms the tampering really reached the file.
describe('the tamper helper', () => {
  it('changes the file for real', async () => {
    const dataDir = tempDir();
    const cli = inStore(dataDir);
    const recoveryKey = await initStore(cli);
    await tamper(dataDir, cli, recoveryKey, "UPDATE audit_log SET operation = 'forged' WHERE seq = 1");
    const raw = await cli(['recovery', 'raw-key'], { CONCORDAT_RECOVERY_KEY: recoveryKey });
    const rows = await withRawDatabase(join(dataDir, 'concordat.db'), pragmaFor(raw.stdout, 'concordat.db'), (db) =>
      all<{ operation: string }>(db, 'SELECT operation FROM audit_log WHERE seq = 1'),
    );
    expect(rows).toEqual([{ operation: 'forged' }]);
  });
});

describe('concordat audit verify --anchor', () => {
  it('proves a head printed on an export is in the chain, and exits 6 for one that is not', async () => {
    const dataDir = tempDir();
    const cli = inStore(dataDir);
    await initStore(cli);
    const out = join(dataDir, 'audit.csv');
    const exported = await cli(
      ['audit', 'export', '--out', out, '--recipient', 'ICO case officer', '--justification', 'Annual review'],
      asManager,
    );
    expect(exported.code, exported.stderr).toBe(0);
    const printed = /audit log head at export: (\d+:[0-9a-f]{64})\r\n$/.exec(readFileSync(out, 'utf8'))![1]!;

    const held = await cli(['audit', 'verify', '--anchor', printed], asManager);
    expect(held.code, held.stderr).toBe(0);
    expect(held.stdout).toContain(`Anchor ${printed} is in the chain.`);

    const [seq] = printed.split(':');
    const forged = `${seq}:${'0'.repeat(64)}`;
    const lost = await cli(['audit', 'verify', '--anchor', printed, '--anchor', forged, '--json'], asManager);
    expect(lost.code).toBe(6);
    expect(JSON.parse(lost.stdout).anchors).toEqual([
      { seq: Number(seq), hash: printed.split(':')[1], inChain: true },
      { seq: Number(seq), hash: '0'.repeat(64), inChain: false },
    ]);

    const malformed = await cli(['audit', 'verify', '--anchor', 'yesterday'], asManager);
    expect(malformed.code).not.toBe(0);
    expect(malformed.stderr).toContain('--anchor takes SEQ:HASH');
  });
});
