// What the dispatcher writes to the log: one entry per call, in the same transaction as the change;
// a refused entry for a refused call; nothing at all for a change that rolled back.
import { describe, expect, it } from 'vitest';
import type { AuditRow } from '../../src/audit/log.js';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import type { Host } from '../../src/host/host.js';
import { call, credentials, JUSTIFICATION, MANAGER, NON_STATUTORY, partnershipStore } from '../support/partnership.js';
import { newHost } from '../support/store.js';
import { readKeyFileJson } from '../vault/raw.js';

const allEntries = (host: Host) => host.vault!.db.all<AuditRow>('SELECT * FROM audit_log ORDER BY seq');

/** Runs `work` and returns the entries it added to the log. */
async function entriesAddedBy(host: Host, work: () => Promise<unknown>): Promise<AuditRow[]> {
  const before = (await allEntries(host)).length;
  await work();
  return (await allEntries(host)).slice(before);
}

/** The partnership, unlocked as the manager, with no working context yet. */
const storeWithMembers = () => partnershipStore(newHost(), { justification: null });

describe('a change whose transaction fails', () => {
  it('leaves no entry, no row and no key slot when the audit append itself fails', async () => {
    const {
      host,
      dataDir,
      organisations: { police },
    } = await storeWithMembers();
    // Make the last step of the transaction fail: the user row and key slot already exist by then.
    await host.vault!.db.exec(`CREATE TEMP TRIGGER fail_user_entries BEFORE INSERT ON audit_log WHEN NEW.operation = 'users.add'
      BEGIN SELECT RAISE(ABORT, 'injected failure: secret-ish detail'); END;`);
    const slotsBefore = readKeyFileJson(dataDir).slots.length;
    const input = {
      username: 'dc.smith',
      displayName: 'DC Smith',
      role: 'statutory' as const,
      organisationId: police.id,
      passphrase: 'plain clothes on tuesdays',
    };

    const added = await entriesAddedBy(host, async () => {
      const result = await dispatch(host, 'users.add', input);
      expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
      if (!result.ok) expect(result.error.message).not.toMatch(/injected|secret-ish|SQLITE/);
    });
    expect(added).toEqual([]);
    expect(await host.vault!.db.get("SELECT id FROM users WHERE username = 'dc.smith'")).toBeUndefined();
    expect(readKeyFileJson(dataDir).slots.length).toBe(slotsBefore);
    expect(readKeyFileJson(dataDir).slots.some((s) => s.username === 'dc.smith')).toBe(false);

    // With the fault gone the same call succeeds: nothing half-written stands in its way.
    await host.vault!.db.exec('DROP TRIGGER temp.fail_user_entries');
    await call(host, 'users.add', input);
    expect(await call(host, 'audit.verify')).toMatchObject({ intact: true });
  });

  it('leaves no entry when the change itself violates a constraint in the database', async () => {
    const {
      host,
      organisations: { police },
    } = await storeWithMembers();
    await host.vault!.db.exec(`CREATE TEMP TRIGGER refuse_name BEFORE INSERT ON users WHEN NEW.display_name = 'Constraint Breaker'
      BEGIN SELECT RAISE(ABORT, 'constraint'); END;`);
    const added = await entriesAddedBy(host, async () => {
      const result = await dispatch(host, 'users.add', {
        username: 'cb.user',
        displayName: 'Constraint Breaker',
        role: 'statutory',
        organisationId: police.id,
        passphrase: 'breaking all the rules',
      });
      expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    });
    expect(added.filter((e) => e.operation === 'users.add')).toEqual([]);
    expect(added).toEqual([]);
    expect((await call(host, 'users.list', {})).users.map((u) => u.username)).not.toContain('cb.user');
  });
});

describe('refused calls', () => {
  it('FORBIDDEN for a role: exactly one refused entry naming the caller and the error code', async () => {
    const { host } = await storeWithMembers();
    await call(host, 'session.lock');
    const { user } = await call(host, 'session.unlock', credentials(NON_STATUTORY));
    for (const [name, input] of [
      ['users.list', {}],
      ['organisations.add', { name: 'Sneaky Org', statutory: true }],
      ['audit.verify', {}],
    ] as const) {
      const added = await entriesAddedBy(host, async () => {
        expect(await dispatch(host, name, input)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      });
      expect(added, name).toHaveLength(1);
      expect(added[0], name).toMatchObject({
        operation: name,
        outcome: 'refused',
        error_code: 'FORBIDDEN',
        user_id: user.id,
        username: NON_STATUTORY.username,
        organisation: NON_STATUTORY.organisation,
        role: 'non_statutory',
      });
    }
    await call(host, 'session.lock');
    await call(host, 'session.unlock', credentials(MANAGER));
    expect((await call(host, 'organisations.list')).organisations.map((o) => o.name)).not.toContain('Sneaky Org');
  });

  it('VALIDATION: one refused entry naming the field, holding none of the input', async () => {
    const {
      host,
      organisations: { police },
    } = await storeWithMembers();
    const added = await entriesAddedBy(host, async () => {
      const result = await dispatch(host, 'users.add', {
        username: 'Not Valid!',
        displayName: 'Secret Display Name',
        role: 'statutory',
        organisationId: police.id,
        passphrase: 'never log this passphrase',
      });
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'username' } });
    });
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      kind: 'collection',
      operation: 'users.add',
      outcome: 'refused',
      error_code: 'VALIDATION',
      username: MANAGER.username,
    });
    expect(JSON.parse(added[0]!.details)).toEqual({ field: 'username' });
    expect(JSON.stringify(added[0])).not.toMatch(/Secret Display Name|never log this|Not Valid/);
  });

  it('a refusal decided by the service (NOT_FOUND, CONFLICT) is logged as refused, and nothing changes', async () => {
    const { host } = await storeWithMembers();
    const added = await entriesAddedBy(host, async () => {
      expect(await dispatch(host, 'users.remove', { username: 'nobody.here' })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND', field: 'username' },
      });
      expect(await dispatch(host, 'organisations.add', { name: 'west midlands police', statutory: true })).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT' },
      });
    });
    expect(added.map((e) => [e.operation, e.outcome, e.error_code])).toEqual([
      ['users.remove', 'refused', 'NOT_FOUND'],
      ['organisations.add', 'refused', 'CONFLICT'],
    ]);
    expect((await call(host, 'organisations.list')).organisations).toHaveLength(3);
  });

  it('a successful change and its entry commit together: one ok entry per call', async () => {
    const {
      host,
      organisations: { police },
    } = await storeWithMembers();
    const added = await entriesAddedBy(host, () =>
      call(host, 'users.add', {
        username: 'dc.smith',
        displayName: 'DC Smith',
        role: 'statutory',
        organisationId: police.id,
        passphrase: 'plain clothes on tuesdays',
      }),
    );
    expect(added).toHaveLength(1);
    const user = (await call(host, 'users.list', {})).users.find((u) => u.username === 'dc.smith')!;
    expect(added[0]).toMatchObject({
      kind: 'collection',
      operation: 'users.add',
      outcome: 'ok',
      entity_type: 'user',
      entity_id: String(user.id),
    });
  });
});

describe('justification', () => {
  it('consultation and disclosure are refused without one, then carried from the session onto every entry', async () => {
    const { host } = await storeWithMembers();
    for (const [name, input] of [
      ['audit.query', {}],
      ['audit.exportCsv', { recipients: ['ICO'] }],
    ] as const) {
      const added = await entriesAddedBy(host, async () => {
        expect(await dispatch(host, name, input)).toMatchObject({
          ok: false,
          error: { code: 'JUSTIFICATION_REQUIRED', field: 'justification' },
        });
      });
      expect(added.map((e) => [e.operation, e.outcome, e.error_code])).toEqual([[name, 'refused', 'JUSTIFICATION_REQUIRED']]);
    }

    const set = await entriesAddedBy(host, () => call(host, 'session.setJustification', { justification: JUSTIFICATION }));
    // The entry that sets a context still carries the one it replaces (none).
    expect(set[0]).toMatchObject({ operation: 'session.setJustification', justification: null });
    expect((await call(host, 'store.status')).justification).toBe(JUSTIFICATION);

    const after = await entriesAddedBy(host, async () => {
      await call(host, 'audit.query', {});
      await call(host, 'audit.exportCsv', { recipients: ['ICO case officer'] });
      await call(host, 'organisations.add', { name: 'Fire and Rescue', statutory: true });
      await call(host, 'users.list', {});
    });
    expect(after.map((e) => [e.operation, e.justification])).toEqual([
      ['audit.query', JUSTIFICATION],
      ['audit.exportCsv', JUSTIFICATION],
      ['organisations.add', JUSTIFICATION],
      ['users.list', JUSTIFICATION],
    ]);

    // A per-call justification overrides the session's for that call only.
    const once = await entriesAddedBy(host, async () => {
      await call(host, 'audit.query', {}, { justification: 'Subject access request SAR-118' });
      await call(host, 'audit.query', {});
    });
    expect(once.map((e) => e.justification)).toEqual(['Subject access request SAR-118', JUSTIFICATION]);

    // Cleared, it is required again; a lock ends the working context too.
    await call(host, 'session.setJustification', { justification: null });
    expect(await dispatch(host, 'audit.query', {})).toMatchObject({ ok: false, error: { code: 'JUSTIFICATION_REQUIRED' } });
    await call(host, 'session.setJustification', { justification: JUSTIFICATION });
    await call(host, 'session.lock');
    await call(host, 'session.unlock', credentials(MANAGER));
    expect(await dispatch(host, 'audit.query', {})).toMatchObject({ ok: false, error: { code: 'JUSTIFICATION_REQUIRED' } });
  });
});
