// Users and organisations: rows in the store, each user with a key slot in the key file.
import { ConcordatError } from '../contract/errors.js';
import type { User } from '../contract/common.js';
import type { Sql } from '../vault/database.js';
import type { Handler } from './types.js';
import { restoreSlotsOnRollback } from './slots.js';


interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: User['role'];
  organisation_id: number;
  organisation: string;
  statutory: number;
  created_at: string;
  removed_at: string | null;
}

const USER_SELECT = `SELECT u.id, u.username, u.display_name, u.role, u.organisation_id, o.name AS organisation, o.statutory,
  u.created_at, u.removed_at FROM users u JOIN organisations o ON o.id = u.organisation_id`;

function toUser(row: UserRow): User {
  return {
    id: row.id, username: row.username, displayName: row.display_name, role: row.role, organisation: row.organisation,
    organisationId: row.organisation_id, statutory: row.statutory === 1, createdAt: row.created_at, removedAt: row.removed_at,
  };
}

export async function findActiveUser(sql: Sql, username: string): Promise<User | null> {
  const row = await sql.get<UserRow>(`${USER_SELECT} WHERE u.username = ? AND u.removed_at IS NULL`, [username]);
  return row ? toUser(row) : null;
}

export async function insertOrganisation(sql: Sql, name: string, statutory: boolean) {
  const existing = await sql.get<{ id: number }>('SELECT id FROM organisations WHERE name = ?', [name]);
  if (existing) throw new ConcordatError('CONFLICT', `An organisation called ${name} already exists.`, { field: 'name' });
  const createdAt = new Date().toISOString();
  const { lastID } = await sql.run('INSERT INTO organisations (name, statutory, created_at) VALUES (?, ?, ?)', [name, statutory ? 1 : 0, createdAt]);
  return { id: lastID, name, statutory, createdAt };
}

export async function insertUser(sql: Sql, user: { username: string; displayName: string; role: User['role']; organisationId: number }): Promise<User> {
  const organisation = await sql.get<{ statutory: number }>('SELECT statutory FROM organisations WHERE id = ?', [user.organisationId]);
  if (!organisation) throw new ConcordatError('NOT_FOUND', `There is no organisation ${user.organisationId}.`, { field: 'organisationId' });
  if (user.role !== 'non_statutory' && organisation.statutory !== 1) {
    throw new ConcordatError('VALIDATION', 'Only members of a statutory partner can have the manager or statutory role.', { field: 'role' });
  }
  const taken = await sql.get('SELECT 1 FROM users WHERE username = ?', [user.username]);
  if (taken) throw new ConcordatError('CONFLICT', `The user name ${user.username} is taken (names of removed users are not reused).`, { field: 'username' });
  const { lastID } = await sql.run(
    'INSERT INTO users (username, display_name, role, organisation_id, created_at) VALUES (?, ?, ?, ?, ?)',
    [user.username, user.displayName, user.role, user.organisationId, new Date().toISOString()],
  );
  const row = await sql.get<UserRow>(`${USER_SELECT} WHERE u.id = ?`, [lastID]);
  return toUser(row!);
}

export const listUsers: Handler<'users.list'> = async ({ sql }, input) => {
  const rows = await sql.all<UserRow>(`${USER_SELECT} ${input.includeRemoved ? '' : 'WHERE u.removed_at IS NULL'} ORDER BY u.username`);
  return { users: rows.map(toUser) };
};

export const addUser: Handler<'users.add'> = async (call, input) => {
  const { sql, vault, note } = call;
  const user = await insertUser(sql, input);
  note({ entityId: user.id, details: { username: user.username, role: user.role, organisationId: user.organisationId } });
  // Written before the commit, so a failure to write the slot rolls the user back too.
  restoreSlotsOnRollback(call);
  await vault.addUserSlot(user.username, input.passphrase);
  return { user };
};

export const removeUser: Handler<'users.remove'> = async (call, input) => {
  const { sql, vault, session, note } = call;
  const user = await findActiveUser(sql, input.username);
  if (!user) throw new ConcordatError('NOT_FOUND', `There is no active user ${input.username}.`, { field: 'username' });
  if (user.id === session.user.id) throw new ConcordatError('CONFLICT', 'You cannot remove yourself: ask another manager.', { field: 'username' });
  if (user.role === 'manager') {
    const managers = await sql.get<{ n: number }>("SELECT count(*) AS n FROM users WHERE role = 'manager' AND removed_at IS NULL");
    if ((managers?.n ?? 0) <= 1) throw new ConcordatError('CONFLICT', 'The last manager cannot be removed.', { field: 'username' });
  }
  await sql.run('UPDATE users SET removed_at = ? WHERE id = ?', [new Date().toISOString(), user.id]);
  note({ entityId: user.id, details: { username: user.username } });
  restoreSlotsOnRollback(call);
  if (vault.hasUserSlot(user.username)) vault.removeUserSlot(user.username);
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
  const user = await findActiveUser(sql, input.username);
  if (!user) throw new ConcordatError('NOT_FOUND', `There is no active user ${input.username}.`, { field: 'username' });
  note({ entityId: user.id });
  restoreSlotsOnRollback(call);
  await vault.resetPassphrase(user.username, input.newPassphrase);
  return { ok: true };
};

export const listOrganisations: Handler<'organisations.list'> = async ({ sql }) => {
  const rows = await sql.all<{ id: number; name: string; statutory: number; created_at: string }>('SELECT * FROM organisations ORDER BY name');
  return { organisations: rows.map((r) => ({ id: r.id, name: r.name, statutory: r.statutory === 1, createdAt: r.created_at })) };
};

export const addOrganisation: Handler<'organisations.add'> = async ({ sql, note }, input) => {
  const organisation = await insertOrganisation(sql, input.name, input.statutory);
  note({ entityId: organisation.id });
  return { organisation };
};
