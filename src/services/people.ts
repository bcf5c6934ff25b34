// People: storing, loading and matching the subjects of cases.
import { ConcordatError } from '../contract/errors.js';
import type { DuplicateCandidate, Person, PersonCreateInput } from '../contract/ops/people.js';
import { addressKey, namesSimilar } from '../domain/names.js';
import type { Sql } from '../vault/database.js';
import { loadCaseSummaries } from './search.js';
import type { Handler } from './types.js';
import { caseVisible, personVisible, placeholders, viewerOf, type Viewer } from './visibility.js';

export type PersonFields = Omit<PersonCreateInput, 'createDespiteDuplicates'>;
type PersonLists = Pick<PersonFields, 'aliases' | 'addresses' | 'identifiers'>;

interface PersonRow {
  id: number;
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  gender: Person['gender'];
  contacts: string;
  household: string;
  created_at: string;
  updated_at: string;
}

// ── writing ───────────────────────────────────────────────────────────────────────────────────────────

export async function insertPerson(sql: Sql, person: PersonFields, userId: number, now = new Date().toISOString()): Promise<number> {
  const { lastID } = await sql.run(
    `INSERT INTO people (given_name, family_name, date_of_birth, gender, contacts, household, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [person.givenName, person.familyName, person.dateOfBirth, person.gender, JSON.stringify(person.contacts), JSON.stringify(person.household), now, userId, now, userId],
  );
  await writeLists(sql, lastID, person, false);
  return lastID;
}

/** Replaces the lists that are given; leaves the others as they are. A new person has nothing to replace. */
async function writeLists(sql: Sql, personId: number, lists: Partial<PersonLists>, replace = true): Promise<void> {
  if (lists.aliases) {
    if (replace) await sql.run('DELETE FROM person_aliases WHERE person_id = ?', [personId]);
    for (const alias of lists.aliases) await sql.run('INSERT INTO person_aliases (person_id, alias) VALUES (?, ?)', [personId, alias]);
  }
  if (lists.addresses) {
    if (replace) await sql.run('DELETE FROM person_addresses WHERE person_id = ?', [personId]);
    for (const a of lists.addresses) {
      await sql.run(
        'INSERT INTO person_addresses (person_id, line1, line2, town, postcode, ward, current, address_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [personId, a.line1, a.line2, a.town, a.postcode, a.ward, a.current ? 1 : 0, addressKey(a.line1, a.postcode)],
      );
    }
  }
  if (lists.identifiers) {
    if (replace) await sql.run('DELETE FROM person_identifiers WHERE person_id = ?', [personId]);
    for (const i of lists.identifiers) await sql.run('INSERT INTO person_identifiers (person_id, scheme, value) VALUES (?, ?, ?)', [personId, i.scheme, i.value]);
  }
}

// ── reading ───────────────────────────────────────────────────────────────────────────────────────────

/** People by id, with their lists, in a few queries however many there are. */
export async function loadPeople(sql: Sql, ids: readonly number[]): Promise<Map<number, Person>> {
  const out = new Map<number, Person>();
  if (ids.length === 0) return out;
  const inList = placeholders(ids.length);
  const rows = await sql.all<PersonRow>(`SELECT * FROM people WHERE id IN (${inList})`, ids);
  for (const r of rows) {
    out.set(r.id, {
      id: r.id, givenName: r.given_name, familyName: r.family_name, aliases: [], dateOfBirth: r.date_of_birth, gender: r.gender,
      addresses: [], contacts: JSON.parse(r.contacts) as Person['contacts'], identifiers: [],
      household: JSON.parse(r.household) as Person['household'], createdAt: r.created_at, updatedAt: r.updated_at,
    });
  }
  const aliases = await sql.all<{ person_id: number; alias: string }>(`SELECT person_id, alias FROM person_aliases WHERE person_id IN (${inList}) ORDER BY id`, ids);
  for (const a of aliases) out.get(a.person_id)?.aliases.push(a.alias);
  const addresses = await sql.all<{ person_id: number; line1: string; line2: string | null; town: string | null; postcode: string | null; ward: string | null; current: number }>(
    `SELECT person_id, line1, line2, town, postcode, ward, current FROM person_addresses WHERE person_id IN (${inList}) ORDER BY id`, ids);
  for (const a of addresses) {
    out.get(a.person_id)?.addresses.push({ line1: a.line1, line2: a.line2, town: a.town, postcode: a.postcode, ward: a.ward, current: a.current === 1 });
  }
  const identifiers = await sql.all<{ person_id: number; scheme: Person['identifiers'][number]['scheme']; value: string }>(
    `SELECT person_id, scheme, value FROM person_identifiers WHERE person_id IN (${inList}) ORDER BY id`, ids);
  for (const i of identifiers) out.get(i.person_id)?.identifiers.push({ scheme: i.scheme, value: i.value });
  return out;
}

/** A person the viewer may see, or NOT_FOUND naming `field` (an unseen person and a missing one look alike). */
export async function requireVisiblePerson(sql: Sql, viewer: Viewer, personId: number, field: string): Promise<void> {
  const row = await sql.get(`SELECT 1 FROM people p WHERE p.id = ? AND ${personVisible(viewer)}`, [personId]);
  if (!row) throw new ConcordatError('NOT_FOUND', `There is no person ${personId}.`, { field });
}

// ── duplicates ────────────────────────────────────────────────────────────────────────────────────────

/**
 * Likely duplicates of a person about to be recorded: the same date of birth with a similar name or
 * alias (either way round), or the same address (first line and postcode).
 */
export async function findDuplicates(sql: Sql, viewer: Viewer, person: Pick<PersonFields, 'givenName' | 'familyName' | 'aliases' | 'dateOfBirth' | 'addresses'>): Promise<DuplicateCandidate[]> {
  const found = new Map<number, Set<DuplicateCandidate['reasons'][number]>>();
  const add = (id: number, reason: DuplicateCandidate['reasons'][number]) => found.set(id, (found.get(id) ?? new Set()).add(reason));

  if (person.dateOfBirth) {
    const sameDob = await sql.all<{ id: number; given_name: string; family_name: string }>(
      `SELECT p.id, p.given_name, p.family_name FROM people p WHERE p.date_of_birth = ? AND ${personVisible(viewer)}`, [person.dateOfBirth]);
    if (sameDob.length > 0) {
      const aliasRows = await sql.all<{ person_id: number; alias: string }>(
        `SELECT person_id, alias FROM person_aliases WHERE person_id IN (${placeholders(sameDob.length)})`, sameDob.map((p) => p.id));
      const name = `${person.givenName} ${person.familyName}`;
      for (const candidate of sameDob) {
        const theirName = `${candidate.given_name} ${candidate.family_name}`;
        const theirAliases = aliasRows.filter((a) => a.person_id === candidate.id).map((a) => a.alias);
        if (namesSimilar(name, theirName)) add(candidate.id, 'date_of_birth_and_name');
        else if (theirAliases.some((a) => namesSimilar(name, a)) || person.aliases.some((a) => namesSimilar(a, theirName) || theirAliases.some((b) => namesSimilar(a, b)))) {
          add(candidate.id, 'date_of_birth_and_alias');
        }
      }
    }
  }
  const keys = [...new Set(person.addresses.map((a) => addressKey(a.line1, a.postcode)).filter((k): k is string => k !== null))];
  if (keys.length > 0) {
    const sameAddress = await sql.all<{ person_id: number }>(
      `SELECT DISTINCT a.person_id FROM person_addresses a WHERE a.address_key IN (${placeholders(keys.length)}) AND ${personVisible(viewer, 'a.person_id')} LIMIT 50`, keys);
    for (const row of sameAddress) add(row.person_id, 'address');
  }
  if (found.size === 0) return [];
  const ids = [...found.keys()].slice(0, 50);
  const rows = await sql.all<{ id: number; given_name: string; family_name: string; date_of_birth: string | null }>(
    `SELECT id, given_name, family_name, date_of_birth FROM people WHERE id IN (${placeholders(ids.length)}) ORDER BY family_name, given_name, id`, ids);
  return rows.map((r) => ({ personId: r.id, givenName: r.given_name, familyName: r.family_name, dateOfBirth: r.date_of_birth, reasons: [...found.get(r.id)!] }));
}

// ── handlers ──────────────────────────────────────────────────────────────────────────────────────────

export const createPerson: Handler<'people.create'> = async (call, input) => {
  const viewer = viewerOf(call);
  const { createDespiteDuplicates, ...person } = input;
  const duplicates = await findDuplicates(call.sql, viewer, person);
  const duplicateIds = duplicates.map((d) => d.personId);
  if (duplicates.length > 0 && !createDespiteDuplicates) {
    call.note({ details: { created: false, duplicateIds } });
    return { created: false, person: null, duplicates };
  }
  const id = await insertPerson(call.sql, person, viewer.userId);
  call.note({ entityId: id, details: { created: true, duplicateIds } });
  return { created: true, person: (await loadPeople(call.sql, [id])).get(id)!, duplicates };
};

export const getPerson: Handler<'people.get'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.personId });
  await requireVisiblePerson(call.sql, viewer, input.personId, 'personId');
  const person = (await loadPeople(call.sql, [input.personId])).get(input.personId)!;
  const caseIds = (await call.sql.all<{ id: number }>(
    `SELECT c.id FROM case_subjects s JOIN cases c ON c.id = s.case_id WHERE s.person_id = ? AND ${caseVisible(viewer)} ORDER BY c.referral_date DESC, c.id DESC`,
    [input.personId],
  )).map((r) => r.id);
  call.note({ entityId: input.personId, details: { caseIds } });
  return { person, cases: await loadCaseSummaries(call.sql, caseIds) };
};

export const updatePerson: Handler<'people.update'> = async (call, input) => {
  const viewer = viewerOf(call);
  const { personId, ...changes } = input;
  call.note({ entityId: personId, details: { fields: Object.keys(changes) } });
  await requireVisiblePerson(call.sql, viewer, personId, 'personId');
  const columns: [string, unknown][] = [];
  if (changes.givenName !== undefined) columns.push(['given_name', changes.givenName]);
  if (changes.familyName !== undefined) columns.push(['family_name', changes.familyName]);
  if (changes.dateOfBirth !== undefined) columns.push(['date_of_birth', changes.dateOfBirth]);
  if (changes.gender !== undefined) columns.push(['gender', changes.gender]);
  if (changes.contacts !== undefined) columns.push(['contacts', JSON.stringify(changes.contacts)]);
  if (changes.household !== undefined) columns.push(['household', JSON.stringify(changes.household)]);
  const now = new Date().toISOString();
  columns.push(['updated_at', now], ['updated_by', viewer.userId]);
  await call.sql.run(`UPDATE people SET ${columns.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`, [...columns.map(([, v]) => v as string | number | null), personId]);
  await writeLists(call.sql, personId, changes);
  call.note({ entityId: personId, details: { fields: Object.keys(changes) satisfies string[] } });
  return { person: (await loadPeople(call.sql, [personId])).get(personId)! };
};
