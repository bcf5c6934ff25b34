// Store-wide administration: keys and facts.
import { auditHead } from '../audit/log.js';
import { schemaVersion } from '../vault/migrate.js';
import type { Handler } from './types.js';
import { restoreSlotsOnRollback } from './slots.js';

export const rotateMasterKey: Handler<'store.rotateMasterKey'> = async ({ vault, host, note, afterCommit }) => {
  await vault.rotateMasterKey();
  note({ entityId: vault.storeId, details: { slots: vault.userSlotNames().length + 1 } });
  // The checkpoint's MAC is keyed from the master key: write it anew under the new key.
  afterCommit(() => host.writeCheckpoint(vault.db));
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
