// The reconciliation after one call (sealClosedContent, src/store/closed-store.ts) costs one transaction per
// file: each commit is an fsync, and while a backup writes gigabytes each fsync waits behind it (bench/backup).
// It used to run four transactions (two per file) and every sealed table's steps whether or not the table had
// anything waiting: 137 statements for one note on a closed-only case.
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/vault/database.js';
import { call, createCase, createPerson, partnershipStore } from '../support/partnership.js';
import { newHost } from '../support/store.js';

/** Counts the statements and transactions `db` runs while `work` does. */
async function counted(db: Database, work: () => Promise<unknown>): Promise<{ statements: number; transactions: number }> {
  const target = db as unknown as Record<string, unknown>;
  const counts = { statements: 0, transactions: 0 };
  for (const method of ['run', 'get', 'all', 'exec'] as const) {
    const original = db[method].bind(db) as (...args: unknown[]) => Promise<unknown>;
    target[method] = (...args: unknown[]) => {
      const query = args[0] as string | { text: string };
      counts.statements += 1;
      if (/^\s*BEGIN/i.test(typeof query === 'string' ? query : query.text)) counts.transactions += 1;
      return original(...args);
    };
  }
  try {
    await work();
  } finally {
    for (const method of ['run', 'get', 'all', 'exec']) delete target[method];
  }
  return counts;
}

describe("the closed database's reconciliation after one call", () => {
  it('seals a note on a closed-only case in one transaction per file, with only the statements that have work', async () => {
    const host = newHost();
    await partnershipStore(host);
    const person = await createPerson(host);
    const caseId = await createCase(host, [person], { closedOnly: true });
    const db = host.vault!.db;
    await call(host, 'cases.addNote', { caseId, body: 'First visit' });

    const { statements, transactions } = await counted(db, () =>
      call(host, 'cases.addNote', { caseId, body: 'Zqsealedbody seen after dark' }),
    );
    // The call's own (the note and its audit entry), then the closed database's and the open store's.
    expect(transactions).toBe(3);
    expect(statements).toBeLessThan(40);

    // And the move happened: the open row is a blank stub, the closed database holds the text.
    const open = await db.get<{ body: string; sealed: number }>(
      'SELECT body, sealed FROM main.case_notes WHERE case_id = ? ORDER BY id DESC LIMIT 1',
      [caseId],
    );
    expect(open).toEqual({ body: '', sealed: 1 });
    const closed = await db.all<{ body: string }>("SELECT body FROM closed.closed_case_notes WHERE body LIKE '%Zqsealedbody%'");
    expect(closed).toHaveLength(1);
    const shown = await call(host, 'cases.get', { caseId });
    expect(JSON.stringify(shown)).toContain('Zqsealedbody');
    await host.close();
  });

  it('costs no transaction after a call that leaves nothing to move', async () => {
    const host = newHost();
    await partnershipStore(host);
    const person = await createPerson(host);
    const caseId = await createCase(host, [person]);
    const { transactions } = await counted(host.vault!.db, () => call(host, 'cases.addNote', { caseId, body: 'Open note' }));
    expect(transactions).toBe(1);
    await host.close();
  });
});
