// The key file beside the database: slots, the binding to its database, failed-unlock counters, and the
// audit checkpoint. It holds no secret in the clear: every key in it is wrapped or sealed.
import { readFileSync, existsSync } from 'node:fs';
import { z } from 'zod';
import { ConcordatError } from '../contract/errors.js';
import { writeFileAtomic } from './files.js';

export const KEYFILE_FORMAT = 'concordat-keyfile';
export const KEYFILE_VERSION = 1;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const sealed = z.object({ iv: base64, ciphertext: base64, tag: base64 });

const slotSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['user', 'recovery']),
  /** Lower-cased; present on user slots. */
  username: z.string().optional(),
  kdf: z.object({
    algorithm: z.literal('argon2id'),
    memoryKiB: z.number().int().positive(),
    iterations: z.number().int().positive(),
    parallelism: z.number().int().positive(),
    salt: base64,
  }),
  publicKey: base64,
  /** The slot's X25519 private key, AES-256-GCM under the Argon2id-derived key. */
  wrappedPrivateKey: sealed,
  /** The database master key sealed to `publicKey`. */
  sealedMasterKey: sealed.extend({ ephemeralPublicKey: base64 }),
  /** Present only while a master-key rotation is half done (see Vault.rotateMasterKey). */
  sealedNextMasterKey: sealed.extend({ ephemeralPublicKey: base64 }).optional(),
  /** The slot's Ed25519 public key (SPKI): the roster names it; it verifies this slot's checkpoints. */
  signingPublicKey: base64.optional(),
  /** The slot's Ed25519 private key, sealed to `publicKey` (so it opens only with the passphrase). */
  sealedSigningKey: sealed.extend({ ephemeralPublicKey: base64 }).optional(),
  /** The store's roster key, sealed to `publicKey`: on manager slots and the recovery slot only. */
  sealedRosterKey: sealed.extend({ ephemeralPublicKey: base64 }).optional(),
  /** The closed database's key, sealed to `publicKey`: on manager, statutory and recovery slots only. */
  sealedClosedKey: sealed.extend({ ephemeralPublicKey: base64 }).optional(),
  /** Present only while a closed-key rotation is half done (see Vault.rotateMasterKey). */
  sealedNextClosedKey: sealed.extend({ ephemeralPublicKey: base64 }).optional(),
  createdAt: z.string(),
});

const rosterMemberSchema = z.object({
  slotId: z.string().min(1),
  kind: z.enum(['user', 'recovery']),
  username: z.string().nullable(),
  /** Null for the recovery slot, which acts as "recovery-key", not as a user. */
  role: z.enum(['manager', 'statutory', 'non_statutory']).nullable(),
  publicKey: base64,
  signingPublicKey: base64,
});

/** Who holds a slot and in what role, signed with the store's roster key and by the manager who signed it. */
const rosterSchema = z.object({
  body: z.object({
    storeId: z.string(),
    serial: z.number().int().positive(),
    at: z.string(),
    authorityPublicKey: base64,
    /** The audit sequence at which signed checkpoints began (0 for a store made with rosters). */
    checkpointsSince: z.number().int().nonnegative(),
    members: z.array(rosterMemberSchema),
    signedBy: z.object({ slotId: z.string(), username: z.string().nullable() }),
  }),
  /** By `signedBy`'s own signing key: which manager (or the recovery slot) signed. */
  signerSignature: base64,
  /** By the roster key: that the signer held it. */
  signature: base64,
});

const signedCheckpointSchema = z.object({
  seq: z.number().int().nonnegative(),
  hash: z.string(),
  at: z.string(),
  slotId: z.string(),
  username: z.string().nullable(),
  signature: base64,
});

const failedUnlockSchema = z.object({ id: z.string(), username: z.string(), at: z.string() });

export const keyFileSchema = z.object({
  format: z.literal(KEYFILE_FORMAT),
  version: z.literal(KEYFILE_VERSION),
  storeId: z.string().min(1),
  createdAt: z.string(),
  /** The database file's first 16 bytes (SQLCipher's per-file salt), hex: binds this key file to one database. */
  databaseSalt: z.string().regex(/^[0-9a-f]{32}$/),
  slots: z.array(slotSchema).min(1),
  /** Consecutive failures per lower-cased username, for the unlock delay. Survives restarts. */
  failureCounters: z.record(z.string(), z.object({ count: z.number().int().nonnegative(), lastAt: z.string() })),
  /** Failed unlocks not yet written to the audit log (moved there at the next successful unlock). */
  pendingFailedUnlocks: z.array(failedUnlockSchema),
  /** The audit log head as last seen at a lock, unlock or export; MAC under a key derived from the master key. */
  auditCheckpoint: z.object({ seq: z.number().int().nonnegative(), hash: z.string(), at: z.string(), mac: z.string() }).nullable(),
  /** Absent in a key file made before rosters (wave 1): signed at the first manager unlock after the upgrade. */
  roster: rosterSchema.optional(),
  /** Each slot's latest checkpoint, signed with that slot's signing key. */
  checkpoints: z.array(signedCheckpointSchema).optional(),
  /** Written at unlock and cleared at lock: still present at the next unlock means the session ended uncleanly. */
  openSession: z.object({ slotId: z.string(), username: z.string().nullable(), openedAt: z.string() }).nullable().optional(),
  /** The closed database's first 16 bytes, hex; absent until the store has a closed database (issue 15: 1). */
  closedDatabaseSalt: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
});

export type KeyFile = z.infer<typeof keyFileSchema>;
export type Slot = z.infer<typeof slotSchema>;
export type FailedUnlock = z.infer<typeof failedUnlockSchema>;
export type Roster = z.infer<typeof rosterSchema>;
export type RosterMember = z.infer<typeof rosterMemberSchema>;
export type SignedCheckpoint = z.infer<typeof signedCheckpointSchema>;

const OUR_OPENING = new RegExp(`^\\s*\\{\\s*"format"\\s*:\\s*"${KEYFILE_FORMAT}"`);

/** Reads and checks a key file, telling apart a missing, damaged and foreign one. */
export function readKeyFile(path: string): KeyFile {
  if (!existsSync(path)) throw new ConcordatError('KEYFILE_MISSING', `The key file is missing: ${path}`);
  const text = readFileSync(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Ours but cut short (empty, or opening with our format tag) is damage; anything else is another file.
    if (text.trim() === '' || OUR_OPENING.test(text)) {
      throw new ConcordatError('KEYFILE_CORRUPT', `The key file is damaged (it is not complete JSON; it may have been truncated): ${path}`);
    }
    throw new ConcordatError('KEYFILE_FOREIGN', `This is not a Concordat key file: ${path}`);
  }
  if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== KEYFILE_FORMAT) {
    throw new ConcordatError('KEYFILE_FOREIGN', `This is not a Concordat key file: ${path}`);
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConcordatError('KEYFILE_CORRUPT', `The key file is damaged at ${issue?.path.join('.') || 'its top level'}: ${path}`);
  }
  return parsed.data;
}

export function keyFileText(keyFile: KeyFile): string {
  return `${JSON.stringify(keyFile, null, 2)}\n`;
}

export function writeKeyFile(path: string, keyFile: KeyFile): void {
  writeFileAtomic(path, keyFileText(keyFile));
}
