// Migration 017 (the records hung on closed-only content join the closed database; issue 15: 1) on a store
// made as the code before it made one: every earlier migration, and a closed database at its schema before
// closed migration 005 sealing the tables sealed then. The proving store's breach of its hidden enforcement
// record, its escalation and its Community Trigger on the closed-only case carry CLOSED_MARKER, and here the
// trigger is decided, reviewed and given a recommendation, and the escalation's outcome comes back, with the
// marker too. The first unlock by a manager runs 017 and the closed database's 005 and moves that content
// across: every row of every table and every audit entry is still there, the chain verifies, the records read
// as before, and their content is gone from the open store's pages.
import { describe, expect, it } from 'vitest';
import { Host } from '../../src/host/host.js';
import { closedStoreOptions } from '../../src/store/closed-store.js';
import { SEALED_TABLES } from '../../src/store/closed-tables.js';
import { CLOSED_MIGRATIONS } from '../../src/store/closed-migrations/index.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { asBefore018, expectGoneFromOpenPages, upgradeAsManager } from './upgrade.js';

import { CLOSED_MARKER, call, provingStore } from '../support/partnership.js';
import { FAST_KDF, tempDir } from '../support/store.js';
import { openRaw } from '../vault/raw.js';

const NEWLY_SEALED = [
  'action_reviews',
  'enforcement_breaches',
  'escalations',
  'community_triggers',
  'community_trigger_incidents',
  'community_trigger_recommendations',
  'retention_decisions',
  'case_releases',
  'pseudonymised_people',
];
const BEFORE = MIGRATIONS.filter((m) => m.version < 17);
const CLOSED_BEFORE = closedStoreOptions(
  asBefore018(SEALED_TABLES.filter((t) => !NEWLY_SEALED.includes(t.table))),
  CLOSED_MIGRATIONS.filter((m) => m.version < 5),
);
const M = CLOSED_MARKER;
/** Closed-only content 017 seals, as the proving store and this test plant it. */
const SEALED_TEXT = [
  `${M} reporter`, // a breach of the closed-only case's CBO
  `${M} shared`, // its escalation
  `${M} came back`, // the escalation's outcome
  `${M} applicant`, // its Community Trigger
  `${M} threshold`, // the decision's reasons
  `${M} review notes`,
  `${M} recommendation`,
];

/** What a manager reads of the records that carry sealed content. */
async function readings(host: Host, closedCase: number) {
  return {
    enforcement: (await call(host, 'enforcement.list', { caseId: closedCase })).enforcement,
    escalations: (await call(host, 'escalations.list', { caseId: closedCase })).escalations,
    triggers: (await call(host, 'triggers.list', { caseId: closedCase })).triggers,
  };
}

describe('migration 017: breaches, escalations, triggers and the rest sealed, on a store made before it', () => {
  it('keeps every row and audit entry, verifies, reads the same, and takes their closed-only content out of the open store', async () => {
    const dataDir = tempDir();
    const old = new Host(dataDir, { kdf: FAST_KDF, migrations: BEFORE, closed: CLOSED_BEFORE });
    const store = await provingStore(old);
    const trigger = (await call(old, 'triggers.list', { caseId: store.closedCase })).triggers[0]!.id;
    await call(old, 'triggers.decide', { triggerId: trigger, met: true, reasons: `${M} threshold`, decidedOn: '2026-01-25' });
    await call(old, 'triggers.recordReview', { triggerId: trigger, reviewDate: '2026-02-01', notes: `${M} review notes` });
    await call(old, 'triggers.addRecommendation', { triggerId: trigger, text: `${M} recommendation`, owner: 'Housing', due: '2026-03-01' });
    const escalation = (await call(old, 'escalations.list', { caseId: store.closedCase })).escalations[0]!.id;
    await call(old, 'escalations.recordOutcome', { escalationId: escalation, outcome: `${M} came back`, returnedOn: '2026-01-20' });
    const before = await readings(old, store.closedCase);
    expect(JSON.stringify(before)).toContain(`${M} reporter`);
    await call(old, 'session.lock');
    await old.close();

    const { host, pragma } = await upgradeAsManager(dataDir, SEALED_TEXT, (h) => readings(h, store.closedCase), before);
    const raw = await openRaw(dataDir, host.vault!.rawKeyPragma());
    try {
      for (const table of ['enforcement_breaches', 'escalations', 'community_triggers', 'community_trigger_recommendations']) {
        const row = await raw.get<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE sealed = 1`);
        expect(row!.n, table).toBeGreaterThan(0);
      }
      // Open records stay whole: the open case's escalation and breach are not sealed.
      const open = await raw.get<{ n: number }>(
        'SELECT (SELECT count(*) FROM escalations WHERE id = ? AND sealed = 0) + (SELECT count(*) FROM enforcement_breaches WHERE id = ? AND sealed = 0) AS n',
        [store.enforcement.escalation, store.enforcement.cpnBreach],
      );
      expect(open!.n).toBe(2);
    } finally {
      await raw.close();
    }
    await expectGoneFromOpenPages(host, dataDir, pragma, SEALED_TEXT);
  });
});
