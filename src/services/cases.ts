// Cases: the rules for recording a referral, reading the profile, changes, the lifecycle, notes and links
// (the rows are in src/store/cases.ts and src/store/notes.ts).
import { ConcordatError } from '../contract/errors.js';
import type { CaseCreateInput, CaseDetail, CaseUpdateInput } from '../contract/ops/cases.js';
import { mayMarkClosedOnly } from '../domain/access.js';
import { CONCERNS } from '../domain/concerns.js';
import { checkTransition, type CaseOutcome, type CaseStatus } from '../domain/lifecycle.js';
import { localToday, overallRisk, type HarmLevel } from '../domain/risk.js';
import * as cases from '../store/cases.js';
import { insertNote } from '../store/notes.js';
import { closedOnlyItems, releaseCase } from '../store/closed-only-release.js';
import type { Sql } from '../vault/database.js';
import { requireVisiblePerson } from './people.js';
import type { Handler } from './types.js';
import { viewerOf, type Viewer } from './visibility.js';

function refuseClosedOnlyMark(viewer: Viewer, closedOnly: boolean | undefined): void {
  if (closedOnly && !mayMarkClosedOnly(viewer.role)) {
    throw new ConcordatError('FORBIDDEN', 'Only statutory partners can mark something closed-meeting-only.', { field: 'closedOnly' });
  }
}

/** The case if the viewer may see it; otherwise NOT_FOUND, so a hidden case and a missing one look alike. */
async function requireVisibleCase(sql: Sql, viewer: Viewer, caseId: number, field = 'caseId'): Promise<cases.CaseState> {
  const found = await cases.findVisibleCase(sql, viewer, caseId);
  if (!found) throw new ConcordatError('NOT_FOUND', `There is no case ${caseId}.`, { field });
  return found;
}

/** The full profile, or NOT_FOUND as for `requireVisibleCase`. */
async function requireCaseDetail(sql: Sql, viewer: Viewer, caseId: number, today = localToday()): Promise<CaseDetail> {
  const detail = await cases.loadCaseDetail(sql, viewer, caseId, today);
  if (!detail) throw new ConcordatError('NOT_FOUND', `There is no case ${caseId}.`, { field: 'caseId' });
  return detail;
}

async function requireSubjects(sql: Sql, viewer: Viewer, ids: readonly number[]): Promise<void> {
  for (const [i, id] of ids.entries()) await requireVisiblePerson(sql, viewer, id, `subjectIds.${i}`);
}

// ── handlers ──────────────────────────────────────────────────────────────────────────────────────────

export const createCase: Handler<'cases.create'> = async (call, input) => {
  const viewer = viewerOf(call);
  refuseClosedOnlyMark(viewer, input.closedOnly);
  await requireSubjects(call.sql, viewer, input.subjectIds);
  const { id } = await cases.insertCase(call.sql, input, viewer.userId);
  call.note({ entityId: id, details: { subjectIds: input.subjectIds, closedOnly: input.closedOnly } });
  return { case: await requireCaseDetail(call.sql, viewer, id) };
};

export const getCase: Handler<'cases.get'> = async (call, input) => {
  const viewer = viewerOf(call);
  // Noted first, so a refused call is logged against the case it asked for.
  call.note({ entityId: input.caseId });
  const detail = await requireCaseDetail(call.sql, viewer, input.caseId);
  call.note({ entityId: input.caseId, details: { subjectIds: detail.subjects.map((s) => s.id), noteIds: detail.notes.map((n) => n.id) } });
  return { case: detail };
};

export const updateCase: Handler<'cases.update'> = async (call, input: CaseUpdateInput) => {
  const viewer = viewerOf(call);
  const { caseId, ...changes } = input;
  call.note({ entityId: caseId, details: { fields: Object.keys(changes) } });
  const current = await requireVisibleCase(call.sql, viewer, caseId);
  refuseClosedOnlyMark(viewer, changes.closedOnly);
  if (current.closedOnly && changes.closedOnly === false) {
    throw new ConcordatError(
      'FORBIDDEN',
      'Clearing the closed-only mark releases what was said while it was set: a manager reviews each item first (cases.releaseReview, then cases.releaseClosedOnly).',
      { field: 'closedOnly' },
    );
  }
  if (changes.subjectIds) await requireSubjects(call.sql, viewer, changes.subjectIds);
  await cases.updateCase(call.sql, caseId, changes, viewer.userId);
  call.note({ entityId: caseId, details: { fields: Object.keys(changes) } });
  return { case: await requireCaseDetail(call.sql, viewer, caseId) };
};

/**
 * One step of a case's lifecycle, checked by its rules and written to its history. cases.transition and
 * decisions recorded in minutes both go through here, so a case and the minutes about it always agree.
 */
export async function applyCaseTransition(
  sql: Sql,
  viewer: Viewer,
  request: { caseId: number; to: CaseStatus; reason: string; outcome?: CaseOutcome | undefined },
  field = 'caseId',
): Promise<{ from: CaseStatus; to: CaseStatus; outcome: CaseOutcome | null }> {
  const current = await requireVisibleCase(sql, viewer, request.caseId, field);
  const outcome = checkTransition({ from: current.status, to: request.to, reason: request.reason, outcome: request.outcome });
  await cases.recordTransition(sql, {
    caseId: request.caseId,
    from: current.status,
    to: request.to,
    outcome,
    reason: request.reason,
    userId: viewer.userId,
    at: new Date().toISOString(),
    closedOnly: current.closedOnly,
  });
  return { from: current.status, to: request.to, outcome };
}

type RiskInput = CaseCreateInput['risk'];

/**
 * A new risk assessment of a case (as cases.update writes it), keeping its vulnerability factors unless
 * given: the review date follows from it. Returns the overall risk before and after.
 */
export async function applyRiskAssessment(
  sql: Sql,
  viewer: Viewer,
  caseId: number,
  risk: Pick<RiskInput, 'personalHarm' | 'communityHarm' | 'environmentalHarm' | 'reasons'> & { vulnerabilityFactors?: string[] },
  field = 'caseId',
): Promise<{ from: HarmLevel; to: HarmLevel }> {
  await requireVisibleCase(sql, viewer, caseId, field);
  const before = await requireCaseDetail(sql, viewer, caseId);
  const assessment: RiskInput = { ...risk, vulnerabilityFactors: risk.vulnerabilityFactors ?? before.risk.vulnerabilityFactors };
  await cases.updateCase(sql, caseId, { risk: assessment }, viewer.userId);
  return { from: before.risk.overall, to: overallRisk(assessment) };
}

export const transitionCase: Handler<'cases.transition'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.caseId, details: { to: input.to } });
  const step = await applyCaseTransition(call.sql, viewer, input);
  call.note({ entityId: input.caseId, details: { from: step.from, to: input.to, outcome: step.outcome } });
  return { case: await requireCaseDetail(call.sql, viewer, input.caseId) };
};

export const addNote: Handler<'cases.addNote'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ details: { caseId: input.caseId, closedOnly: input.closedOnly } });
  const target = await requireVisibleCase(call.sql, viewer, input.caseId);
  refuseClosedOnlyMark(viewer, input.closedOnly);
  // Said about a closed-only case, a note is closed-only whatever the form said: releasing the case later
  // must not release it unreviewed.
  const closedOnly = input.closedOnly || target.closedOnly;
  const at = new Date().toISOString();
  const id = await insertNote(call.sql, input.caseId, viewer.userId, { ...input, closedOnly }, at);
  await cases.touchCase(call.sql, input.caseId, viewer.userId);
  call.note({ entityType: 'case_note', entityId: id, details: { caseId: input.caseId, closedOnly } });
  return {
    note: {
      id,
      caseId: input.caseId,
      author: { id: viewer.userId, displayName: call.session.user.displayName },
      at,
      classification: input.classification,
      closedOnly,
      body: input.body,
    },
  };
};

export const linkCases: Handler<'cases.link'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.caseId, details: { otherCaseId: input.otherCaseId } });
  if (input.caseId === input.otherCaseId)
    throw new ConcordatError('VALIDATION', 'A case cannot be linked to itself.', { field: 'otherCaseId' });
  const own = await requireVisibleCase(call.sql, viewer, input.caseId);
  const other = await requireVisibleCase(call.sql, viewer, input.otherCaseId, 'otherCaseId');
  const closedOnly = own.closedOnly || other.closedOnly;
  if (await cases.linkExists(call.sql, input.caseId, input.otherCaseId)) {
    throw new ConcordatError('CONFLICT', 'These cases are already linked.', { field: 'otherCaseId' });
  }
  const at = new Date().toISOString();
  await cases.insertLink(call.sql, {
    caseId: input.caseId,
    otherCaseId: input.otherCaseId,
    reason: input.reason,
    userId: viewer.userId,
    at,
    closedOnly,
  });
  call.note({ entityId: input.caseId, details: { otherCaseId: input.otherCaseId } });
  return {
    link: {
      caseId: input.otherCaseId,
      reference: other.reference,
      status: other.status,
      reason: input.reason,
      closedOnly,
      linkedAt: at,
    },
  };
};

export const listConcerns: Handler<'concerns.list'> = async () => ({
  concerns: CONCERNS.map((c) => ({ code: c.code, label: c.label, specialCategory: c.specialCategory, active: c.active })),
});

// ── releasing a closed-only case ──────────────────────────────────────────────────────────────────────

async function requireClosedOnlyCase(sql: Sql, viewer: Viewer, caseId: number): Promise<cases.CaseState> {
  const found = await requireVisibleCase(sql, viewer, caseId);
  if (!found.closedOnly) throw new ConcordatError('CONFLICT', 'This case is not closed-meeting-only.', { field: 'caseId' });
  return found;
}

const itemKey = (item: { kind: string; id: number }) => `${item.kind}:${item.id}`;

export const releaseReview: Handler<'cases.releaseReview'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.caseId });
  const found = await requireClosedOnlyCase(call.sql, viewer, input.caseId);
  const items = await closedOnlyItems(call.sql, input.caseId);
  call.note({ entityId: input.caseId, details: { items: items.map(itemKey) } });
  return { caseId: input.caseId, reference: found.reference, items };
};

/**
 * Clears the mark only if every closed-only item has a decision, and no decision names anything else: an
 * item added since the review (or one the screen never showed) refuses the release instead of going
 * out unseen.
 */
export const releaseClosedOnly: Handler<'cases.releaseClosedOnly'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.caseId });
  await requireClosedOnlyCase(call.sql, viewer, input.caseId);
  const items = new Set((await closedOnlyItems(call.sql, input.caseId)).map(itemKey));
  const decided = new Set<string>();
  for (const [i, decision] of input.decisions.entries()) {
    const key = itemKey(decision);
    if (!items.has(key) || decided.has(key))
      throw new ConcordatError('VALIDATION', `Decision ${i + 1} names no closed-only item of this case, or names one twice.`, {
        field: `decisions.${i}`,
      });
    decided.add(key);
  }
  const undecided = [...items].filter((key) => !decided.has(key));
  if (undecided.length > 0) {
    throw new ConcordatError(
      'CONFLICT',
      `${undecided.length} closed-only item(s) of this case have no decision (added since the review?): review again.`,
      { field: 'decisions', details: { undecided: undecided.length } },
    );
  }
  const released = input.decisions.filter((d) => d.release).map(({ kind, id }) => ({ kind, id }));
  const kept = input.decisions.filter((d) => !d.release).map(({ kind, id }) => ({ kind, id }));
  await releaseCase(call.sql, {
    caseId: input.caseId,
    reason: input.reason,
    released,
    kept,
    userId: viewer.userId,
    at: new Date().toISOString(),
  });
  call.note({ entityId: input.caseId, details: { released: released.map(itemKey), keptClosed: kept.map(itemKey) } });
  return { case: await requireCaseDetail(call.sql, viewer, input.caseId), released: released.length, keptClosed: kept.length };
};
