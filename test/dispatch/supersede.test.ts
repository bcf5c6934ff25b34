// A newer call from the same window supersedes an older supersedable read (the case list as its search
// changes): dropped while it waits, interrupted while it reads, answered CANCELLED, and never logged as a
// consultation it did not deliver. Real SQLCipher stores in temporary folders; the dispatcher as every
// transport calls it.
import { describe, expect, it, vi } from 'vitest';
import { dispatch, type DispatchResult } from '../../src/dispatch/dispatcher.js';
import type { OutputOf } from '../../src/contract/operations.js';
import { Lanes, Ticket } from '../../src/dispatch/supersede.js';
import { OPERATION_NAMES, operations } from '../../src/contract/operations.js';
import type { Host } from '../../src/host/host.js';
import { call, createCase, createPerson, partnershipStore } from '../support/partnership.js';
import { holdQueue, newHost } from '../support/store.js';

const LANE = 'window 1 case list, page 0';

async function searchStore() {
  const { host } = await partnershipStore(newHost());
  for (const familyName of ['Shah', 'Shaw', 'Ellis']) await createCase(host, [await createPerson(host, { familyName })]);
  return host;
}

/** The audit entries of the case list operations, oldest first. */
const listEntries = (host: Host) =>
  host.vault!.db.all<{ operation: string; outcome: string; error_code: string | null }>(
    "SELECT operation, outcome, error_code FROM audit_log WHERE operation IN ('cases.search', 'cases.list') ORDER BY seq",
  );

describe('superseding', () => {
  it('only ever applies to reads: every supersedable operation is a consultation in no transaction of its own', () => {
    const supersedable = OPERATION_NAMES.filter((name) => operations[name].supersedable);
    expect(supersedable).toEqual(expect.arrayContaining(['cases.search', 'cases.list']));
    for (const name of supersedable) {
      expect(operations[name].audit?.kind, name).toBe('consultation');
      expect(operations[name].transaction, name).toBeUndefined();
    }
  });

  it('drops a search still waiting for the store: answered CANCELLED at once, never run, never logged', async () => {
    const host = await searchStore();
    const queue = await holdQueue(host);
    const settled: string[] = [];
    const first = dispatch(host, 'cases.search', { query: 'Sh' }, { lane: LANE }).finally(() => settled.push('first'));
    const second = dispatch(host, 'cases.search', { query: 'Shah' }, { lane: LANE });
    // Answered while the queue is still held: the newer search need not wait for the older one's turn.
    expect(await first).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(settled).toEqual(['first']);
    await queue.release();
    const answer = await second;
    expect(answer.ok && answer.value.cases.map((c) => c.subjects[0]?.familyName)).toEqual(['Shah']);
    expect(await listEntries(host)).toEqual([{ operation: 'cases.search', outcome: 'ok', error_code: null }]);
    expect(await call(host, 'audit.verify')).toMatchObject({ intact: true });
  });

  it('supersedes a search by a list on the same lane, and leaves other lanes and calls without one alone', async () => {
    const host = await searchStore();
    const queue = await holdQueue(host);
    const calls = [
      dispatch(host, 'cases.search', { query: 'Shaw' }, { lane: LANE }),
      dispatch(host, 'cases.search', { query: 'Shaw' }, { lane: 'window 2 case list, page 0' }),
      dispatch(host, 'cases.search', { query: 'Shaw' }),
      dispatch(host, 'cases.search', { query: 'Shaw' }),
      // A write never holds a ticket, lane or not.
      dispatch(host, 'organisations.add', { name: 'Lane Partner A', statutory: true }, { lane: LANE }),
      dispatch(host, 'organisations.add', { name: 'Lane Partner B', statutory: true }, { lane: LANE }),
      dispatch(host, 'cases.list', {}, { lane: LANE }),
    ];
    await queue.release();
    const results = await Promise.all(calls);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['CANCELLED', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect((await listEntries(host)).map((e) => e.operation)).toEqual(['cases.search', 'cases.search', 'cases.search', 'cases.list']);
  });

  it('interrupts a search while it reads: CANCELLED, no entry, and the newer search and the next write run normally', async () => {
    const host = await searchStore();
    const db = host.vault!.db;
    const interrupt = vi.spyOn(db, 'interrupt');
    const all = db.all.bind(db);
    let newer: Promise<DispatchResult<OutputOf<'cases.search'>>> | undefined;
    // The newer keystroke arrives while the older search's full-text statement is on the connection.
    db.all = ((query: Parameters<typeof db.all>[0], params?: Parameters<typeof db.all>[1]) => {
      const running = all(query, params);
      const text = typeof query === 'string' ? query : query.text;
      if (newer === undefined && /\bMATCH\b/i.test(text)) newer = dispatch(host, 'cases.search', { query: 'Ellis' }, { lane: LANE });
      return running;
    }) as typeof db.all;
    const older = await dispatch(host, 'cases.search', { query: 'Shah' }, { lane: LANE });
    expect(older).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(older.ok || older.error.details).toBeUndefined(); // no incident: nothing went wrong
    expect(interrupt).toHaveBeenCalled();
    const answer = await newer!;
    expect(answer.ok && answer.value.cases.map((c) => c.subjects[0]?.familyName)).toEqual(['Ellis']);
    await call(host, 'organisations.add', { name: 'After The Interrupt', statutory: false });
    expect(await listEntries(host)).toEqual([{ operation: 'cases.search', outcome: 'ok', error_code: null }]);
    expect(await call(host, 'audit.verify')).toMatchObject({ intact: true });
  });
});

describe('a ticket on the real connection', () => {
  it('stops a long read with sqlite3_interrupt, and the connection goes on as before', async () => {
    const { host } = await partnershipStore(newHost());
    const db = host.vault!.db;
    const lanes = new Lanes();
    const ticket = lanes.open(LANE);
    await db.exclusive(async () => {
      expect(ticket.start(db)).toBe(true);
      // Seconds of work without an interrupt.
      const long = ticket
        .reads(db)
        .get('WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000000000) SELECT count(*) AS c FROM n');
      const started = performance.now();
      setTimeout(() => lanes.open(LANE), 50);
      await expect(long).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(performance.now() - started).toBeLessThan(5000);
      ticket.finish();
    });
    await call(host, 'organisations.add', { name: 'After The Long Read', statutory: true });
    expect(await call(host, 'audit.verify')).toMatchObject({ intact: true });
  });

  it('refuses writes, and a superseded ticket issues no further statement', async () => {
    const { host } = await partnershipStore(newHost());
    const db = host.vault!.db;
    const ticket = new Ticket();
    expect(ticket.start(db)).toBe(true);
    const reads = ticket.reads(db);
    expect(() => reads.run("UPDATE users SET display_name = 'x'")).toThrow(/only read/);
    expect(() => reads.exec('DELETE FROM users')).toThrow(/only read/);
    expect(await reads.get<{ n: number }>('SELECT count(*) AS n FROM users')).toEqual({ n: 3 });
    ticket.supersede();
    await expect(reads.get('SELECT 1')).rejects.toMatchObject({ code: 'CANCELLED' });
    ticket.finish();
  });
});

describe('lanes with rounds (the pages of one result set)', () => {
  const settledSoon = async (promise: Promise<void>) =>
    Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20))]);

  it('keeps the calls of one round together and supersedes them all with another round', async () => {
    const lanes = new Lanes();
    const page0 = lanes.open('window 1 case list@1');
    const page1 = lanes.open('window 1 case list@1');
    expect(await settledSoon(page0.dropped)).toBe(false);
    expect(await settledSoon(page1.dropped)).toBe(false);
    const newer = lanes.open('window 1 case list@2');
    expect(await settledSoon(page0.dropped)).toBe(true);
    expect(await settledSoon(page1.dropped)).toBe(true);
    // Another window's lane of the same name, and a plain lane, are not touched.
    const other = lanes.open('window 2 case list@2');
    const plain = lanes.open('window 1 case list');
    const samePage = lanes.open('window 1 case list@2');
    expect(await settledSoon(newer.dropped)).toBe(false);
    expect(await settledSoon(samePage.dropped)).toBe(false);
    expect(await settledSoon(other.dropped)).toBe(false);
    expect(await settledSoon(plain.dropped)).toBe(false);
    // Rounds are names, not an order: a window reloaded counts from 1 again, and its calls still run.
    lanes.close('window 1 case list@2', newer);
    lanes.close('window 1 case list@2', samePage);
    const reloaded = lanes.open('window 1 case list@1');
    expect(await settledSoon(reloaded.dropped)).toBe(false);
  });

  it('supersedes the pages of an older round through the dispatcher: the later page of the old query is never run or logged', async () => {
    const host = await searchStore();
    const queue = await holdQueue(host);
    const calls = [
      dispatch(host, 'cases.search', { query: 'Sh', offset: 0 }, { lane: 'window 1 case list@1' }),
      dispatch(host, 'cases.search', { query: 'Sh', offset: 50 }, { lane: 'window 1 case list@1' }),
      dispatch(host, 'cases.search', { query: 'Ellis' }, { lane: 'window 1 case list@2' }),
    ];
    await queue.release();
    const results = await Promise.all(calls);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['CANCELLED', 'CANCELLED', 'ok']);
    expect(await listEntries(host)).toEqual([{ operation: 'cases.search', outcome: 'ok', error_code: null }]);
  });
});

describe('an interrupt that comes before the statement has started', () => {
  it('is repeated until the statement stops, so a read queued on the thread pool cannot run to the end', async () => {
    // The binding's statement has not begun when the newer call comes: SQLite ignores an interrupt with no
    // statement active. This stand-in for the connection starts its statement only after two interrupts.
    let interrupts = 0;
    let fail!: (err: Error) => void;
    const db = {
      interrupt: () => {
        interrupts += 1;
        if (interrupts === 3) fail(Object.assign(new Error('interrupted'), { code: 'SQLITE_INTERRUPT' }));
      },
      get: () => new Promise((_, reject) => (fail = reject)),
    } as unknown as Parameters<Ticket['start']>[0];
    const ticket = new Ticket();
    expect(ticket.start(db)).toBe(true);
    const read = ticket.reads(db).get('SELECT 1');
    ticket.supersede();
    await expect(read).rejects.toMatchObject({ code: 'CANCELLED' });
    ticket.finish();
    expect(interrupts).toBe(3);
    // Once the read has stopped, no further interrupt reaches the connection.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(interrupts).toBe(3);
    expect(ticket.stoppedAfterMs()).toBeGreaterThanOrEqual(0);
  });
});
