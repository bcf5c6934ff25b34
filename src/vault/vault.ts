// The vault: one SQLCipher 4 database per data folder, its key file, and the process lock.
// It knows keys, slots and files; it knows nothing of users' roles or of the audit log's meaning
// (the session service builds those on top).
import { existsSync, mkdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, randomUUID, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { ConcordatError } from '../contract/errors.js';
import { Database, rawKeyPragma } from './database.js';
import { readHead, removeStraySiblings, writeFileAtomicInBackground } from './files.js';
import { createPrivateFile, tightenDataFolder, type LooseEntry } from './file-modes.js';
import { IntegrityCheck, checkWholeFile } from './integrity.js';
import { clearFailures, countFailure, waitMs } from './failed-unlocks.js';
import {
  readKeyFile,
  writeKeyFile,
  keyFileText,
  type KeyFile,
  type Slot,
  type FailedUnlock,
  type Roster,
  type RosterMember,
  type SignedCheckpoint,
} from './keyfile.js';
import { checkpointMessage, signRoster, verifyRoster } from './roster.js';
import { migrate, pendingMigrations, schemaVersion, type Migration } from './migrate.js';
import { UpgradeTracker, type UpgradeListener, type UpgradeProgress } from './upgrade-progress.js';
import { ProcessLock } from './process-lock.js';
import {
  attachClosed,
  checkClosedHeader,
  closedSchemaIsBehind,
  peekClosedSchemaVersion,
  prepareClosedDatabase,
  type ClosedStoreOptions,
} from './closed-database.js';
import type { BackupSource } from './backup.js';
import {
  DEFAULT_KDF,
  assertKdfStrength,
  deriveKey,
  formatRecoveryKey,
  newIdentity,
  newKdfParams,
  open,
  openSealedToPublicKey,
  parseRecoveryKey,
  seal,
  sealToPublicKey,
  newSigningIdentity,
  publicKeyOf,
  signWith,
  verifySignature,
  type KdfStrength,
} from './slot-crypto.js';

export const STORE_FILES = {
  database: 'concordat.db',
  closedDatabase: 'concordat-closed.db',
  keyFile: 'concordat.keys',
  lock: 'concordat.lock',
} as const;

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export { unlockDelayMs } from './failed-unlocks.js';

export interface AuditHead {
  seq: number;
  hash: string;
}

export interface CheckpointStatus {
  checkpoint: AuditHead | null;
  /** False when the checkpoint's signature (or, before rosters, its MAC) does not verify. */
  authentic: boolean;
  /** Who wrote it: the slot's user name, "recovery-key", or null for a checkpoint from before rosters. */
  signer?: string | null;
  at?: string;
}

export type Role = 'manager' | 'statutory' | 'non_statutory';

/** The previous session, when it never reached a lock (a crash, a kill, or files put back from a copy). */
export interface OpenSessionMarker {
  slotId: string;
  username: string | null;
  openedAt: string;
}

function signingKeyAad(keyFile: Pick<KeyFile, 'storeId'>, slotId: string): string {
  return `concordat signing key v1|${keyFile.storeId}|${slotId}`;
}

function rosterKeyAad(keyFile: Pick<KeyFile, 'storeId'>, slotId: string): string {
  return `concordat roster key v1|${keyFile.storeId}|${slotId}`;
}

/** The name a slot acts under in the log and in checkpoints. */
function slotActor(slot: Pick<Slot, 'kind' | 'username'>): string | null {
  return slot.kind === 'recovery' ? 'recovery-key' : (slot.username ?? null);
}

function slotAad(keyFile: Pick<KeyFile, 'storeId'>, slot: Pick<Slot, 'id' | 'kind' | 'username' | 'kdf'>): string {
  const { memoryKiB, iterations, parallelism, salt } = slot.kdf;
  return `concordat slot v1|${keyFile.storeId}|${slot.id}|${slot.kind}|${slot.username ?? ''}|argon2id:${memoryKiB}:${iterations}:${parallelism}:${salt}`;
}

function masterKeyAad(keyFile: Pick<KeyFile, 'storeId'>, slotId: string): string {
  return `concordat master key v1|${keyFile.storeId}|${slotId}`;
}

function closedKeyAad(keyFile: Pick<KeyFile, 'storeId'>, slotId: string): string {
  return `concordat closed key v1|${keyFile.storeId}|${slotId}`;
}

/** Who holds the closed database's key: the roles that may receive closed-only content, and the recovery slot. */
export function holdsClosedKey(kind: Slot['kind'], role: Role | null): boolean {
  return kind === 'recovery' || role === 'manager' || role === 'statutory';
}

function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

export interface VaultOptions {
  /** The schema's numbered steps, from the layer that knows the features (src/store/migrations). */
  migrations: readonly Migration[];
  /** Argon2id strength for new slots; never below the floor. Default 64 MiB, t=3, p=4. */
  kdf?: KdfStrength;
  /** The closed database's schema and views (src/store/closed-store.ts); without it no closed database is made. */
  closed?: ClosedStoreOptions;
  /** Hears each step of the upgrade an unlock runs on a store made by older code (the CLI prints them). */
  onUpgradeProgress?: UpgradeListener;
}

export class Vault {
  private masterKey: Buffer | null = null;
  /** The closed database's key: held only in manager, statutory and recovery sessions. */
  private closedKey: Buffer | null = null;
  private closedMissing = false;
  private database: Database | null = null;
  private slotInUse: Slot | null = null;
  /** The unlocked slot's own Ed25519 key: signs its checkpoints (and, with the roster key, rosters). */
  private signingKey: Buffer | null = null;
  /** Held only in a manager's or the recovery slot's session. */
  private rosterKey: Buffer | null = null;
  private roleInUse: Role | null = null;
  private unlocking = false;
  private wholeFileCheck: IntegrityCheck | null = null;
  /** The upgrade of an older store that the unlock in progress runs, until the unlock ends. */
  private upgrade: UpgradeTracker | null = null;
  private looseEntries: LooseEntry[] = [];
  /** Counts master-key rotations, so a backup can tell that the key it was lent is no longer the store's. */
  private keyGeneration = 0;
  /** Counts key-file writes, so a background write overtaken by a later one knows not to land. */
  private keyFileWrites = 0;
  private backgroundSave: Promise<void> = Promise.resolve();
  private backgroundSaveWaiting: Promise<void> | null = null;
  /** Backups whose snapshot is being read from the live database: a rotation stops them before re-keying. */
  private readonly snapshots = new Set<() => Promise<void>>();

  private constructor(
    readonly dataDir: string,
    private keyFile: KeyFile,
    private readonly processLock: ProcessLock,
    private readonly options: VaultOptions,
  ) {}

  static paths(dataDir: string) {
    return {
      database: join(dataDir, STORE_FILES.database),
      closedDatabase: join(dataDir, STORE_FILES.closedDatabase),
      keyFile: join(dataDir, STORE_FILES.keyFile),
      lock: join(dataDir, STORE_FILES.lock),
    };
  }

  static isInitialised(dataDir: string): boolean {
    const paths = Vault.paths(dataDir);
    return existsSync(paths.database) || existsSync(paths.keyFile);
  }

  /**
   * Creates a new store, unlocked as its first user. Returns the recovery key, which exists nowhere else:
   * the caller shows it once. Refuses to touch a folder that already holds either file.
   */
  static async create(
    dataDir: string,
    username: string,
    passphrase: string,
    options: VaultOptions,
  ): Promise<{ vault: Vault; recoveryKey: string }> {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const paths = Vault.paths(dataDir);
    if (existsSync(paths.database) || existsSync(paths.keyFile)) {
      throw new ConcordatError('STORE_EXISTS', `A store already exists in ${dataDir}; nothing was changed.`);
    }
    assertKdfStrength(options.kdf ?? DEFAULT_KDF);
    const lock = ProcessLock.acquire(paths.lock);
    const masterKey = randomBytes(32);
    const closedKey = options.closed ? randomBytes(32) : null;
    const recoverySecret = randomBytes(32);
    const storeId = randomUUID();
    let database: Database | null = null;
    try {
      // SQLite would create it with the umask's mode (and give -wal and -shm the same): private from the start.
      createPrivateFile(paths.database);
      database = await Database.open(paths.database, 'create');
      await configureConnection(database, masterKey);
      await migrate(database, options.migrations);
      await database.run("INSERT INTO meta (key, value) VALUES ('store_id', ?)", [storeId]);
      // The header (and with it SQLCipher's per-file salt) reaches the main file only at a checkpoint.
      await database.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      const keyFile: KeyFile = {
        format: 'concordat-keyfile',
        version: 1,
        storeId,
        createdAt: new Date().toISOString(),
        databaseSalt: readHead(paths.database, 16).toString('hex'),
        slots: [],
        failureCounters: {},
        pendingFailedUnlocks: [],
        auditCheckpoint: null,
      };
      const strength = options.kdf ?? DEFAULT_KDF;
      const authority = newSigningIdentity();
      if (closedKey && options.closed)
        keyFile.closedDatabaseSalt = await prepareClosedDatabase(
          paths.closedDatabase,
          closedKey,
          storeId,
          options.closed.migrations,
          'create',
        );
      const keys = { master: masterKey, closed: closedKey };
      const first = await buildSlot(keyFile, 'user', normaliseUsername(username), passphrase, keys, strength, authority, 'manager');
      const recovery = await buildSlot(keyFile, 'recovery', undefined, recoverySecret, keys, strength, authority, null);
      keyFile.slots.push(first.slot, recovery.slot);
      keyFile.roster = signRoster(keyFile, [first.member!, recovery.member!], authority.publicKey, 0, {
        slotId: first.slot.id,
        username: first.slot.username ?? null,
        signingKey: first.signingKey!,
        rosterKey: authority.privateKey,
      });
      recovery.signingKey?.fill(0);
      writeKeyFile(paths.keyFile, keyFile);
      if (closedKey && options.closed) {
        await attachClosed(database, paths.closedDatabase, closedKey);
        await options.closed.onAttach(database);
      }
      // A folder made beforehand (mkdir, with the umask's 0755) becomes private too.
      const loose = tightenDataFolder(dataDir);
      const vault = new Vault(dataDir, keyFile, lock, options);
      vault.looseEntries = loose;
      vault.masterKey = masterKey;
      vault.closedKey = closedKey;
      vault.database = database;
      vault.wholeFileCheck = IntegrityCheck.passed();
      vault.slotInUse = first.slot;
      vault.signingKey = first.signingKey;
      vault.rosterKey = authority.privateKey;
      vault.roleInUse = 'manager';
      return { vault, recoveryKey: formatRecoveryKey(recoverySecret) };
    } catch (err) {
      await database?.close().catch(() => undefined);
      for (const file of [paths.database, `${paths.database}-wal`, `${paths.database}-shm`, paths.keyFile]) rmSync(file, { force: true });
      for (const file of [paths.closedDatabase, `${paths.closedDatabase}-wal`, `${paths.closedDatabase}-shm`])
        rmSync(file, { force: true });
      lock.release();
      masterKey.fill(0);
      closedKey?.fill(0);
      throw err;
    } finally {
      recoverySecret.fill(0);
    }
  }

  /**
   * Opens the data folder without unlocking it: takes the process lock and checks that the two files
   * exist, are what they claim to be, and belong together. Nothing on disk is written.
   */
  static open(dataDir: string, options: VaultOptions): Vault {
    const paths = Vault.paths(dataDir);
    const hasDatabase = existsSync(paths.database);
    const hasKeyFile = existsSync(paths.keyFile);
    if (!hasDatabase && !hasKeyFile)
      throw new ConcordatError('STORE_NOT_INITIALISED', `There is no store in ${dataDir}. Run set-up first.`);
    if (!hasDatabase) throw new ConcordatError('DATABASE_MISSING', `The key file is there but the database is missing: ${paths.database}`);
    if (!hasKeyFile)
      throw new ConcordatError(
        'KEYFILE_MISSING',
        `The database is there but its key file is missing: ${paths.keyFile}. Restore it from backup, or use the recovery key.`,
      );
    const lock = ProcessLock.acquire(paths.lock);
    try {
      // A process killed while writing the key file left its temporary copy, an older key file with its
      // slots, beside it. No one else writes here while this process holds the lock, and an earlier vault of
      // this process finished its writes before releasing it (close), so every such copy is a stray.
      removeStraySiblings(paths.keyFile);
      const keyFile = readKeyFile(paths.keyFile);
      checkDatabaseHeader(paths.database, keyFile);
      return new Vault(dataDir, keyFile, lock, options);
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  get isUnlocked(): boolean {
    return this.database !== null;
  }

  get storeId(): string {
    return this.keyFile.storeId;
  }

  /** The open database. Throws LOCKED when the vault is locked. */
  get db(): Database {
    if (!this.database) throw new ConcordatError('LOCKED', 'The store is locked.');
    return this.database;
  }

  /**
   * The whole-file integrity check of this session, started at unlock and still running for a while on a
   * large store. Throws LOCKED when the vault is locked.
   */
  get integrity(): IntegrityCheck {
    if (!this.wholeFileCheck) throw new ConcordatError('LOCKED', 'The store is locked.');
    return this.wholeFileCheck;
  }

  /** Where the upgrade run by the unlock in progress has got; null when none is running. */
  get upgradeProgress(): UpgradeProgress | null {
    return this.upgrade?.progress ?? null;
  }

  /** The unlock has ended (its session opened, or it failed): the upgrade it ran, if any, is over. */
  endUpgrade(): void {
    this.upgrade = null;
  }

  get unlockedUsername(): string | null {
    return this.slotInUse?.username ?? null;
  }

  /**
   * The unlocked slot's role as the signed roster gives it; null before a roster exists (a key file from
   * wave 1, until a manager unlocks) and for the recovery slot.
   */
  get unlockedRole(): Role | null {
    return this.roleInUse;
  }

  /** True for a key file made before rosters: the first manager to unlock signs one (signFirstRoster). */
  get needsRoster(): boolean {
    return this.keyFile.roster === undefined;
  }

  /**
   * The user slot whose own key signed the roster (beside the roster key), for the session to check it is
   * still a manager's; null for a roster the recovery slot signed, and before rosters.
   */
  get rosterSignedBy(): string | null {
    const roster = this.keyFile.roster;
    if (!roster) return null;
    const signer = roster.body.members.find((m) => m.slotId === roster.body.signedBy.slotId);
    return signer?.kind === 'user' ? signer.username : null;
  }

  /** The roster's members (public facts only), for the session to compare with the users table. */
  rosterMembers(): readonly RosterMember[] {
    return this.keyFile.roster?.body.members ?? [];
  }

  userSlotNames(): string[] {
    return this.keyFile.slots.filter((s) => s.kind === 'user').map((s) => s.username!);
  }

  hasUserSlot(username: string): boolean {
    return this.findUserSlot(username) !== undefined;
  }

  /** How long `username` must wait before the next attempt, in ms (0: may try now). */
  unlockWaitMs(username: string, now = Date.now()): number {
    return waitMs(this.keyFile, normaliseUsername(username), now);
  }

  /** Unlocks with a user's passphrase. A wrong one changes nothing in the database. */
  async unlock(username: string, passphrase: string): Promise<void> {
    return this.singleUnlock(() => this.unlockWithPassphrase(username, passphrase));
  }

  private async unlockWithPassphrase(username: string, passphrase: string): Promise<void> {
    const name = normaliseUsername(username);
    const wait = this.unlockWaitMs(name);
    if (wait > 0) {
      throw new ConcordatError('UNLOCK_DELAYED', `Too many failed attempts. Try again in ${Math.ceil(wait / 1000)} s.`, {
        details: { retryAfterMs: wait },
      });
    }
    const slot = this.findUserSlot(name);
    // An unknown name costs the same Argon2id run as a wrong passphrase, so timing does not reveal who has a slot.
    const kdf = slot?.kdf ?? newKdfParams(this.options.kdf ?? DEFAULT_KDF);
    assertKdfStrength(kdf, 'keyFile.slots.kdf');
    const kek = await deriveKey(passphrase, kdf);
    const opened = slot ? openSlot(this.keyFile, slot, kek) : null;
    if (!opened) {
      kek.fill(0);
      const { count, retryAfterMs } = countFailure(this.keyFile, name, { pending: true });
      this.saveKeyFile();
      throw new ConcordatError('AUTH_FAILED', 'The user name or passphrase is not right.', {
        field: 'passphrase',
        details: { consecutiveFailures: count, retryAfterMs },
      });
    }
    try {
      this.admit(slot!, opened, kek);
    } finally {
      kek.fill(0);
    }
    await this.openWith(opened.keys, opened.closed, slot!);
    if (clearFailures(this.keyFile, name)) this.saveKeyFile();
  }

  /** Unlocks with the recovery key (for recovery tools: resetting a passphrase, exporting the raw key). */
  async unlockWithRecoveryKey(recoveryKey: string): Promise<void> {
    return this.singleUnlock(() => this.unlockWithRecoverySecret(recoveryKey));
  }

  /**
   * One unlock at a time: two overlapping attempts (a double click) would each open a connection, and the
   * first connection and its key would be left behind, unclosed and unwiped.
   */
  private async singleUnlock(attempt: () => Promise<void>): Promise<void> {
    if (this.isUnlocked) throw new ConcordatError('CONFLICT', 'The store is already unlocked.');
    if (this.unlocking) throw new ConcordatError('CONFLICT', 'An unlock is already in progress.');
    this.unlocking = true;
    try {
      await attempt();
    } finally {
      this.unlocking = false;
    }
  }

  private async unlockWithRecoverySecret(recoveryKey: string): Promise<void> {
    const { opened, slot, kek } = await unsealRecoverySlot(this.keyFile, recoveryKey);
    try {
      this.admit(slot, opened, kek);
    } finally {
      kek.fill(0);
    }
    await this.openWith(opened.keys, opened.closed, slot);
    // Recovery tools open no session, so nothing makes the closed database here (session.unlock does).
    this.endUpgrade();
  }

  /**
   * The roster's word on the slot just opened, before the database is touched: the roster must verify
   * (under the key this slot pins, once it pins one), must name this slot with these very keys, and gives
   * the role. A slot sealed before rosters is admitted as before until a manager signs one; the first
   * unlock under a roster pins its key into the slot (re-wrapped under the same passphrase-derived key).
   */
  private admit(slot: Slot, opened: OpenedSlot, kek: Buffer): void {
    const wipe = () => {
      opened.keys.current.fill(0);
      opened.keys.next?.fill(0);
      opened.closed.current?.fill(0);
      opened.closed.next?.fill(0);
      opened.privateKey.fill(0);
    };
    try {
      if (!this.keyFile.roster && opened.pin === null && !slot.signingPublicKey) {
        dropClosed(opened);
        this.signingKey = null;
        this.rosterKey = null;
        this.roleInUse = null;
        return;
      }
      const roster: Roster = verifyRoster(this.keyFile, opened.pin);
      const member = roster.body.members.find((m) => m.slotId === slot.id);
      const refuse = (why: string): never => {
        throw new ConcordatError('ROSTER_INVALID', `This key slot ${why}: the key file was altered. Nothing was opened.`);
      };
      if (!member) return refuse('is not in the signed roster');
      if (member.kind !== slot.kind || member.username !== (slot.username ?? null)) refuse('is not the one the roster names');
      if (member.publicKey !== slot.publicKey || member.signingPublicKey !== slot.signingPublicKey)
        refuse('carries keys the roster does not name');
      if (publicKeyOf(opened.privateKey) !== slot.publicKey) refuse('holds a private key that is not its own');
      const signingKey = slot.sealedSigningKey
        ? openSealedToPublicKey(opened.privateKey, slot.publicKey, slot.sealedSigningKey, signingKeyAad(this.keyFile, slot.id))
        : null;
      if (!signingKey || publicKeyOf(signingKey) !== member.signingPublicKey) return refuse('holds a signing key the roster does not name');
      let rosterKey: Buffer | null = null;
      if (member.role === 'manager' || member.kind === 'recovery') {
        rosterKey = slot.sealedRosterKey
          ? openSealedToPublicKey(opened.privateKey, slot.publicKey, slot.sealedRosterKey, rosterKeyAad(this.keyFile, slot.id))
          : null;
        if (!rosterKey || publicKeyOf(rosterKey) !== roster.body.authorityPublicKey) {
          signingKey.fill(0);
          rosterKey?.fill(0);
          return refuse('lacks the roster key its role carries');
        }
      }
      if (opened.pin === null) {
        slot.wrappedPrivateKey = wrapPayload(kek, opened.privateKey, roster.body.authorityPublicKey, slotAad(this.keyFile, slot));
        this.saveKeyFile();
      }
      // The roster's role decides, not what the slot happens to carry.
      if (!holdsClosedKey(member.kind, member.role)) dropClosed(opened);
      this.signingKey = signingKey;
      this.rosterKey = rosterKey;
      this.roleInUse = member.role;
    } catch (err) {
      wipe();
      throw err;
    } finally {
      opened.privateKey.fill(0);
    }
  }

  /**
   * The `PRAGMA key` line from the key file alone, without opening (or even reading) the database: for a
   * database too damaged to open, which is when the standard SQLCipher tool is needed most. Takes no lock
   * and writes nothing, so it cannot be audited: the caller says so.
   */
  static async rawKeyPragmasFromKeyFile(dataDir: string, recoveryKey: string): Promise<{ file: string; pragma: string }[]> {
    const { opened, kek } = await unsealRecoverySlot(readKeyFile(Vault.paths(dataDir).keyFile), recoveryKey);
    kek.fill(0);
    opened.privateKey.fill(0);
    const keys = opened.keys;
    const closed = opened.closed;
    const paths = Vault.paths(dataDir);
    const lines = (first: Buffer, next: Buffer | null) =>
      // Mid-rotation a file may already be under the next key: hand over both.
      next ? `${rawKeyPragma(first)}\n-- or, if that fails (a key rotation was interrupted):\n${rawKeyPragma(next)}` : rawKeyPragma(first);
    try {
      const main = { file: paths.database, pragma: lines(keys.current, keys.next) };
      if (!closed.current) return [main];
      return [main, { file: paths.closedDatabase, pragma: lines(closed.current, closed.next) }];
    } finally {
      keys.current.fill(0);
      keys.next?.fill(0);
      closed.current?.fill(0);
      closed.next?.fill(0);
    }
  }

  /**
   * The SQLCipher `PRAGMA key` line of each file this session holds the key to, for the standard SQLCipher 4
   * tool: the store itself, then (for a session that holds it) the closed database.
   */
  rawKeyPragmas(): { file: string; pragma: string }[] {
    const paths = Vault.paths(this.dataDir);
    return [
      { file: paths.database, pragma: rawKeyPragma(this.requireMasterKey()) },
      ...(this.closedKey ? [{ file: paths.closedDatabase, pragma: rawKeyPragma(this.closedKey) }] : []),
    ];
  }

  /** The SQLCipher `PRAGMA key` line for the open store (concordat.db) alone. */
  rawKeyPragma(): string {
    return rawKeyPragma(this.requireMasterKey());
  }

  /** Whether this session holds the closed database's key (and has it attached). */
  get holdsClosedKey(): boolean {
    return this.closedKey !== null && this.database !== null;
  }

  /** True when this session holds the closed key but the closed database file is not there (see openClosed). */
  get closedDatabaseMissing(): boolean {
    return this.closedMissing;
  }

  /** Whether the store has a closed database yet (a store from before issue 15 gets one at an eligible unlock). */
  get hasClosedStore(): boolean {
    return this.keyFile.closedDatabaseSalt !== undefined;
  }

  /**
   * Gives a store made before issue 15 its closed database: a fresh key sealed to every manager, statutory
   * and recovery slot the signed roster names, the file made, then the key file written (so a crash before
   * that leaves a file no key opens, remade next time), then attached. Run in a session that may hold the
   * key; the store's own step then moves closed-only content across (src/store/closed-store.ts).
   */
  async createClosedStore(): Promise<boolean> {
    const options = this.options.closed;
    const roster = this.keyFile.roster;
    const slot = this.slotInUse;
    if (!options || this.hasClosedStore || !roster || !slot) return false;
    if (!this.mayCreateClosedStore(slot)) return false;
    const path = Vault.paths(this.dataDir).closedDatabase;
    const key = randomBytes(32);
    // Planned by the unlock that opened this session; a call on its own plans its own steps.
    const upgrade = this.upgrade ?? new UpgradeTracker(this.options.onUpgradeProgress);
    if (!upgrade.upgrading) upgrade.plan(options.migrations.length + 1);
    try {
      const salt = await prepareClosedDatabase(path, key, this.keyFile.storeId, options.migrations, 'create', upgrade.migrations('closed'));
      const holders = new Set(roster.body.members.filter((m) => holdsClosedKey(m.kind, m.role)).map((m) => m.slotId));
      this.keyFile.slots = this.keyFile.slots.map((s) =>
        holders.has(s.id) ? { ...s, sealedClosedKey: sealToPublicKey(s.publicKey, key, closedKeyAad(this.keyFile, s.id)) } : s,
      );
      this.keyFile.closedDatabaseSalt = salt;
      this.saveKeyFile();
      await attachClosed(this.db, path, key);
    } catch (err) {
      key.fill(0);
      throw err;
    }
    this.closedKey = key;
    upgrade.begin('seal');
    try {
      await options.onAttach(this.db, (done, total) => upgrade.advance(done, total));
    } finally {
      this.endUpgrade();
    }
    return true;
  }

  /** Whether createClosedStore would make the closed database for a session of `slot` (see there). */
  private mayCreateClosedStore(slot: Slot): boolean {
    const roster = this.keyFile.roster;
    if (!this.options.closed || this.hasClosedStore || !roster) return false;
    const own = roster.body.members.find((m) => m.slotId === slot.id);
    return own !== undefined && holdsClosedKey(own.kind, own.role);
  }

  /** Closes the database and wipes the master key from memory. */
  async lock(): Promise<void> {
    const database = this.database;
    const check = this.wholeFileCheck;
    this.database = null;
    this.slotInUse = null;
    this.wholeFileCheck = null;
    this.upgrade = null;
    this.signingKey?.fill(0);
    this.signingKey = null;
    this.rosterKey?.fill(0);
    this.rosterKey = null;
    this.roleInUse = null;
    await check?.stop();
    if (database) await database.close();
    this.masterKey?.fill(0);
    this.masterKey = null;
    this.closedKey?.fill(0);
    this.closedKey = null;
    this.closedMissing = false;
  }

  /** Locks and releases the data folder for other processes. */
  async close(): Promise<void> {
    try {
      await this.lock();
      // A background key-file write still in flight ends before another vault may take the folder (and
      // clear stray temporary files, see open).
      await this.backgroundSave.catch(() => undefined);
    } finally {
      this.processLock.release();
    }
  }

  // ---- slots (all need the store unlocked: the master key is sealed into each new slot) ----

  /** Adds a slot and signs it into the roster with `role`: needs a manager's (or the recovery) session. */
  async addUserSlot(username: string, passphrase: string, role: Role): Promise<void> {
    const name = normaliseUsername(username);
    if (this.findUserSlot(name)) throw new ConcordatError('CONFLICT', `A key slot for ${name} already exists.`, { field: 'username' });
    const authority = this.authority();
    const built = await buildSlot(
      this.keyFile,
      'user',
      name,
      passphrase,
      { master: this.requireMasterKey(), closed: this.closedKey },
      this.options.kdf ?? DEFAULT_KDF,
      authority,
      role,
    );
    built.signingKey?.fill(0);
    this.keyFile.slots.push(built.slot);
    if (built.member) this.resignRoster([...this.rosterMembers(), built.member]);
    this.saveKeyFile();
  }

  removeUserSlot(username: string): void {
    const name = normaliseUsername(username);
    const slot = this.findUserSlot(name);
    if (!slot) throw new ConcordatError('NOT_FOUND', `No key slot for ${name}.`, { field: 'username' });
    this.requireMasterKey();
    this.keyFile.slots = this.keyFile.slots.filter((s) => s !== slot);
    delete this.keyFile.failureCounters[name];
    if (this.keyFile.roster) {
      this.resignRoster(this.rosterMembers().filter((m) => m.slotId !== slot.id));
      this.keyFile.checkpoints = (this.keyFile.checkpoints ?? []).filter((c) => c.slotId !== slot.id);
    }
    this.saveKeyFile();
  }

  /**
   * Signs the first roster of a key file made before rosters (wave 1): every slot gets a signing key, the
   * manager slots and the recovery slot the new roster key, and each user slot the role `roles` gives it
   * (the users table as it stands: that is what this step trusts). Slots with no role are left out, so
   * they no longer unlock. Run by the first manager to unlock after the upgrade.
   */
  signFirstRoster(roles: ReadonlyMap<string, Role>, checkpointsSince: number): { members: number; left: string[] } {
    if (this.keyFile.roster) throw new ConcordatError('CONFLICT', 'The key file already has a roster.');
    const own = this.slotInUse;
    if (!own || own.kind !== 'user' || roles.get(own.username!) !== 'manager')
      throw new ConcordatError('FORBIDDEN', 'Only a manager signs the first roster.');
    this.requireMasterKey();
    const authority = newSigningIdentity();
    const members: RosterMember[] = [];
    const left: string[] = [];
    let ownSigningKey: Buffer | null = null;
    this.keyFile.slots = this.keyFile.slots.map((slot) => {
      const role = slot.kind === 'recovery' ? null : (roles.get(slot.username!) ?? undefined);
      if (role === undefined) {
        left.push(slot.username ?? slot.id);
        return slot;
      }
      const signing = newSigningIdentity();
      const next: Slot = {
        ...slot,
        signingPublicKey: signing.publicKey,
        sealedSigningKey: sealToPublicKey(slot.publicKey, signing.privateKey, signingKeyAad(this.keyFile, slot.id)),
        ...(role === 'manager' || slot.kind === 'recovery'
          ? { sealedRosterKey: sealToPublicKey(slot.publicKey, authority.privateKey, rosterKeyAad(this.keyFile, slot.id)) }
          : {}),
      };
      members.push(memberOf(next, role));
      if (slot === own) ownSigningKey = signing.privateKey;
      else signing.privateKey.fill(0);
      if (slot === own) this.slotInUse = next;
      return next;
    });
    this.signingKey = ownSigningKey;
    this.rosterKey = authority.privateKey;
    this.roleInUse = 'manager';
    this.keyFile.roster = signRoster(this.keyFile, members, authority.publicKey, checkpointsSince, {
      slotId: own.id,
      username: own.username ?? null,
      signingKey: this.signingKey!,
      rosterKey: this.rosterKey,
    });
    this.saveKeyFile();
    return { members: members.length, left };
  }

  /**
   * Checks the current passphrase against the slot, then rewrites that slot alone. A wrong one counts and
   * waits as a failed unlock does: an unlocked, unattended screen must not be a faster way to guess.
   */
  async changePassphrase(username: string, current: string, next: string): Promise<void> {
    const name = normaliseUsername(username);
    const slot = this.findUserSlot(name);
    if (!slot) throw new ConcordatError('NOT_FOUND', `No key slot for ${name}.`, { field: 'username' });
    const wait = this.unlockWaitMs(name);
    if (wait > 0) {
      throw new ConcordatError('UNLOCK_DELAYED', `Too many failed attempts. Try again in ${Math.ceil(wait / 1000)} s.`, {
        field: 'currentPassphrase',
        details: { retryAfterMs: wait },
      });
    }
    const kek = await deriveKey(current, slot.kdf);
    const opened = openSlot(this.keyFile, slot, kek);
    kek.fill(0);
    if (!opened) {
      // Not queued for the log: the dispatcher records this refusal itself.
      const { count, retryAfterMs } = countFailure(this.keyFile, name, { pending: false });
      this.saveKeyFile();
      throw new ConcordatError('AUTH_FAILED', 'The current passphrase is not right.', {
        field: 'currentPassphrase',
        details: { consecutiveFailures: count, retryAfterMs },
      });
    }
    opened.keys.next?.fill(0);
    opened.keys.current.fill(0);
    try {
      // The slot keeps its keys (the roster names them, and only a manager can sign a new roster): only
      // the wrapping changes, under a key derived from the new passphrase with a new salt.
      const kdf = newKdfParams(this.options.kdf ?? DEFAULT_KDF);
      const nextKek = await deriveKey(next, kdf);
      const rewrapped: Slot = { ...slot, kdf };
      rewrapped.wrappedPrivateKey = wrapPayload(nextKek, opened.privateKey, opened.pin, slotAad(this.keyFile, rewrapped));
      nextKek.fill(0);
      this.keyFile.slots = this.keyFile.slots.map((s) => (s === slot ? rewrapped : s));
      if (this.slotInUse === slot) this.slotInUse = rewrapped;
      delete this.keyFile.failureCounters[name];
      this.saveKeyFile();
    } finally {
      opened.privateKey.fill(0);
    }
  }

  /** Sets a user's passphrase without the old one: for the recovery path and for a manager's reset. */
  async resetPassphrase(username: string, next: string): Promise<void> {
    const name = normaliseUsername(username);
    if (!this.findUserSlot(name)) throw new ConcordatError('NOT_FOUND', `No key slot for ${name}.`, { field: 'username' });
    await this.replaceUserSlot(name, next, this.requireMasterKey());
  }

  /** Replaces the recovery slot; returns the new recovery key. The old one stops working at once. */
  async rotateRecoveryKey(): Promise<string> {
    const secret = randomBytes(32);
    try {
      const authority = this.authority();
      const old = this.keyFile.slots.find((s) => s.kind === 'recovery');
      const built = await buildSlot(
        this.keyFile,
        'recovery',
        undefined,
        secret,
        { master: this.requireMasterKey(), closed: this.closedKey },
        this.options.kdf ?? DEFAULT_KDF,
        authority,
        null,
      );
      this.keyFile.slots = [...this.keyFile.slots.filter((s) => s.kind !== 'recovery'), built.slot];
      if (built.member) {
        this.resignRoster([...this.rosterMembers().filter((m) => m.slotId !== old?.id), built.member]);
        if (old) this.carryCheckpoint(old, built);
      }
      built.signingKey?.fill(0);
      this.saveKeyFile();
      return formatRecoveryKey(secret);
    } finally {
      secret.fill(0);
    }
  }

  /**
   * Re-keys the database under a fresh master key and reseals it to every slot. Crash-safe in order:
   * the key file first gains the new key beside the old in every slot, then the database is re-keyed,
   * then the old key is dropped; an unlock after a crash in between tries both.
   * PRAGMA rekey cannot run inside a transaction: call this from within `db.exclusive` (the dispatcher
   * does, for operations that declare `transaction: 'none'`), never from inside a transaction.
   */
  async rotateMasterKey(): Promise<void> {
    // Re-keying rewrites every page: never over a damaged one, and never under the check's feet.
    await this.integrity.passed();
    // Nor under a backup's snapshot: its copy would carry the slots of the old key (a removed user's among
    // them) and the checkpoint after the re-key would wait on its read transaction with every write queued.
    await Promise.all([...this.snapshots].map((stop) => stop()));
    this.keyGeneration++;
    const oldKey = this.requireMasterKey();
    const database = this.db;
    const newKey = randomBytes(32);
    // The closed key turns over with the master key, but only the slots that hold it now get the next one.
    const oldClosed = this.closedKey;
    const newClosed = oldClosed ? randomBytes(32) : null;
    const staged = this.keyFile.slots.map((slot) => ({
      ...slot,
      sealedNextMasterKey: sealToPublicKey(slot.publicKey, newKey, masterKeyAad(this.keyFile, slot.id)),
      ...(newClosed && slot.sealedClosedKey
        ? { sealedNextClosedKey: sealToPublicKey(slot.publicKey, newClosed, closedKeyAad(this.keyFile, slot.id)) }
        : {}),
    }));
    this.keyFile.slots = staged;
    this.saveKeyFile();
    await database.exec(`PRAGMA rekey = "x'${newKey.toString('hex')}'"`);
    await database.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    this.masterKey = newKey;
    oldKey.fill(0);
    this.promoteNextMasterKey();
    if (newClosed && oldClosed) {
      await database.exec(`PRAGMA closed.rekey = "x'${newClosed.toString('hex')}'"`);
      await database.exec('PRAGMA closed.wal_checkpoint(TRUNCATE)');
      this.closedKey = newClosed;
      oldClosed.fill(0);
      this.promoteNextClosedKey();
    }
  }

  /** A copy of the key slots and their roster, to put back if the transaction that changed them rolls back. */
  slotsSnapshot(): SlotsSnapshot {
    return structuredClone({ slots: this.keyFile.slots, roster: this.keyFile.roster, checkpoints: this.keyFile.checkpoints });
  }

  restoreSlots(snapshot: SlotsSnapshot): void {
    const copy = structuredClone(snapshot);
    this.keyFile.slots = copy.slots;
    if (copy.roster) this.keyFile.roster = copy.roster;
    else delete this.keyFile.roster;
    if (copy.checkpoints) this.keyFile.checkpoints = copy.checkpoints;
    else delete this.keyFile.checkpoints;
    // The session's own slot is found by identity (changePassphrase, signFirstRoster): point it at the
    // restored copy. Its keys are the same: nothing replaces the slot in use (see replaceUserSlot).
    const inUse = this.slotInUse && copy.slots.find((s) => s.id === this.slotInUse!.id);
    if (inUse) this.slotInUse = inUse;
    this.saveKeyFile();
  }

  // ---- failed unlocks and the audit checkpoint, kept in the key file ----

  pendingFailedUnlocks(): readonly FailedUnlock[] {
    return this.keyFile.pendingFailedUnlocks;
  }

  /** Called once the audit log holds these entries. */
  clearPendingFailedUnlocks(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const done = new Set(ids);
    this.keyFile.pendingFailedUnlocks = this.keyFile.pendingFailedUnlocks.filter((f) => !done.has(f.id));
    this.saveKeyFile();
  }

  /** The newest checkpoint (the highest sequence; signed ones, or before rosters the MAC'd one). */
  checkpoint(): CheckpointStatus {
    const signed = this.checkpoints();
    if (signed.length > 0)
      return signed.reduce((a, b) =>
        b.checkpoint!.seq > a.checkpoint!.seq || (b.checkpoint!.seq === a.checkpoint!.seq && (b.at ?? '') > (a.at ?? '')) ? b : a,
      );
    const cp = this.keyFile.auditCheckpoint;
    if (!cp) return { checkpoint: null, authentic: true };
    const expected = this.checkpointMac(cp.seq, cp.hash);
    const given = Buffer.from(cp.mac, 'hex');
    const authentic = given.length === expected.length && timingSafeEqual(given, expected);
    return { checkpoint: { seq: cp.seq, hash: cp.hash }, authentic, signer: null, at: cp.at };
  }

  /**
   * Every slot's latest signed checkpoint, each checked against the signing key the roster names for its
   * slot: a checkpoint whose slot the roster does not name, or whose signature fails, is not authentic.
   */
  checkpoints(): (CheckpointStatus & { slotId: string })[] {
    const members = this.rosterMembers();
    return (this.keyFile.checkpoints ?? []).map((cp) => {
      const member = members.find((m) => m.slotId === cp.slotId);
      const { signature, ...unsigned } = cp;
      const authentic =
        member !== undefined &&
        slotActor({ kind: member.kind, username: member.username ?? undefined }) === cp.username &&
        verifySignature(member.signingPublicKey, checkpointMessage(this.keyFile.storeId, unsigned), signature);
      return { checkpoint: { seq: cp.seq, hash: cp.hash }, authentic, signer: cp.username, at: cp.at, slotId: cp.slotId };
    });
  }

  /** The audit sequence from which every unlocking user has left a signed checkpoint (null before rosters). */
  get signedCheckpointsSince(): number | null {
    return this.keyFile.roster?.body.checkpointsSince ?? null;
  }

  /**
   * Records the head, signed by the unlocked slot (so whoever writes a checkpoint is named by it). Before a
   * roster exists, the MAC'd checkpoint of wave 1 is written instead. `inBackground` (see
   * writeFileAtomicInBackground) is for the checkpoint after each consultation, the hot path of every read:
   * the disk is waited on off the main thread (a synchronous fsync there stalled every window for up to
   * 1.4 s while a backup was writing, bench/backup). A power cut may bring back an earlier checkpoint,
   * never one past the log (the log's commit was fsync'd first), and never one older than the last
   * synchronous write (the unlock's marker and checkpoint among them), so the open-session marker then
   * reports the unclean end with the entries since. The other key-file writes stay synchronous.
   */
  async writeCheckpoint(head: AuditHead, { inBackground = false }: { inBackground?: boolean } = {}): Promise<void> {
    const slot = this.slotInUse;
    if (this.signingKey && slot) {
      const unsigned = { ...head, at: new Date().toISOString(), slotId: slot.id, username: slotActor(slot) };
      const signed: SignedCheckpoint = {
        ...unsigned,
        signature: signWith(this.signingKey, checkpointMessage(this.keyFile.storeId, unsigned)),
      };
      this.keyFile.checkpoints = [...(this.keyFile.checkpoints ?? []).filter((c) => c.slotId !== slot.id), signed];
      // The MAC'd checkpoint proves nothing against a key holder: once signed ones exist it is dropped.
      this.keyFile.auditCheckpoint = null;
    } else {
      this.keyFile.auditCheckpoint = {
        ...head,
        at: new Date().toISOString(),
        mac: this.checkpointMac(head.seq, head.hash).toString('hex'),
      };
    }
    if (inBackground) await this.saveKeyFileInBackground();
    else this.saveKeyFile();
  }

  /** Drops checkpoints found broken, once a manager has acknowledged them (the log keeps them as evidence). */
  dropCheckpoints(slotIds: readonly string[]): void {
    if (slotIds.length === 0) return;
    this.keyFile.checkpoints = (this.keyFile.checkpoints ?? []).filter((c) => !slotIds.includes(c.slotId));
    this.saveKeyFile();
  }

  // ---- the open-session marker ----

  /** The marker a session that never locked left behind, if any. */
  openSessionMarker(): OpenSessionMarker | null {
    return this.keyFile.openSession ?? null;
  }

  markSessionOpen(): void {
    const slot = this.slotInUse;
    if (!slot) return;
    this.keyFile.openSession = { slotId: slot.id, username: slotActor(slot), openedAt: new Date().toISOString() };
    this.saveKeyFile();
  }

  clearSessionMarker(): void {
    if (!this.keyFile.openSession) return;
    this.keyFile.openSession = null;
    this.saveKeyFile();
  }

  /** What a backup needs from the open store (see backup.ts); the key is a copy, wiped by the backup. */
  backupSource(): BackupSource {
    const paths = Vault.paths(this.dataDir);
    const generation = this.keyGeneration;
    return {
      databasePath: paths.database,
      keyFilePath: paths.keyFile,
      storeId: this.keyFile.storeId,
      masterKey: Buffer.from(this.requireMasterKey()),
      // The closed database goes into the backup with the open store, under its own key (a copy, wiped too).
      closed: this.closedKey && !this.closedMissing ? { path: paths.closedDatabase, key: Buffer.from(this.closedKey) } : null,
      db: this.db,
      keyIsCurrent: () => this.keyGeneration === generation,
      snapshotRunning: (stop) => {
        this.snapshots.add(stop);
        return () => void this.snapshots.delete(stop);
      },
      writesSettled: () => this.backgroundSave.catch(() => undefined),
    };
  }

  // ---- internals ----

  private checkpointMac(seq: number, hash: string): Buffer {
    const key = Buffer.from(hkdfSync('sha256', this.requireMasterKey(), Buffer.alloc(0), 'concordat audit checkpoint v1', 32));
    try {
      return createHmac('sha256', key).update(`${this.keyFile.storeId}|${seq}|${hash}`).digest();
    } finally {
      key.fill(0);
    }
  }

  private requireMasterKey(): Buffer {
    if (!this.masterKey) throw new ConcordatError('LOCKED', 'The store is locked.');
    return this.masterKey;
  }

  /** The roster key in hand (a manager's or the recovery session), or null before rosters. */
  private authority(): Authority | null {
    const roster = this.keyFile.roster;
    if (!roster) return null;
    if (!this.rosterKey) throw new ConcordatError('FORBIDDEN', 'Only a manager (or the recovery key) can change the roster of key slots.');
    return { publicKey: roster.body.authorityPublicKey, privateKey: this.rosterKey };
  }

  /**
   * A slot replaced (a reset passphrase, a new recovery key) keeps its user's checkpoint: the same head,
   * time and name, re-signed with the new slot's key, since the old key leaves the roster.
   */
  private carryCheckpoint(old: Slot, built: BuiltSlot): void {
    const previous = (this.keyFile.checkpoints ?? []).find((c) => c.slotId === old.id);
    const rest = (this.keyFile.checkpoints ?? []).filter((c) => c.slotId !== old.id);
    if (!previous || !built.signingKey) {
      this.keyFile.checkpoints = rest;
      return;
    }
    const { signature: _old, ...unsigned } = { ...previous, slotId: built.slot.id };
    const signature = signWith(built.signingKey, checkpointMessage(this.keyFile.storeId, unsigned));
    this.keyFile.checkpoints = [...rest, { ...unsigned, signature }];
  }

  private resignRoster(members: RosterMember[]): void {
    const roster = this.keyFile.roster;
    const slot = this.slotInUse;
    if (!roster || !slot || !this.signingKey || !this.rosterKey)
      throw new ConcordatError('FORBIDDEN', 'Only a manager (or the recovery key) can change the roster of key slots.');
    this.keyFile.roster = signRoster(this.keyFile, members, roster.body.authorityPublicKey, roster.body.checkpointsSince, {
      slotId: slot.id,
      username: slot.username ?? null,
      signingKey: this.signingKey,
      rosterKey: this.rosterKey,
    });
  }

  private findUserSlot(username: string): Slot | undefined {
    const name = normaliseUsername(username);
    return this.keyFile.slots.find((s) => s.kind === 'user' && s.username === name);
  }

  /** A new slot (new keys) for a user whose passphrase is set without the old one: signed into the roster anew. */
  private async replaceUserSlot(name: string, passphrase: string, masterKey: Buffer): Promise<void> {
    const old = this.findUserSlot(name)!;
    // A new slot means new signing keys, but this session signs its checkpoints and rosters with the keys
    // of the slot it unlocked: replacing that slot under it would leave it signing as a slot the roster no
    // longer names. Its own passphrase changes through changePassphrase, which keeps the keys.
    if (this.slotInUse?.id === old.id)
      throw new ConcordatError('CONFLICT', 'Change your own passphrase from your account, not by a reset.', { field: 'username' });
    const authority = this.authority();
    const member = this.rosterMembers().find((m) => m.slotId === old.id);
    if (authority && !member?.role) throw new ConcordatError('NOT_FOUND', `The roster does not name ${name}.`, { field: 'username' });
    const built = await buildSlot(
      this.keyFile,
      'user',
      name,
      passphrase,
      { master: masterKey, closed: this.closedKey },
      this.options.kdf ?? DEFAULT_KDF,
      authority,
      member?.role ?? null,
    );
    this.keyFile.slots = this.keyFile.slots.map((s) => (s === old ? built.slot : s));
    if (built.member) {
      this.resignRoster([...this.rosterMembers().filter((m) => m.slotId !== old.id), built.member]);
      this.carryCheckpoint(old, built);
    }
    built.signingKey?.fill(0);
    delete this.keyFile.failureCounters[name];
    this.saveKeyFile();
  }

  private async openWith(keys: UnsealedKeys, closed: OpenedSlot['closed'], slot: Slot): Promise<void> {
    const path = Vault.paths(this.dataDir).database;
    const upgrade = new UpgradeTracker(this.options.onUpgradeProgress);
    this.upgrade = upgrade;
    let checkedWhole: boolean;
    try {
      // Every step is counted before the first runs: the closed database's share is read first.
      const closedShare = await this.closedUpgradeSteps(closed, slot);
      const plan = (storeSteps: number) => {
        if (upgrade.upgrading || storeSteps + closedShare.migrations === 0) return;
        // The whole-file check before the store's migrations; the move of closed-only content after them all,
        // in a session that attaches the closed database.
        upgrade.plan((storeSteps > 0 ? 1 : 0) + storeSteps + closedShare.migrations + (closedShare.attaches ? 1 : 0));
      };
      checkedWhole = await this.openMain(keys, path, upgrade, plan);
      await this.openClosed(closed, upgrade);
    } catch (err) {
      this.upgrade = null;
      await this.database?.close().catch(() => undefined);
      this.database = null;
      this.masterKey?.fill(0);
      this.masterKey = null;
      this.closedKey?.fill(0);
      this.closedKey = null;
      closed.current?.fill(0);
      closed.next?.fill(0);
      throw err;
    }
    // The closed database too, when this session attached it. An upgrade has just read the store's file whole,
    // before its first migration wrote (openDatabase), and since then only this connection has written to it:
    // reading it whole again would keep every write waiting as long again (90 s at 100,000 cases).
    const mainFile = checkedWhole ? [] : [{ path, key: this.requireMasterKey() }];
    const closedFile = this.closedKey ? [{ path: Vault.paths(this.dataDir).closedDatabase, key: this.closedKey }] : [];
    this.wholeFileCheck = IntegrityCheck.start([...mainFile, ...closedFile]);
    this.slotInUse = slot;
    this.looseEntries = tightenDataFolder(this.dataDir);
    // A store from before the closed database goes on upgrading when the session makes one (createClosedStore).
    if (!this.mayCreateClosedStore(slot)) this.upgrade = null;
  }

  /**
   * The closed database's share of an upgrade: its migrations still to run (all of them when this session
   * will make it, for a store from before it), read on a short-lived connection of its own, and whether this
   * session attaches it (and so moves closed-only content after the migrations).
   */
  private async closedUpgradeSteps(closed: OpenedSlot['closed'], slot: Slot): Promise<{ migrations: number; attaches: boolean }> {
    const options = this.options.closed;
    if (!options) return { migrations: 0, attaches: false };
    if (this.mayCreateClosedStore(slot)) return { migrations: options.migrations.length, attaches: true };
    const path = Vault.paths(this.dataDir).closedDatabase;
    if (!closed.current || !this.keyFile.closedDatabaseSalt || !existsSync(path)) return { migrations: 0, attaches: false };
    for (const key of [closed.current, closed.next]) {
      if (!key) continue;
      // Only a guess for the count shown: a file that will not open is reported by openClosed.
      const version = await peekClosedSchemaVersion(path, key).catch(() => null);
      if (version !== null) return { migrations: pendingMigrations(options.migrations, version).length, attaches: true };
    }
    return { migrations: 0, attaches: true };
  }

  /**
   * Attaches the closed database for a slot that holds its key. Mid-rotation the file may already be under
   * the next key; a schema behind this program is brought up on its own connection first.
   */
  private async openClosed(closed: OpenedSlot['closed'], upgrade: UpgradeTracker): Promise<void> {
    const options = this.options.closed;
    const salt = this.keyFile.closedDatabaseSalt;
    if (!closed.current || !options || !salt) {
      closed.current?.fill(0);
      closed.next?.fill(0);
      return;
    }
    const path = Vault.paths(this.dataDir).closedDatabase;
    this.closedMissing = !existsSync(path);
    if (this.closedMissing) {
      // A store restored from a backup made before backups carried the closed database, or a file taken
      // away: the store still opens, its closed-only rows read as stubs, and the unlock records it.
      closed.current.fill(0);
      closed.next?.fill(0);
      return;
    }
    checkClosedHeader(path, salt);
    const candidates = [closed.current, ...(closed.next ? [closed.next] : [])];
    let chosen: Buffer | null = null;
    for (const key of candidates) {
      if (chosen) break;
      try {
        if (await closedSchemaIsBehind(path, key, options.migrations))
          await prepareClosedDatabase(path, key, this.keyFile.storeId, options.migrations, 'existing', upgrade.migrations('closed'));
        await attachClosed(this.db, path, key);
        chosen = key;
      } catch (err) {
        if (key === candidates.at(-1)) throw err;
      }
    }
    for (const key of candidates) if (key !== chosen) key.fill(0);
    this.closedKey = chosen;
    if (chosen === closed.next) this.promoteNextClosedKey();
    if (upgrade.upgrading) upgrade.begin('seal');
    await options.onAttach(this.db, (done, total) => upgrade.advance(done, total));
  }

  /** Opens (and upgrades) the store; returns whether its file was read whole on the way (before a migration). */
  private async openMain(keys: UnsealedKeys, path: string, upgrade: UpgradeTracker, plan: (storeSteps: number) => void): Promise<boolean> {
    let checkedWhole = false;
    const steps: UpgradeSteps = { upgrade, plan, checkedWhole: () => void (checkedWhole = true) };
    try {
      this.database = await openDatabase(path, keys.current, this.keyFile, this.options.migrations, steps);
      this.masterKey = keys.current;
      keys.next?.fill(0);
    } catch (err) {
      // A crash during rotation can leave the database under the next key: the slots carry it too.
      keys.current.fill(0);
      if (!keys.next || !(err instanceof ConcordatError) || err.code !== 'DATABASE_CORRUPT') {
        keys.next?.fill(0);
        throw err;
      }
      this.database = await openDatabase(path, keys.next, this.keyFile, this.options.migrations, steps);
      this.masterKey = keys.next;
      this.promoteNextMasterKey();
    }
    return checkedWhole;
  }

  /**
   * What the last unlock (or set-up) found readable by others in the data folder, and took those modes
   * away from; given once, for the caller to log.
   */
  takeLooseEntries(): LooseEntry[] {
    const found = this.looseEntries;
    this.looseEntries = [];
    return found;
  }

  private promoteNextClosedKey(): void {
    this.keyFile.slots = this.keyFile.slots.map(({ sealedNextClosedKey, ...slot }) =>
      sealedNextClosedKey ? { ...slot, sealedClosedKey: sealedNextClosedKey } : slot,
    );
    this.keyFile.closedDatabaseSalt = readHead(Vault.paths(this.dataDir).closedDatabase, 16).toString('hex');
    this.saveKeyFile();
  }

  private promoteNextMasterKey(): void {
    this.keyFile.slots = this.keyFile.slots.map(({ sealedNextMasterKey, ...slot }) =>
      sealedNextMasterKey ? { ...slot, sealedMasterKey: sealedNextMasterKey } : slot,
    );
    this.keyFile.databaseSalt = readHead(Vault.paths(this.dataDir).database, 16).toString('hex');
    const cp = this.keyFile.auditCheckpoint;
    if (cp) this.keyFile.auditCheckpoint = { ...cp, mac: this.checkpointMac(cp.seq, cp.hash).toString('hex') };
    this.saveKeyFile();
  }

  private saveKeyFile(): void {
    this.keyFileWrites += 1;
    writeKeyFile(Vault.paths(this.dataDir).keyFile, this.keyFile);
  }

  /**
   * Writes the key file as it stands when the write starts. Requests made while one is waiting to start
   * share it (it will carry their state too); a write overtaken by a later one, synchronous or not, is
   * dropped instead of renamed over it.
   */
  private saveKeyFileInBackground(): Promise<void> {
    if (this.backgroundSaveWaiting) return this.backgroundSaveWaiting;
    const save = this.backgroundSave
      .catch(() => undefined)
      .then(async () => {
        this.backgroundSaveWaiting = null;
        this.keyFileWrites += 1;
        const write = this.keyFileWrites;
        await writeFileAtomicInBackground(Vault.paths(this.dataDir).keyFile, keyFileText(this.keyFile), () => write === this.keyFileWrites);
      });
    this.backgroundSaveWaiting = save;
    this.backgroundSave = save;
    return save;
  }
}

export interface SlotsSnapshot {
  slots: Slot[];
  roster: Roster | undefined;
  checkpoints: SignedCheckpoint[] | undefined;
}

interface Authority {
  publicKey: string;
  privateKey: Buffer | null;
}

function memberOf(slot: Slot, role: Role | null): RosterMember {
  return {
    slotId: slot.id,
    kind: slot.kind,
    username: slot.username ?? null,
    role,
    publicKey: slot.publicKey,
    signingPublicKey: slot.signingPublicKey!,
  };
}

/**
 * What the passphrase unwraps. Wave 1 wrapped the bare X25519 key (DER, which opens with 0x30); from
 * rosters on it is JSON, so more can travel under the passphrase: today the roster key this slot trusts.
 */
function wrapPayload(kek: Buffer, privateKey: Buffer, pin: string | null, aad: string) {
  const payload =
    pin === null ? privateKey : Buffer.from(JSON.stringify({ v: 2, x25519: privateKey.toString('base64'), rosterKey: pin }), 'utf8');
  try {
    return seal(kek, payload, aad);
  } finally {
    if (payload !== privateKey) payload.fill(0);
  }
}

function readPayload(payload: Buffer): { privateKey: Buffer; pin: string | null } | null {
  if (payload[0] !== 0x7b) return { privateKey: payload, pin: null };
  try {
    const parsed = JSON.parse(payload.toString('utf8')) as { v?: unknown; x25519?: unknown; rosterKey?: unknown };
    if (parsed.v !== 2 || typeof parsed.x25519 !== 'string' || typeof parsed.rosterKey !== 'string') return null;
    return { privateKey: Buffer.from(parsed.x25519, 'base64'), pin: parsed.rosterKey };
  } finally {
    payload.fill(0);
  }
}

interface BuiltSlot {
  slot: Slot;
  /** Null before rosters (a wave-1 key file changed by a recovery tool). */
  member: RosterMember | null;
  signingKey: Buffer | null;
}

async function buildSlot(
  keyFile: KeyFile,
  kind: Slot['kind'],
  username: string | undefined,
  secret: string | Buffer,
  keys: { master: Buffer; closed: Buffer | null },
  strength: KdfStrength,
  authority: Authority | null,
  role: Role | null,
): Promise<BuiltSlot> {
  const identity = newIdentity();
  const base = { id: randomUUID(), kind, ...(username === undefined ? {} : { username }), kdf: newKdfParams(strength) };
  const kek = await deriveKey(secret, base.kdf);
  try {
    const slot: Slot = {
      ...base,
      publicKey: identity.publicKey,
      wrappedPrivateKey: wrapPayload(kek, identity.privateKey, authority?.publicKey ?? null, slotAad(keyFile, base)),
      sealedMasterKey: sealToPublicKey(identity.publicKey, keys.master, masterKeyAad(keyFile, base.id)),
      createdAt: new Date().toISOString(),
    };
    // Only with a roster can the role be trusted; a slot sealed before rosters gets the key when one exists.
    if (keys.closed && authority && holdsClosedKey(kind, role))
      slot.sealedClosedKey = sealToPublicKey(identity.publicKey, keys.closed, closedKeyAad(keyFile, base.id));
    if (!authority) return { slot, member: null, signingKey: null };
    const signing = newSigningIdentity();
    slot.signingPublicKey = signing.publicKey;
    slot.sealedSigningKey = sealToPublicKey(identity.publicKey, signing.privateKey, signingKeyAad(keyFile, base.id));
    if (role === 'manager' || kind === 'recovery') {
      if (!authority.privateKey) throw new ConcordatError('FORBIDDEN', 'Only a manager can add a manager.');
      slot.sealedRosterKey = sealToPublicKey(identity.publicKey, authority.privateKey, rosterKeyAad(keyFile, base.id));
    }
    return { slot, member: memberOf(slot, role), signingKey: signing.privateKey };
  } finally {
    kek.fill(0);
    identity.privateKey.fill(0);
  }
}

function dropClosed(opened: OpenedSlot): void {
  opened.closed.current?.fill(0);
  opened.closed.next?.fill(0);
  opened.closed = { current: null, next: null };
}

interface UnsealedKeys {
  current: Buffer;
  /** Present only between the two halves of a master-key rotation. */
  next: Buffer | null;
}

interface OpenedSlot {
  keys: UnsealedKeys;
  /** The closed database's key (and, mid-rotation, the next one), when the slot holds it. */
  closed: { current: Buffer | null; next: Buffer | null };
  privateKey: Buffer;
  /** The roster key this slot trusts, or null for a slot sealed before rosters. */
  pin: string | null;
}

function openSlot(keyFile: KeyFile, slot: Slot, kek: Buffer): OpenedSlot | null {
  const unwrapped = open(kek, slot.wrappedPrivateKey, slotAad(keyFile, slot));
  const payload = unwrapped ? readPayload(unwrapped) : null;
  if (!payload) return null;
  const aad = masterKeyAad(keyFile, slot.id);
  let current: Buffer | null;
  try {
    current = openSealedToPublicKey(payload.privateKey, slot.publicKey, slot.sealedMasterKey, aad);
  } catch {
    current = null;
  }
  if (!current) {
    payload.privateKey.fill(0);
    return null;
  }
  const next = slot.sealedNextMasterKey ? openSealedToPublicKey(payload.privateKey, slot.publicKey, slot.sealedNextMasterKey, aad) : null;
  const closedAad = closedKeyAad(keyFile, slot.id);
  const unsealClosed = (box: Slot['sealedClosedKey']) => {
    if (!box) return null;
    try {
      return openSealedToPublicKey(payload.privateKey, slot.publicKey, box, closedAad);
    } catch {
      return null;
    }
  };
  const closed = { current: unsealClosed(slot.sealedClosedKey), next: unsealClosed(slot.sealedNextClosedKey) };
  return { keys: { current, next }, closed, privateKey: payload.privateKey, pin: payload.pin };
}

async function unsealRecoverySlot(keyFile: KeyFile, recoveryKey: string): Promise<{ opened: OpenedSlot; slot: Slot; kek: Buffer }> {
  const secret = parseRecoveryKey(recoveryKey);
  const slot = keyFile.slots.find((s) => s.kind === 'recovery');
  if (!slot) throw new ConcordatError('KEYFILE_CORRUPT', 'The key file has no recovery slot.');
  assertKdfStrength(slot.kdf, 'keyFile.slots.kdf');
  const kek = await deriveKey(secret, slot.kdf);
  secret.fill(0);
  const opened = openSlot(keyFile, slot, kek);
  if (!opened) {
    kek.fill(0);
    throw new ConcordatError('AUTH_FAILED', 'That recovery key does not open this store.', { field: 'recoveryKey' });
  }
  return { opened, slot, kek };
}

function checkDatabaseHeader(path: string, keyFile: KeyFile): void {
  const size = statSync(path).size;
  if (size === 0) throw new ConcordatError('DATABASE_CORRUPT', `The database file is empty: ${path}`);
  const head = readHead(path, 16);
  if (head.equals(SQLITE_HEADER))
    throw new ConcordatError('DATABASE_FOREIGN', `The database is not encrypted, so it is not a Concordat store: ${path}`);
  if (head.length < 16 || size < 1024) throw new ConcordatError('DATABASE_CORRUPT', `The database file is truncated: ${path}`);
  if (head.toString('hex') !== keyFile.databaseSalt) {
    throw new ConcordatError(
      'KEYFILE_MISMATCH',
      `The key file belongs to a different store than the database in ${path}. Nothing was changed.`,
    );
  }
}

/**
 * The cheap check at open (the first read has already decrypted page 1 and the schema): the file holds
 * whole pages, and no fewer than its header counts. Catches a file cut short at a page boundary, which
 * the first read alone does not; damage inside a page is left to the page MACs and the background check.
 */
async function checkSize(database: Database, path: string): Promise<void> {
  const pageSize = Number((await database.get<{ cipher_page_size: string }>('PRAGMA cipher_page_size'))?.cipher_page_size);
  const pageCount = (await database.get<{ page_count: number }>('PRAGMA page_count'))?.page_count ?? 0;
  const fileSize = statSync(path).size;
  const walSize = existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0;
  if (!(pageSize > 0) || fileSize % pageSize !== 0 || (walSize === 0 && pageCount * pageSize > fileSize)) {
    throw new ConcordatError(
      'DATABASE_CORRUPT',
      `The database file is truncated or damaged: it holds ${fileSize} bytes where its header counts ${pageCount} pages of ${pageSize}.`,
    );
  }
}

export async function configureConnection(database: Database, masterKey: Buffer): Promise<void> {
  // Quiet SQLCipher's own stderr logging: a failed key would otherwise print to the console.
  await database.exec('PRAGMA cipher_log_level = NONE');
  await database.exec(rawKeyPragma(masterKey));
  await database.get('PRAGMA journal_mode = WAL');
  await database.exec('PRAGMA foreign_keys = ON');
  await database.exec('PRAGMA secure_delete = ON');
  // Without this, INSERT OR REPLACE deletes a conflicting row without firing DELETE triggers, which would
  // let a statement overwrite an audit entry past the append-only triggers.
  await database.exec('PRAGMA recursive_triggers = ON');
  // Sorts and temporary indexes stay in memory: SQLite's temp files are not encrypted.
  await database.exec('PRAGMA temp_store = MEMORY');
  // FULL: an acknowledged write survives power loss, not just a crash of the process.
  await database.exec('PRAGMA synchronous = FULL');
  await database.exec('PRAGMA busy_timeout = 5000');
  // 64 MiB of decrypted pages (the default is 2 MiB): search over 10,000 cases otherwise decrypts the same
  // pages on every query, and its p95 goes from about 11 ms to about 39 ms (bench/cases). More was measured
  // and not kept: at 100,000 cases, 128 and 256 MiB left a search, list and detail mix's CPU time where it
  // was (what falls out of 64 MiB is read once) and grew the process by up to 110 MiB (docs/search-at-scale.md,
  // 2026-12-01). It is the main schema's only: the attached closed database sets its own (closed-database.ts).
  await database.exec('PRAGMA cache_size = -65536');
}

/** The upgrade an unlock tracks, and how it learns how many migrations the store needs (before the first runs). */
interface UpgradeSteps {
  upgrade: UpgradeTracker;
  plan(storeSteps: number): void;
  /** The whole-file check passed before the first migration. */
  checkedWhole(): void;
}

async function openDatabase(
  path: string,
  masterKey: Buffer,
  keyFile: KeyFile,
  migrations: readonly Migration[],
  { upgrade, plan, checkedWhole }: UpgradeSteps = { upgrade: new UpgradeTracker(), plan: () => undefined, checkedWhole: () => undefined },
): Promise<Database> {
  const database = await Database.open(path);
  try {
    try {
      await configureConnection(database, masterKey);
      await database.get('SELECT count(*) AS n FROM sqlite_master');
    } catch (err) {
      // The slot opened, so the key is right: a database that still will not decrypt is damaged.
      throw new ConcordatError('DATABASE_CORRUPT', 'The database cannot be decrypted with its key: the file is damaged or was replaced.', {
        cause: err,
      });
    }
    await checkSize(database, path);
    // A migration writes: over a store not yet checked whole, it could land on a damaged page. Rare (once
    // per upgrade), so it pays for the whole-file check up front; every other unlock runs it in the background.
    const pending = pendingMigrations(migrations, await schemaVersion(database));
    plan(pending.length);
    if (pending.length > 0) {
      upgrade.begin('check');
      await checkWholeFile(database);
      checkedWhole();
    }
    await migrate(database, migrations, undefined, upgrade.migrations('store'));
    const storeId = await database.get<{ value: string }>("SELECT value FROM meta WHERE key = 'store_id'");
    if (storeId?.value !== keyFile.storeId)
      throw new ConcordatError('KEYFILE_MISMATCH', 'The key file belongs to a different store than this database.');
    return database;
  } catch (err) {
    await database.close().catch(() => undefined);
    if (err instanceof ConcordatError) throw err;
    throw new ConcordatError('DATABASE_CORRUPT', 'The database could not be opened: it is damaged.', { cause: err });
  }
}

/** Who opens a key file that is not the store's own (a backup's): a user's passphrase, or the recovery key. */
export type Credential = { username: string; passphrase: string } | { recoveryKey: string };

/**
 * The master key from a key file alone, for a backup's own key file. A wrong passphrase is AUTH_FAILED and
 * counts nowhere: the backup's key file is never written.
 */
export async function unsealWithCredential(keyFile: KeyFile, credential: Credential): Promise<Buffer> {
  return (await unsealBackupKeys(keyFile, credential, { closed: false })).master;
}

/**
 * The master key and, when the credential's slot holds it (a manager, a statutory partner, the recovery key),
 * the closed database's key, from a backup's key file.
 */
export async function unsealBackupKeys(
  keyFile: KeyFile,
  credential: Credential,
  { closed = true }: { closed?: boolean } = {},
): Promise<{ master: Buffer; closed: Buffer | null }> {
  let opened: OpenedSlot | null;
  if ('recoveryKey' in credential) {
    const unsealed = await unsealRecoverySlot(keyFile, credential.recoveryKey);
    unsealed.kek.fill(0);
    opened = unsealed.opened;
  } else {
    const name = normaliseUsername(credential.username);
    const slot = keyFile.slots.find((s) => s.kind === 'user' && s.username === name);
    const kdf = slot?.kdf ?? newKdfParams(DEFAULT_KDF);
    assertKdfStrength(kdf, 'keyFile.slots.kdf');
    const kek = await deriveKey(credential.passphrase, kdf);
    opened = slot ? openSlot(keyFile, slot, kek) : null;
    kek.fill(0);
  }
  if (!opened) throw new ConcordatError('AUTH_FAILED', 'The user name or passphrase does not open this backup.', { field: 'passphrase' });
  opened.privateKey.fill(0);
  opened.keys.next?.fill(0);
  // The current closed key, as for the master key (the next one exists only between the halves of a rotation).
  const closedKey = closed ? opened.closed.current : null;
  opened.closed.next?.fill(0);
  if (!closed) dropClosed(opened);
  return { master: opened.keys.current, closed: closedKey };
}
