// The cryptography of key slots.
//
// Each slot (one per user, one for recovery) holds an X25519 identity:
//   - its private key, wrapped with AES-256-GCM under a key derived by Argon2id from the passphrase;
//   - the database master key, sealed to its public key (ephemeral X25519 + HKDF-SHA256 + AES-256-GCM).
// Unlocking needs the passphrase. Rotating the master key needs only the public keys, so the manager
// can reseal a new master key to every slot without knowing anyone's passphrase, and a removed user's
// old copy of the key file stops opening the database once the key is rotated.
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  createHash,
  sign,
  verify,
} from 'node:crypto';
import { argon2id } from 'hash-wasm';
import { ConcordatError } from '../contract/errors.js';

export interface KdfParams {
  algorithm: 'argon2id';
  /** Memory in KiB. */
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  /** base64, 16 bytes */
  salt: string;
}

export interface Sealed {
  iv: string;
  ciphertext: string;
  tag: string;
}

export interface SealedToPublicKey extends Sealed {
  ephemeralPublicKey: string;
}

/** The production default: 64 MiB, 3 passes, 4 lanes. */
export const DEFAULT_KDF = { memoryKiB: 64 * 1024, iterations: 3, parallelism: 4 } as const;
/**
 * The weakest parameters a slot may carry (OWASP's Argon2id minimum). A key file edited to weaken a
 * slot is refused rather than trusted; tests use this floor to keep their runtime short.
 */
export const KDF_FLOOR = { memoryKiB: 19 * 1024, iterations: 2, parallelism: 1 } as const;

export type KdfStrength = { memoryKiB: number; iterations: number; parallelism: number };

export function assertKdfStrength(params: KdfStrength, field = 'kdf'): void {
  if (params.memoryKiB < KDF_FLOOR.memoryKiB || params.iterations < KDF_FLOOR.iterations || params.parallelism < KDF_FLOOR.parallelism) {
    throw new ConcordatError(
      'KDF_TOO_WEAK',
      `Key derivation parameters are below the floor (Argon2id m=${KDF_FLOOR.memoryKiB} KiB, t=${KDF_FLOOR.iterations}, p=${KDF_FLOOR.parallelism}).`,
      { field },
    );
  }
}

export function newKdfParams(strength: KdfStrength = DEFAULT_KDF): KdfParams {
  assertKdfStrength(strength);
  return { algorithm: 'argon2id', ...strength, salt: randomBytes(16).toString('base64') };
}

export async function deriveKey(secret: string | Buffer, params: KdfParams): Promise<Buffer> {
  const hash = await argon2id({
    password: secret,
    salt: Buffer.from(params.salt, 'base64'),
    memorySize: params.memoryKiB,
    iterations: params.iterations,
    parallelism: params.parallelism,
    hashLength: 32,
    outputType: 'binary',
  });
  return Buffer.from(hash);
}

export function seal(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** Returns null when the key is wrong or anything was altered: GCM cannot tell the two apart. */
export function open(key: Buffer, sealed: Sealed, aad: string): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}

export interface Identity {
  /** DER (SPKI), base64 */
  publicKey: string;
  /** DER (PKCS#8) */
  privateKey: Buffer;
}

export function newIdentity(): Identity {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return {
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }),
  };
}

function sealingKey(shared: Buffer, ephemeralPublic: string, recipientPublic: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', shared, Buffer.from(ephemeralPublic + recipientPublic, 'utf8'), 'concordat master key seal v1', 32),
  );
}

export function sealToPublicKey(recipientPublicKey: string, plaintext: Buffer, aad: string): SealedToPublicKey {
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralPublicKey = ephemeral.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const recipient = createPublicKey({ key: Buffer.from(recipientPublicKey, 'base64'), format: 'der', type: 'spki' });
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient });
  const key = sealingKey(shared, ephemeralPublicKey, recipientPublicKey);
  try {
    return { ephemeralPublicKey, ...seal(key, plaintext, aad) };
  } finally {
    key.fill(0);
    shared.fill(0);
  }
}

export function openSealedToPublicKey(
  privateKeyDer: Buffer,
  recipientPublicKey: string,
  sealed: SealedToPublicKey,
  aad: string,
): Buffer | null {
  const privateKey = createPrivateKey({ key: privateKeyDer, format: 'der', type: 'pkcs8' });
  const ephemeral = createPublicKey({ key: Buffer.from(sealed.ephemeralPublicKey, 'base64'), format: 'der', type: 'spki' });
  const shared = diffieHellman({ privateKey, publicKey: ephemeral });
  const key = sealingKey(shared, sealed.ephemeralPublicKey, recipientPublicKey);
  try {
    return open(key, sealed, aad);
  } finally {
    key.fill(0);
    shared.fill(0);
  }
}

// Recovery keys: 32 random bytes and a 2-byte checksum, in RFC 4648 base32, grouped in fours.
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function checksum(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest().subarray(0, 2);
}

export function formatRecoveryKey(secret: Buffer): string {
  const bytes = Buffer.concat([secret, checksum(secret)]);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out.match(/.{1,4}/g)!.join('-');
}

/** Parses a recovery key as typed (any case, spaces or dashes); throws VALIDATION on a typo. */
export function parseRecoveryKey(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s-]/g, '');
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0)
      throw new ConcordatError('VALIDATION', 'The recovery key contains a character that is not in its alphabet.', {
        field: 'recoveryKey',
      });
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  const buffer = Buffer.from(bytes);
  if (buffer.length !== 34)
    throw new ConcordatError('VALIDATION', 'The recovery key is the wrong length: check it was copied in full.', { field: 'recoveryKey' });
  const secret = buffer.subarray(0, 32);
  if (!checksum(secret).equals(buffer.subarray(32))) {
    throw new ConcordatError('VALIDATION', 'The recovery key has a typing mistake: its checksum does not match.', { field: 'recoveryKey' });
  }
  return Buffer.from(secret);
}

// Ed25519: each slot's own signing key (it signs checkpoints and, for managers, the roster), and the
// store's roster key, held only by manager slots and the recovery slot.

export function newSigningIdentity(): Identity {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }),
  };
}

export function signWith(privateKeyDer: Buffer, message: string): string {
  const key = createPrivateKey({ key: privateKeyDer, format: 'der', type: 'pkcs8' });
  return sign(null, Buffer.from(message, 'utf8'), key).toString('base64');
}

/** False for a bad signature, and for a public key or signature that is not well formed. */
export function verifySignature(publicKey: string, message: string, signature: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** The SPKI (base64) of a private key: proves a private key opened from a slot is the one a roster names. */
export function publicKeyOf(privateKeyDer: Buffer): string {
  return createPublicKey(createPrivateKey({ key: privateKeyDer, format: 'der', type: 'pkcs8' }))
    .export({ format: 'der', type: 'spki' })
    .toString('base64');
}
