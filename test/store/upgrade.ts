// For the tests of migrations that seal content: a store made by the code before a migration, and its upgrade.
import { expect } from 'vitest';
import { SEALED_TABLES, type SealedTable } from '../../src/store/closed-tables.js';
import { CLOSED_MIGRATIONS } from '../../src/store/closed-migrations/index.js';
import { closedStoreOptions } from '../../src/store/closed-store.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { Host } from '../../src/host/host.js';
import { Vault } from '../../src/vault/vault.js';
import { decryptedPages } from '../support/decrypted-pages.js';
import { MANAGER, call, credentials, partnershipStore } from '../support/partnership.js';
import { FAST_KDF } from '../support/store.js';
import { rawAuditChain, rawKeyHex, rawRowCounts, unsealAsSlotHolder } from '../vault/raw.js';

/** Before 018, paragraphs were sealed by `closed_content` alone, with a blank stub (no computed one). */
export const asBefore018 = (tables: readonly SealedTable[]): SealedTable[] =>
  tables.map(({ computedStub: _later, ...table }) => (table.table === 'minute_paragraphs' ? { ...table, mark: 'closed_content' } : table));

/**
 * Makes in `dataDir` the store the code of schema 015 (closed schema 3) made: the partnership's three users,
 * no cases. Left locked and closed, for an upgrade to run at its next unlock.
 */
export async function storeMadeAt015(dataDir: string): Promise<void> {
  const old = new Host(dataDir, {
    kdf: FAST_KDF,
    migrations: MIGRATIONS.filter((m) => m.version <= 15),
    closed: closedStoreOptions(
      asBefore018(SEALED_TABLES.slice(0, 15)),
      CLOSED_MIGRATIONS.filter((m) => m.version <= 3),
    ),
  });
  await partnershipStore(old);
  await call(old, 'session.lock');
  await old.close();
}

/**
 * Unlocks, as the manager and with today's code, a locked store in `dataDir` that earlier code made, and checks
 * what every sealing migration keeps: each of `sealedText` was in the open store's pages before (so the
 * checks that it has gone can fail), every row and audit entry stays, the chain verifies and still begins
 * with the old one, and `read` gives what it gave before. The host is left unlocked for the caller's checks.
 */
export async function upgradeAsManager(
  dataDir: string,
  sealedText: readonly string[],
  read: (host: Host) => Promise<unknown>,
  before: unknown,
): Promise<{ host: Host; pragma: string }> {
  const { pragma } = await unsealAsSlotHolder(dataDir, MANAGER.username, MANAGER.passphrase);
  const pagesBefore = decryptedPages(Vault.paths(dataDir).database, rawKeyHex(pragma));
  for (const text of sealedText)
    expect(
      pagesBefore.some((p) => p.includes(text)),
      text,
    ).toBe(true);
  const countsBefore = await rawRowCounts(dataDir, pragma);
  const chainBefore = await rawAuditChain(dataDir, pragma);

  const host = new Host(dataDir, { kdf: FAST_KDF });
  await call(host, 'session.unlock', credentials(MANAGER));
  await call(host, 'session.setJustification', { justification: 'Checking the upgrade' });
  expect((await call(host, 'audit.verify', {})).intact).toBe(true);
  expect((await rawAuditChain(dataDir, host.vault!.rawKeyPragma())).slice(0, chainBefore.length)).toEqual(chainBefore);
  expect(await read(host)).toEqual(before);

  const counts = await rawRowCounts(dataDir, host.vault!.rawKeyPragma());
  for (const [table, n] of Object.entries(countsBefore)) {
    if (table === 'audit_log') expect(counts[table]).toBeGreaterThanOrEqual(n);
    else expect(counts[table], table).toBe(n);
  }
  return { host, pragma };
}

/** Locks and closes the upgraded store and checks that none of `sealedText` is left in the open store's pages. */
export async function expectGoneFromOpenPages(host: Host, dataDir: string, pragma: string, sealedText: readonly string[]): Promise<void> {
  await call(host, 'session.lock');
  await host.close();
  const pages = decryptedPages(Vault.paths(dataDir).database, rawKeyHex(pragma));
  for (const text of sealedText)
    expect(
      pages.some((p) => p.includes(text)),
      text,
    ).toBe(false);
}
