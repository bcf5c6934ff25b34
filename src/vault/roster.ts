// The roster: every slot's public keys and role, signed. A key holder can unseal the master key and so
// edit anything in the database, and can rewrite any slot in the key file; what they cannot do is sign
// with the roster key (sealed only to manager slots and the recovery slot), nor open another user's
// signing key. So at unlock the role comes from here, and a slot the roster does not name, or names
// with other keys, is refused.
import { ConcordatError } from '../contract/errors.js';
import type { KeyFile, Roster, RosterMember, SignedCheckpoint } from './keyfile.js';
import { signWith, verifySignature } from './slot-crypto.js';

/** Stable JSON of the signed body: members sorted, keys in a fixed order. */
export function rosterMessage(body: Roster['body']): string {
  const members = [...body.members]
    .sort((a, b) => (a.slotId < b.slotId ? -1 : a.slotId > b.slotId ? 1 : 0))
    .map((m) => [m.slotId, m.kind, m.username, m.role, m.publicKey, m.signingPublicKey]);
  return JSON.stringify([
    'concordat roster v1',
    body.storeId,
    body.serial,
    body.at,
    body.authorityPublicKey,
    body.checkpointsSince,
    members,
    [body.signedBy.slotId, body.signedBy.username],
  ]);
}

export interface RosterSigner {
  slotId: string;
  username: string | null;
  /** The signer's own Ed25519 private key (PKCS#8 DER). */
  signingKey: Buffer;
  /** The roster key (PKCS#8 DER). */
  rosterKey: Buffer;
}

export function signRoster(
  keyFile: Pick<KeyFile, 'storeId' | 'roster'>,
  members: RosterMember[],
  authorityPublicKey: string,
  checkpointsSince: number,
  signer: RosterSigner,
): Roster {
  const body: Roster['body'] = {
    storeId: keyFile.storeId,
    serial: (keyFile.roster?.body.serial ?? 0) + 1,
    at: new Date().toISOString(),
    authorityPublicKey,
    checkpointsSince,
    members,
    signedBy: { slotId: signer.slotId, username: signer.username },
  };
  const message = rosterMessage(body);
  const signerSignature = signWith(signer.signingKey, message);
  return { body, signerSignature, signature: signWith(signer.rosterKey, `${message}|${signerSignature}`) };
}

function refuse(reason: string): never {
  throw new ConcordatError('ROSTER_INVALID', `The key file's roster of slots ${reason}: the key file was altered. Nothing was opened.`);
}

/**
 * Checks the roster's two signatures and, when the slot being opened pins the roster key (it does once its
 * holder has unlocked under a roster), that the roster is signed by that key and not a substitute.
 */
export function verifyRoster(keyFile: KeyFile, pinnedAuthority: string | null): Roster {
  const roster = keyFile.roster;
  if (!roster) return refuse('is missing although this slot was sealed under one');
  const { body } = roster;
  if (body.storeId !== keyFile.storeId) refuse('belongs to another store');
  if (pinnedAuthority !== null && body.authorityPublicKey !== pinnedAuthority) refuse('is signed by a key this slot does not trust');
  const message = rosterMessage(body);
  if (!verifySignature(body.authorityPublicKey, `${message}|${roster.signerSignature}`, roster.signature))
    refuse('has a signature that does not verify');
  const signer = body.members.find((m) => m.slotId === body.signedBy.slotId);
  if (!signer || (signer.role !== 'manager' && signer.kind !== 'recovery') || signer.username !== body.signedBy.username)
    refuse('was not signed by a manager it names');
  if (!verifySignature(signer.signingPublicKey, message, roster.signerSignature)) refuse("has a signer's signature that does not verify");
  return roster;
}

export function checkpointMessage(storeId: string, cp: Omit<SignedCheckpoint, 'signature'>): string {
  return JSON.stringify(['concordat checkpoint v1', storeId, cp.seq, cp.hash, cp.at, cp.slotId, cp.username]);
}
