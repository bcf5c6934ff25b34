// The hash chain itself: many entries verify, and the JS encoder and the SQL expression agree byte for byte.
import { describe, expect, it } from 'vitest';
import { appendAuditEntry, verifyAuditLog, type AuditRow, type NewAuditEntry } from '../../src/audit/log.js';
import { CANONICAL_SQL, CHAINED_FIELDS, canonicalEncoding, entryHash, genesisHash, type ChainedEntry } from '../../src/audit/chain.js';
import { AUDIT_KINDS } from '../../src/contract/audit-kinds.js';
import { call, MANAGER } from '../support/partnership.js';
import { initialisedStore } from '../support/store.js';

const actor = { userId: 1, username: MANAGER.username, organisation: MANAGER.organisation, role: 'manager' };

function entryNumber(i: number): NewAuditEntry {
  return {
    actor: i % 7 === 0 ? { userId: null, username: null, organisation: null, role: null } : actor,
    kind: AUDIT_KINDS[i % AUDIT_KINDS.length]!,
    operation: `bulk.op${i % 13}`,
    entityType: i % 5 === 0 ? null : 'case',
    entityId: i % 3 === 0 ? i : `c-${i}`,
    justification: i % 2 === 0 ? `Preparing for meeting ${i % 17}` : null,
    recipients: i % 11 === 0 ? [`Partner ${i}`, 'Board'] : [],
    outcome: i % 9 === 0 ? 'refused' : 'ok',
    errorCode: i % 9 === 0 ? 'FORBIDDEN' : null,
    details: { n: i, fields: ['name', 'dateOfBirth'], nested: { z: 1, a: [i, null] } },
  };
}

describe('hash chain', () => {
  it('3,000 entries appended in one transaction verify, in one page or many', async () => {
    const { host } = await initialisedStore();
    const vault = host.vault!;
    const before = await verifyAuditLog(vault.db, vault.storeId);
    expect(before.intact).toBe(true);
    const start = before.entries;

    const head = await vault.db.transaction(async (sql) => {
      let last = null;
      for (let i = 1; i <= 3000; i += 1) last = await appendAuditEntry(sql, vault.storeId, entryNumber(i));
      return last!;
    });
    expect(head.seq).toBe(start + 3000);

    const whole = await verifyAuditLog(vault.db, vault.storeId);
    expect(whole).toEqual({ intact: true, entries: start + 3000, head });
    // Page boundaries falling mid-chain (and exactly at the end) must not change the answer.
    for (const pageSize of [1, 700, start + 3000, 50_000]) {
      const progress: number[] = [];
      const paged = await verifyAuditLog(vault.db, vault.storeId, { pageSize, onProgress: (n) => progress.push(n) });
      expect(paged, `pageSize ${pageSize}`).toEqual(whole);
      expect(progress.at(-1)).toBe(start + 3000);
    }
    // The checkpoint written at set-up still lies on the chain.
    const { checkpoint, authentic } = vault.checkpoint();
    expect(authentic).toBe(true);
    expect(await verifyAuditLog(vault.db, vault.storeId, { checkpoint, checkpointAuthentic: authentic })).toMatchObject({ intact: true });

    const viaDispatcher = await call(host, 'audit.verify');
    expect(viaDispatcher).toEqual({ intact: true, entries: start + 3000, headSeq: start + 3000, anchors: [] });
  });

  it("a log does not verify against another store's genesis", async () => {
    const { host } = await initialisedStore();
    const vault = host.vault!;
    expect(await verifyAuditLog(vault.db, 'some-other-store-id')).toMatchObject({ intact: false, brokenAt: 1 });
    expect(genesisHash('a')).not.toBe(genesisHash('b'));
  });

  it('the JS canonical encoding equals CANONICAL_SQL for nulls, unicode and numbers', async () => {
    const { host } = await initialisedStore();
    const vault = host.vault!;
    const odd: NewAuditEntry[] = [
      { actor: { userId: null, username: null, organisation: null, role: null }, kind: 'unlock', operation: 'x', outcome: 'ok' },
      {
        actor: { userId: 2 ** 40, username: 'zoë.ñandú', organisation: 'Łódź Housing 東京 🚓', role: 'statutory' },
        kind: 'consultation',
        operation: 'cases.view',
        entityType: 'case',
        entityId: 0,
        justification: "Café — naïve “quotes” and 'single' and \\ backslash, e\u0301 combining",
        recipients: ['Ærøskøbing Council', 'O\'Brien "Team"', ''],
        outcome: 'ok',
        details: { π: 3.14159, big: 1e21, small: 5e-324, neg: -0, emoji: '👩‍👩‍👧', list: [null, true, false, 0] },
      },
      {
        actor: { userId: 0, username: '', organisation: '', role: '' },
        kind: 'erasure',
        operation: 'cases.erase',
        entityType: '',
        entityId: '',
        justification: '',
        outcome: 'refused',
        errorCode: 'FORBIDDEN',
        details: {},
      },
      // Control characters (the field separator among them) are replaced, so a value cannot forge a boundary.
      {
        actor: { userId: 3, username: 'a\x1fb', organisation: 'tab\there', role: 'line\nbreak' },
        kind: 'alteration',
        operation: 'op\x00null',
        entityId: 'x\x7fy',
        justification: 'lone surrogate \ud800 and \udfff',
        outcome: 'ok',
      },
    ];
    await vault.db.transaction(async (sql) => {
      for (const entry of odd) await appendAuditEntry(sql, vault.storeId, entry);
    });
    const rows = await vault.db.all<AuditRow & { canonical: string }>(
      `SELECT *, ${CANONICAL_SQL} AS canonical FROM audit_log ORDER BY seq`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(odd.length);
    for (const row of rows) {
      const entry = Object.fromEntries(CHAINED_FIELDS.map((f) => [f, row[f]])) as ChainedEntry;
      expect(canonicalEncoding(entry), `seq ${row.seq}`).toBe(row.canonical);
      expect(entryHash(row.canonical), `seq ${row.seq}`).toBe(row.hash);
    }
    const [nulls, unicode, empties, controls] = rows.slice(-4);
    expect(nulls!.user_id).toBeNull();
    expect(unicode!.user_id).toBe(2 ** 40);
    expect(unicode!.organisation).toBe('Łódź Housing 東京 🚓');
    expect(unicode!.entity_id).toBe('0');
    expect(empties!.username).toBe('');
    expect(controls!.username).toBe('a b');
    expect(controls!.operation).toBe('op null');
    expect(await verifyAuditLog(vault.db, vault.storeId)).toMatchObject({ intact: true });
  });

  it('null and the empty string never encode alike', () => {
    const base = Object.fromEntries(CHAINED_FIELDS.map((f) => [f, 'v'])) as ChainedEntry;
    for (const field of CHAINED_FIELDS) {
      expect(canonicalEncoding({ ...base, [field]: null }), field).not.toBe(canonicalEncoding({ ...base, [field]: '' }));
    }
  });
});
