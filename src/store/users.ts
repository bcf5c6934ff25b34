// Users and organisations: their rows and the objects made from them.
import type { User } from '../contract/common.js';
import type { Sql } from '../vault/database.js';
import { SQL_TRUE, sql, sqlInsertColumns } from './sql.js';

export interface UserRow {
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

export interface Organisation {
  id: number;
  name: string;
  statutory: boolean;
  createdAt: string;
}

export interface OrganisationRow {
  id: number;
  name: string;
  statutory: number;
  created_at: string;
}

const USER_SELECT = sql`SELECT u.id, u.username, u.display_name, u.role, u.organisation_id, o.name AS organisation, o.statutory,
  u.created_at, u.removed_at FROM users u JOIN organisations o ON o.id = u.organisation_id`;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    organisation: row.organisation,
    organisationId: row.organisation_id,
    statutory: row.statutory === 1,
    createdAt: row.created_at,
    removedAt: row.removed_at,
  };
}

export function toOrganisation(row: OrganisationRow): Organisation {
  return { id: row.id, name: row.name, statutory: row.statutory === 1, createdAt: row.created_at };
}

// ── users ─────────────────────────────────────────────────────────────────────────────────────────────

export async function findActiveUser(db: Sql, username: string): Promise<User | null> {
  const row = await db.get<UserRow>(sql`${USER_SELECT} WHERE u.username = ${username} AND u.removed_at IS NULL`);
  return row ? toUser(row) : null;
}

/** The working context the user last set: a suggestion for their next session, never applied by itself. */
export async function lastJustification(db: Sql, userId: number): Promise<string | null> {
  return (await db.get<{ j: string | null }>(sql`SELECT last_justification AS j FROM users WHERE id = ${userId}`))?.j ?? null;
}

export async function rememberJustification(db: Sql, userId: number, justification: string): Promise<void> {
  await db.run(sql`UPDATE users SET last_justification = ${justification} WHERE id = ${userId}`);
}

export async function findUser(db: Sql, id: number): Promise<User | null> {
  const row = await db.get<UserRow>(sql`${USER_SELECT} WHERE u.id = ${id}`);
  return row ? toUser(row) : null;
}

export async function listUsers(db: Sql, includeRemoved: boolean): Promise<User[]> {
  const which = includeRemoved ? SQL_TRUE : sql`u.removed_at IS NULL`;
  const rows = await db.all<UserRow>(sql`${USER_SELECT} WHERE ${which} ORDER BY u.username`);
  return rows.map(toUser);
}

/** Whether any user, active or removed, has had this name (names are never reused). */
export async function usernameTaken(db: Sql, username: string): Promise<boolean> {
  return (await db.get(sql`SELECT 1 FROM users WHERE username = ${username}`)) !== undefined;
}

export async function countActiveManagers(db: Sql): Promise<number> {
  const row = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM users WHERE role = 'manager' AND removed_at IS NULL`);
  return row?.n ?? 0;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: User['role'];
  organisationId: number;
  createdAt: string;
}

export async function insertUser(db: Sql, user: NewUser): Promise<number> {
  const columns = sqlInsertColumns({
    username: user.username,
    display_name: user.displayName,
    role: user.role,
    organisation_id: user.organisationId,
    created_at: user.createdAt,
  });
  return (await db.run(sql`INSERT INTO users ${columns}`)).lastID;
}

export async function markUserRemoved(db: Sql, userId: number, at: string): Promise<void> {
  await db.run(sql`UPDATE users SET removed_at = ${at} WHERE id = ${userId}`);
}

// ── organisations ─────────────────────────────────────────────────────────────────────────────────────

export async function findOrganisationByName(db: Sql, name: string): Promise<Organisation | null> {
  const row = await db.get<OrganisationRow>(sql`SELECT * FROM organisations WHERE name = ${name}`);
  return row ? toOrganisation(row) : null;
}

export async function findOrganisation(db: Sql, id: number): Promise<Organisation | null> {
  const row = await db.get<OrganisationRow>(sql`SELECT * FROM organisations WHERE id = ${id}`);
  return row ? toOrganisation(row) : null;
}

export async function listOrganisations(db: Sql): Promise<Organisation[]> {
  return (await db.all<OrganisationRow>(sql`SELECT * FROM organisations ORDER BY name`)).map(toOrganisation);
}

export async function insertOrganisation(db: Sql, organisation: Omit<Organisation, 'id'>): Promise<Organisation> {
  const columns = sqlInsertColumns({ name: organisation.name, statutory: organisation.statutory, created_at: organisation.createdAt });
  const { lastID } = await db.run(sql`INSERT INTO organisations ${columns}`);
  return { id: lastID, ...organisation };
}
