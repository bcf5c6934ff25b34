// What one running process holds: the data folder, the vault handle, and the session of whoever unlocked it.
// Electron main, the CLI, the browser test transport and the tests each make one Host and dispatch into it.
import { EventEmitter } from 'node:events';
import type { User } from '../contract/common.js';
import type { VaultOptions } from '../vault/vault.js';
import { Vault } from '../vault/vault.js';

export interface Session {
  user: User;
  /** The working context carried on every entry until changed (s62 justification). */
  justification: string | null;
  unlockedAt: string;
}

export interface HostEvents {
  locked: [reason: 'user' | 'idle' | 'suspend' | 'screen-lock' | 'shutdown'];
  unlocked: [user: User];
}

export class Host extends EventEmitter<HostEvents> {
  vault: Vault | null = null;
  session: Session | null = null;
  /** Set when the audit checkpoint did not match at unlock; stays until a manager acknowledges it. */
  tamperWarning: string | null = null;

  constructor(readonly dataDir: string, readonly options: VaultOptions = {}) {
    super();
  }

  /** The vault, opened (not unlocked) on first need so a second process is refused as early as possible. */
  openVault(): Vault {
    this.vault ??= Vault.open(this.dataDir, this.options);
    return this.vault;
  }

  /** Locks and releases the data folder. Safe to call twice. */
  async close(): Promise<void> {
    const vault = this.vault;
    this.vault = null;
    this.session = null;
    await vault?.close();
  }
}
