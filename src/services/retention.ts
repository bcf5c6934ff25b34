// Retention: which ended cases are due for review, who follows them, and a manager's decision on each
// (the rows are in src/store/retention.ts). "Today" is the caller's `asOf` or the local date, so the
// boundaries are tested by giving a day, not by moving a clock.
import { ConcordatError } from '../contract/errors.js';
import type { RetentionQueueItem, RetentionSchedule } from '../contract/ops/retention.js';
import type { Person } from '../contract/ops/people.js';
import { applyRedactions, Redactor } from '../domain/redaction.js';
import {
  birthYearOf,
  isDue,
  pseudonymOf,
  RETENTION_DECISION_LABELS,
  RETENTION_ENDING_LABELS,
  reviewDueOn,
  type RetentionEnding,
} from '../domain/retention.js';
import { localToday } from '../domain/risk.js';
import { knownIndividual, knownPeople } from '../export/minutes-model.js';
import { loadCaseDetail } from '../store/cases.js';
import * as erasure from '../store/erasure.js';
import * as store from '../store/retention.js';
import type { Sql } from '../vault/database.js';
import type { Handler } from './types.js';
import { viewerOf, type Viewer } from './visibility.js';

// ── the schedule ──────────────────────────────────────────────────────────────────────────────────────

function scheduleView(rows: readonly store.ScheduleRow[]): RetentionSchedule {
  return {
    rules: rows.map((r) => ({
      recordType: r.record_type,
      ending: r.ending,
      months: r.months,
      updatedAt: r.updated_at,
      updatedBy: r.updated_by === null ? null : { id: r.updated_by, displayName: r.updated_by_name ?? '' },
    })),
  };
}

export const schedule: Handler<'retention.schedule'> = async ({ sql }) => scheduleView(await store.loadSchedule(sql));

export const updateSchedule: Handler<'retention.updateSchedule'> = async (call, input) => {
  const seen = new Set<string>();
  input.rules.forEach((rule, i) => {
    const key = `${rule.recordType}:${rule.ending}`;
    if (seen.has(key))
      throw new ConcordatError('VALIDATION', `rules.${i}.ending: ${rule.ending} is given twice`, { field: `rules.${i}.ending` });
    seen.add(key);
  });
  const at = new Date().toISOString();
  for (const rule of input.rules) await store.saveScheduleRule(call.sql, { ...rule, userId: call.session.user.id, at });
  call.note({ details: { rules: input.rules.map((r) => ({ recordType: r.recordType, ending: r.ending, months: r.months })) } });
  return scheduleView(await store.loadSchedule(call.sql));
};

// ── the queue ─────────────────────────────────────────────────────────────────────────────────────────

function endingOf(row: Pick<store.EndedCaseRow, 'status' | 'outcome'>): RetentionEnding {
  return row.status === 'declined' || row.outcome === null ? 'declined' : row.outcome;
}

/** The local calendar day of an instant: a case closed late in the evening ended that day, wherever UTC is. */
const dayOf = (instant: string) => localToday(new Date(instant));

type Placed = Omit<RetentionQueueItem, 'people'>;

/** Where an ended case stands against the schedule on `today`: its item if it is in the queue, else null. */
function place(row: store.EndedCaseRow, months: ReadonlyMap<RetentionEnding, number>, today: string): Placed | null {
  const ending = endingOf(row);
  const endedOn = dayOf(row.ended_at);
  const base = {
    recordType: 'case' as const,
    caseId: row.id,
    reference: row.reference,
    area: row.area,
    status: row.status,
    outcome: row.outcome,
    ending,
    endedOn,
    keptReason: null,
  };
  if (row.decision === 'erase') {
    const decidedOn = dayOf(row.decided_at!);
    const reason = `Erasure decided on ${decidedOn} and not yet carried out: open the case and erase it.`;
    return { ...base, dueOn: decidedOn, basis: 'erasure_pending', reason };
  }
  if (row.decision === 'keep') {
    const dueOn = row.review_on!;
    if (!isDue(dueOn, today)) return null;
    const reason = `Kept at its review on ${dayOf(row.decided_at!)} until ${dueOn}, which has come.`;
    return { ...base, dueOn, basis: 'kept', reason, keptReason: row.decision_reason };
  }
  const n = months.get(ending) ?? 0;
  const dueOn = reviewDueOn(endedOn, n);
  if (!isDue(dueOn, today)) return null;
  const reason = `${RETENTION_ENDING_LABELS[ending]} on ${endedOn}; the schedule reviews these ${n} month${n === 1 ? '' : 's'} after: due ${dueOn}.`;
  return { ...base, dueOn, basis: 'schedule', reason };
}

async function dueItems(sql: Sql, viewer: Viewer, today: string): Promise<RetentionQueueItem[]> {
  const months = new Map((await store.loadSchedule(sql)).filter((r) => r.record_type === 'case').map((r) => [r.ending, r.months]));
  const placed = (await store.loadUnpseudonymisedEndedCases(sql, viewer))
    .map((row) => place(row, months, today))
    .filter((item): item is Placed => item !== null);
  const due = new Set(placed.map((item) => item.caseId));
  const people = new Map<number, RetentionQueueItem['people']>(placed.map((item) => [item.caseId, []]));
  for (const link of await store.loadSubjectLinks(sql, [...due])) {
    const list = people.get(link.case_id)!;
    let person = list.find((p) => p.personId === link.person_id);
    if (!person) {
      person = { personId: link.person_id, name: `${link.given_name} ${link.family_name}`, follows: true, alsoOn: [] };
      list.push(person);
    }
    if (link.other_case_id === null) continue;
    person.alsoOn.push({ caseId: link.other_case_id, reference: link.other_reference!, status: link.other_status! });
    // Someone also on a case that is neither due nor already pseudonymised is still needed by it.
    if (!due.has(link.other_case_id) && link.other_decision !== 'pseudonymise') person.follows = false;
  }
  return placed
    .map((item) => ({ ...item, people: people.get(item.caseId)! }))
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.reference.localeCompare(b.reference));
}

export const queue: Handler<'retention.queue'> = async (call, input) => {
  const asOf = input.asOf ?? localToday();
  const items = await dueItems(call.sql, viewerOf(call), asOf);
  call.note({
    details: { asOf, caseIds: items.map((i) => i.caseId), personIds: [...new Set(items.flatMap((i) => i.people.map((p) => p.personId)))] },
  });
  return { asOf, items };
};

// ── decisions ─────────────────────────────────────────────────────────────────────────────────────────

/** What a pseudonymised person keeps: gender, year of birth, and the ward of their current (else first) address. */
function keptOf(person: Person): store.KeptOfPerson {
  const address = person.addresses.find((a) => a.current) ?? person.addresses[0];
  return { gender: person.gender, birthYear: birthYearOf(person.dateOfBirth), ward: address?.ward ?? null };
}

function validateDecision(input: { decision: string; reason: string; reviewOn?: string | undefined }, today: string): void {
  if (input.decision === 'keep') {
    if (input.reason === '') throw new ConcordatError('VALIDATION', 'reason is required to keep a record', { field: 'reason' });
    if (input.reviewOn === undefined) {
      throw new ConcordatError('VALIDATION', 'reviewOn is required to keep a record: when it is next reviewed', { field: 'reviewOn' });
    }
    if (input.reviewOn <= today) throw new ConcordatError('VALIDATION', 'reviewOn must be after today', { field: 'reviewOn' });
  } else if (input.reviewOn !== undefined) {
    const label = RETENTION_DECISION_LABELS[input.decision as 'erase'].toLowerCase();
    throw new ConcordatError('VALIDATION', `reviewOn: only a kept record has a next review, not one to ${label}`, { field: 'reviewOn' });
  }
}

async function pseudonymise(call: Parameters<Handler<'retention.decide'>>[0], caseId: number, at: string) {
  const viewer = viewerOf(call);
  const detail = (await loadCaseDetail(call.sql, viewer, caseId))!;
  // The minutes redactor, told every identifier of the case's subjects and their households, also catches
  // identifier-shaped patterns (postcodes, phone numbers, e-mail, NI and NHS numbers).
  const redactor = new Redactor(knownPeople([{ caseId, reference: detail.reference, subjects: detail.subjects }]).known);
  const textsRedacted = await store.redactCaseText(call.sql, caseId, (text) => applyRedactions(text, redactor.find(text)));
  const links = await store.loadSubjectLinks(call.sql, [caseId]);
  const people: { personId: number; treatment: 'in_place' | 'stand_in'; standInId: number | null }[] = [];
  for (const subject of detail.subjects) {
    const stillNeeded = links.some((l) => l.person_id === subject.id && l.other_case_id !== null && l.other_decision !== 'pseudonymise');
    if (stillNeeded) {
      const standInId = await store.replaceSubjectWithStandIn(
        call.sql,
        caseId,
        subject.id,
        pseudonymOf,
        keptOf(subject),
        viewer.userId,
        at,
      );
      people.push({ personId: subject.id, treatment: 'stand_in', standInId });
    } else {
      await store.pseudonymisePersonInPlace(call.sql, subject.id, pseudonymOf(subject.id), keptOf(subject), viewer.userId, at);
      people.push({ personId: subject.id, treatment: 'in_place', standInId: null });
    }
  }
  // Someone pseudonymised in place is needed by no other case: what names them anywhere else in the store
  // goes the way an erasure would take it (approved minutes too, with an addendum), so the pseudonym is
  // the only name left. A stand-in's real person is still held for another case, and stays there.
  const inPlace = detail.subjects.filter((s) => people.some((p) => p.personId === s.id && p.treatment === 'in_place'));
  const elsewhere = await pseudonymiseElsewhere(call.sql, inPlace, viewer.userId, at);
  return { people, textsRedacted: textsRedacted + elsewhere };
}

/** Replaces these people's identifiers in every free text of the store (src/store/erasure.ts FREE_TEXT); returns the texts changed. */
async function pseudonymiseElsewhere(sql: Sql, subjects: readonly Person[], userId: number, at: string): Promise<number> {
  if (subjects.length === 0) return 0;
  const label = (p: Person) => {
    const { givenName, familyName } = pseudonymOf(p.id);
    return `${givenName} ${familyName}`;
  };
  const redactor = new Redactor(subjects.map((p) => knownIndividual(p, label(p))));
  await erasure.beginErasurePass(sql);
  const scrubbed = await erasure.scrubFreeText(sql, redactor, (span) =>
    (span.reason === 'name' || span.reason === 'alias') && span.subject ? span.subject : '[pseudonymised]',
  );
  const names = subjects.map(label).join(', ');
  await erasure.addErasureAddenda(
    sql,
    scrubbed.meetings,
    `${names}: identifiers in these minutes were replaced by this pseudonym on ${at.slice(0, 10)} (retention review).`,
    'Retention: pseudonymised',
    userId,
    at,
  );
  await erasure.endErasurePass(sql);
  return scrubbed.texts;
}

export const decide: Handler<'retention.decide'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.caseId, details: { decision: input.decision } });
  const state = await store.loadCaseRetentionState(call.sql, viewer, input.caseId);
  if (!state) throw new ConcordatError('NOT_FOUND', `There is no case ${input.caseId}.`, { field: 'caseId' });
  if (state.status !== 'closed' && state.status !== 'declined') {
    throw new ConcordatError('CONFLICT', `${state.reference} has not ended: only a closed or declined case is reviewed for retention.`, {
      field: 'caseId',
    });
  }
  if (state.decision === 'pseudonymise' && input.decision !== 'erase') {
    throw new ConcordatError('CONFLICT', `${state.reference} is already pseudonymised: it can only be erased now.`, { field: 'decision' });
  }
  validateDecision(input, localToday());
  const at = new Date().toISOString();
  const reviewOn = input.decision === 'keep' ? input.reviewOn! : null;
  await store.insertDecision(call.sql, {
    caseId: input.caseId,
    decision: input.decision,
    reason: input.reason,
    reviewOn,
    userId: viewer.userId,
    at,
  });
  const done = input.decision === 'pseudonymise' ? await pseudonymise(call, input.caseId, at) : { people: [], textsRedacted: 0 };
  call.note({
    entityId: input.caseId,
    details: {
      decision: input.decision,
      reviewOn,
      personIds: done.people.map((p) => p.personId),
      standInIds: done.people.flatMap((p) => (p.standInId === null ? [] : [p.standInId])),
      textsRedacted: done.textsRedacted,
    },
  });
  return {
    caseId: input.caseId,
    decision: input.decision,
    decidedAt: at,
    reviewOn,
    pendingErasure: input.decision === 'erase',
    ...done,
  };
};
