// What the proving-ground tests check after every hostile act: a digest of everything in the store that
// a refused call must not touch, the database's own integrity checks, and the audit chain. Also the
// narrower digest of the case tables that the services' tests take around a refused call.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { canonicalJson } from '../../src/audit/chain.js';
import { verifyAuditLog } from '../../src/audit/log.js';
import type { Host } from '../../src/host/host.js';
import type { Database } from '../../src/vault/database.js';
import { readKeyFileJson } from '../vault/raw.js';

export const CASE_TABLES = [
  'people',
  'person_aliases',
  'person_addresses',
  'person_identifiers',
  'cases',
  'case_concerns',
  'case_subjects',
  'case_links',
  'case_locations',
  'case_notes',
  'case_transitions',
  'people_fts',
  'cases_fts',
  'notes_fts',
] as const;

/** A SHA-256 over every row of every case table (and the search indexes), to prove a refused call changed nothing. */
export async function caseTablesDigest(host: Host): Promise<string> {
  const db = host.vault!.db;
  const hash = createHash('sha256');
  for (const table of CASE_TABLES) {
    const rows = await db
      .all(`SELECT rowid AS _rowid, * FROM ${table} ORDER BY 1`)
      .catch(async () => db.all(`SELECT * FROM ${table} ORDER BY 1, 2`));
    hash.update(`${table}:${JSON.stringify(rows)}\n`);
  }
  return hash.digest('hex');
}

interface TableShape {
  name: string;
  columns: number;
}

const shapes = new WeakMap<Database, TableShape[]>();

/**
 * Every table but the audit log (a refused call is meant to add its entry there), virtual tables read
 * through their shadow tables. Found from sqlite_master, so tables added by later migrations are covered
 * without anyone remembering to list them.
 */
async function tablesOf(db: Database): Promise<TableShape[]> {
  const known = shapes.get(db);
  if (known) return known;
  const rows = await db.all<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name");
  const tables: TableShape[] = [];
  for (const { name, sql } of rows) {
    if (name === 'audit_log' || /^CREATE VIRTUAL/i.test(sql)) continue;
    const columns = (await db.all(`PRAGMA table_info("${name}")`)).length;
    tables.push({ name, columns });
  }
  // The digest must see at least what the services' own bad-input digest sees.
  for (const table of CASE_TABLES) {
    if (!table.endsWith('_fts') && !tables.some((t) => t.name === table)) throw new Error(`storeDigest misses ${table}`);
  }
  shapes.set(db, tables);
  return tables;
}

/**
 * SHA-256 over every row of every table except audit_log (and, of sqlite_sequence, every row but the
 * audit log's), plus the key slots as written in the key file on disk.
 */
export async function storeDigest(host: Host): Promise<string> {
  const db = host.vault!.db;
  const hash = createHash('sha256');
  for (const { name, columns } of await tablesOf(db)) {
    const order = Array.from({ length: columns }, (_, i) => i + 1).join(', ');
    const where = name === 'sqlite_sequence' ? "WHERE name <> 'audit_log'" : '';
    const rows = await db.all(`SELECT * FROM "${name}" ${where} ORDER BY ${order}`);
    hash.update(`${name}:${JSON.stringify(rows)}\n`);
  }
  // Keys sorted: a key file re-read and re-written holds the same slots with its keys in schema order.
  hash.update(`slots:${canonicalJson(readKeyFileJson(host.dataDir).slots)}\n`);
  return hash.digest('hex');
}

/** PRAGMA integrity_check and cipher_integrity_check on an open connection; throws with what they said. */
export async function expectIntegrity(db: Database, label = ''): Promise<void> {
  const integrity = await db.all<{ integrity_check: string }>('PRAGMA integrity_check');
  expect(integrity, `${label} integrity_check`).toEqual([{ integrity_check: 'ok' }]);
  const cipher = await db.all('PRAGMA cipher_integrity_check');
  expect(cipher, `${label} cipher_integrity_check`).toEqual([]);
}

/** Recomputes the chain against the key file's checkpoint, as audit.verify does, without needing a manager's session. */
export async function expectAuditIntact(host: Host, label = ''): Promise<number> {
  const vault = host.vault!;
  const { checkpoint, authentic } = vault.checkpoint();
  const result = await verifyAuditLog(vault.db, vault.storeId, { checkpoint, checkpointAuthentic: authentic });
  expect(result, `${label} audit chain`).toMatchObject({ intact: true });
  return result.entries;
}
