// Migration 015 (meetings, minutes, actions and enforcement join the closed database; issue 15: 1) on a
// store made as the code before it made one: schema 013, with the proving store's closed meeting, closed-only
// decision, addendum, actions and enforcement carrying CLOSED_MARKER. The first unlock by a manager runs 015
// (and, this store having been made without the closed key, 013's move with it), makes the closed database
// and moves that content there. Every row of every table and every audit entry is still there, the chain
// verifies, the meetings and enforcement records read as before, and the content is gone from the open
// store's pages.
import { describe, expect, it } from 'vitest';
import { Host } from '../../src/host/host.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { expectGoneFromOpenPages, upgradeAsManager } from './upgrade.js';

import { CLOSED_MARKER, call, provingStore } from '../support/partnership.js';
import { FAST_KDF, tempDir } from '../support/store.js';
import { openRaw } from '../vault/raw.js';

const BEFORE = MIGRATIONS.filter((m) => m.version <= 13);
const M = CLOSED_MARKER;
/** Closed-only content 015 seals, as the proving store plants it (test/support/partnership.ts). */
const SEALED_TEXT = [
  `${M} police station`, // a closed meeting's place
  `${M} minutes`, // a paragraph of a closed meeting (not marked itself)
  `${M} decision`, // a decision marked closed-only
  `${M} correction`, // a closed-only addendum to approved minutes
  `${M} closed action`, // an action of a closed meeting
  `${M} officer`, // a closed-only action's officer
  `${M} conditions`, // enforcement on a closed-only case
];

/** What a manager reads of the meetings and enforcement records that carry sealed content. */
async function readings(host: Host, store: Awaited<ReturnType<typeof provingStore>>) {
  const meetings = [];
  for (const meetingId of [store.meetings.closed, store.meetings.draft, store.meetings.approved])
    meetings.push((await call(host, 'meetings.get', { meetingId })).meeting);
  const enforcement = (await call(host, 'enforcement.list', {})).enforcement;
  return { meetings, enforcement };
}

describe('migration 015: meetings, minutes, actions and enforcement sealed, on a store made before it', () => {
  it('keeps every row and audit entry, verifies, reads the same, and takes their closed-only content out of the open store', async () => {
    const dataDir = tempDir();
    const old = new Host(dataDir, { kdf: FAST_KDF, migrations: BEFORE, closed: undefined });
    const store = await provingStore(old);
    const before = await readings(old, store);
    await call(old, 'session.lock');
    await old.close();

    const { host, pragma } = await upgradeAsManager(dataDir, SEALED_TEXT, (h) => readings(h, store), before);
    const raw = await openRaw(dataDir, host.vault!.rawKeyPragma());
    try {
      const sealed = await raw.get<{ meeting: number; decisions: number; actions: number; enforcement: number }>(
        `SELECT (SELECT sealed FROM meetings WHERE id = ?) AS meeting,
           (SELECT count(*) FROM minute_decisions WHERE sealed = 1) AS decisions,
           (SELECT count(*) FROM actions WHERE sealed = 1) AS actions,
           (SELECT count(*) FROM enforcement WHERE sealed = 1) AS enforcement`,
        [store.meetings.closed],
      );
      expect(sealed!.meeting).toBe(1);
      expect(sealed!.decisions).toBeGreaterThan(0);
      expect(sealed!.actions).toBeGreaterThan(0);
      expect(sealed!.enforcement).toBeGreaterThan(0);
    } finally {
      await raw.close();
    }
    await expectGoneFromOpenPages(host, dataDir, pragma, SEALED_TEXT);
  });
});
