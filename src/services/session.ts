// Set-up, unlock, lock and the working context. The public operations here audit themselves, since
// no session exists until they succeed.
import { mayReceiveClosedOnly } from '../domain/access.js';
import { ConcordatError } from '../contract/errors.js';
import { appendAuditEntry, auditHead, type Actor } from '../audit/log.js';
import { checkCheckpoints } from '../audit/checkpoints.js';
import { Vault } from '../vault/vault.js';
import { isUnknownName, UNKNOWN_NAME } from '../vault/failed-unlocks.js';
import { findActiveUser, lastJustification, listUsers, rememberJustification } from '../store/users.js';
import { loggedSchemaVersion, schemaVersion, setLoggedSchemaVersion } from '../store/meta.js';
import type { Sql } from '../vault/database.js';
import type { Host } from '../host/host.js';
import { createOrganisation, createUser } from './users.js';
import type { Handler, PublicHandler } from './types.js';

export const status: PublicHandler<'store.status'> = async (host) => {
  if (!Vault.isInitialised(host.dataDir))
    return {
      state: 'uninitialised',
      storeId: null,
      user: null,
      justification: null,
      tamperWarning: null,
      integrityCheck: null,
      upgrade: null,
    };
  const vault = host.openVault();
  const session = vault.isUnlocked ? host.session : null;
  return {
    state: session ? 'unlocked' : 'locked',
    storeId: vault.storeId,
    user: session?.user ?? null,
    justification: session?.justification ?? null,
    tamperWarning: session ? host.tamperWarning : null,
    integrityCheck: session ? { ...vault.integrity.progress, failure: vault.integrity.failed?.message ?? null } : null,
    upgrade: vault.upgradeProgress,
  };
};

/**
 * Migrations run when the vault opens, before any session exists: the first unlock after one records which
 * ran (the schema version the log last recorded is kept in meta), so a schema change is never unlogged.
 */
async function logMigrations(sql: Sql, host: Host, storeId: string, actor: Actor): Promise<void> {
  const current = await schemaVersion(sql);
  const logged = await loggedSchemaVersion(sql);
  if (logged === current) return;
  const ran = host.options.migrations.filter((m) => m.version > (logged ?? 0) && m.version <= current).map((m) => `${m.version} ${m.name}`);
  await appendAuditEntry(sql, storeId, {
    actor,
    kind: 'settings',
    operation: 'store.migrate',
    entityType: 'store',
    entityId: storeId,
    outcome: 'ok',
    details: { fromVersion: logged, toVersion: current, migrations: ran },
  });
  await setLoggedSchemaVersion(sql, current);
}

/**
 * Files of the data folder that others could read (a restore, a copy, an unzip) were made private by the
 * vault at unlock: the log says which, and whether any could not be (another owner's file stays readable).
 */
async function logLooseEntries(sql: Sql, vault: Vault, actor: Actor): Promise<void> {
  const loose = vault.takeLooseEntries();
  if (loose.length === 0) return;
  await appendAuditEntry(sql, vault.storeId, {
    actor,
    kind: 'settings',
    operation: 'store.fileModes',
    entityType: 'store',
    entityId: vault.storeId,
    outcome: 'ok',
    details: { loose: loose.map((e) => ({ ...e })) },
  });
}

export const init: PublicHandler<'store.init'> = async (host, input) => {
  if (host.vault?.isUnlocked) throw new ConcordatError('CONFLICT', 'A store is already open.');
  const { vault, recoveryKey } = await Vault.create(host.dataDir, input.username, input.passphrase, host.options);
  try {
    const user = await vault.db.transaction(async (sql) => {
      const organisation = await createOrganisation(sql, input.organisation, true);
      const created = await createUser(sql, {
        username: input.username,
        displayName: input.displayName,
        role: 'manager',
        organisationId: organisation.id,
      });
      const actor: Actor = { userId: created.id, username: created.username, organisation: created.organisation, role: created.role };
      await appendAuditEntry(sql, vault.storeId, {
        actor,
        kind: 'settings',
        operation: 'store.init',
        entityType: 'store',
        entityId: vault.storeId,
        outcome: 'ok',
        details: { organisationId: organisation.id },
      });
      await appendAuditEntry(sql, vault.storeId, {
        actor,
        kind: 'collection',
        operation: 'store.init',
        entityType: 'user',
        entityId: created.id,
        outcome: 'ok',
        details: { username: created.username, role: created.role },
      });
      await setLoggedSchemaVersion(sql, await schemaVersion(sql));
      await logLooseEntries(sql, vault, actor);
      return created;
    });
    host.vault = vault;
    host.session = { user, justification: null, unlockedAt: new Date().toISOString() };
    host.tamperWarning = null;
    host.brokenCheckpoints = [];
    vault.markSessionOpen();
    await host.writeCheckpointExclusive();
    host.emit('unlocked', user);
    return { recoveryKey, user };
  } catch (err) {
    await vault.close();
    throw err;
  }
};

export const unlock: PublicHandler<'session.unlock'> = async (host, input) => {
  const vault = host.openVault();
  if (vault.isUnlocked) throw new ConcordatError('CONFLICT', 'The store is already unlocked: lock it first.');
  await vault.unlock(input.username, input.passphrase);
  const pending = [...vault.pendingFailedUnlocks()];
  const previousSession = vault.openSessionMarker();
  let tamperWarning: string | null = null;
  let suggestedJustification: string | null = null;
  const justification = input.justification?.trim() || null;
  let uncleanEnd: UncleanEnd | null = null;
  let brokenCheckpoints: string[] = [];
  try {
    const user = await vault.db.transaction(async (sql) => {
      const inTable = await findActiveUser(sql, input.username);
      if (!inTable) throw new ConcordatError('AUTH_FAILED', 'The user name or passphrase is not right.', { field: 'passphrase' });
      await refuseRosterOfFormerManager(sql, vault);
      // The role is the signed roster's: the users table is in the database, which any key holder can edit.
      const rosterRole = vault.unlockedRole;
      const found = rosterRole ? { ...inTable, role: rosterRole } : inTable;
      const roleEdited =
        rosterRole && rosterRole !== inTable.role
          ? `the users table gives ${inTable.username} the role ${inTable.role} but the signed roster gives ${rosterRole}: the database was edited (the roster's role is the one in force)`
          : null;
      const actor: Actor = { userId: found.id, username: found.username, organisation: found.organisation, role: found.role };
      for (const failure of pending) {
        // A key file from an older version may hold any typed text here (a passphrase, often): only a
        // slot's name reaches the append-only log.
        const username = vault.hasUserSlot(failure.username) || isUnknownName(failure.username) ? failure.username : `${UNKNOWN_NAME})`;
        const who = await findActiveUser(sql, username);
        await appendAuditEntry(sql, vault.storeId, {
          actor: { userId: who?.id ?? null, username, organisation: who?.organisation ?? null, role: who?.role ?? null },
          kind: 'failed_unlock',
          operation: 'session.unlock',
          entityType: 'session',
          outcome: 'refused',
          errorCode: 'AUTH_FAILED',
          details: { attemptedAt: failure.at, failureId: failure.id },
        });
      }
      const latest = vault.checkpoint();
      const findings = await checkCheckpoints(sql, {
        latest,
        signed: vault.checkpoints(),
        signedSince: vault.signedCheckpointsSince,
        rosterUsers: vault.rosterMembers().flatMap((m) => (m.kind === 'user' && m.username ? [m.username] : [])),
      });
      brokenCheckpoints = findings.flatMap((f) => (f.slotId ? [f.slotId] : []));
      const reasons = [...(roleEdited ? [roleEdited] : []), ...findings.map((f) => f.reason)];
      tamperWarning = reasons.length > 0 ? reasons.join('; ') : null;
      if (previousSession) {
        const head = await auditHead(sql);
        uncleanEnd = {
          username: previousSession.username,
          openedAt: previousSession.openedAt,
          entriesSinceCheckpoint: Math.max(0, (head?.seq ?? 0) - (latest.checkpoint?.seq ?? 0)),
        };
      }
      await logMigrations(sql, host, vault.storeId, actor);
      await logLooseEntries(sql, vault, actor);
      if (tamperWarning) {
        await appendAuditEntry(sql, vault.storeId, {
          actor,
          kind: 'tamper',
          operation: 'session.unlock',
          entityType: 'audit_log',
          outcome: 'ok',
          details: { checkpointSeq: latest.checkpoint?.seq ?? null, findings: reasons.length, roleEdited: roleEdited !== null },
        });
      }
      suggestedJustification = justification ? null : await lastJustification(sql, found.id);
      if (justification) await rememberJustification(sql, found.id, justification);
      if (vault.needsRoster && found.role === 'manager') await signFirstRoster(sql, vault, actor);
      await appendAuditEntry(sql, vault.storeId, {
        actor,
        kind: 'unlock',
        operation: 'session.unlock',
        entityType: 'session',
        justification,
        outcome: 'ok',
        details: {
          failedAttemptsRecorded: pending.length,
          ...(uncleanEnd ? { uncleanEnd } : {}),
          ...(vault.closedDatabaseMissing ? { closedDatabaseMissing: true } : {}),
        },
      });
      return found;
    });
    vault.clearPendingFailedUnlocks(pending.map((f) => f.id));
    // A store from before the closed database gets one at the first unlock by someone who may hold its key
    // (the roster just verified says who): closed-only content moves there as it is attached.
    if (mayReceiveClosedOnly(user.role)) await vault.createClosedStore();
    vault.endUpgrade();
    host.session = { user, justification, unlockedAt: new Date().toISOString() };
    host.tamperWarning = tamperWarning;
    host.brokenCheckpoints = brokenCheckpoints;
    vault.markSessionOpen();
    await host.writeCheckpointExclusive();
    host.emit('unlocked', user);
    const mine = pending.filter((f) => f.username === user.username).length;
    return { user, failedAttemptsSinceLastUnlock: mine, tamperWarning, uncleanEnd, justification, suggestedJustification };
  } catch (err) {
    await vault.lock();
    throw err;
  }
};

/**
 * Every manager holds the roster key, and a manager who leaves keeps what they held: their own signing
 * key and the roster key could sign a roster naming them a manager again (or anyone else anything), or
 * put back an older roster they signed. What they can no longer do is edit the store: its master key was
 * rotated when they were removed, and their removal re-signed the roster under the acting manager's key.
 * So the manager whose own key signed the roster must be an active manager in the store; a roster that
 * only a former manager's key vouches for is refused, whoever unlocks. (Forging both, roster and store,
 * takes a former manager and a current key holder together.)
 */
async function refuseRosterOfFormerManager(sql: Sql, vault: Vault): Promise<void> {
  const signer = vault.rosterSignedBy;
  if (signer === null) return;
  const inStore = await findActiveUser(sql, signer);
  if (inStore?.role === 'manager') return;
  throw new ConcordatError(
    'ROSTER_INVALID',
    `The key file's roster of slots is signed by ${signer}, who is not a manager of this store now: the key file was altered or put back from an older copy. The store stays locked.`,
  );
}

interface UncleanEnd {
  username: string | null;
  openedAt: string;
  entriesSinceCheckpoint: number;
}

/**
 * A key file from before rosters (wave 1), at its first manager unlock: the slots and the roles in the users
 * table as they stand now are taken as genuine and signed. Logged, since from here on roles come from it.
 */
async function signFirstRoster(sql: Sql, vault: Vault, actor: Actor): Promise<void> {
  const roles = new Map((await listUsers(sql, false)).map((u) => [u.username.toLowerCase(), u.role] as const));
  const head = await auditHead(sql);
  const { members, left } = vault.signFirstRoster(roles, head?.seq ?? 0);
  await appendAuditEntry(sql, vault.storeId, {
    actor,
    kind: 'settings',
    operation: 'store.signRoster',
    entityType: 'store',
    entityId: vault.storeId,
    outcome: 'ok',
    details: { members, slotsLeftOut: left },
  });
}

export const lock: Handler<'session.lock'> = async ({ host, note, afterCommit }) => {
  note({ details: { reason: 'user' } });
  afterCommit(() => host.finishLock('user'));
  return { ok: true };
};

export const setJustification: Handler<'session.setJustification'> = async ({ session, sql, note, afterCommit }, input) => {
  // This entry carries the context being replaced; every entry after it carries the new one.
  note({ details: { set: input.justification !== null } });
  if (input.justification !== null) await rememberJustification(sql, session.user.id, input.justification);
  afterCommit(() => {
    session.justification = input.justification;
  });
  return { justification: input.justification };
};
