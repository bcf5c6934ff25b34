// Concurrency in one process: hundreds of mixed reads, writes, refusals and key operations fired at the
// dispatcher at once (Promise.all), as a busy renderer or a script would. No write may be lost, nothing
// may deadlock, and the audit chain must stay intact with exactly one entry per call that ran, ok or
// refused. A second process on the same store is refused outright (test/vault/process-lock.test.ts).
import { describe, expect, it } from 'vitest';
import { dispatch, type DispatchResult } from '../../src/dispatch/dispatcher.js';
import type { Host } from '../../src/host/host.js';
import { auditHead } from '../../src/audit/log.js';
import { expectAuditIntact, expectIntegrity } from '../support/proving-store.js';
import { call, caseInput, createCase, createPerson, credentials, MANAGER, partnershipStore, personInput } from '../support/partnership.js';
import { newHost } from '../support/store.js';

const CALLS = 240;
const DEADLOCK_MS = 45_000;

type Planned = { name: string; input: unknown; write?: 'organisation' | 'note' | 'person' | 'case' | 'user' };

/** A mix of everything a busy session does at once, including calls meant to be refused. */
function plan(i: number, ids: { person: number; case: number; organisation: number }): Planned {
  switch (i % 16) {
    case 0:
      return { name: 'organisations.add', input: { name: `Concurrent partner ${i}`, statutory: i % 32 === 0 }, write: 'organisation' };
    case 1:
      return { name: 'cases.addNote', input: { caseId: ids.case, body: `Concurrent note ${i}` }, write: 'note' };
    case 2:
      return {
        name: 'people.create',
        input: {
          ...personInput({
            givenName: `Robin${i}`,
            familyName: `Concurrent${i}`,
            dateOfBirth: null,
            addresses: [],
            identifiers: [],
            household: [],
            contacts: [],
          }),
          createDespiteDuplicates: true,
        },
        write: 'person',
      };
    case 3:
      return { name: 'cases.get', input: { caseId: ids.case } };
    case 4:
      return { name: 'cases.search', input: { query: 'Ellis' } };
    case 5:
      return { name: 'cases.list', input: { limit: 10 } };
    case 6:
      return { name: 'organisations.add', input: { name: 'West Midlands Police', statutory: true } }; // CONFLICT: exists
    case 7:
      return { name: 'cases.addNote', input: { caseId: ids.case, body: '' } }; // VALIDATION
    case 8:
      return { name: 'cases.get', input: { caseId: 999_999 } }; // NOT_FOUND
    case 9:
      return { name: 'cases.create', input: caseInput([ids.person], { summary: `Concurrent case ${i}` }), write: 'case' };
    case 10:
      return { name: 'people.update', input: { personId: ids.person, aliases: [`Alias ${i}`] } };
    case 11:
      return { name: 'audit.query', input: { limit: 5 } };
    case 12:
      return { name: 'store.info', input: {} };
    case 13:
      return i === 13 ? { name: 'store.rotateMasterKey', input: {} } : { name: 'concerns.list', input: {} };
    case 14:
      return i === 14
        ? {
            name: 'users.add',
            input: {
              username: `concurrent.user${i}`,
              displayName: 'Concurrent User',
              role: 'statutory',
              organisationId: ids.organisation,
              passphrase: 'concurrent user passphrase',
            },
            write: 'user',
          }
        : { name: 'users.list', input: {} };
    default:
      return i === 15
        ? { name: 'audit.exportCsv', input: { recipients: ['Information Governance'] } }
        : { name: 'organisations.list', input: {} };
  }
}

function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms: deadlock?`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

async function store() {
  const { host, organisations } = await partnershipStore(newHost());
  const person = await createPerson(host);
  const kase = await createCase(host, [person]);
  return { host, ids: { person, case: kase, organisation: organisations.police.id } };
}

const headSeq = async (host: Host) => (await auditHead(host.vault!.db))?.seq ?? 0;

describe('concurrency through the dispatcher', () => {
  it(`${CALLS} concurrent mixed calls: no lost write, no deadlock, one audit entry per call`, async () => {
    const { host, ids } = await store();
    const before = await headSeq(host);
    const planned = Array.from({ length: CALLS }, (_, i) => plan(i, ids));
    const results = await withDeadline(
      Promise.all(planned.map((p) => dispatch(host, p.name, p.input))),
      DEADLOCK_MS,
      `${CALLS} concurrent calls`,
    );
    const after = await headSeq(host);

    const refused = results.filter((r) => !r.ok) as Extract<DispatchResult, { ok: false }>[];
    const codes = new Map<string, number>();
    for (const r of refused) codes.set(r.error.code, (codes.get(r.error.code) ?? 0) + 1);
    expect(codes.get('INTERNAL') ?? 0).toBe(0);
    expect(codes.get('LOCKED') ?? 0).toBe(0);
    // Each refusal is the one planned, and only those.
    planned.forEach((p, i) => {
      const expected = i % 16 === 6 ? 'CONFLICT' : i % 16 === 7 ? 'VALIDATION' : i % 16 === 8 ? 'NOT_FOUND' : null;
      if (expected) expect(results[i], `${i} ${p.name}`).toMatchObject({ ok: false, error: { code: expected } });
      else expect(results[i]!.ok, `${i} ${p.name}: ${JSON.stringify(results[i])}`).toBe(true);
    });

    // Every write is there, with its own audit entry.
    const db = host.vault!.db;
    const value = (i: number) => (results[i] as { ok: true; value: Record<string, { id?: number; username?: string } | null> }).value;
    const written = { organisation: [] as number[], note: [] as number[], person: [] as number[], case: [] as number[] };
    planned.forEach((p, i) => {
      if (p.write && p.write !== 'user') written[p.write].push(value(i)[p.write]!.id!);
    });
    const present = async (table: string, idsWritten: number[]) =>
      (await db.all<{ id: number }>(`SELECT id FROM ${table} WHERE id IN (${idsWritten.join(', ')})`)).length;
    expect(await present('organisations', written.organisation)).toBe(written.organisation.length);
    expect(await present('case_notes', written.note)).toBe(written.note.length);
    expect(await present('people', written.person)).toBe(written.person.length);
    expect(await present('cases', written.case)).toBe(written.case.length);
    expect(new Set([...written.organisation]).size).toBe(written.organisation.length);
    const noteEntries = await db.all<{ id: string }>(
      "SELECT entity_id AS id FROM audit_log WHERE operation = 'cases.addNote' AND outcome = 'ok' AND seq > ?",
      [before],
    );
    expect(noteEntries.map((e) => Number(e.id)).sort((a, b) => a - b)).toEqual([...written.note].sort((a, b) => a - b));
    expect(await call(host, 'users.list', {})).toMatchObject({
      users: expect.arrayContaining([expect.objectContaining({ username: 'concurrent.user14' })]),
    });

    // One entry per call, in an unbroken chain; the rotated key still opens everything.
    const okCount = results.length - refused.length;
    console.log(
      `concurrency: ${CALLS} concurrent calls (${okCount} ok, ${refused.length} refused: ${[...codes].map(([c, n]) => `${c} ${n}`).join(', ')}); ` +
        `${after - before} audit entries written; ${written.organisation.length + written.note.length + written.person.length + written.case.length + 1} writes, none lost`,
    );
    // One per call, and the master-key rotation's second entry, committed before its re-key.
    expect(after - before).toBe(okCount + refused.length + 1);
    expect(await expectAuditIntact(host)).toBe(after + 1); // and the users.list above
    await expectIntegrity(db);
  });

  it('a lock queued among concurrent calls: everything before it commits, everything after is refused LOCKED and leaves no entry', async () => {
    const { host, ids } = await store();
    const before = await headSeq(host);
    const pending: Promise<DispatchResult>[] = [];
    for (let i = 0; i < 60; i += 1) pending.push(dispatch(host, 'cases.addNote', { caseId: ids.case, body: `before the lock ${i}` }));
    pending.push(dispatch(host, 'session.lock', {}));
    for (let i = 0; i < 60; i += 1)
      pending.push(
        dispatch(
          host,
          i % 2 ? 'cases.addNote' : 'cases.get',
          i % 2 ? { caseId: ids.case, body: `after the lock ${i}` } : { caseId: ids.case },
        ),
      );
    const results = await withDeadline(Promise.all(pending), DEADLOCK_MS, 'calls around a lock');

    expect(results.slice(0, 61).every((r) => r.ok)).toBe(true);
    expect(results.slice(61).every((r) => !r.ok && r.error.code === 'LOCKED')).toBe(true);
    expect(host.session).toBeNull();

    await call(host, 'session.unlock', credentials(MANAGER));
    const db = host.vault!.db;
    const entries = await db.all<{ operation: string }>('SELECT operation FROM audit_log WHERE seq > ? ORDER BY seq', [before]);
    // 60 notes, the lock, then this unlock: nothing from after the lock slipped in.
    expect(entries.slice(0, 61).map((e) => e.operation)).toEqual([...Array(60).fill('cases.addNote'), 'session.lock']);
    expect(entries.slice(61).map((e) => e.operation)).toEqual(['session.unlock']);
    expect((await db.get<{ n: number }>("SELECT count(*) AS n FROM case_notes WHERE body LIKE 'after the lock%'"))!.n).toBe(0);
    expect((await db.get<{ n: number }>("SELECT count(*) AS n FROM case_notes WHERE body LIKE 'before the lock%'"))!.n).toBe(60);
    await expectAuditIntact(host);
  });
});
