// People: the duplicate check before recording someone, and who may see whom (the rows are in src/store/people.ts).
import { ConcordatError } from '../contract/errors.js';
import type { DuplicateCandidate } from '../contract/ops/people.js';
import { addressKey, namesSimilar } from '../domain/names.js';
import * as cases from '../store/cases.js';
import * as people from '../store/people.js';
import type { Sql } from '../vault/database.js';
import type { Handler } from './types.js';
import { viewerOf, type Viewer } from './visibility.js';

/** At most this many likely duplicates are shown. */
const DUPLICATES_SHOWN = 50;

/** A person the viewer may see, or NOT_FOUND naming `field` (an unseen person and a missing one look alike). */
export async function requireVisiblePerson(sql: Sql, viewer: Viewer, personId: number, field: string): Promise<void> {
  if (!(await people.isPersonVisible(sql, viewer, personId)))
    throw new ConcordatError('NOT_FOUND', `There is no person ${personId}.`, { field });
}

/**
 * Likely duplicates of a person about to be recorded: the same date of birth with a similar name or
 * alias (either way round), or the same address (first line and postcode).
 */
export async function findDuplicates(
  sql: Sql,
  viewer: Viewer,
  person: Pick<people.PersonFields, 'givenName' | 'familyName' | 'aliases' | 'dateOfBirth' | 'addresses'>,
): Promise<DuplicateCandidate[]> {
  const found = new Map<number, Set<DuplicateCandidate['reasons'][number]>>();
  const add = (id: number, reason: DuplicateCandidate['reasons'][number]) => found.set(id, (found.get(id) ?? new Set()).add(reason));

  if (person.dateOfBirth) {
    const name = `${person.givenName} ${person.familyName}`;
    for (const candidate of await people.visiblePeopleBornOn(sql, viewer, person.dateOfBirth)) {
      const theirName = `${candidate.givenName} ${candidate.familyName}`;
      const theirAliases = candidate.aliases;
      if (namesSimilar(name, theirName)) add(candidate.id, 'date_of_birth_and_name');
      else if (
        theirAliases.some((a) => namesSimilar(name, a)) ||
        person.aliases.some((a) => namesSimilar(a, theirName) || theirAliases.some((b) => namesSimilar(a, b)))
      ) {
        add(candidate.id, 'date_of_birth_and_alias');
      }
    }
  }
  const keys = [...new Set(person.addresses.map((a) => addressKey(a.line1, a.postcode)).filter((k): k is string => k !== null))];
  if (keys.length > 0) {
    for (const id of await people.visiblePeopleAtAddresses(sql, viewer, keys, DUPLICATES_SHOWN)) add(id, 'address');
  }
  if (found.size === 0) return [];
  const names = await people.loadPersonNames(sql, [...found.keys()].slice(0, DUPLICATES_SHOWN));
  return names.map((p) => ({
    personId: p.id,
    givenName: p.givenName,
    familyName: p.familyName,
    dateOfBirth: p.dateOfBirth,
    reasons: [...found.get(p.id)!],
  }));
}

// ── handlers ──────────────────────────────────────────────────────────────────────────────────────────

export const createPerson: Handler<'people.create'> = async (call, input) => {
  const viewer = viewerOf(call);
  const { createDespiteDuplicates, ...person } = input;
  const duplicates = await findDuplicates(call.sql, viewer, person);
  const duplicateIds = duplicates.map((d) => d.personId);
  if (duplicates.length > 0 && !createDespiteDuplicates) {
    // Nothing was collected; other people's records were shown: logged as the consultation it is, with their ids.
    call.note({ kind: 'consultation', details: { created: false, duplicateIds } });
    return { created: false, person: null, duplicates };
  }
  const id = await people.insertPerson(call.sql, person, viewer.userId);
  call.note({ entityId: id, details: { created: true, duplicateIds } });
  return { created: true, person: (await people.loadPeople(call.sql, [id])).get(id)!, duplicates };
};

export const getPerson: Handler<'people.get'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.personId });
  await requireVisiblePerson(call.sql, viewer, input.personId, 'personId');
  const person = (await people.loadPeople(call.sql, [input.personId])).get(input.personId)!;
  const caseIds = await cases.visibleCaseIdsOfPerson(call.sql, viewer, input.personId);
  call.note({ entityId: input.personId, details: { caseIds } });
  return { person, cases: await cases.loadCaseSummaries(call.sql, caseIds) };
};

export const updatePerson: Handler<'people.update'> = async (call, input) => {
  const viewer = viewerOf(call);
  const { personId, ...changes } = input;
  call.note({ entityId: personId, details: { fields: Object.keys(changes) } });
  await requireVisiblePerson(call.sql, viewer, personId, 'personId');
  await people.updatePerson(call.sql, personId, changes, viewer.userId);
  call.note({ entityId: personId, details: { fields: Object.keys(changes) satisfies string[] } });
  return { person: (await people.loadPeople(call.sql, [personId])).get(personId)! };
};
