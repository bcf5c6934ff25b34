// What the proving-ground tests check after every hostile act: a digest of everything in the store that
// a refused call must not touch, the database's own integrity checks, and the audit chain. Also the
// narrower digest of the case tables that the services' tests take around a refused call.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { canonicalJson } from '../../src/audit/chain.js';
import { verifyAuditLog } from '../../src/audit/log.js';
import type { Host } from '../../src/host/host.js';
import { mayReceiveClosedOnly } from '../../src/domain/access.js';
import { hasClosed } from '../../src/store/closed-store.js';
import { SEALED_TABLES, markOf, type SealedTable } from '../../src/store/closed-tables.js';
import type { Database, SqlValue } from '../../src/vault/database.js';
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
  /** `main` (the open store) or `closed` (the closed database, when the session has it attached). */
  schema: 'main' | 'closed';
  name: string;
  columns: number;
}

const shapes = new WeakMap<Database, TableShape[]>();

/**
 * Every table but the audit log (a refused call is meant to add its entry there), virtual tables read
 * through their shadow tables, in the open store and, when attached, the closed database (its sealed
 * content; the open store's own rows are read from `main`, not through the merged views). Found from
 * sqlite_master, so tables added by later migrations are covered without anyone remembering to list them.
 */
async function tablesOf(db: Database): Promise<TableShape[]> {
  const known = shapes.get(db);
  if (known) return known;
  const tables: TableShape[] = [];
  for (const schema of hasClosed(db) ? (['main', 'closed'] as const) : (['main'] as const)) {
    const rows = await db.all<{ name: string; sql: string }>(
      `SELECT name, sql FROM ${schema}.sqlite_master WHERE type = 'table' ORDER BY name`,
    );
    for (const { name, sql } of rows) {
      if (name === 'audit_log' || /^CREATE VIRTUAL/i.test(sql)) continue;
      const columns = (await db.all(`PRAGMA ${schema}.table_info("${name}")`)).length;
      tables.push({ schema, name, columns });
    }
  }
  // The digest must see at least what the services' own bad-input digest sees.
  for (const table of CASE_TABLES) {
    if (!table.endsWith('_fts') && !tables.some((t) => t.schema === 'main' && t.name === table))
      throw new Error(`storeDigest misses ${table}`);
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
  for (const { schema, name, columns } of await tablesOf(db)) {
    const order = Array.from({ length: columns }, (_, i) => i + 1).join(', ');
    const where = name === 'sqlite_sequence' ? "WHERE name <> 'audit_log'" : '';
    const rows = await db.all(`SELECT * FROM ${schema}."${name}" ${where} ORDER BY ${order}`);
    hash.update(`${schema}.${name}:${JSON.stringify(rows)}\n`);
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

/**
 * The two-key store's invariants after any call (docs/closed-store.md): the closed database is attached
 * exactly when the session's role holds its key, and the open store holds no closed-only content: every
 * closed-only row of a sealed table is sealed, with its content columns blank, and no sealed row is left
 * that is no longer closed-only. Returns how many rows the open store holds sealed.
 */
export async function expectSealed(host: Host, label = ''): Promise<number> {
  const vault = host.vault!;
  const role = host.session!.user.role;
  expect(hasClosed(vault.db), `${label}: the closed database is attached for ${role}`).toBe(mayReceiveClosedOnly(role));
  let sealed = 0;
  for (const table of SEALED_TABLES) {
    const blank = table.columns
      .map((c) => {
        const stub = c.stub === null ? 'NULL' : `'${c.stub.replace(/'/g, "''")}'`;
        return c.keepsNull ? `(${c.name} IS NULL OR ${c.name} IS ${stub})` : `${c.name} IS ${stub}`;
      })
      .join(' AND ');
    // A computed stub (a paragraph's open words around its sealed spans) is checked against the closed copy below.
    if (table.computedStub) sealed += await expectComputedStubs(vault.db, table, label);
    const counts = await vault.db.get<{ unsealed: number; stale: number; notBlank: number; sealed: number }>(
      `SELECT (SELECT count(*) FROM main.${table.table} WHERE ${markOf(table)} = 1 AND sealed = 0) AS unsealed,
              (SELECT count(*) FROM main.${table.table} WHERE ${markOf(table)} = 0 AND sealed = 1) AS stale,
              (SELECT count(*) FROM main.${table.table} WHERE sealed = 1 AND NOT (${table.computedStub ? '1' : blank})) AS notBlank,
              (SELECT count(*) FROM main.${table.table} WHERE sealed = 1) AS sealed`,
    );
    expect({ ...counts!, sealed: 0 }, `${label}: closed-only content left in the open store's ${table.table}`).toEqual({
      unsealed: 0,
      stale: 0,
      notBlank: 0,
      sealed: 0,
    });
    if (!table.computedStub) sealed += counts!.sealed;
  }
  return sealed;
}

/**
 * Every sealed row of a table with a computed stub holds the stub its closed copy and the open store's rows
 * call for (none is stale), and is counted as sealed. Without the closed database, only that none is stale.
 */
async function expectComputedStubs(db: Database, table: SealedTable, label: string): Promise<number> {
  const computed = table.computedStub!;
  const key = table.key[0]!;
  const stale = await db.get<{ n: number }>(`SELECT count(*) AS n FROM main.${table.table} WHERE ${computed.stale} = 1`);
  expect(stale!.n, `${label}: stale stubs left in ${table.table}`).toBe(0);
  const sealedRows = await db.all<Record<string, SqlValue>>(`SELECT * FROM main.${table.table} WHERE sealed = 1`);
  if (!hasClosed(db)) return sealedRows.length;
  for (const row of sealedRows) {
    const full = await db.get<Record<string, SqlValue>>(`SELECT * FROM closed.${table.closedTable} WHERE ${key} = ?`, [row[key]!]);
    expect(full, `${label}: ${table.table} ${String(row[key])} sealed with no closed copy`).toBeDefined();
    const stub = await computed.stub(db, Number(row[key]), full!);
    for (const [column, value] of Object.entries(stub))
      expect(row[column], `${label}: ${table.table} ${String(row[key])}.${column} is not its stub`).toBe(value);
  }
  return sealedRows.length;
}
