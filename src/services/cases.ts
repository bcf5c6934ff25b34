// Cases: recording a referral, the full profile, changes, the lifecycle, notes and links.
import { ConcordatError } from '../contract/errors.js';
import type { CaseCreateInput, CaseDetail, CaseNote, CaseUpdateInput } from '../contract/ops/cases.js';
import { mayMarkClosedOnly } from '../domain/access.js';
import { CONCERNS } from '../domain/concerns.js';
import { allowedTransitions, checkTransition, isOpenStatus, type CaseOutcome, type CaseStatus } from '../domain/lifecycle.js';
import { formatCaseReference } from '../domain/reference.js';
import { harmRank, isReviewOverdue, localToday, overallRisk, reviewDateFor, type HarmLevel } from '../domain/risk.js';
import type { Sql, SqlValue } from '../vault/database.js';
import { loadPeople, requireVisiblePerson } from './people.js';
import type { Call, Handler } from './types.js';
import { caseVisible, noteVisible, viewerOf, type Viewer } from './visibility.js';

type RiskInput = CaseCreateInput['risk'];

function refuseClosedOnlyMark(viewer: Viewer, closedOnly: boolean | undefined): void {
  if (closedOnly && !mayMarkClosedOnly(viewer.role)) {
    throw new ConcordatError('FORBIDDEN', 'Only statutory partners can mark something closed-meeting-only.', { field: 'closedOnly' });
  }
}

/** The case if the viewer may see it; otherwise NOT_FOUND, so a hidden case and a missing one look alike. */
async function requireVisibleCase(sql: Sql, viewer: Viewer, caseId: number, field = 'caseId'): Promise<{ status: CaseStatus; reference: string; closed_only: number }> {
  const row = await sql.get<{ status: CaseStatus; reference: string; closed_only: number }>(
    `SELECT status, reference, closed_only FROM cases c WHERE c.id = ? AND ${caseVisible(viewer)}`, [caseId]);
  if (!row) throw new ConcordatError('NOT_FOUND', `There is no case ${caseId}.`, { field });
  return row;
}

function riskColumns(risk: RiskInput, userId: number, today: string) {
  const overall = overallRisk(risk);
  const assessedOn = risk.assessedOn ?? today;
  return {
    personal_harm: risk.personalHarm, community_harm: risk.communityHarm, environmental_harm: risk.environmentalHarm,
    overall_risk: overall, risk_rank: harmRank(overall), vulnerability_factors: JSON.stringify(risk.vulnerabilityFactors),
    risk_reasons: risk.reasons, risk_assessed_by: userId, risk_assessed_at: assessedOn, review_date: reviewDateFor(overall, assessedOn),
  };
}

async function writeConcerns(sql: Sql, caseId: number, concerns: readonly string[]): Promise<void> {
  await sql.run('DELETE FROM case_concerns WHERE case_id = ?', [caseId]);
  for (const concern of concerns) await sql.run('INSERT INTO case_concerns (case_id, concern) VALUES (?, ?)', [caseId, concern]);
}

async function writeSubjects(sql: Sql, caseId: number, personIds: readonly number[]): Promise<void> {
  await sql.run('DELETE FROM case_subjects WHERE case_id = ?', [caseId]);
  for (const [position, personId] of personIds.entries()) {
    await sql.run('INSERT INTO case_subjects (case_id, person_id, position) VALUES (?, ?, ?)', [caseId, personId, position]);
  }
}

async function writeLocations(sql: Sql, caseId: number, locations: CaseCreateInput['locations']): Promise<void> {
  await sql.run('DELETE FROM case_locations WHERE case_id = ?', [caseId]);
  for (const l of locations) {
    await sql.run('INSERT INTO case_locations (case_id, label, address, postcode, ward) VALUES (?, ?, ?, ?, ?)', [caseId, l.label, l.address, l.postcode, l.ward]);
  }
}

async function requireSubjects(sql: Sql, viewer: Viewer, ids: readonly number[]): Promise<void> {
  for (const [i, id] of ids.entries()) await requireVisiblePerson(sql, viewer, id, `subjectIds.${i}`);
}

/**
 * Records a case. The reference is the next number in the year of `now`; the review date follows from the
 * risk. Used by the handler and by bulk loaders (bench), so it checks nothing the schema already has.
 */
export async function insertCase(sql: Sql, input: CaseCreateInput, userId: number, now = new Date()): Promise<{ id: number; reference: string }> {
  const at = now.toISOString();
  const year = now.getFullYear();
  const seq = ((await sql.get<{ n: number }>('SELECT max(ref_seq) AS n FROM cases WHERE ref_year = ?', [year]))?.n ?? 0) + 1;
  const reference = formatCaseReference(year, seq);
  const columns: Record<string, SqlValue> = {
    reference, ref_year: year, ref_seq: seq, area: input.area, summary: input.summary,
    referral_org: input.referral.organisation, referral_officer: input.referral.officer, referral_date: input.referral.date,
    referral_reason: input.referral.reason, consent: input.referral.consent,
    ...riskColumns(input.risk, userId, localToday(now)),
    status: 'referred', outcome: null,
    supported_by_service: input.alreadySupported?.service ?? null, supported_decision: input.alreadySupported?.decision ?? null,
    closed_only: input.closedOnly ? 1 : 0, created_at: at, created_by: userId, updated_at: at, updated_by: userId,
  };
  const names = Object.keys(columns);
  const { lastID } = await sql.run(`INSERT INTO cases (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, Object.values(columns));
  await writeConcerns(sql, lastID, input.concerns);
  await writeSubjects(sql, lastID, input.subjectIds);
  await writeLocations(sql, lastID, input.locations);
  await sql.run('INSERT INTO case_transitions (case_id, from_status, to_status, outcome, reason, by_user, at) VALUES (?, NULL, ?, NULL, ?, ?, ?)',
    [lastID, 'referred', 'Referral recorded', userId, at]);
  return { id: lastID, reference };
}

export async function insertNote(sql: Sql, caseId: number, userId: number, note: { body: string; classification: CaseNote['classification']; closedOnly: boolean }, at = new Date().toISOString()): Promise<number> {
  const { lastID } = await sql.run('INSERT INTO case_notes (case_id, author_id, at, classification, closed_only, body) VALUES (?, ?, ?, ?, ?, ?)',
    [caseId, userId, at, note.classification, note.closedOnly ? 1 : 0, note.body]);
  return lastID;
}

// ── the full profile ──────────────────────────────────────────────────────────────────────────────────

interface CaseRow {
  id: number; reference: string; area: string; summary: string; referral_org: string; referral_officer: string; referral_date: string;
  referral_reason: string; consent: CaseDetail['referral']['consent']; personal_harm: HarmLevel; community_harm: HarmLevel;
  environmental_harm: HarmLevel; overall_risk: HarmLevel; vulnerability_factors: string; risk_reasons: string; risk_assessed_by: number;
  assessor: string; risk_assessed_at: string; review_date: string; status: CaseStatus; outcome: CaseOutcome | null;
  supported_by_service: string | null; supported_decision: 'discuss' | 'do_not_discuss' | null; closed_only: number;
  created_at: string; created_by: number; creator: string; updated_at: string;
}

export async function loadCaseDetail(sql: Sql, viewer: Viewer, caseId: number, today = localToday()): Promise<CaseDetail> {
  const r = await sql.get<CaseRow>(
    `SELECT c.*, a.display_name AS assessor, u.display_name AS creator FROM cases c
     JOIN users a ON a.id = c.risk_assessed_by JOIN users u ON u.id = c.created_by WHERE c.id = ? AND ${caseVisible(viewer)}`, [caseId]);
  if (!r) throw new ConcordatError('NOT_FOUND', `There is no case ${caseId}.`, { field: 'caseId' });
  const concerns = await sql.all<{ concern: CaseDetail['concerns'][number] }>('SELECT concern FROM case_concerns WHERE case_id = ?', [caseId]);
  const order = new Map<string, number>(CONCERNS.map((c, i) => [c.code, i]));
  const subjectIds = (await sql.all<{ person_id: number }>('SELECT person_id FROM case_subjects WHERE case_id = ? ORDER BY position', [caseId])).map((s) => s.person_id);
  const people = await loadPeople(sql, subjectIds);
  const locations = await sql.all<{ id: number; label: string; address: string; postcode: string | null; ward: string | null }>(
    'SELECT id, label, address, postcode, ward FROM case_locations WHERE case_id = ? ORDER BY id', [caseId]);
  const links = await sql.all<{ id: number; reference: string; status: CaseStatus; reason: string; closed_only: number; created_at: string }>(
    `SELECT c.id, c.reference, c.status, l.reason, c.closed_only, l.created_at
     FROM (SELECT other_case_id AS id, reason, created_at FROM case_links WHERE case_id = ?1
           UNION ALL SELECT case_id, reason, created_at FROM case_links WHERE other_case_id = ?1) l
     JOIN cases c ON c.id = l.id WHERE ${caseVisible(viewer)} ORDER BY l.created_at, c.id`, [caseId]);
  const notes = await sql.all<{ id: number; author_id: number; author: string; at: string; classification: CaseNote['classification']; closed_only: number; body: string }>(
    `SELECT n.id, n.author_id, u.display_name AS author, n.at, n.classification, n.closed_only, n.body
     FROM case_notes n JOIN users u ON u.id = n.author_id WHERE n.case_id = ? AND ${noteVisible(viewer)} ORDER BY n.at DESC, n.id DESC`, [caseId]);
  const transitions = await sql.all<{ from_status: CaseStatus | null; to_status: CaseStatus; outcome: CaseOutcome | null; reason: string; by_user: number; by_name: string; at: string }>(
    `SELECT t.from_status, t.to_status, t.outcome, t.reason, t.by_user, u.display_name AS by_name, t.at
     FROM case_transitions t JOIN users u ON u.id = t.by_user WHERE t.case_id = ? ORDER BY t.id`, [caseId]);
  return {
    id: r.id, reference: r.reference, area: r.area, summary: r.summary,
    referral: { organisation: r.referral_org, officer: r.referral_officer, date: r.referral_date, reason: r.referral_reason, consent: r.consent },
    concerns: concerns.map((c) => c.concern).sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)),
    risk: {
      personalHarm: r.personal_harm, communityHarm: r.community_harm, environmentalHarm: r.environmental_harm, overall: r.overall_risk,
      vulnerabilityFactors: JSON.parse(r.vulnerability_factors) as string[], reasons: r.risk_reasons,
      assessedBy: { id: r.risk_assessed_by, displayName: r.assessor }, assessedOn: r.risk_assessed_at,
    },
    reviewDate: r.review_date,
    reviewOverdue: isReviewOverdue(r.review_date, isOpenStatus(r.status), today),
    status: r.status,
    outcome: r.outcome,
    allowedTransitions: [...allowedTransitions(r.status)],
    alreadySupported: r.supported_by_service && r.supported_decision ? { service: r.supported_by_service, decision: r.supported_decision } : null,
    closedOnly: r.closed_only === 1,
    subjects: subjectIds.map((id) => people.get(id)!),
    locations,
    links: links.map((l) => ({ caseId: l.id, reference: l.reference, status: l.status, reason: l.reason, closedOnly: l.closed_only === 1, linkedAt: l.created_at })),
    notes: notes.map((n) => ({
      id: n.id, caseId, author: { id: n.author_id, displayName: n.author }, at: n.at, classification: n.classification, closedOnly: n.closed_only === 1, body: n.body,
    })),
    transitions: transitions.map((t) => ({ from: t.from_status, to: t.to_status, outcome: t.outcome, reason: t.reason, by: { id: t.by_user, displayName: t.by_name }, at: t.at })),
    createdAt: r.created_at,
    createdBy: { id: r.created_by, displayName: r.creator },
    updatedAt: r.updated_at,
  };
}

async function touch(call: Call, caseId: number): Promise<void> {
  await call.sql.run('UPDATE cases SET updated_at = ?, updated_by = ? WHERE id = ?', [new Date().toISOString(), call.session.user.id, caseId]);
}

// ── handlers ──────────────────────────────────────────────────────────────────────────────────────────

export const createCase: Handler<'cases.create'> = async (call, input) => {
  const viewer = viewerOf(call);
  refuseClosedOnlyMark(viewer, input.closedOnly);
  await requireSubjects(call.sql, viewer, input.subjectIds);
  const { id } = await insertCase(call.sql, input, viewer.userId);
  call.note({ entityId: id, details: { subjectIds: input.subjectIds, closedOnly: input.closedOnly } });
  return { case: await loadCaseDetail(call.sql, viewer, id) };
};

export const getCase: Handler<'cases.get'> = async (call, input) => {
  const viewer = viewerOf(call);
  // Noted first, so a refused call is logged against the case it asked for.
  call.note({ entityId: input.caseId });
  const detail = await loadCaseDetail(call.sql, viewer, input.caseId);
  call.note({ entityId: input.caseId, details: { subjectIds: detail.subjects.map((s) => s.id), noteIds: detail.notes.map((n) => n.id) } });
  return { case: detail };
};

export const updateCase: Handler<'cases.update'> = async (call, input: CaseUpdateInput) => {
  const viewer = viewerOf(call);
  const { caseId, ...changes } = input;
  call.note({ entityId: caseId, details: { fields: Object.keys(changes) } });
  await requireVisibleCase(call.sql, viewer, caseId);
  refuseClosedOnlyMark(viewer, changes.closedOnly);
  if (changes.subjectIds) await requireSubjects(call.sql, viewer, changes.subjectIds);
  const columns: Record<string, SqlValue> = {};
  if (changes.area !== undefined) columns.area = changes.area;
  if (changes.summary !== undefined) columns.summary = changes.summary;
  if (changes.referral !== undefined) {
    Object.assign(columns, {
      referral_org: changes.referral.organisation, referral_officer: changes.referral.officer, referral_date: changes.referral.date,
      referral_reason: changes.referral.reason, consent: changes.referral.consent,
    });
  }
  if (changes.risk !== undefined) Object.assign(columns, riskColumns(changes.risk, viewer.userId, localToday()));
  if (changes.alreadySupported !== undefined) {
    columns.supported_by_service = changes.alreadySupported?.service ?? null;
    columns.supported_decision = changes.alreadySupported?.decision ?? null;
  }
  if (changes.closedOnly !== undefined) columns.closed_only = changes.closedOnly ? 1 : 0;
  Object.assign(columns, { updated_at: new Date().toISOString(), updated_by: viewer.userId });
  await call.sql.run(`UPDATE cases SET ${Object.keys(columns).map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [...Object.values(columns), caseId]);
  if (changes.concerns) await writeConcerns(call.sql, caseId, changes.concerns);
  if (changes.subjectIds) await writeSubjects(call.sql, caseId, changes.subjectIds);
  if (changes.locations) await writeLocations(call.sql, caseId, changes.locations);
  call.note({ entityId: caseId, details: { fields: Object.keys(changes) } });
  return { case: await loadCaseDetail(call.sql, viewer, caseId) };
};

/**
 * One step of a case's lifecycle, checked by its rules and written to its history. cases.transition and
 * decisions recorded in minutes both go through here, so a case and the minutes about it always agree.
 */
export async function applyCaseTransition(sql: Sql, viewer: Viewer, request: { caseId: number; to: CaseStatus; reason: string; outcome?: CaseOutcome | undefined }, field = 'caseId'): Promise<{ from: CaseStatus; to: CaseStatus; outcome: CaseOutcome | null }> {
  const current = await requireVisibleCase(sql, viewer, request.caseId, field);
  const outcome = checkTransition({ from: current.status, to: request.to, reason: request.reason, outcome: request.outcome });
  const at = new Date().toISOString();
  await sql.run('UPDATE cases SET status = ?, outcome = ?, updated_at = ?, updated_by = ? WHERE id = ?', [request.to, outcome, at, viewer.userId, request.caseId]);
  await sql.run('INSERT INTO case_transitions (case_id, from_status, to_status, outcome, reason, by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [request.caseId, current.status, request.to, outcome, request.reason, viewer.userId, at]);
  return { from: current.status, to: request.to, outcome };
}

/**
 * A new risk assessment of a case (as cases.update writes it), keeping its vulnerability factors unless
 * given: the review date follows from it. Returns the overall risk before and after.
 */
export async function applyRiskAssessment(sql: Sql, viewer: Viewer, caseId: number, risk: Pick<RiskInput, 'personalHarm' | 'communityHarm' | 'environmentalHarm' | 'reasons'> & { vulnerabilityFactors?: string[] }, field = 'caseId'): Promise<{ from: HarmLevel; to: HarmLevel }> {
  await requireVisibleCase(sql, viewer, caseId, field);
  const before = (await sql.get<{ overall_risk: HarmLevel; vulnerability_factors: string }>('SELECT overall_risk, vulnerability_factors FROM cases WHERE id = ?', [caseId]))!;
  const assessment: RiskInput = { ...risk, vulnerabilityFactors: risk.vulnerabilityFactors ?? (JSON.parse(before.vulnerability_factors) as string[]) };
  const columns: Record<string, SqlValue> = { ...riskColumns(assessment, viewer.userId, localToday()), updated_at: new Date().toISOString(), updated_by: viewer.userId };
  await sql.run(`UPDATE cases SET ${Object.keys(columns).map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [...Object.values(columns), caseId]);
  return { from: before.overall_risk, to: overallRisk(assessment) };
}

export const transitionCase: Handler<'cases.transition'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.caseId, details: { to: input.to } });
  const step = await applyCaseTransition(call.sql, viewer, input);
  call.note({ entityId: input.caseId, details: { from: step.from, to: input.to, outcome: step.outcome } });
  return { case: await loadCaseDetail(call.sql, viewer, input.caseId) };
};

export const addNote: Handler<'cases.addNote'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ details: { caseId: input.caseId, closedOnly: input.closedOnly } });
  await requireVisibleCase(call.sql, viewer, input.caseId);
  refuseClosedOnlyMark(viewer, input.closedOnly);
  const at = new Date().toISOString();
  const id = await insertNote(call.sql, input.caseId, viewer.userId, input, at);
  await touch(call, input.caseId);
  call.note({ entityType: 'case_note', entityId: id, details: { caseId: input.caseId, closedOnly: input.closedOnly } });
  return {
    note: { id, caseId: input.caseId, author: { id: viewer.userId, displayName: call.session.user.displayName }, at, classification: input.classification, closedOnly: input.closedOnly, body: input.body },
  };
};

export const linkCases: Handler<'cases.link'> = async (call, input) => {
  const viewer = viewerOf(call);
  call.note({ entityId: input.caseId, details: { otherCaseId: input.otherCaseId } });
  if (input.caseId === input.otherCaseId) throw new ConcordatError('VALIDATION', 'A case cannot be linked to itself.', { field: 'otherCaseId' });
  await requireVisibleCase(call.sql, viewer, input.caseId);
  const other = await requireVisibleCase(call.sql, viewer, input.otherCaseId, 'otherCaseId');
  const [a, b] = input.caseId < input.otherCaseId ? [input.caseId, input.otherCaseId] : [input.otherCaseId, input.caseId];
  if (await call.sql.get('SELECT 1 FROM case_links WHERE case_id = ? AND other_case_id = ?', [a, b])) {
    throw new ConcordatError('CONFLICT', 'These cases are already linked.', { field: 'otherCaseId' });
  }
  const at = new Date().toISOString();
  await call.sql.run('INSERT INTO case_links (case_id, other_case_id, reason, created_at, created_by) VALUES (?, ?, ?, ?, ?)', [a, b, input.reason, at, viewer.userId]);
  call.note({ entityId: input.caseId, details: { otherCaseId: input.otherCaseId } });
  return { link: { caseId: input.otherCaseId, reference: other.reference, status: other.status, reason: input.reason, closedOnly: other.closed_only === 1, linkedAt: at } };
};

export const listConcerns: Handler<'concerns.list'> = async () => ({
  concerns: CONCERNS.map((c) => ({ code: c.code, label: c.label, specialCategory: c.specialCategory, active: c.active })),
});
