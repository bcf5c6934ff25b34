// How an unlock's upgrade of an older store is told to the user, the same on the unlock screen and in
// the CLI's progress lines.

/** One step of the upgrade as the vault reports it (src/vault/upgrade-progress.ts). */
export interface UpgradeStep {
  step: number;
  steps: number;
  name: string;
  done: number | null;
  total: number | null;
}

/** The fraction of the running step done, as a whole percentage (never 100 before it is), when the step can say. */
export function upgradePercent(upgrade: UpgradeStep): number | null {
  if (upgrade.done === null || !upgrade.total) return null;
  return Math.min(100, Math.floor((upgrade.done / upgrade.total) * 100));
}

/** "Upgrading your store to this version: step 2 of 7 (closed-agenda)", and ", 40%" when `withPercent` and known. */
export function upgradeText(upgrade: UpgradeStep, { withPercent = true } = {}): string {
  const percent = withPercent ? upgradePercent(upgrade) : null;
  return `Upgrading your store to this version: step ${upgrade.step} of ${upgrade.steps} (${upgrade.name})${percent === null ? '' : `, ${percent}%`}`;
}
