// The store's own facts in the meta table (beside store_id, which the vault writes at creation).
import type { Sql } from '../vault/database.js';
import { sql } from './sql.js';

const LOGGED_SCHEMA_VERSION = 'logged_schema_version';

export async function schemaVersion(db: Sql): Promise<number> {
  return (await db.get<{ user_version: number }>(sql`PRAGMA user_version`))?.user_version ?? 0;
}

/** The schema version the audit log last recorded (null for a store from before migrations were logged). */
export async function loggedSchemaVersion(db: Sql): Promise<number | null> {
  const row = await db.get<{ value: string }>(sql`SELECT value FROM meta WHERE key = ${LOGGED_SCHEMA_VERSION}`);
  return row ? Number(row.value) : null;
}

export async function setLoggedSchemaVersion(db: Sql, version: number): Promise<void> {
  await db.run(sql`INSERT INTO meta (key, value) VALUES (${LOGGED_SCHEMA_VERSION}, ${String(version)})
    ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
}
