// The closed database as the store sees it (issue 15: 1; docs/closed-store.md).
//
// Reads: once `closed` is attached, a TEMP view named after each sealed table shadows it (SQLite looks a
// name up in temp first), giving every row with its content: the open store's columns, or the closed
// row's where the row is sealed. So every query the store already writes reads both files unchanged.
// Writes name `main.` explicitly, write whole content into the open store's row, and never touch a
// sealed row's content in place (a trigger refuses it; unsealForWrite first).
//
// Moving content (sealClosedContent) reconciles the two files after each unit of work and at unlock:
// 1. in the closed database alone, copy the content of every closed-only row not yet sealed;
// 2. in the open store alone, blank the rows whose content the closed database now holds, identically,
//    and put back the content of rows no longer closed-only;
// 3. in the closed database alone, drop rows the open store now holds (or no longer has).
// Each step commits in one file only, and each is safe to repeat, so a crash anywhere loses nothing: SQLite
// does not commit attached WAL databases atomically together, so no step relies on that.
import type { Database, Row, Sql } from '../vault/database.js';
import type { ClosedStoreOptions } from '../vault/closed-database.js';
import { CLOSED_MIGRATIONS } from './closed-migrations/index.js';
import { SEALED_TABLES, markOf, type ComputedStub, type SealedTable } from './closed-tables.js';
import { SQL_TRUE, sql, sqlAnd, sqlAssignments, sqlIdentifier, sqlJoin, type SqlQuery } from './sql.js';

/** The sealed tables each attached connection moves (all of them, but in a test that plays an older store). */
const attached = new WeakMap<object, readonly SealedTable[]>();
const tablesOf = (db: Sql): readonly SealedTable[] => attached.get(db.connection ?? db) ?? [];

/** Whether this connection has the closed database attached (the session holds its key). */
export function hasClosed(db: Sql): boolean {
  return attached.has(db.connection ?? db);
}

const id = sqlIdentifier;

function keyMatch(table: SealedTable, left: string, right: string): SqlQuery {
  return sqlAnd(table.key.map((k) => sql`${id(left)}.${id(k)} = ${id(right)}.${id(k)}`));
}

/** The merged view of one table, its columns in the open store's order. */
async function createMergedView(db: Sql, table: SealedTable): Promise<void> {
  const columns = await db.all<{ name: string }>(sql`SELECT name FROM pragma_table_info(${table.table}, 'main') ORDER BY cid`);
  const content = new Set(table.columns.map((c) => c.name));
  // A view has no rowid of its own: the open store's is passed through under that name (but for the
  // tables without one), so the store's reads by rowid keep working.
  const rowid = table.key.length === 1 ? [sql`t.rowid AS rowid`] : [];
  const select = sqlJoin([
    ...rowid,
    ...columns.map(({ name }) =>
      content.has(name) ? sql`CASE WHEN t.sealed = 1 THEN x.${id(name)} ELSE t.${id(name)} END AS ${id(name)}` : sql`t.${id(name)}`,
    ),
  ]);
  await db.exec(
    sql`CREATE TEMP VIEW IF NOT EXISTS ${id(table.table)} AS SELECT ${select}
      FROM main.${id(table.table)} AS t LEFT JOIN closed.${id(table.closedTable)} AS x ON ${keyMatch(table, 'x', 't')}`.text,
  );
}

/**
 * What the vault runs on the closed database: its migrations, and on attach the merged views and a full
 * reconciliation. The store passes every sealed table and closed migration; a migration test passes the
 * first few, to make a store as the code before its step made one.
 */
export function closedStoreOptions(tables: readonly SealedTable[], migrations: ClosedStoreOptions['migrations']): ClosedStoreOptions {
  return {
    migrations,
    onAttach: async (db: Database, progress?: (done: number, total: number) => void) => {
      for (const table of tables) await createMergedView(db, table);
      attached.set(db, tables);
      await db.exclusive(async () => {
        await sealClosedContent(db, { orphans: true, progress });
        // A session killed after a blanking committed and before its checkpoint left the content in the open
        // store's WAL frames. The reconciliation above finds nothing left to seal then, so it would not
        // checkpoint: this does, at every key holder's unlock (a WAL left by a clean end is empty, and costs nothing),
        // without waiting for a backup's snapshot (a closed database made mid-session): the backup empties it after.
        await db.truncateWal('main');
      });
    },
  };
}

/**
 * Runs `work` with this connection's merged views set aside. VACUUM replays every CREATE INDEX by its
 * table's bare name, which in a key holder's session names the TEMP view, and fails ("views may not be
 * indexed"): an erasure's compaction needs the tables themselves.
 */
export async function withoutMergedViews<T>(db: Sql, work: () => Promise<T>): Promise<T> {
  const tables = tablesOf(db);
  for (const table of tables) await db.exec(sql`DROP VIEW IF EXISTS temp.${id(table.table)}`.text);
  try {
    return await work();
  } finally {
    for (const table of tables) await createMergedView(db, table);
  }
}

export const CLOSED_STORE: ClosedStoreOptions = closedStoreOptions(SEALED_TABLES, CLOSED_MIGRATIONS);

/** The table's closed-only mark, by alias when given. */
const mark = (table: SealedTable, alias?: string) => (alias ? sql`${id(alias)}.${id(markOf(table))}` : id(markOf(table)));

const keyList = (table: SealedTable, alias?: string) => sqlJoin(table.key.map((k) => (alias ? sql`${id(alias)}.${id(k)}` : id(k))));
const contentNames = (table: SealedTable) => [...table.key, ...table.carried, ...table.columns.map((c) => c.name)];

/** Step 1, closed database only: the content of closed-only rows not yet sealed. */
async function copyToClosed(db: Sql, table: SealedTable): Promise<number> {
  const names = sqlJoin(contentNames(table).map((n) => id(n)));
  const from = sqlJoin(contentNames(table).map((n) => sql`t.${id(n)}`));
  const { changes } = await db.run(
    sql`INSERT OR REPLACE INTO closed.${id(table.closedTable)} (${names})
      SELECT ${from} FROM main.${id(table.table)} AS t INDEXED BY ${id(`${table.table}_to_seal`)} WHERE ${mark(table, 't')} = 1 AND t.sealed = 0`,
  );
  return changes;
}

/** Step 2a, open store only: blank the rows whose content the closed database holds, identically. */
async function blankSealed(db: Sql, table: SealedTable): Promise<number> {
  if (table.computedStub) return blankComputed(db, table, table.computedStub);
  const same = sqlAnd(table.columns.map((c) => sql`x.${id(c.name)} IS t.${id(c.name)}`));
  const blanks = sqlJoin(
    table.columns.map((c) =>
      c.keepsNull ? sql`${id(c.name)} = CASE WHEN ${id(c.name)} IS NULL THEN NULL ELSE ${c.stub} END` : sql`${id(c.name)} = ${c.stub}`,
    ),
  );
  const { changes } = await db.run(
    sql`UPDATE main.${id(table.table)} SET ${blanks}, sealed = 1
      WHERE ${mark(table)} = 1 AND sealed = 0 AND (${keyList(table)}) IN (
        SELECT ${keyList(table, 't')} FROM main.${id(table.table)} AS t INDEXED BY ${id(`${table.table}_to_seal`)}
          JOIN closed.${id(table.closedTable)} AS x ON ${keyMatch(table, 'x', 't')}
        WHERE ${mark(table, 't')} = 1 AND t.sealed = 0 AND ${same})`,
  );
  return changes;
}

const contentOf = (table: SealedTable, row: Row): Row => Object.fromEntries(table.columns.map((c) => [c.name, row[c.name] ?? null]));

/**
 * Step 2a for a table whose stub is computed (src/store/closed-tables.ts): each row that the closed database
 * holds identically gets the stub its content and the open store's rows call for. Only the stub is written
 * here; the content never passes through the open store again.
 */
async function blankComputed(db: Sql, table: SealedTable, computed: ComputedStub): Promise<number> {
  const same = sqlAnd(table.columns.map((c) => sql`x.${id(c.name)} IS t.${id(c.name)}`));
  const columns = sqlJoin(table.columns.map((c) => sql`x.${id(c.name)}`));
  const rows = await db.all<Row & { key: number }>(
    sql`SELECT t.${id(table.key[0]!)} AS key, ${columns} FROM main.${id(table.table)} AS t INDEXED BY ${id(`${table.table}_to_seal`)}
      JOIN closed.${id(table.closedTable)} AS x ON ${keyMatch(table, 'x', 't')}
      WHERE ${mark(table, 't')} = 1 AND t.sealed = 0 AND ${same}`,
  );
  for (const row of rows) {
    const stub = await computed.stub(db, row.key, contentOf(table, row));
    await db.run(
      sql`UPDATE main.${id(table.table)} SET ${sqlAssignments(stub)}, sealed = 1, ${id(computed.stale)} = 0
        WHERE ${id(table.key[0]!)} = ${row.key} AND sealed = 0`,
    );
  }
  return rows.length;
}

/**
 * Step 2c, open store only: a sealed row whose stub no longer hides what it should (a span added or taken
 * off, its meeting closed or opened) gets its stub computed again from the closed copy. It is written as
 * an unseal to the new stub and a seal, so the guards that let sealing through (approved minutes) let it
 * through too, and the content itself never comes back into the open store.
 */
async function restub(db: Sql, table: SealedTable, computed: ComputedStub): Promise<number> {
  const key = id(table.key[0]!);
  const stale = id(computed.stale);
  const columns = sqlJoin(table.columns.map((c) => sql`x.${id(c.name)}`));
  const rows = await db.all<Row & { key: number }>(
    sql`SELECT t.${key} AS key, ${columns} FROM main.${id(table.table)} AS t INDEXED BY ${id(`${table.table}_to_restub`)}
      JOIN closed.${id(table.closedTable)} AS x ON ${keyMatch(table, 'x', 't')}
      WHERE t.${stale} = 1 AND t.sealed = 1 AND ${mark(table, 't')} = 1`,
  );
  for (const row of rows) {
    const stub = await computed.stub(db, row.key, contentOf(table, row));
    await db.run(sql`UPDATE main.${id(table.table)} SET ${sqlAssignments(stub)}, sealed = 0 WHERE ${key} = ${row.key}`);
    await db.run(sql`UPDATE main.${id(table.table)} SET sealed = 1, ${stale} = 0 WHERE ${key} = ${row.key}`);
  }
  // Rows restored to the open store (or never sealed) hold their content: nothing of theirs is stale.
  await db.run(sql`UPDATE main.${id(table.table)} SET ${stale} = 0 WHERE ${stale} = 1 AND (sealed = 0 OR ${mark(table)} = 0)`);
  return rows.length;
}

/**
 * Step 2b, open store only: put back the content of sealed rows that are no longer closed-only (or, for
 * unsealForWrite, those `only` selects).
 */
async function restoreOpened(db: Sql, table: SealedTable, only?: SqlQuery): Promise<number> {
  const assignments = sqlJoin(table.columns.map((c) => sql`${id(c.name)} = x.${id(c.name)}`));
  const which =
    only ??
    sql`(${keyList(table, 't')}) IN (SELECT ${keyList(table)} FROM main.${id(table.table)} INDEXED BY ${id(`${table.table}_to_unseal`)}
      WHERE ${mark(table)} = 0 AND sealed = 1)`;
  const { changes } = await db.run(
    sql`UPDATE main.${id(table.table)} AS t SET ${assignments}, sealed = 0
      FROM closed.${id(table.closedTable)} AS x WHERE ${keyMatch(table, 'x', 't')} AND t.sealed = 1 AND ${which}`,
  );
  return changes;
}

/**
 * Step 3, closed database only: drop content whose row the open store holds unsealed again or no longer
 * has. Candidates are the rows deleted while sealed (their keys in sealed_deletions) and, with `all`, every
 * closed row; a row sealed in the open store is never dropped, whatever the candidates say.
 */
async function dropFromClosed(db: Sql, table: SealedTable, all: boolean): Promise<number> {
  const closedName = id(table.closedTable);
  const stillSealed = sql`EXISTS (SELECT 1 FROM main.${id(table.table)} AS t
    WHERE ${sqlAnd(table.key.map((k) => sql`t.${id(k)} = ${closedName}.${id(k)}`))} AND t.sealed = 1)`;
  const deletedKeys = sqlJoin(table.key.map((_, i) => sql`json_extract(d.key, ${`$[${i}]`})`));
  const candidates = all
    ? SQL_TRUE
    : sql`(${keyList(table)}) IN (SELECT ${deletedKeys} FROM main.sealed_deletions AS d WHERE d.table_name = ${table.table})`;
  const { changes } = await db.run(sql`DELETE FROM closed.${closedName} WHERE ${candidates} AND NOT ${stillSealed}`);
  return changes;
}

/** What one table has waiting: content to seal, to put back, or stubs to compute again. */
interface TableWork {
  table: SealedTable;
  seal: boolean;
  unseal: boolean;
  restub: boolean;
}

/**
 * What is waiting to be sealed, unsealed or re-stubbed, table by table, and whether any sealed row was deleted or
 * unsealed for a write: one query over the small partial indexes, so that the steps below run only the
 * statements that have something to do (a note on a closed-only case touches one table of the many).
 */
async function pendingWork(db: Sql): Promise<{ tables: TableWork[]; deletions: boolean }> {
  const tables = tablesOf(db);
  const probes: SqlQuery[] = tables.flatMap((t, i) => [
    sql`EXISTS (SELECT 1 FROM main.${id(t.table)} INDEXED BY ${id(`${t.table}_to_seal`)} WHERE ${mark(t)} = 1 AND sealed = 0) AS ${id(`s${i}`)}`,
    sql`EXISTS (SELECT 1 FROM main.${id(t.table)} INDEXED BY ${id(`${t.table}_to_unseal`)} WHERE ${mark(t)} = 0 AND sealed = 1) AS ${id(`u${i}`)}`,
    t.computedStub
      ? sql`EXISTS (SELECT 1 FROM main.${id(t.table)} INDEXED BY ${id(`${t.table}_to_restub`)} WHERE ${id(t.computedStub.stale)} = 1) AS ${id(`r${i}`)}`
      : sql`0 AS ${id(`r${i}`)}`,
  ]);
  probes.push(sql`EXISTS (SELECT 1 FROM main.sealed_deletions) AS deletions`);
  const row = (await db.get<Record<string, number>>(sql`SELECT ${sqlJoin(probes)}`)) ?? {};
  return {
    tables: tables.map((table, i) => ({ table, seal: row[`s${i}`] === 1, unseal: row[`u${i}`] === 1, restub: row[`r${i}`] === 1 })),
    deletions: row.deletions === 1,
  };
}

export interface SealResult {
  sealed: number;
  unsealed: number;
  dropped: number;
}

/**
 * Brings the two files into step (see the top of this file). Runs its own transactions: call it inside the
 * connection's exclusive section, outside any transaction. `orphans` also drops closed content whose row
 * is gone from the open store (an erasure, a replaced location): a scan of the closed tables, so it runs
 * at unlock and after deletions, not after every call.
 *
 * One transaction per file in the usual case (one commit, so one fsync, each), in the order that keeps a
 * crash safe: the closed database first (drop the copies of rows deleted or unsealed for a write, which the
 * open store has already committed, then copy the rows to seal), then the open store (blank what the
 * closed database now holds, put back what is no longer closed-only, forget the deletions just handled).
 * Only when that put rows back, or for `orphans`, does a third transaction (the closed database again)
 * drop their copies, which it may do only once the open store holds their content.
 */
export async function sealClosedContent(
  db: Database,
  { orphans = false, progress = () => undefined }: { orphans?: boolean; progress?: (done: number, total: number) => void } = {},
): Promise<SealResult> {
  const result: SealResult = { sealed: 0, unsealed: 0, dropped: 0 };
  if (!hasClosed(db)) return result;
  const work = await pendingWork(db);
  const toSeal = work.tables.filter((w) => w.seal);
  if (!orphans && !work.deletions && !work.tables.some((w) => w.seal || w.unseal || w.restub)) return result;
  // How far the three steps have got, a table at a time (an upgrade's first move can take minutes).
  const total = work.tables.length * 3;
  let done = 0;
  const tableDone = () => progress(++done, total);
  const stepDone = (step: number) => {
    if (done < step * work.tables.length) progress((done = step * work.tables.length), total);
  };
  // Dropping first is safe: a candidate whose row is sealed in the open store is never dropped, and a row
  // unsealed for a write that is still closed-only is copied again just below, in the same commit.
  if (work.deletions || toSeal.length > 0)
    await db.transactionNow(async (tx) => {
      for (const { table, seal } of work.tables) {
        if (work.deletions) result.dropped += await dropFromClosed(tx, table, false);
        if (seal) await copyToClosed(tx, table);
        tableDone();
      }
    });
  stepDone(1);
  if (work.deletions || work.tables.some((w) => w.seal || w.unseal || w.restub))
    await db.transactionNow(async (tx) => {
      for (const { table, seal, unseal } of work.tables) {
        if (seal) result.sealed += await blankSealed(tx, table);
        if (unseal) result.unsealed += await restoreOpened(tx, table);
        // Always (two statements): a blanking just above may leave another table's stub stale.
        if (table.computedStub) result.sealed += await restub(tx, table, table.computedStub);
        tableDone();
      }
      if (work.deletions) await tx.run(sql`DELETE FROM main.sealed_deletions WHERE 1`);
    });
  stepDone(2);
  // A release (rows unsealed) is rare: then every closed row of the table is checked, not only the deleted ones.
  if (orphans || result.unsealed > 0)
    await db.transactionNow(async (tx) => {
      for (const { table } of work.tables) {
        result.dropped += await dropFromClosed(tx, table, true);
        tableDone();
      }
    });
  stepDone(3);
  // The content just blanked is still in the open store's WAL frames until a checkpoint copies the blanked
  // pages over it and the WAL is emptied (not waiting for a backup's snapshot: it empties it when it ends).
  if (result.sealed > 0) await db.truncateWal('main');
  if (result.dropped > 0) await db.truncateWal('closed');
  return result;
}

/**
 * Puts the content of the sealed rows of `table` that `where` selects (a condition on alias `t`) back into
 * the open store, within the caller's transaction, so a write can change it; the next seal moves it back.
 * Without the closed database (a session without its key) nothing is unsealed, and the trigger on sealed
 * rows refuses the write that follows.
 */
export async function unsealForWrite(db: Sql, tableName: SealedTable['table'], where: SqlQuery): Promise<void> {
  if (!hasClosed(db)) return;
  const table = tablesOf(db).find((t) => t.table === tableName);
  if (!table) {
    // A table this connection does not seal (a test playing an older store) has nothing to unseal.
    if (isSealedTable(tableName)) return;
    throw new Error(`${tableName} holds no sealed content`);
  }
  const only = where === SQL_TRUE ? sql`1` : where;
  // The closed copy is now stale: the next reconciliation drops it unless the row is sealed again by then
  // (a write that also takes the row out of the closed-only set, e.g. an erasure that detaches it from its
  // case, would otherwise leave the old content in the closed database for good).
  await db.run(
    sql`INSERT INTO main.sealed_deletions (table_name, key)
      SELECT ${table.table}, json_array(${keyList(table, 't')}) FROM main.${id(table.table)} AS t WHERE t.sealed = 1 AND ${only}`,
  );
  await restoreOpened(db, table, only);
}

/** Whether `table` holds closed-only content that may be sealed. */
export function isSealedTable(table: string): table is SealedTable['table'] {
  return SEALED_TABLES.some((t) => t.table === table);
}

/** Statutory search over closed-only text: the closed database's own indexes, when it is attached. */
export function closedSearchAvailable(db: Sql): boolean {
  return hasClosed(db);
}

/** unsealForWrite when a write to `tableName` sets any of its sealed columns (`columns` are the names it sets). */
export async function unsealIfContent(
  db: Sql,
  tableName: SealedTable['table'],
  columns: readonly string[],
  where: SqlQuery,
): Promise<void> {
  const table = SEALED_TABLES.find((t) => t.table === tableName);
  if (!table) throw new Error(`${tableName} holds no sealed content`);
  if (table.columns.some((c) => columns.includes(c.name))) await unsealForWrite(db, tableName, where);
}
