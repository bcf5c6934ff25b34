// The checks made at every unlock between the audit log and the checkpoints kept in the key file. Each
// checkpoint is signed by the slot whose session wrote it, so a key holder who rewrites the log and
// signs a checkpoint over it names themselves; the checkpoints other users signed before the rewrite no
// longer match, and say whose history was replaced.
import { operations } from '../contract/operations.js';
import type { Sql } from '../vault/database.js';
import type { CheckpointStatus } from '../vault/vault.js';
import { auditHead } from './log.js';

export interface CheckpointFinding {
  /** The slot whose checkpoint is broken (null: the checkpoint from before rosters, or none at all). */
  slotId: string | null;
  reason: string;
}

export interface CheckpointView {
  /** The newest checkpoint of all. */
  latest: CheckpointStatus;
  /** Every slot's latest signed checkpoint (empty before rosters). */
  signed: readonly (CheckpointStatus & { slotId: string })[];
  /** The audit sequence since which every unlocking user leaves a signed checkpoint (null before rosters). */
  signedSince: number | null;
  /** Roster user names (for the missing-checkpoint rule). */
  rosterUsers: readonly string[];
}

/** The kind the contract logs a tamper acknowledgement under: the log is indexed by kind, not by operation. */
const ACKNOWLEDGEMENT_KIND: string = (() => {
  const kind = operations['audit.acknowledgeTamper'].audit?.kind;
  if (kind === undefined) throw new Error('audit.acknowledgeTamper must be audited: unlock looks for its entries');
  return kind;
})();

const who = (cp: CheckpointStatus) => (cp.signer ? `signed by ${cp.signer}` : 'from before signed checkpoints');

async function hashAt(sql: Sql, seq: number): Promise<string | null> {
  const row = await sql.get<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = ?', [seq]);
  return row?.hash ?? null;
}

/** Why a checkpoint no longer matches the log, or null when it does. */
async function mismatch(sql: Sql, cp: CheckpointStatus, lastSeq: number): Promise<string | null> {
  const { checkpoint } = cp;
  if (!checkpoint) return null;
  if (!cp.authentic) return `the audit checkpoint ${who(cp)} in the key file was forged or altered`;
  const hash = await hashAt(sql, checkpoint.seq);
  if (hash === null)
    return `the audit log ends at entry ${lastSeq} but entry ${checkpoint.seq} was recorded at the checkpoint ${who(cp)}: entries were removed or an older copy of the database was restored`;
  if (hash !== checkpoint.hash)
    return `audit entry ${checkpoint.seq} differs from the one recorded at the checkpoint ${who(cp)}: the log was rewritten or an older copy restored`;
  return null;
}

/**
 * Every finding, in order of weight. Empty when every checkpoint is authentic and still in the chain,
 * none is missing, and (for a rewrite) names who signed the checkpoint over the log as it now stands.
 */
export async function checkCheckpoints(sql: Sql, view: CheckpointView): Promise<CheckpointFinding[]> {
  const head = await auditHead(sql);
  const lastSeq = head?.seq ?? 0;
  const findings: CheckpointFinding[] = [];
  if (!view.latest.checkpoint) {
    if (lastSeq > 0)
      findings.push({
        slotId: null,
        reason: `the key file holds no audit checkpoint although the log has ${lastSeq} entries: the checkpoint was removed`,
      });
    return findings;
  }
  const candidates = view.signed.length > 0 ? view.signed : [{ ...view.latest, slotId: null }];
  const broken: CheckpointFinding[] = [];
  const holding: (CheckpointStatus & { slotId: string | null })[] = [];
  for (const cp of candidates) {
    const reason = await mismatch(sql, cp, lastSeq);
    if (reason) broken.push({ slotId: cp.slotId, reason });
    else holding.push(cp);
  }
  // A rewrite: someone's checkpoint over the old log broke while a newer one, over the log as it now is,
  // still holds. The newer one's signer wrote it, with their own key.
  const newest = holding.reduce<(typeof holding)[number] | null>(
    (a, b) => (a === null || (b.checkpoint?.seq ?? 0) > (a.checkpoint?.seq ?? 0) ? b : a),
    null,
  );
  for (const finding of broken) {
    const over = newest?.signer && candidates.find((c) => c.slotId === finding.slotId)?.signer !== newest.signer ? newest : null;
    findings.push(
      over
        ? {
            ...finding,
            reason: `${finding.reason}; the checkpoint over the log as it now stands (entry ${over.checkpoint!.seq}) was signed by ${over.signer} at ${over.at}: the rewrite is attributable to ${over.signer}`,
          }
        : finding,
    );
  }
  if (view.signedSince !== null) findings.push(...(await missingCheckpoints(sql, view)));
  return findings;
}

/**
 * Each session writes its own signed checkpoint right after its unlock entry. A user whose unlock is in
 * the log (since signed checkpoints began, and since the last acknowledged tamper warning, which drops the
 * checkpoints it found broken) but who has no checkpoint in the key file: theirs was removed.
 */
async function missingCheckpoints(sql: Sql, view: CheckpointView): Promise<CheckpointFinding[]> {
  // Through the index by kind, newest first: the log has no index by operation, and a scan of a million
  // entries at every unlock took seven seconds (bench/unlock).
  const since = await sql.get<{ seq: number | null }>(
    "SELECT seq FROM audit_log WHERE kind = ? AND operation = 'audit.acknowledgeTamper' AND outcome = 'ok' ORDER BY seq DESC LIMIT 1",
    [ACKNOWLEDGEMENT_KIND],
  );
  const from = Math.max(view.signedSince ?? 0, since?.seq ?? 0);
  const signers = new Set(view.signed.map((c) => c.signer));
  const findings: CheckpointFinding[] = [];
  for (const username of view.rosterUsers) {
    if (signers.has(username)) continue;
    const last = await sql.get<{ seq: number | null }>(
      "SELECT max(seq) AS seq FROM audit_log WHERE kind = 'unlock' AND outcome = 'ok' AND username = ? AND seq > ?",
      [username, from],
    );
    if (last?.seq != null)
      findings.push({
        slotId: null,
        reason: `the checkpoint of ${username}'s session (unlocked at entry ${last.seq}) is missing from the key file: it was removed`,
      });
  }
  return findings;
}
