// Erasure (issue 19: 3): the rules around the store's erasure writes.
// - Erasing a person erases the cases where they are the only subject (a case about nobody left is the
//   person's record too); on cases with other subjects they are taken off, and their identifiers in every
//   text of the store are replaced by the pseudonym.
// - Erasing a case erases its subjects who are on no other case; subjects on other cases stay.
// - Approved minutes are not deleted: the erased identifiers in them are replaced by the pseudonym and an
//   addendum on each changed meeting records that.
// - The audit entry holds ids, the erasure's number and the counts; the reason stays in the erasure record.
// - After the commit the WAL is checkpointed and the file vacuumed, so the old pages are gone from both.
// Copies in earlier backups are not erased (the screen says so).
import { ConcordatError } from '../contract/errors.js';
import type { ErasureCounts, ErasurePreview, ErasureResult } from '../contract/ops/erasure.js';
import { confirmationMatches, erasedReplacement, erasureCode, erasurePseudonym } from '../domain/erasure.js';
import { Redactor, type KnownPerson } from '../domain/redaction.js';
import { localToday } from '../domain/risk.js';
import { knownIndividual, knownReference } from '../export/minutes-model.js';
import { recordIncident } from '../host/incident-log.js';
import * as erasure from '../store/erasure.js';
import type { ErasureScope } from '../store/erasure.js';
import { loadPeople } from '../store/people.js';
import type { Sql } from '../vault/database.js';
import type { Call, Handler } from './types.js';

type Kind = 'person' | 'case';

async function scopeOf(sql: Sql, kind: Kind, id: number): Promise<ErasureScope> {
  const scope = kind === 'person' ? await erasure.personErasureScope(sql, id) : await erasure.caseErasureScope(sql, id);
  if (!scope) {
    const field = kind === 'person' ? 'personId' : 'caseId';
    throw new ConcordatError('NOT_FOUND', `There is no ${kind} ${id}.`, { field });
  }
  return scope;
}

/** What the confirmation must repeat: the person's full name, or the case's reference. */
function confirmationOf(kind: Kind, scope: ErasureScope): string {
  return kind === 'person' ? scope.people[0]!.name : scope.cases[0]!.reference;
}

interface Pseudonyms {
  main: string;
  person(personId: number): string;
  case(caseId: number): string;
}

/** The erased people and cases as the redactor knows them, each labelled by its pseudonym. */
async function redactorFor(sql: Sql, scope: ErasureScope, pseudonyms: Pseudonyms): Promise<Redactor> {
  const people = await loadPeople(
    sql,
    scope.people.map((p) => p.id),
  );
  const known: KnownPerson[] = [...people.values()].map((p) => knownIndividual(p, pseudonyms.person(p.id)));
  for (const c of scope.cases) known.push(knownReference(pseudonyms.case(c.id), [c.reference]));
  return new Redactor(known);
}

function pseudonymsFor(kind: Kind, scope: ErasureScope, erasureId: number, day: string): Pseudonyms {
  const several = (list: readonly { id: number }[], k: Kind) => {
    const single = list.length <= 1;
    return (id: number) => erasurePseudonym(k, erasureId, day, single ? undefined : list.findIndex((x) => x.id === id) + 1);
  };
  const person = several(scope.people, 'person');
  const kase = several(scope.cases, 'case');
  const main = kind === 'person' ? person(scope.people[0]!.id) : kase(scope.cases[0]!.id);
  return { main, person, case: kase };
}

interface Performed {
  erasureId: number;
  pseudonym: string;
  counts: ErasureCounts;
}

/** The erasure's writes, in the caller's transaction. */
async function perform(sql: Sql, kind: Kind, id: number, scope: ErasureScope, reason: string, userId: number): Promise<Performed> {
  const now = new Date();
  const at = now.toISOString();
  const day = localToday(now);
  const before = await erasure.countErasure(sql, scope);
  await erasure.beginErasurePass(sql);
  const erasureId = await erasure.insertErasure(sql, { kind, subject_id: id, reason, by_user: userId, at });
  const pseudonyms = pseudonymsFor(kind, scope, erasureId, day);
  // Known before the rows go: the redactor needs the people's details, the addenda the cases' meetings.
  const redactor = await redactorFor(sql, scope, pseudonyms);
  const meetings = new Set(await erasure.approvedMeetingsOfCases(sql, scope));
  await erasure.deleteCases(sql, scope.cases, pseudonyms.case);
  await erasure.deletePeople(sql, scope.people);
  const caseLabels = new Set(scope.cases.map((c) => pseudonyms.case(c.id)));
  const scrubbed = await erasure.scrubFreeText(sql, redactor, (span) =>
    span.subject && caseLabels.has(span.subject) ? span.subject : erasedReplacement(span),
  );
  for (const m of scrubbed.meetings) meetings.add(m);
  const what = kind === 'person' ? 'an erased person' : 'an erased case';
  const addenda = await erasure.addErasureAddenda(
    sql,
    meetings,
    `${pseudonyms.main}: the identifiers of ${what} in these minutes were replaced by this pseudonym on ${day}.`,
    `Erasure ${erasureCode(erasureId)}`,
    userId,
    at,
  );
  const counts: ErasureCounts = { ...before, approvedMeetings: addenda, textsRewritten: scrubbed.texts };
  await erasure.completeErasure(sql, erasureId, pseudonyms.main, counts);
  await erasure.endErasurePass(sql);
  return { erasureId, pseudonym: pseudonyms.main, counts };
}

async function preview(call: Call, kind: Kind, id: number): Promise<ErasurePreview> {
  const scope = await scopeOf(call.sql, kind, id);
  const { counts } = await erasure.rolledBack(call.sql, () => perform(call.sql, kind, id, scope, 'preview', call.session.user.id));
  call.note({
    entityId: id,
    details: { casesErased: scope.cases.map((c) => c.id), peopleErased: scope.people.map((p) => p.id) },
  });
  return {
    confirmation: confirmationOf(kind, scope),
    casesErased: scope.cases,
    peopleErased: scope.people,
    casesKept: scope.casesKept,
    counts,
  };
}

async function erase(call: Call, kind: Kind, id: number, reason: string, confirmation: string): Promise<ErasureResult> {
  const { sql, session } = call;
  const scope = await scopeOf(sql, kind, id);
  if (!confirmationMatches(confirmation, confirmationOf(kind, scope))) {
    const what = kind === 'person' ? "the person's full name" : "the case's reference";
    throw new ConcordatError('VALIDATION', `confirmation must repeat ${what} exactly as shown.`, { field: 'confirmation' });
  }
  const { erasureId, pseudonym, counts } = await perform(sql, kind, id, scope, reason, session.user.id);
  const casesErased = scope.cases.map((c) => c.id);
  const peopleErased = scope.people.map((p) => p.id);
  call.note({ entityId: id, details: { erasureId, casesErased, peopleErased, counts } });
  const db = call.vault.db;
  call.afterCommit(() =>
    db.exclusive(async () => {
      try {
        await erasure.compactAfterErasure(db);
      } catch (err) {
        // The erasure is committed; the next erasure's compaction takes the old pages out.
        recordIncident(call.host.dataDir, kind === 'person' ? 'people.erase' : 'cases.erase', err);
      }
    }),
  );
  return { erasureId, pseudonym, casesErased, peopleErased, counts };
}

export const personErasurePreview: Handler<'people.erasurePreview'> = (call, input) => preview(call, 'person', input.personId);
export const caseErasurePreview: Handler<'cases.erasurePreview'> = (call, input) => preview(call, 'case', input.caseId);
export const erasePerson: Handler<'people.erase'> = (call, input) =>
  erase(call, 'person', input.personId, input.reason, input.confirmation);
export const eraseCase: Handler<'cases.erase'> = (call, input) => erase(call, 'case', input.caseId, input.reason, input.confirmation);
