// Migration to the closed database (issue 15: 1) on a store made as the code before it made one: schema 012
// and no closed database, with closed-only content of every kind (the proving store). The first unlock by
// a manager runs 013, makes the closed database and moves the closed-only content there. Every row of
// every table is still there, every audit entry too, the chain verifies, every screen reads what it read
// before, and the content is gone from the open store's pages. A non-statutory member who unlocks first
// runs 013 but makes no closed database (they may not hold its key); the move waits for a statutory unlock.
import { describe, expect, it } from 'vitest';
import { Host } from '../../src/host/host.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { Vault } from '../../src/vault/vault.js';
import { decryptedPages } from '../support/decrypted-pages.js';
import { CLOSED_MARKER, MANAGER, NON_STATUTORY, actAs, call, credentials, provingStore } from '../support/partnership.js';
import { FAST_KDF, tempDir } from '../support/store.js';
import { rawKeyHex, readKeyFileJson, unsealAsSlotHolder, rawAuditChain, rawRowCounts } from '../vault/raw.js';

const BEFORE = MIGRATIONS.filter((m) => m.version <= 12);

async function oldStore() {
  const dataDir = tempDir();
  const host = new Host(dataDir, { kdf: FAST_KDF, migrations: BEFORE, closed: undefined });
  const store = await provingStore(host);
  const closedCase = await call(host, 'cases.get', { caseId: store.closedCase });
  await call(host, 'session.lock');
  await host.close();
  return { dataDir, store, closedCase };
}

describe('migration 013: the closed database, on a store made before it', () => {
  it('keeps every row and audit entry, verifies, reads the same, and takes closed-only content out of the open store', async () => {
    const { dataDir, store, closedCase } = await oldStore();
    expect(readKeyFileJson(dataDir).closedDatabaseSalt).toBeUndefined();
    const { pragma } = await unsealAsSlotHolder(dataDir, MANAGER.username, MANAGER.passphrase);
    const before = await rawRowCounts(dataDir, pragma);
    const chainBefore = await rawAuditChain(dataDir, pragma);
    const summary = `${CLOSED_MARKER} summary`;
    expect(decryptedPages(Vault.paths(dataDir).database, rawKeyHex(pragma)).some((p) => p.includes(summary))).toBe(true);

    const host = new Host(dataDir, { kdf: FAST_KDF });
    await call(host, 'session.unlock', credentials(MANAGER));
    await call(host, 'session.setJustification', { justification: 'Checking the upgrade' });
    expect(readKeyFileJson(dataDir).closedDatabaseSalt).toMatch(/^[0-9a-f]{32}$/);

    const verified = await call(host, 'audit.verify', {});
    expect(verified.intact).toBe(true);
    const chainAfter = await rawAuditChain(dataDir, host.vault!.rawKeyPragma());
    expect(chainAfter.slice(0, chainBefore.length)).toEqual(chainBefore);
    expect((await call(host, 'cases.get', { caseId: store.closedCase })).case).toEqual(closedCase.case);

    const counts = await rawRowCounts(dataDir, host.vault!.rawKeyPragma());
    for (const [table, n] of Object.entries(before)) {
      if (table === 'audit_log') expect(counts[table]).toBeGreaterThanOrEqual(n);
      else expect(counts[table], table).toBe(n);
    }
    await call(host, 'session.lock');
    await host.close();

    const pages = decryptedPages(Vault.paths(dataDir).database, rawKeyHex(pragma));
    for (const text of [summary, `${CLOSED_MARKER} note on a closed case`, `${CLOSED_MARKER} link reason`, `${CLOSED_MARKER} accepted`])
      expect(
        pages.some((p) => p.includes(text)),
        text,
      ).toBe(false);
  });

  it('runs 013 for a non-statutory member without making the closed database; a statutory unlock then makes it', async () => {
    const { dataDir } = await oldStore();
    const host = new Host(dataDir, { kdf: FAST_KDF });
    await call(host, 'session.unlock', credentials(NON_STATUTORY));
    expect(readKeyFileJson(dataDir).closedDatabaseSalt).toBeUndefined();
    expect(host.vault!.holdsClosedKey).toBe(false);
    await actAs(host, 'statutory');
    expect(host.vault!.holdsClosedKey).toBe(true);
    const keyFile = readKeyFileJson(dataDir);
    expect(keyFile.closedDatabaseSalt).toMatch(/^[0-9a-f]{32}$/);
    const holders = keyFile.slots.filter((s) => s.sealedClosedKey).map((s) => s.username ?? s.kind);
    expect(holders.sort()).toEqual(['alex.manager', 'pc.jones', 'recovery'].sort());
    await call(host, 'session.lock');
  });
});
