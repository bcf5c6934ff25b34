import type { Database, Sql } from './database.js';
import { ConcordatError } from '../contract/errors.js';

/** One numbered step of a schema. The vault runs them; the features (src/store/migrations) define them. */
export interface Migration {
  version: number;
  name: string;
  up(sql: Sql): Promise<void>;
}

export async function schemaVersion(db: Database): Promise<number> {
  const row = await db.get<{ user_version: number }>('PRAGMA user_version');
  return row?.user_version ?? 0;
}

/**
 * Brings the schema up to `target` (default: the newest), one migration per transaction, so a failure
 * leaves the store at the last version that completed. A store newer than this program is refused.
 */
export async function migrate(db: Database, migrations: readonly Migration[], target?: number): Promise<number> {
  const newest = migrations.at(-1)?.version ?? 0;
  const goal = target ?? newest;
  let version = await schemaVersion(db);
  if (version > newest) {
    throw new ConcordatError(
      'DATABASE_FOREIGN',
      `The store was written by a newer version of Concordat (schema ${version}; this version knows up to ${newest}).`,
    );
  }
  for (const migration of migrations) {
    if (migration.version <= version || migration.version > goal) continue;
    await db.transaction(async (sql) => {
      await migration.up(sql);
      await sql.exec(`PRAGMA user_version = ${migration.version}`);
    });
    version = migration.version;
  }
  return version;
}
