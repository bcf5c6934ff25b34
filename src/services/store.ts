// Store-wide administration: keys and facts.
import { appendAuditEntry, auditHead } from '../audit/log.js';
import { ConcordatError } from '../contract/errors.js';
import { schemaVersion } from '../vault/migrate.js';
import { backupJob } from './backup.js';
import type { Handler } from './types.js';
import { restoreSlotsOnRollback } from './slots.js';

export const rotateMasterKey: Handler<'store.rotateMasterKey'> = async ({ vault, host, session, justification, note, afterCommit }) => {
  // The re-key cannot run in a transaction, so the dispatcher's entry comes after it: one committed before
  // says a rotation began, so a crash in between still leaves the attempt in the log.
  // A rotation would stop the backup being made (its slots would no longer be the store's): wait for it.
  if (backupJob(host, 'create')?.view.state === 'running') {
    throw new ConcordatError('CONFLICT', 'A backup is being made: rotate the master key once it has finished.');
  }
  const { id, username, organisation, role } = session.user;
  await vault.db.transactionNow((sql) =>
    appendAuditEntry(sql, vault.storeId, {
      actor: { userId: id, username, organisation, role },
      kind: 'settings',
      operation: 'store.rotateMasterKey',
      entityType: 'store',
      entityId: vault.storeId,
      justification,
      outcome: 'ok',
      details: { phase: 'starting' },
    }),
  );
  await vault.rotateMasterKey();
  note({ entityId: vault.storeId, details: { phase: 'done', slots: vault.userSlotNames().length + 1 } });
  // The checkpoint's MAC is keyed from the master key: write it anew under the new key.
  afterCommit(() => host.writeCheckpointExclusive());
  return { ok: true };
};

export const rotateRecoveryKey: Handler<'store.rotateRecoveryKey'> = async (call) => {
  const { vault, note } = call;
  restoreSlotsOnRollback(call);
  const recoveryKey = await vault.rotateRecoveryKey();
  note({ entityId: vault.storeId });
  return { recoveryKey };
};

export const info: Handler<'store.info'> = async ({ vault, sql }) => ({
  storeId: vault.storeId,
  schemaVersion: await schemaVersion(vault.db),
  slots: [...vault.userSlotNames().map((username) => ({ kind: 'user' as const, username })), { kind: 'recovery' as const, username: null }],
  auditHead: await auditHead(sql),
});
