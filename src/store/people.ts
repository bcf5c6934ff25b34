// People: their rows, the lists hung on them (aliases, addresses, identifiers), and the objects made from them.
import type { Person, PersonCreateInput, PersonUpdateInput } from '../contract/ops/people.js';
import { addressKey } from '../domain/names.js';
import type { Sql } from '../vault/database.js';
import { unsealForWrite } from './closed-store.js';
import { unguessableId } from './ids.js';
import { sql, sqlAssignments, sqlInsertColumns, sqlJoin, sqlRows } from './sql.js';
import { personVisible, type Viewer } from './visibility.js';

export type PersonFields = Omit<PersonCreateInput, 'createDespiteDuplicates'>;
export type PersonChanges = Omit<PersonUpdateInput, 'personId'>;
type PersonLists = Pick<PersonFields, 'aliases' | 'addresses' | 'identifiers'>;

export interface PersonRow {
  id: number;
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  gender: Person['gender'];
  contacts: string;
  household: string;
  created_at: string;
  created_by: number;
  updated_at: string;
  updated_by: number;
}

export interface AliasRow {
  person_id: number;
  alias: string;
}

export interface AddressRow {
  person_id: number;
  line1: string;
  line2: string | null;
  town: string | null;
  postcode: string | null;
  ward: string | null;
  current: number;
}

export interface IdentifierRow {
  person_id: number;
  scheme: Person['identifiers'][number]['scheme'];
  value: string;
}

/** A person's name and date of birth: what a duplicate warning shows. */
export interface PersonName {
  id: number;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
}

type PersonNameRow = Pick<PersonRow, 'id' | 'given_name' | 'family_name' | 'date_of_birth'>;

/** A person with empty lists: `loadPeople` fills them from their own tables. */
export function toPerson(r: PersonRow): Person {
  return {
    id: r.id,
    givenName: r.given_name,
    familyName: r.family_name,
    aliases: [],
    dateOfBirth: r.date_of_birth,
    gender: r.gender,
    addresses: [],
    contacts: JSON.parse(r.contacts) as Person['contacts'],
    identifiers: [],
    household: JSON.parse(r.household) as Person['household'],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toPersonName(r: PersonNameRow): PersonName {
  return { id: r.id, givenName: r.given_name, familyName: r.family_name, dateOfBirth: r.date_of_birth };
}

// ── writing ───────────────────────────────────────────────────────────────────────────────────────────

export async function insertPerson(db: Sql, person: PersonFields, userId: number, now = new Date().toISOString()): Promise<number> {
  const id = await unguessableId(db, 'people');
  const columns = sqlInsertColumns({
    id,
    given_name: person.givenName,
    family_name: person.familyName,
    date_of_birth: person.dateOfBirth,
    gender: person.gender,
    contacts: JSON.stringify(person.contacts),
    household: JSON.stringify(person.household),
    created_at: now,
    created_by: userId,
    updated_at: now,
    updated_by: userId,
  } satisfies PersonRow);
  await db.run(sql`INSERT INTO main.people ${columns}`);
  await writeLists(db, id, person, false);
  return id;
}

/** Changes the fields given and replaces the lists given; leaves the others as they are. */
export async function updatePerson(db: Sql, personId: number, changes: PersonChanges, userId: number, now = new Date()): Promise<void> {
  const columns: Partial<PersonRow> = {};
  if (changes.givenName !== undefined) columns.given_name = changes.givenName;
  if (changes.familyName !== undefined) columns.family_name = changes.familyName;
  if (changes.dateOfBirth !== undefined) columns.date_of_birth = changes.dateOfBirth;
  if (changes.gender !== undefined) columns.gender = changes.gender;
  if (changes.contacts !== undefined) columns.contacts = JSON.stringify(changes.contacts);
  if (changes.household !== undefined) columns.household = JSON.stringify(changes.household);
  columns.updated_at = now.toISOString();
  columns.updated_by = userId;
  // A closed-only person's content is in the closed database: put it back first (the next seal moves it again).
  await unsealForWrite(db, 'people', sql`t.id = ${personId}`);
  await db.run(sql`UPDATE main.people SET ${sqlAssignments(columns)} WHERE id = ${personId}`);
  await writeLists(db, personId, changes);
}

/** Replaces the lists that are given; leaves the others as they are. A new person has nothing to replace. */
async function writeLists(db: Sql, personId: number, lists: Partial<PersonLists>, replace = true): Promise<void> {
  if (lists.aliases) {
    if (replace) await db.run(sql`DELETE FROM main.person_aliases WHERE person_id = ${personId}`);
    if (lists.aliases.length > 0) {
      await db.run(
        sql`INSERT INTO main.person_aliases (person_id, alias) VALUES ${sqlRows(lists.aliases.map((alias) => [personId, alias]))}`,
      );
    }
  }
  if (lists.addresses) {
    if (replace) await db.run(sql`DELETE FROM main.person_addresses WHERE person_id = ${personId}`);
    if (lists.addresses.length > 0) {
      const rows = lists.addresses.map((a) => [
        personId,
        a.line1,
        a.line2,
        a.town,
        a.postcode,
        a.ward,
        a.current,
        addressKey(a.line1, a.postcode),
      ]);
      await db.run(
        sql`INSERT INTO main.person_addresses (person_id, line1, line2, town, postcode, ward, current, address_key) VALUES ${sqlRows(rows)}`,
      );
    }
  }
  if (lists.identifiers) {
    if (replace) await db.run(sql`DELETE FROM main.person_identifiers WHERE person_id = ${personId}`);
    if (lists.identifiers.length > 0) {
      const rows = lists.identifiers.map((i) => [personId, i.scheme, i.value]);
      await db.run(sql`INSERT INTO main.person_identifiers (person_id, scheme, value) VALUES ${sqlRows(rows)}`);
    }
  }
}

// ── reading ───────────────────────────────────────────────────────────────────────────────────────────

/** People by id, with their lists, in four queries however many there are. Visibility is the caller's. */
export async function loadPeople(db: Sql, ids: readonly number[]): Promise<Map<number, Person>> {
  const out = new Map<number, Person>();
  if (ids.length === 0) return out;
  const inList = sqlJoin(ids);
  for (const r of await db.all<PersonRow>(sql`SELECT * FROM people WHERE id IN (${inList})`)) out.set(r.id, toPerson(r));
  const aliases = await db.all<AliasRow>(sql`SELECT person_id, alias FROM person_aliases WHERE person_id IN (${inList}) ORDER BY id`);
  for (const a of aliases) out.get(a.person_id)?.aliases.push(a.alias);
  const addresses = await db.all<AddressRow>(
    sql`SELECT person_id, line1, line2, town, postcode, ward, current FROM person_addresses WHERE person_id IN (${inList}) ORDER BY id`,
  );
  for (const a of addresses) {
    out
      .get(a.person_id)
      ?.addresses.push({ line1: a.line1, line2: a.line2, town: a.town, postcode: a.postcode, ward: a.ward, current: a.current === 1 });
  }
  const identifiers = await db.all<IdentifierRow>(
    sql`SELECT person_id, scheme, value FROM person_identifiers WHERE person_id IN (${inList}) ORDER BY id`,
  );
  for (const i of identifiers) out.get(i.person_id)?.identifiers.push({ scheme: i.scheme, value: i.value });
  return out;
}

export async function isPersonVisible(db: Sql, viewer: Viewer, personId: number): Promise<boolean> {
  return (await db.get(sql`SELECT 1 FROM people p WHERE p.id = ${personId} AND ${personVisible(viewer)}`)) !== undefined;
}

/** The people the viewer may see born on `dateOfBirth`, each with their aliases. */
export async function visiblePeopleBornOn(
  db: Sql,
  viewer: Viewer,
  dateOfBirth: string,
): Promise<(Omit<PersonName, 'dateOfBirth'> & { aliases: string[] })[]> {
  const people = await db.all<Pick<PersonRow, 'id' | 'given_name' | 'family_name'>>(
    sql`SELECT p.id, p.given_name, p.family_name FROM people p WHERE p.date_of_birth = ${dateOfBirth} AND ${personVisible(viewer)}`,
  );
  if (people.length === 0) return [];
  const aliases = await db.all<AliasRow>(
    sql`SELECT person_id, alias FROM person_aliases WHERE person_id IN (${sqlJoin(people.map((p) => p.id))})`,
  );
  return people.map((p) => ({
    id: p.id,
    givenName: p.given_name,
    familyName: p.family_name,
    aliases: aliases.filter((a) => a.person_id === p.id).map((a) => a.alias),
  }));
}

/** Ids of up to `limit` people the viewer may see with an address whose key is one of `keys` (see `addressKey`). */
export async function visiblePeopleAtAddresses(db: Sql, viewer: Viewer, keys: readonly string[], limit: number): Promise<number[]> {
  const rows = await db.all<{ person_id: number }>(
    sql`SELECT DISTINCT a.person_id FROM person_addresses a WHERE a.address_key IN (${sqlJoin(keys)}) AND ${personVisible(viewer, sql`a.person_id`)} LIMIT ${limit}`,
  );
  return rows.map((r) => r.person_id);
}

/** Names and dates of birth by id, sorted by family name then given name. */
export async function loadPersonNames(db: Sql, ids: readonly number[]): Promise<PersonName[]> {
  if (ids.length === 0) return [];
  const rows = await db.all<PersonNameRow>(
    sql`SELECT id, given_name, family_name, date_of_birth FROM people WHERE id IN (${sqlJoin(ids)}) ORDER BY family_name, given_name, id`,
  );
  return rows.map(toPersonName);
}
