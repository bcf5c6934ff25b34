// Where backups go, how often they are due, and when the last one was made: kept in the meta table.
import type { Sql } from '../vault/database.js';
import { sql } from './sql.js';

const FOLDER = 'backup_folder';
const REMINDER_DAYS = 'backup_reminder_days';
const LAST_AT = 'backup_last_at';
const LAST_FILE = 'backup_last_file';

export const DEFAULT_REMINDER_DAYS = 7;

export interface BackupSettingsRow {
  folder: string | null;
  reminderDays: number;
  lastBackupAt: string | null;
  lastBackupFile: string | null;
}

async function readMeta(db: Sql, key: string): Promise<string | null> {
  return (await db.get<{ value: string }>(sql`SELECT value FROM meta WHERE key = ${key}`))?.value ?? null;
}

async function writeMeta(db: Sql, key: string, value: string | null): Promise<void> {
  if (value === null) await db.run(sql`DELETE FROM meta WHERE key = ${key}`);
  else await db.run(sql`INSERT INTO meta (key, value) VALUES (${key}, ${value}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
}

export async function loadBackupSettings(db: Sql): Promise<BackupSettingsRow> {
  const days = Number(await readMeta(db, REMINDER_DAYS));
  return {
    folder: await readMeta(db, FOLDER),
    reminderDays: Number.isInteger(days) && days > 0 ? days : DEFAULT_REMINDER_DAYS,
    lastBackupAt: await readMeta(db, LAST_AT),
    lastBackupFile: await readMeta(db, LAST_FILE),
  };
}

export async function saveBackupSettings(db: Sql, settings: { folder: string | null; reminderDays: number }): Promise<void> {
  await writeMeta(db, FOLDER, settings.folder);
  await writeMeta(db, REMINDER_DAYS, String(settings.reminderDays));
}

export async function recordBackupMade(db: Sql, at: string, file: string): Promise<void> {
  await writeMeta(db, LAST_AT, at);
  await writeMeta(db, LAST_FILE, file);
}
