import type { Database, Sql } from './database.js';
import { ConcordatError } from '../contract/errors.js';

/**
 * What a migration is given beside its SQL. `progress` is for a step that works through rows in a loop of
 * its own: it may say how far it has got (cheap to call often; calling it changes nothing in the store).
 */
export interface MigrationContext {
  progress(done: number, total: number): void;
}

/** One numbered step of a schema. The vault runs them; the features (src/store/migrations) define them. */
export interface Migration {
  version: number;
  name: string;
  up(sql: Sql, context: MigrationContext): Promise<void>;
}

/**
 * What the runner reports: a migration about to run (`done` and `total` null), then, if it says so, how far
 * it has got. `step` counts from 1 among the `steps` migrations this run applies.
 */
export interface MigrationProgress {
  version: number;
  name: string;
  step: number;
  steps: number;
  done: number | null;
  total: number | null;
}

export type MigrationListener = (progress: MigrationProgress) => void;

export async function schemaVersion(db: Database): Promise<number> {
  const row = await db.get<{ user_version: number }>('PRAGMA user_version');
  return row?.user_version ?? 0;
}

/** The migrations a store at `version` still needs to reach `target` (default: the newest), in order. */
export function pendingMigrations(migrations: readonly Migration[], version: number, target?: number): Migration[] {
  const goal = target ?? migrations.at(-1)?.version ?? 0;
  return migrations.filter((m) => m.version > version && m.version <= goal);
}

/**
 * Brings the schema up to `target` (default: the newest), one migration per transaction, so a failure
 * leaves the store at the last version that completed. A store newer than this program is refused.
 * `onProgress` hears each migration as it starts and whatever it says of its own progress.
 */
export async function migrate(
  db: Database,
  migrations: readonly Migration[],
  target?: number,
  onProgress: MigrationListener = () => undefined,
): Promise<number> {
  const newest = migrations.at(-1)?.version ?? 0;
  let version = await schemaVersion(db);
  if (version > newest) {
    throw new ConcordatError(
      'DATABASE_FOREIGN',
      `The store was written by a newer version of Concordat (schema ${version}; this version knows up to ${newest}).`,
    );
  }
  const pending = pendingMigrations(migrations, version, target);
  for (const [index, migration] of pending.entries()) {
    const at = { version: migration.version, name: migration.name, step: index + 1, steps: pending.length };
    onProgress({ ...at, done: null, total: null });
    const context: MigrationContext = { progress: (done, total) => onProgress({ ...at, done, total }) };
    await db.transaction(async (sql) => {
      await migration.up(sql, context);
      await sql.exec(`PRAGMA user_version = ${migration.version}`);
    });
    version = migration.version;
  }
  return version;
}
