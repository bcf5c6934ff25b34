// Users and organisations: the rules for adding and removing them, each user with a key slot in the key file.
import { ConcordatError } from '../contract/errors.js';
import type { User } from '../contract/common.js';
import * as users from '../store/users.js';
import type { Sql } from '../vault/database.js';
import type { Handler } from './types.js';
import { restoreSlotsOnRollback } from './slots.js';

/** Adds an organisation; its name must be new. */
export async function createOrganisation(sql: Sql, name: string, statutory: boolean): Promise<users.Organisation> {
  if (await users.findOrganisationByName(sql, name))
    throw new ConcordatError('CONFLICT', `An organisation called ${name} already exists.`, { field: 'name' });
  return users.insertOrganisation(sql, { name, statutory, createdAt: new Date().toISOString() });
}

/** Adds a user: only members of a statutory partner may hold more than the non-statutory role, and no name is reused. */
export async function createUser(
  sql: Sql,
  user: { username: string; displayName: string; role: User['role']; organisationId: number },
): Promise<User> {
  const organisation = await users.findOrganisation(sql, user.organisationId);
  if (!organisation) throw new ConcordatError('NOT_FOUND', `There is no organisation ${user.organisationId}.`, { field: 'organisationId' });
  if (user.role !== 'non_statutory' && !organisation.statutory) {
    throw new ConcordatError('VALIDATION', 'Only members of a statutory partner can have the manager or statutory role.', {
      field: 'role',
    });
  }
  if (await users.usernameTaken(sql, user.username)) {
    throw new ConcordatError('CONFLICT', `The user name ${user.username} is taken (names of removed users are not reused).`, {
      field: 'username',
    });
  }
  const id = await users.insertUser(sql, { ...user, createdAt: new Date().toISOString() });
  return (await users.findUser(sql, id))!;
}

export const listUsers: Handler<'users.list'> = async ({ sql }, input) => {
  return { users: await users.listUsers(sql, input.includeRemoved) };
};

export const addUser: Handler<'users.add'> = async (call, input) => {
  const { sql, vault, note } = call;
  const user = await createUser(sql, input);
  note({ entityId: user.id, details: { username: user.username, role: user.role, organisationId: user.organisationId } });
  // Written before the commit, so a failure to write the slot rolls the user back too.
  restoreSlotsOnRollback(call);
  await vault.addUserSlot(user.username, input.passphrase, user.role);
  return { user };
};

export const removeUser: Handler<'users.remove'> = async (call, input) => {
  const { sql, vault, session, note, afterCommit } = call;
  const user = await users.findActiveUser(sql, input.username);
  if (!user) throw new ConcordatError('NOT_FOUND', `There is no active user ${input.username}.`, { field: 'username' });
  if (user.id === session.user.id)
    throw new ConcordatError('CONFLICT', 'You cannot remove yourself: ask another manager.', { field: 'username' });
  if (user.role === 'manager') {
    if ((await users.countActiveManagers(sql)) <= 1)
      throw new ConcordatError('CONFLICT', 'The last manager cannot be removed.', { field: 'username' });
  }
  await users.markUserRemoved(sql, user.id, new Date().toISOString());
  note({ entityId: user.id, details: { username: user.username } });
  restoreSlotsOnRollback(call);
  if (vault.hasUserSlot(user.username)) vault.removeUserSlot(user.username);
  // Deleting the slot is not enough: any earlier copy of the key file (a backup, a roaming profile) still
  // holds it. A new master key, sealed only to the remaining slots, makes those copies useless. The re-key
  // cannot run in a transaction, so it runs just after the commit, in the store's exclusive section,
  // crash-safe as store.rotateMasterKey is.
  afterCommit(() =>
    vault.db.exclusive(async () => {
      await vault.rotateMasterKey();
      await call.host.writeCheckpoint(vault.db);
    }),
  );
  return { ok: true };
};

export const changePassphrase: Handler<'users.changePassphrase'> = async (call, input) => {
  const { vault, session, note } = call;
  note({ entityId: session.user.id });
  restoreSlotsOnRollback(call);
  await vault.changePassphrase(session.user.username, input.currentPassphrase, input.newPassphrase);
  return { ok: true };
};

export const resetPassphrase: Handler<'users.resetPassphrase'> = async (call, input) => {
  const { sql, vault, note } = call;
  const user = await users.findActiveUser(sql, input.username);
  if (!user) throw new ConcordatError('NOT_FOUND', `There is no active user ${input.username}.`, { field: 'username' });
  // Resetting one's own slot is refused by the vault (replaceUserSlot), whichever path asks.
  note({ entityId: user.id });
  restoreSlotsOnRollback(call);
  await vault.resetPassphrase(user.username, input.newPassphrase);
  return { ok: true };
};

export const listOrganisations: Handler<'organisations.list'> = async ({ sql }) => {
  return { organisations: await users.listOrganisations(sql) };
};

export const addOrganisation: Handler<'organisations.add'> = async ({ sql, note }, input) => {
  const organisation = await createOrganisation(sql, input.name, input.statutory);
  note({ entityId: organisation.id });
  return { organisation };
};
