// What the audit log keeps, beyond test/audit (issue 16, finding 7): a caller's unknown input keys are
// recorded as a count, never as text; a tamper acknowledgement keeps its note; migrations are logged at
// the next unlock; a master-key rotation leaves an entry committed before its re-key; a checkpoint
// written after a commit never records another call's uncommitted head; from/to filters given with an
// offset mean the same instant as in UTC.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { appendAuditEntry, auditHead } from '../../src/audit/log.js';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { MANAGER, call, personInput } from '../support/partnership.js';
import { initialisedStore } from '../support/store.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';

const JUSTIFICATION = 'Reviewing the audit log';
const everything = async (host: Parameters<typeof call>[0]) => call(host, 'audit.query', { limit: 500 }, { justification: JUSTIFICATION });

describe('the audit log keeps what it should, and only that', () => {
  it('records that an input had unknown keys, not their text', async () => {
    const { host } = await initialisedStore();
    const planted = 'Jordan Ellis lives at 14 Lime Grove';
    const refused = await dispatch(host, 'people.create', { ...personInput(), [planted]: 1 }, { justification: JUSTIFICATION });
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const nested = await dispatch(
      host,
      'people.create',
      { ...personInput(), addresses: [{ line1: '1 A Street', town: 'Northfield', postcode: 'B31 2QT', [planted]: 'x' }] },
      { justification: JUSTIFICATION },
    );
    expect(nested).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const log = await everything(host);
    expect(JSON.stringify(log)).not.toContain('Lime Grove');
    const refusals = log.entries.filter((e) => e.outcome === 'refused' && e.operation === 'people.create');
    expect(refusals.map((e) => e.details)).toEqual([
      { unknownKeys: 1, field: 'addresses.0' },
      { unknownKeys: 1, field: 'input' },
    ]);
  });

  it('keeps the note of a tamper acknowledgement', async () => {
    const { host } = await initialisedStore();
    const note = 'Checked the backup restore of 2 Dec with IT: expected, no entries lost';
    await call(host, 'audit.acknowledgeTamper', { note });
    const entry = (await everything(host)).entries.find((e) => e.operation === 'audit.acknowledgeTamper')!;
    expect(entry.details).toMatchObject({ note });
  });

  it('logs the migrations that ran since the log last recorded the schema version', async () => {
    const { host } = await initialisedStore();
    expect((await everything(host)).entries.filter((e) => e.operation === 'store.migrate')).toEqual([]);
    // As a store last logged at schema 3 would be after an upgrade brought it to the newest.
    await host.vault!.db.run("UPDATE meta SET value = '3' WHERE key = 'logged_schema_version'");
    await call(host, 'session.lock');
    await call(host, 'session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase });
    const logged = (await everything(host)).entries.filter((e) => e.operation === 'store.migrate');
    expect(logged).toHaveLength(1);
    const since3 = MIGRATIONS.filter((m) => m.version > 3);
    expect(logged[0]!.details).toMatchObject({
      fromVersion: 3,
      toVersion: MIGRATIONS.at(-1)!.version,
      migrations: since3.map((m) => `${m.version} ${m.name}`),
    });
    await call(host, 'session.lock');
    await call(host, 'session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase });
    expect((await everything(host)).entries.filter((e) => e.operation === 'store.migrate')).toHaveLength(1);
  });

  it('a master-key rotation is logged as begun before the re-key and as done after it', async () => {
    const { host } = await initialisedStore();
    await call(host, 'store.rotateMasterKey');
    const entries = (await everything(host)).entries.filter((e) => e.operation === 'store.rotateMasterKey').reverse();
    expect(entries.map((e) => e.details.phase)).toEqual(['starting', 'done']);
    expect(await call(host, 'audit.verify')).toMatchObject({ intact: true });
  });

  it("a checkpoint written after a commit waits for the store: it never records another call's uncommitted head", async () => {
    const { host } = await initialisedStore();
    const vault = host.vault!;
    const db = vault.db;
    const exported = dispatch(host, 'audit.exportCsv', { filter: {}, recipients: ['Audit file'] }, { justification: JUSTIFICATION });
    let exportDone = false;
    void exported.then(() => {
      exportDone = true;
    });
    // Queued right behind the export: a unit of work whose entry is appended and then rolled back.
    const other = db
      .exclusive(() =>
        db.transactionNow(async (sql) => {
          await appendAuditEntry(sql, vault.storeId, {
            actor: { userId: null, username: 'test', organisation: null, role: null },
            kind: 'settings',
            operation: 'test.rolledBack',
            entityType: 'store',
            outcome: 'ok',
            details: {},
          });
          for (let waited = 0; waited < 400 && !exportDone; waited += 20) await sleep(20);
          throw new Error('rolled back on purpose');
        }),
      )
      .catch(() => undefined);
    expect(await exported).toMatchObject({ ok: true });
    await other;
    const head = await auditHead(db);
    expect(vault.checkpoint().checkpoint).toEqual({ seq: head!.seq, hash: head!.hash });
  });

  it('from/to given with an offset select the same instant as in UTC', async () => {
    const { host } = await initialisedStore();
    const all = await everything(host);
    const first = all.entries.at(-1)!;
    const utc = new Date(first.at);
    // The same instant written as local time five hours ahead.
    const ahead = new Date(utc.getTime() + 5 * 3600 * 1000).toISOString().replace('Z', '+05:00');
    const from = await call(host, 'audit.query', { filter: { from: ahead }, limit: 500 }, { justification: JUSTIFICATION });
    expect(from.entries.map((e) => e.seq)).toContain(first.seq);
    const to = await call(host, 'audit.query', { filter: { to: ahead }, limit: 500 }, { justification: JUSTIFICATION });
    expect(to.entries.map((e) => e.seq)).not.toContain(first.seq);
  });
});
