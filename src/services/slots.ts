import type { Call } from './types.js';

/**
 * Key slots live in the key file, outside the transaction: snapshot them before a handler changes one,
 * and put them back if the transaction rolls back, so the store and its slots never disagree.
 */
export function restoreSlotsOnRollback({ vault, onRollback }: Pick<Call, 'vault' | 'onRollback'>): void {
  const before = vault.slotsSnapshot();
  onRollback(() => vault.restoreSlots(before));
}
