// Test-side access to a store's files as an attacker or a recovery tool would have it: the key file as
// JSON, the database through a fresh connection keyed with nothing but the raw-key PRAGMA.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sqlcipher from '@journeyapps/sqlcipher';
import { Database } from '../../src/vault/database.js';
import { Vault } from '../../src/vault/vault.js';
import type { KeyFile } from '../../src/vault/keyfile.js';
import { checkpointMessage } from '../../src/vault/roster.js';
import { deriveKey, open, openSealedToPublicKey, signWith } from '../../src/vault/slot-crypto.js';
import type { Host } from '../../src/host/host.js';

export const paths = (dataDir: string) => Vault.paths(dataDir);

export function readKeyFileJson(dataDir: string): KeyFile {
  return JSON.parse(readFileSync(paths(dataDir).keyFile, 'utf8')) as KeyFile;
}

export function writeKeyFileJson(dataDir: string, keyFile: unknown): void {
  writeFileSync(paths(dataDir).keyFile, `${JSON.stringify(keyFile, null, 2)}\n`);
}

/** The newest checkpoint in a key file: signed (per slot) since rosters, the MAC'd one before. */
export function latestCheckpoint(keyFile: KeyFile): { seq: number; hash: string } {
  const signed = [...(keyFile.checkpoints ?? [])].sort((a, b) => b.seq - a.seq || (a.at < b.at ? 1 : -1));
  const cp = signed[0] ?? keyFile.auditCheckpoint;
  if (!cp) throw new Error('the key file holds no checkpoint');
  return cp;
}

/** Edits the newest checkpoint in place, as an attacker with only the key file would. */
export function alterLatestCheckpoint(keyFile: KeyFile, change: { seq?: number; hash?: string }): void {
  const target = latestCheckpoint(keyFile);
  Object.assign(target, change);
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

/** One query on a connection opened with the raw key for it alone. */
export async function rawAll<T>(dataDir: string, pragma: string, query: string, params: unknown[] = []): Promise<T[]> {
  const raw = await openRaw(dataDir, pragma);
  try {
    return await raw.all<T>(query, params as never);
  } finally {
    await raw.close();
  }
}

/** Rows per table of the open store (search indexes aside), read with the raw key, not through the app. */
export async function rawRowCounts(dataDir: string, pragma: string): Promise<Record<string, number>> {
  const raw = await openRaw(dataDir, pragma);
  try {
    const tables = await raw.all<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' ORDER BY name",
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables) counts[name] = (await raw.get<{ n: number }>(`SELECT count(*) AS n FROM "${name}"`))!.n;
    return counts;
  } finally {
    await raw.close();
  }
}

/** Every audit entry's sequence and hash, in order, read with the raw key. */
export async function rawAuditChain(dataDir: string, pragma: string): Promise<{ seq: number; hash: string }[]> {
  const raw = await openRaw(dataDir, pragma);
  try {
    return await raw.all<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq');
  } finally {
    await raw.close();
  }
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
  for (const suffix of ['', '-wal', '-shm']) {
    const from = `${paths(fromDir).closedDatabase}${suffix}`;
    if (existsSync(from)) copyFileSync(from, `${paths(toDir).closedDatabase}${suffix}`);
  }
  copyFileSync(paths(fromDir).keyFile, paths(toDir).keyFile);
}

export const dbFile = (dataDir: string) => paths(dataDir).database;
export const keyFilePath = (dataDir: string) => paths(dataDir).keyFile;
export const inDir = (dataDir: string, name: string) => join(dataDir, name);

/**
 * What a slot holder can take out of the key file with their own passphrase and the standard crypto, no
 * app involved: the raw-key PRAGMA, their own signing key (to sign a checkpoint as themselves), and for a
 * manager the roster key.
 */
export async function unsealAsSlotHolder(
  dataDir: string,
  username: string,
  passphrase: string,
): Promise<{ pragma: string; closedPragma: string | null; signingKey: Buffer; rosterKey: Buffer | null; slotId: string; storeId: string }> {
  const keyFile = readKeyFileJson(dataDir);
  const slot = keyFile.slots.find((s) => s.kind === 'user' && s.username === username);
  if (!slot) throw new Error(`no slot for ${username}`);
  const { memoryKiB, iterations, parallelism, salt } = slot.kdf;
  const kek = await deriveKey(passphrase, slot.kdf);
  const aad = `concordat slot v1|${keyFile.storeId}|${slot.id}|${slot.kind}|${slot.username ?? ''}|argon2id:${memoryKiB}:${iterations}:${parallelism}:${salt}`;
  const payload = open(kek, slot.wrappedPrivateKey, aad);
  if (!payload) throw new Error('wrong passphrase');
  const text = payload.toString('utf8');
  const privateKey = text.startsWith('{') ? Buffer.from((JSON.parse(text) as { x25519: string }).x25519, 'base64') : payload;
  const masterKey = openSealedToPublicKey(
    privateKey,
    slot.publicKey,
    slot.sealedMasterKey,
    `concordat master key v1|${keyFile.storeId}|${slot.id}`,
  );
  const signingKey = openSealedToPublicKey(
    privateKey,
    slot.publicKey,
    slot.sealedSigningKey!,
    `concordat signing key v1|${keyFile.storeId}|${slot.id}`,
  );
  if (!masterKey || !signingKey) throw new Error('slot did not open');
  const rosterKey = slot.sealedRosterKey
    ? openSealedToPublicKey(privateKey, slot.publicKey, slot.sealedRosterKey, `concordat roster key v1|${keyFile.storeId}|${slot.id}`)
    : null;
  // The closed database's key, if the key file seals one to this slot (only manager, statutory and recovery slots).
  const closedKey = slot.sealedClosedKey
    ? openSealedToPublicKey(privateKey, slot.publicKey, slot.sealedClosedKey, `concordat closed key v1|${keyFile.storeId}|${slot.id}`)
    : null;
  return {
    pragma: `PRAGMA key = "x'${masterKey.toString('hex')}'";`,
    closedPragma: closedKey ? `PRAGMA key = "x'${closedKey.toString('hex')}'";` : null,
    signingKey,
    rosterKey,
    slotId: slot.id,
    storeId: keyFile.storeId,
  };
}

/** Signs a checkpoint at `head` with a slot holder's own key and puts it in the key file, as the app would. */
export function signCheckpointAs(
  dataDir: string,
  holder: { signingKey: Buffer; slotId: string; storeId: string },
  username: string,
  head: { seq: number; hash: string },
): void {
  const keyFile = readKeyFileJson(dataDir);
  const unsigned = { ...head, at: new Date().toISOString(), slotId: holder.slotId, username };
  const signed = { ...unsigned, signature: signWith(holder.signingKey, checkpointMessage(holder.storeId, unsigned)) };
  keyFile.checkpoints = [...(keyFile.checkpoints ?? []).filter((c) => c.slotId !== holder.slotId), signed];
  writeKeyFileJson(dataDir, keyFile);
}
