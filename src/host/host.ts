// What one running process holds: the data folder, the vault handle, and the session of whoever unlocked it.
// Electron main, the CLI, the browser test transport and the tests each make one Host and dispatch into it.
import { EventEmitter } from 'node:events';
import type { User } from '../contract/common.js';
import { appendAuditEntry, auditHead } from '../audit/log.js';
import type { Sql } from '../vault/database.js';
import { CLOSED_STORE } from '../store/closed-store.js';
import { MIGRATIONS } from '../store/migrations/index.js';
import { Vault, type VaultOptions } from '../vault/vault.js';

export interface UnlockedSession {
  user: User;
  /** The working context carried on every entry until changed (s62 justification). */
  justification: string | null;
  unlockedAt: string;
}

/** How a Host opens its vault: anything not given takes the vault's defaults and the store's migrations. */
export type HostOptions = Partial<VaultOptions>;

export type LockReason = 'user' | 'idle' | 'suspend' | 'screen-lock' | 'shutdown';

export interface HostEvents {
  locked: [reason: LockReason];
  unlocked: [user: User];
  /** A lock from outside an operation has begun: work that would hold it up (an export in a worker) stops. */
  locking: [reason: LockReason];
  closing: [];
}

export class Host extends EventEmitter<HostEvents> {
  vault: Vault | null = null;
  session: UnlockedSession | null = null;
  /** Set when the audit checkpoint did not match at unlock; stays until a manager acknowledges it. */
  tamperWarning: string | null = null;
  /** Slots whose checkpoints the unlock found broken: dropped when a manager acknowledges the warning. */
  brokenCheckpoints: string[] = [];

  readonly options: VaultOptions;

  constructor(
    readonly dataDir: string,
    options: HostOptions = {},
  ) {
    super();
    this.options = { migrations: MIGRATIONS, closed: CLOSED_STORE, ...options };
  }

  /** The vault, opened (not unlocked) on first need so a second process is refused as early as possible. */
  openVault(): Vault {
    this.vault ??= Vault.open(this.dataDir, this.options);
    return this.vault;
  }

  /**
   * The checkpoint from outside any unit of work (after a commit, after unlock): it waits for the store's
   * exclusive section, so it never records the head of another call's transaction that has not committed.
   */
  async writeCheckpointExclusive(options: { inBackground?: boolean } = {}): Promise<void> {
    const vault = this.vault;
    if (!vault?.isUnlocked) return;
    await vault.db.exclusive(() => this.writeCheckpoint(vault.db, options));
  }

  /** Writes the audit head to the key file, unless a tamper warning is open (the old checkpoint is evidence). */
  async writeCheckpoint(sql: Sql, options: { inBackground?: boolean } = {}): Promise<void> {
    await (
      await this.startCheckpoint(sql, options)
    ).written;
  }

  /**
   * Reads the head and starts writing it: the key file's contents are decided when this returns (so a caller
   * inside the exclusive section may leave it), and `written` settles once the file holds them, or newer.
   */
  async startCheckpoint(sql: Sql, options: { inBackground?: boolean } = {}): Promise<{ written: Promise<void> }> {
    const vault = this.vault;
    if (this.tamperWarning || !vault) return { written: Promise.resolve() };
    const head = await auditHead(sql);
    return { written: head ? vault.writeCheckpoint(head, options) : Promise.resolve() };
  }

  /**
   * Locks from outside an operation (idle timer, suspend, shutdown, the preview's lock), logged like a
   * user's lock. The `session.lock` operation logs its own entry and calls `finishLock` after commit.
   */
  async lock(reason: LockReason): Promise<void> {
    const vault = this.vault;
    const session = this.session;
    if (!vault?.isUnlocked || !session) return;
    this.emit('locking', reason);
    const { id, username, organisation, role } = session.user;
    await vault.db.transaction((sql) =>
      appendAuditEntry(sql, vault.storeId, {
        actor: { userId: id, username, organisation, role },
        kind: 'lock',
        operation: 'session.lock',
        entityType: 'session',
        justification: session.justification,
        outcome: 'ok',
        details: { reason },
      }),
    );
    await this.finishLock(reason);
  }

  /** After the lock entry is committed: checkpoint the head, close the store, wipe the key, tell the windows. */
  async finishLock(reason: LockReason): Promise<void> {
    const vault = this.vault;
    if (!vault?.isUnlocked) return;
    // Ended before anything async: a call already queued behind the lock finds no session and is refused
    // (the dispatcher checks when its turn comes), instead of writing entries after the lock entry.
    this.session = null;
    // In the queue, so the head read is never one of an unfinished transaction that may yet roll back.
    await vault.db.exclusive(() => this.writeCheckpoint(vault.db));
    // A clean end: the next unlock finds no marker and so reports no unclean end.
    vault.clearSessionMarker();
    await vault.lock();
    this.emit('locked', reason);
  }

  /** Locks and releases the data folder. Safe to call twice. */
  async close(): Promise<void> {
    this.emit('closing');
    const vault = this.vault;
    this.vault = null;
    this.session = null;
    await vault?.close();
  }
}
