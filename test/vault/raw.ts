// Test-side access to a store's files as an attacker or a recovery tool would have it: the key file as
// JSON, the database through a fresh connection keyed with nothing but the raw-key PRAGMA.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sqlcipher from '@journeyapps/sqlcipher';
import { Database } from '../../src/vault/database.js';
import { Vault } from '../../src/vault/vault.js';
import type { KeyFile } from '../../src/vault/keyfile.js';
import type { Host } from '../../src/host/host.js';

export const paths = (dataDir: string) => Vault.paths(dataDir);

export function readKeyFileJson(dataDir: string): KeyFile {
  return JSON.parse(readFileSync(paths(dataDir).keyFile, 'utf8')) as KeyFile;
}

export function writeKeyFileJson(dataDir: string, keyFile: unknown): void {
  writeFileSync(paths(dataDir).keyFile, `${JSON.stringify(keyFile, null, 2)}\n`);
}

/** The raw-key PRAGMA of an unlocked host. */
export function rawKeyOf(host: Host): string {
  return host.vault!.rawKeyPragma();
}

/** The hex of the raw key inside a `PRAGMA key = "x'…'"` line. */
export function rawKeyHex(pragma: string): string {
  const match = /x'([0-9a-f]{64})'/.exec(pragma);
  if (!match) throw new Error('not a raw-key pragma');
  return match[1]!;
}

/** A second connection to the database file, keyed with only the raw-key PRAGMA. */
export async function openRaw(dataDir: string, pragma: string): Promise<Database> {
  const db = await Database.open(paths(dataDir).database);
  await db.exec('PRAGMA cipher_log_level = NONE');
  await db.exec(pragma);
  return db;
}

/** Whether a fresh connection of the binding itself, given only `pragma`, can read the schema. */
export function opensWith(file: string, pragma: string): Promise<boolean> {
  return new Promise((resolve) => {
    const db = new sqlcipher.Database(file, sqlcipher.OPEN_READONLY, (openErr: Error | null) => {
      if (openErr) return resolve(false);
      db.exec(`PRAGMA cipher_log_level = NONE; ${pragma}`, (keyErr: Error | null) => {
        if (keyErr) return db.close(() => resolve(false));
        db.get('SELECT count(*) AS n FROM sqlite_master', (err: Error | null) => db.close(() => resolve(!err)));
      });
    });
  });
}

/** Copies the database (and its WAL and SHM, when present) from one folder to another. */
export function copyDatabase(fromDir: string, toDir: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    const from = `${paths(fromDir).database}${suffix}`;
    if (existsSync(from)) copyFileSync(from, `${paths(toDir).database}${suffix}`);
  }
}

/** Copies a whole (locked) store into another folder. */
export function copyStore(fromDir: string, toDir: string): void {
  copyDatabase(fromDir, toDir);
  copyFileSync(paths(fromDir).keyFile, paths(toDir).keyFile);
}

export const dbFile = (dataDir: string) => paths(dataDir).database;
export const keyFilePath = (dataDir: string) => paths(dataDir).keyFile;
export const inDir = (dataDir: string, name: string) => join(dataDir, name);
