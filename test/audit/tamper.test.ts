// Tampering as an attacker holding the raw key could do it: drop the triggers and edit, delete or roll
// back the log. Every change must be found, at the entry where it was made.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANONICAL_SQL, CHAINED_FIELDS, entryHash } from '../../src/audit/chain.js';
import { verifyAuditLog } from '../../src/audit/log.js';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { Host } from '../../src/host/host.js';
import type { SqlValue } from '../../src/vault/database.js';
import { call, credentials, JUSTIFICATION, MANAGER, STATUTORY, userInput } from '../support/partnership.js';
import { FAST_KDF, newHost, tempDir } from '../support/store.js';
import {
  alterLatestCheckpoint,
  copyDatabase,
  copyStore,
  dbFile,
  latestCheckpoint,
  openRaw,
  readKeyFileJson,
  writeKeyFileJson,
} from '../vault/raw.js';

let templateRoot: string;
let template: string;
let pragma: string;
let storeId: string;
/** An entry in the middle of the log with nearly every column filled (justification, recipients): the audit export's disclosure. */
let target: number;
let lastSeq: number;

beforeAll(async () => {
  templateRoot = mkdtempSync(join(tmpdir(), 'concordat-tamper-'));
  template = join(templateRoot, 'store');
  const host = new Host(template, { kdf: FAST_KDF });
  try {
    await call(host, 'store.init', MANAGER);
    const { organisation } = await call(host, 'organisations.add', { name: STATUTORY.organisation, statutory: true });
    await call(host, 'users.add', userInput('statutory', organisation.id));
    await dispatch(host, 'users.add', {
      username: 'Not Valid!',
      displayName: 'x',
      role: 'statutory',
      organisationId: organisation.id,
      passphrase: 'blue lamp evening shift',
    });
    await call(host, 'session.setJustification', { justification: JUSTIFICATION });
    await call(host, 'audit.exportCsv', { recipients: ['ICO case officer'] });
    await call(host, 'users.list', {});
    await call(host, 'organisations.add', { name: 'Riverside Housing', statutory: true });
    pragma = host.vault!.rawKeyPragma();
    storeId = host.vault!.storeId;
    target = (await call(host, 'audit.query', { filter: { kind: 'disclosure' } })).entries[0]!.seq;
    await call(host, 'session.lock');
  } finally {
    await host.close();
  }
  const raw = await openRaw(template, pragma);
  lastSeq = (await raw.get<{ n: number }>('SELECT max(seq) AS n FROM audit_log'))!.n;
  await raw.close();
});

afterAll(() => rmSync(templateRoot, { recursive: true, force: true }));

function copyOfTemplate(): string {
  const dir = tempDir();
  copyStore(template, dir);
  return dir;
}

/** Opens the copy as an attacker with the key: the append-only triggers dropped. */
async function attackerConnection(dir: string) {
  const raw = await openRaw(dir, pragma);
  await raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  return raw;
}

/** Unlocks the copy as its manager through the dispatcher (with a working context for audit reads). */
async function unlockCopy(dir: string) {
  const host = newHost(dir);
  const unlocked = await call(host, 'session.unlock', credentials(MANAGER));
  return { host, unlocked };
}

/** A plausible forgery of each column's value. */
function forge(column: string, value: SqlValue): SqlValue {
  switch (column) {
    case 'seq':
      return 1_000_000;
    case 'at':
      return '2020-01-01T00:00:00.000Z';
    case 'user_id':
      return value === null ? 42 : Number(value) + 1;
    case 'kind':
      return value === 'erasure' ? 'collection' : 'erasure';
    case 'outcome':
      return value === 'ok' ? 'refused' : 'ok';
    case 'recipients':
      return '["nobody"]';
    case 'details':
      return '{"rows":0}';
    case 'error_code':
      return value === null ? 'FORBIDDEN' : null;
    case 'prev_hash':
    case 'hash':
      return String(value).replace(/^./, (c) => (c === '0' ? '1' : '0'));
    default:
      return value === null ? 'forged' : `${String(value)} (forged)`;
  }
}

describe('tampering with the audit log', () => {
  it('the template is intact and its target entry has every column but entity_id and error_code filled', async () => {
    const raw = await openRaw(copyOfTemplate(), pragma);
    try {
      expect(await verifyAuditLog(raw, storeId)).toEqual(expect.objectContaining({ intact: true, entries: lastSeq }));
      const row = await raw.get<Record<string, SqlValue>>('SELECT * FROM audit_log WHERE seq = ?', [target]);
      const empty = Object.entries(row!)
        .filter(([, v]) => v === null)
        .map(([k]) => k);
      expect(empty).toEqual(['entity_id', 'error_code']);
      expect(target).toBeGreaterThan(1);
      expect(target).toBeLessThan(lastSeq);
    } finally {
      await raw.close();
    }
  });

  it.each([...CHAINED_FIELDS, 'hash'])('altering %s of one entry is detected at that entry', async (column) => {
    const dir = copyOfTemplate();
    const raw = await attackerConnection(dir);
    try {
      const row = await raw.get<{ v: SqlValue }>(`SELECT ${column} AS v FROM audit_log WHERE seq = ?`, [target]);
      const forged = forge(column, row!.v);
      expect(forged).not.toEqual(row!.v);
      const { changes } = await raw.run(`UPDATE audit_log SET ${column} = ? WHERE seq = ?`, [forged, target]);
      expect(changes).toBe(1);
      expect(await verifyAuditLog(raw, storeId)).toMatchObject({ intact: false, brokenAt: target });
    } finally {
      await raw.close();
    }
    // And through the operation the UI uses, after a normal unlock.
    const { host } = await unlockCopy(dir);
    expect(await call(host, 'audit.verify')).toMatchObject({ intact: false, brokenAt: target });
  });

  it.each([0, -5])('an entry inserted below the first one (seq %i) is detected', async (seq) => {
    const dir = copyOfTemplate();
    const raw = await attackerConnection(dir);
    try {
      // A copy of entry 1 under the forged sequence number: valid-looking content, outside the walked chain.
      const columns = (await raw.all<{ name: string }>("SELECT name FROM pragma_table_info('audit_log')")).map((c) => c.name);
      const rest = columns.filter((c) => c !== 'seq');
      await raw.run(`INSERT INTO audit_log (seq, ${rest.join(', ')}) SELECT ?, ${rest.join(', ')} FROM audit_log WHERE seq = 1`, [seq]);
      expect(await verifyAuditLog(raw, storeId)).toMatchObject({ intact: false, brokenAt: seq });
    } finally {
      await raw.close();
    }
  });

  it('an edit whose hash was recomputed breaks the link to the next entry', async () => {
    const dir = copyOfTemplate();
    const raw = await attackerConnection(dir);
    try {
      await raw.run("UPDATE audit_log SET recipients = '[]' WHERE seq = ?", [target]);
      const { canonical } = (await raw.get<{ canonical: string }>(`SELECT ${CANONICAL_SQL} AS canonical FROM audit_log WHERE seq = ?`, [
        target,
      ]))!;
      await raw.run('UPDATE audit_log SET hash = ? WHERE seq = ?', [entryHash(canonical), target]);
      expect(await verifyAuditLog(raw, storeId)).toMatchObject({ intact: false, brokenAt: target + 1 });
    } finally {
      await raw.close();
    }
  });

  it('a rewritten tail (every hash recomputed) is caught by the checkpoint in the key file', async () => {
    const dir = copyOfTemplate();
    const raw = await attackerConnection(dir);
    try {
      await raw.run("UPDATE audit_log SET recipients = '[]' WHERE seq = ?", [target]);
      let prev = (await raw.get<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = ?', [target - 1]))!.hash;
      for (let seq = target; seq <= lastSeq; seq += 1) {
        await raw.run('UPDATE audit_log SET prev_hash = ? WHERE seq = ?', [prev, seq]);
        const { canonical } = (await raw.get<{ canonical: string }>(`SELECT ${CANONICAL_SQL} AS canonical FROM audit_log WHERE seq = ?`, [
          seq,
        ]))!;
        prev = entryHash(canonical);
        await raw.run('UPDATE audit_log SET hash = ? WHERE seq = ?', [prev, seq]);
      }
      // The chain alone now checks out…
      expect(await verifyAuditLog(raw, storeId)).toMatchObject({ intact: true });
    } finally {
      await raw.close();
    }
    // …but not against the head recorded at the last lock.
    const { host, unlocked } = await unlockCopy(dir);
    expect(unlocked.tamperWarning).toMatch(/differs from the one recorded/);
    expect(await call(host, 'audit.verify')).toMatchObject({ intact: false, brokenAt: lastSeq });
  });

  it('deleting an entry in the middle is detected at that entry', async () => {
    const dir = copyOfTemplate();
    const raw = await attackerConnection(dir);
    try {
      await raw.run('DELETE FROM audit_log WHERE seq = ?', [target]);
      const result = await verifyAuditLog(raw, storeId);
      expect(result).toMatchObject({ intact: false, brokenAt: target });
      if (!result.intact) expect(result.reason).toMatch(/missing/);
    } finally {
      await raw.close();
    }
    const { host } = await unlockCopy(dir);
    expect(await call(host, 'audit.verify')).toMatchObject({ intact: false, brokenAt: target });
  });

  it('deleting the tail is caught by the checkpoint: a tamper warning at unlock, a tamper entry, and verify fails', async () => {
    const dir = copyOfTemplate();
    const raw = await attackerConnection(dir);
    try {
      await raw.run('DELETE FROM audit_log WHERE seq > ?', [lastSeq - 3]);
      // What remains is a perfectly good chain: only the checkpoint can tell.
      expect(await verifyAuditLog(raw, storeId)).toMatchObject({ intact: true, entries: lastSeq - 3 });
      const checkpoint = latestCheckpoint(readKeyFileJson(dir));
      expect(checkpoint.seq).toBe(lastSeq);
      expect(await verifyAuditLog(raw, storeId, { checkpoint })).toMatchObject({ intact: false, brokenAt: lastSeq - 2 });
    } finally {
      await raw.close();
    }
    const { host, unlocked } = await unlockCopy(dir);
    expect(unlocked.tamperWarning).toMatch(/removed|older copy/);
    expect((await call(host, 'store.status')).tamperWarning).toBe(unlocked.tamperWarning);
    const tamper = await call(host, 'audit.query', { filter: { kind: 'tamper' } }, { justification: JUSTIFICATION });
    expect(tamper.entries).toHaveLength(1);
    expect(tamper.entries[0]).toMatchObject({ operation: 'session.unlock', details: { checkpointSeq: lastSeq } });
    expect(await call(host, 'audit.verify')).toMatchObject({ intact: false });
  });

  it('restoring an older copy of the database file is detected, and stays reported until acknowledged', async () => {
    const dir = copyOfTemplate();
    const older = tempDir();
    copyDatabase(dir, older);

    const first = await unlockCopy(dir);
    await call(first.host, 'organisations.add', { name: 'Fire and Rescue', statutory: true });
    await call(first.host, 'organisations.add', { name: 'Probation', statutory: true });
    await call(first.host, 'session.lock');
    await first.host.close();

    copyFileSync(dbFile(older), dbFile(dir));
    const { host, unlocked } = await unlockCopy(dir);
    expect(unlocked.tamperWarning).not.toBeNull();
    expect((await call(host, 'organisations.list')).organisations.map((o) => o.name)).not.toContain('Probation');
    expect((await call(host, 'audit.query', { filter: { kind: 'tamper' } }, { justification: JUSTIFICATION })).total).toBe(1);
    const verify = await call(host, 'audit.verify');
    expect(verify.intact).toBe(false);

    // Locking does not overwrite the evidence: the next unlock warns again.
    await call(host, 'session.lock');
    expect((await call(host, 'session.unlock', credentials(MANAGER))).tamperWarning).not.toBeNull();

    // Once investigated, a manager acknowledges it and the checkpoint starts again from here.
    await call(host, 'audit.acknowledgeTamper', { note: 'Restored from the 1 Dec backup after disk failure' });
    expect((await call(host, 'store.status')).tamperWarning).toBeNull();
    await call(host, 'session.lock');
    expect((await call(host, 'session.unlock', credentials(MANAGER))).tamperWarning).toBeNull();
    expect(await call(host, 'audit.verify')).toMatchObject({ intact: true });
    expect((await call(host, 'audit.query', { filter: { kind: 'tamper' } }, { justification: JUSTIFICATION })).total).toBe(2);
  });

  it('a forged checkpoint in the key file is reported at unlock', async () => {
    const dir = copyOfTemplate();
    const keyFile = readKeyFileJson(dir);
    alterLatestCheckpoint(keyFile, { seq: 2 });
    writeKeyFileJson(dir, keyFile);
    const { host, unlocked } = await unlockCopy(dir);
    expect(unlocked.tamperWarning).toMatch(/forged or altered/);
    expect(await call(host, 'audit.verify')).toMatchObject({ intact: false, brokenAt: 2 });
  });
});

describe('append-only triggers', () => {
  it('refuse UPDATE, DELETE and REPLACE through the application connection, leaving the log intact', async () => {
    const { host } = await unlockCopy(copyOfTemplate());
    const db = host.vault!.db;
    const before = await db.all('SELECT * FROM audit_log ORDER BY seq');
    const attempts = [
      "UPDATE audit_log SET kind = 'erasure' WHERE seq = 2",
      'DELETE FROM audit_log WHERE seq = 2',
      'DELETE FROM audit_log',
      `INSERT OR REPLACE INTO audit_log SELECT * FROM audit_log WHERE seq = 2`,
      `REPLACE INTO audit_log (seq, at, kind, operation, recipients, outcome, details, prev_hash, hash)
         VALUES (2, '2020-01-01T00:00:00.000Z', 'unlock', 'forged', '[]', 'ok', '{}', 'p', 'h')`,
      `INSERT INTO audit_log (seq, at, kind, operation, recipients, outcome, details, prev_hash, hash)
         VALUES (2, '2020-01-01T00:00:00.000Z', 'unlock', 'forged', '[]', 'ok', '{}', 'p', 'h')
         ON CONFLICT (seq) DO UPDATE SET operation = 'forged'`,
    ];
    for (const sql of attempts) await expect(db.run(sql), sql).rejects.toThrow(/append-only/);
    expect(await db.all('SELECT * FROM audit_log ORDER BY seq')).toEqual(before);
    expect(await call(host, 'audit.verify')).toMatchObject({ intact: true });
  });
});
