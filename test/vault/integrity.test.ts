// The whole-file integrity check runs after unlock, beside the session: unlock does not wait for it,
// a change does, and a damaged page it finds stops every write before one lands on the file.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import type { Host } from '../../src/host/host.js';
import { Database } from '../../src/vault/database.js';
import { MANAGER, call, createCase, createPerson, partnershipStore } from '../support/partnership.js';
import { initialisedStore, newHost } from '../support/store.js';
import { dbFile, openRaw, paths, rawKeyOf } from './raw.js';

const UNLOCK = { username: MANAGER.username, passphrase: MANAGER.passphrase };
const PAGE = 4096;

async function settled(host: Host) {
  for (;;) {
    const { integrityCheck } = await call(host, 'store.status');
    if (integrityCheck?.state !== 'running') return integrityCheck;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A locked store whose organisations fill many pages; returns its folder and a leaf page of that table from the middle. */
async function storeWithManyPages() {
  const { host, dataDir } = await initialisedStore();
  for (let i = 0; i < 40; i++) await call(host, 'organisations.add', { name: `Organisation ${i} ${'x'.repeat(150)}`, statutory: false });
  const pragma = rawKeyOf(host);
  await call(host, 'session.lock');
  await host.close();
  const raw = await openRaw(dataDir, pragma);
  const leaves = await raw.all<{ pageno: number }>(
    "SELECT pageno FROM dbstat WHERE name = 'organisations' AND pagetype = 'leaf' ORDER BY pageno",
  );
  await raw.close();
  expect(leaves.length).toBeGreaterThan(2);
  return { dataDir, page: leaves[Math.floor(leaves.length / 2)]!.pageno };
}

describe('the integrity check after unlock', () => {
  it('an untouched store: the check passes, and a change made straight after unlock waits for it and goes through', async () => {
    const { dataDir } = await storeWithManyPages();
    const host = newHost(dataDir);
    await call(host, 'session.unlock', UNLOCK);
    expect((await call(host, 'store.status')).integrityCheck).toMatchObject({ state: expect.stringMatching(/running|passed/) });
    await call(host, 'organisations.add', { name: 'Added at once', statutory: false });
    expect((await call(host, 'store.status')).integrityCheck).toMatchObject({ state: 'passed', phase: null, failure: null });
  });

  it('a page damaged in the middle of the file: unlock and reads go on, every change is refused, and the page is never written', async () => {
    const { dataDir, page } = await storeWithManyPages();
    const bytes = readFileSync(dbFile(dataDir));
    const at = (page - 1) * PAGE + 200;
    bytes[at]! ^= 0xff;
    writeFileSync(dbFile(dataDir), bytes);
    const damagedPage = () => readFileSync(dbFile(dataDir)).subarray((page - 1) * PAGE, page * PAGE);
    const before = Buffer.from(damagedPage());

    const host = newHost(dataDir);
    expect(await dispatch(host, 'session.unlock', UNLOCK)).toMatchObject({ ok: true });
    const write = dispatch(host, 'organisations.add', { name: 'Must not land', statutory: false });
    expect(await write).toMatchObject({ ok: false, error: { code: 'DATABASE_CORRUPT' } });
    expect(await settled(host)).toMatchObject({ state: 'failed', failure: expect.stringMatching(/cipher integrity check \(1 page/) });
    // Once failed, nothing more is written, not even a read's audit entry; locking still works.
    expect(await dispatch(host, 'users.list', {})).toMatchObject({ ok: false, error: { code: 'DATABASE_CORRUPT' } });
    expect(await dispatch(host, 'session.lock', {})).toMatchObject({ ok: true });
    await host.close();
    expect(damagedPage().equals(before)).toBe(true);
  });

  it('covers the closed database too: a damaged page of it that unlock does not read fails the check', async () => {
    const { host, dataDir } = await partnershipStore(newHost());
    const caseId = await createCase(host, [await createPerson(host)]);
    for (let i = 0; i < 40; i++) {
      const words = Array.from({ length: 80 }, (_, j) => `w${i}x${j}q`).join(' ');
      await call(host, 'cases.addNote', { caseId, body: `Closed note ${words}`, closedOnly: true });
    }
    const closedPragma = host.vault!.rawKeyPragmas()[1]!.pragma;
    await call(host, 'session.lock');
    await host.close();
    const closedFile = paths(dataDir).closedDatabase;
    const raw = await Database.open(closedFile);
    await raw.exec(`PRAGMA cipher_log_level = NONE; ${closedPragma}`);
    // The search index's pages: the unlock's reconciliation reads the content tables, not these.
    const pages = await raw.all<{ pageno: number }>(
      "SELECT pageno FROM dbstat WHERE name = 'closed_notes_fts_data' AND pagetype IN ('leaf', 'overflow') ORDER BY pageno",
    );
    await raw.close();
    expect(pages.length).toBeGreaterThan(2);
    const page = pages[Math.floor(pages.length / 2)]!.pageno;
    const bytes = readFileSync(closedFile);
    bytes[(page - 1) * PAGE + 200]! ^= 0xff;
    writeFileSync(closedFile, bytes);

    const again = newHost(dataDir);
    const unlocked = await dispatch(again, 'session.unlock', UNLOCK);
    expect(unlocked, JSON.stringify(unlocked)).toMatchObject({ ok: true });
    expect(await settled(again)).toMatchObject({ state: 'failed', failure: expect.stringMatching(/cipher integrity check \(1 page/) });
    expect(await dispatch(again, 'session.lock', {})).toMatchObject({ ok: true });
    await again.close();
  });

  it('locking while the check runs stops it, and the store unlocks again', async () => {
    const { dataDir } = await storeWithManyPages();
    const host = newHost(dataDir);
    await call(host, 'session.unlock', UNLOCK);
    await call(host, 'session.lock');
    expect((await call(host, 'store.status')).integrityCheck).toBeNull();
    await call(host, 'session.unlock', UNLOCK);
    expect(await settled(host)).toMatchObject({ state: 'passed' });
  });
});
