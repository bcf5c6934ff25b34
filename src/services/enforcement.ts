// Enforcement under the 2014 Act, escalation, Community Triggers, activities and the outcome indicators.
// Rules and policy only: the SQL is in src/store/enforcement.ts and src/store/outcomes.ts.
import { auditHead } from '../audit/log.js';
import { ConcordatError } from '../contract/errors.js';
import type { Enforcement, IndicatorRow, Trigger } from '../contract/ops/enforcement.js';
import { mayMarkClosedOnly } from '../domain/access.js';
import {
  DEFAULT_TRIGGER_THRESHOLD,
  ENFORCEMENT_LABELS,
  PREREQUISITE,
  checkBreachDate,
  checkEnforcementDates,
  checkTriggerStep,
  isPlaceTool,
  percentage,
  periodsBetween,
  type EnforcementDates,
  type Refusal,
} from '../domain/enforcement.js';
import { localToday } from '../domain/risk.js';
import * as store from '../store/enforcement.js';
import { countIndicators } from '../store/outcomes.js';
import type { Sql } from '../vault/database.js';
import type { Handler } from './types.js';
import { viewerOf, type Viewer } from './visibility.js';

const now = () => new Date().toISOString();

function refuse(code: 'VALIDATION' | 'INVALID_TRANSITION', refusal: Refusal | null): void {
  if (refusal) throw new ConcordatError(code, refusal.message, { field: refusal.field });
}

async function requireEnforcement(db: Sql, viewer: Viewer, id: number): Promise<store.EnforcementRow> {
  const row = await store.enforcementRow(db, viewer, id);
  if (!row) throw new ConcordatError('NOT_FOUND', `There is no enforcement record ${id}.`, { field: 'enforcementId' });
  return row;
}

async function loaded(db: Sql, viewer: Viewer, id: number): Promise<{ enforcement: Enforcement }> {
  const enforcement = await store.loadEnforcement(db, viewer, id);
  if (!enforcement) throw new ConcordatError('NOT_FOUND', `There is no enforcement record ${id}.`, { field: 'enforcementId' });
  return { enforcement };
}

function datesOf(row: store.EnforcementRow): EnforcementDates {
  return { issued: row.issued_on, served: row.served_on, hearing: row.hearing_on, granted: row.granted_on, expiry: row.expiry_on };
}

// ── enforcement ───────────────────────────────────────────────────────────────────────────────────────

export const recordEnforcement: Handler<'enforcement.record'> = async (call, input) => {
  const viewer = viewerOf(call);
  const db = call.sql;
  let area: string;
  let closedOnly = false;
  if (isPlaceTool(input.type)) {
    if (input.caseId !== null)
      throw new ConcordatError('VALIDATION', 'A Public Spaces Protection Order is made on a place, not on a case.', { field: 'caseId' });
    if (input.area === null || input.area === '')
      throw new ConcordatError('VALIDATION', 'A Public Spaces Protection Order needs its area.', { field: 'area' });
    if (input.prohibitions.length === 0)
      throw new ConcordatError('VALIDATION', 'A Public Spaces Protection Order needs at least one prohibition or requirement.', {
        field: 'prohibitions',
      });
    area = input.area;
  } else {
    if (input.caseId === null)
      throw new ConcordatError('VALIDATION', `A ${ENFORCEMENT_LABELS[input.type]} is recorded on a case.`, { field: 'caseId' });
    const c = await store.visibleCase(db, viewer, input.caseId);
    if (!c) throw new ConcordatError('NOT_FOUND', `There is no case ${input.caseId}.`, { field: 'caseId' });
    area = input.area ?? c.area;
    closedOnly = c.closed_only === 1;
  }
  if (input.powerOfArrest && input.type !== 'civil_injunction') {
    throw new ConcordatError('VALIDATION', 'Only a Civil Injunction carries a power of arrest.', { field: 'powerOfArrest' });
  }
  const required = PREREQUISITE[input.type];
  if (required !== undefined) {
    if (input.priorId === null) {
      throw new ConcordatError(
        'INVALID_TRANSITION',
        `A ${ENFORCEMENT_LABELS[input.type]} needs a prior ${ENFORCEMENT_LABELS[required]} on the same case.`,
        { field: 'priorId' },
      );
    }
    const prior = await store.priorOnCase(db, input.caseId ?? 0, input.priorId);
    if (!prior || prior.type !== required) {
      throw new ConcordatError('INVALID_TRANSITION', `Record ${input.priorId} is not a ${ENFORCEMENT_LABELS[required]} on this case.`, {
        field: 'priorId',
      });
    }
  } else if (input.priorId !== null) {
    throw new ConcordatError('VALIDATION', `A ${ENFORCEMENT_LABELS[input.type]} does not follow an earlier step.`, { field: 'priorId' });
  }
  const dates: EnforcementDates = {
    issued: input.issued,
    served: input.served,
    hearing: input.hearing,
    granted: input.granted,
    expiry: input.expiry,
  };
  refuse('VALIDATION', checkEnforcementDates(dates));
  const organisation = await store.organisation(db, input.organisationId);
  if (!organisation)
    throw new ConcordatError('NOT_FOUND', `There is no organisation ${input.organisationId}.`, { field: 'organisationId' });
  if (input.decisionId !== null) {
    const d = await store.decision(db, viewer, input.decisionId);
    if (!d) throw new ConcordatError('NOT_FOUND', `There is no minutes decision ${input.decisionId}.`, { field: 'decisionId' });
    if (d.case_id !== null && d.case_id !== input.caseId)
      throw new ConcordatError('VALIDATION', 'That decision is about another case.', { field: 'decisionId' });
    if (d.closed_only === 1) closedOnly = true;
  }
  if (closedOnly && !mayMarkClosedOnly(viewer.role))
    throw new ConcordatError('FORBIDDEN', 'Only statutory partners can record closed-only enforcement.', { field: 'caseId' });
  const at = now();
  const id = await store.insertEnforcement(db, {
    type: input.type,
    case_id: input.caseId,
    area,
    location: input.location,
    prohibitions: JSON.stringify(input.prohibitions),
    power_of_arrest: input.powerOfArrest,
    stage: input.stage,
    organisation_id: input.organisationId,
    issued_on: input.issued,
    served_on: input.served,
    hearing_on: input.hearing,
    granted_on: input.granted,
    expiry_on: input.expiry,
    conditions: input.conditions,
    decision_id: input.decisionId,
    prior_id: input.priorId,
    closed_only: closedOnly,
    created_at: at,
    created_by: viewer.userId,
    updated_at: at,
    updated_by: viewer.userId,
  });
  call.note({ entityType: 'enforcement', entityId: id, details: { type: input.type, caseId: input.caseId, decisionId: input.decisionId } });
  return loaded(db, viewer, id);
};

export const updateEnforcement: Handler<'enforcement.update'> = async (call, input) => {
  const viewer = viewerOf(call);
  const row = await requireEnforcement(call.sql, viewer, input.enforcementId);
  const was = datesOf(row);
  const next: EnforcementDates = {
    issued: input.issued === undefined ? was.issued : input.issued,
    served: input.served === undefined ? was.served : input.served,
    hearing: input.hearing === undefined ? was.hearing : input.hearing,
    granted: input.granted === undefined ? was.granted : input.granted,
    expiry: input.expiry === undefined ? was.expiry : input.expiry,
  };
  refuse('VALIDATION', checkEnforcementDates(next));
  await store.updateEnforcement(call.sql, row.id, {
    stage: input.stage,
    issued_on: next.issued,
    served_on: next.served,
    hearing_on: next.hearing,
    granted_on: next.granted,
    expiry_on: next.expiry,
    conditions: input.conditions,
    updated_at: now(),
    updated_by: viewer.userId,
  });
  call.note({
    entityType: 'enforcement',
    entityId: row.id,
    details: {
      fields: Object.keys(input)
        .filter((k) => k !== 'enforcementId')
        .sort(),
    },
  });
  return loaded(call.sql, viewer, row.id);
};

export const addBreach: Handler<'enforcement.addBreach'> = async (call, input) => {
  const viewer = viewerOf(call);
  const row = await requireEnforcement(call.sql, viewer, input.enforcementId);
  if (row.stage === 'refused')
    throw new ConcordatError('INVALID_TRANSITION', 'A refused application cannot be breached.', { field: 'enforcementId' });
  refuse('VALIDATION', checkBreachDate(datesOf(row), input.date));
  await store.insertBreach(call.sql, {
    enforcement_id: row.id,
    date: input.date,
    reported_by: input.reportedBy,
    action_taken: input.actionTaken,
    recorded_by: viewer.userId,
    recorded_at: now(),
  });
  call.note({ entityType: 'enforcement', entityId: row.id, details: { breach: input.date } });
  return loaded(call.sql, viewer, row.id);
};

export const updateBreach: Handler<'enforcement.updateBreach'> = async (call, input) => {
  const viewer = viewerOf(call);
  const row = await requireEnforcement(call.sql, viewer, input.enforcementId);
  const breach = await store.breachOf(call.sql, row.id, input.breachId);
  if (!breach)
    throw new ConcordatError('NOT_FOUND', `There is no breach ${input.breachId} of enforcement record ${row.id}.`, { field: 'breachId' });
  if (input.date !== undefined) refuse('VALIDATION', checkBreachDate(datesOf(row), input.date));
  await store.updateBreach(call.sql, breach.id, {
    ...(input.date === undefined ? {} : { date: input.date }),
    ...(input.reportedBy === undefined ? {} : { reported_by: input.reportedBy }),
    ...(input.actionTaken === undefined ? {} : { action_taken: input.actionTaken }),
  });
  call.note({
    entityType: 'enforcement',
    entityId: row.id,
    details: {
      breachId: breach.id,
      fields: Object.keys(input)
        .filter((k) => k !== 'enforcementId' && k !== 'breachId')
        .sort(),
    },
  });
  return loaded(call.sql, viewer, row.id);
};

export const getEnforcement: Handler<'enforcement.get'> = async (call, input) => {
  call.note({ entityType: 'enforcement', entityId: input.enforcementId });
  return loaded(call.sql, viewerOf(call), input.enforcementId);
};

export const listEnforcement: Handler<'enforcement.list'> = async (call, input) => {
  const enforcement = await store.listEnforcement(call.sql, viewerOf(call), input, input.today ?? localToday());
  call.note({ details: { filter: Object.keys(input).sort(), count: enforcement.length } });
  return { enforcement };
};

// ── escalation ────────────────────────────────────────────────────────────────────────────────────────

export const refer: Handler<'escalations.refer'> = async (call, input) => {
  const viewer = viewerOf(call);
  const c = await store.visibleCase(call.sql, viewer, input.caseId);
  if (!c) throw new ConcordatError('NOT_FOUND', `There is no case ${input.caseId}.`, { field: 'caseId' });
  const id = await store.insertEscalation(call.sql, {
    case_id: c.id,
    kind: input.kind,
    referred_on: input.referredOn,
    referred_by: viewer.userId,
    shared: input.shared,
    recipients: input.recipients,
    created_at: now(),
  });
  call.note({ entityType: 'case', entityId: c.id, recipients: input.recipients, details: { escalationId: id, kind: input.kind } });
  const escalation = await store.loadEscalation(call.sql, viewer, id);
  return { escalation: escalation! };
};

export const recordOutcome: Handler<'escalations.recordOutcome'> = async (call, input) => {
  const viewer = viewerOf(call);
  const escalation = await store.loadEscalation(call.sql, viewer, input.escalationId);
  if (!escalation) throw new ConcordatError('NOT_FOUND', `There is no escalation ${input.escalationId}.`, { field: 'escalationId' });
  if (input.returnedOn < escalation.referredOn)
    throw new ConcordatError('VALIDATION', 'It cannot come back before it was referred.', { field: 'returnedOn' });
  await store.setEscalationOutcome(call.sql, escalation.id, input.outcome, input.returnedOn);
  call.note({ entityType: 'escalation', entityId: escalation.id });
  return { escalation: (await store.loadEscalation(call.sql, viewer, escalation.id))! };
};

export const listEscalations: Handler<'escalations.list'> = async (call, input) => {
  call.note({ entityType: 'case', entityId: input.caseId });
  return { escalations: await store.escalationsOfCase(call.sql, viewerOf(call), input.caseId) };
};

// ── Community Trigger ─────────────────────────────────────────────────────────────────────────────────

async function requireTrigger(db: Sql, viewer: Viewer, id: number): Promise<store.TriggerRow> {
  const row = await store.triggerRow(db, viewer, id);
  if (!row) throw new ConcordatError('NOT_FOUND', `There is no Community Trigger ${id}.`, { field: 'triggerId' });
  return row;
}

async function triggerOut(db: Sql, viewer: Viewer, id: number): Promise<{ trigger: Trigger }> {
  return { trigger: (await store.loadTrigger(db, viewer, id))! };
}

export const applyTrigger: Handler<'triggers.apply'> = async (call, input) => {
  const viewer = viewerOf(call);
  if (input.caseId !== null && !(await store.visibleCase(call.sql, viewer, input.caseId))) {
    throw new ConcordatError('NOT_FOUND', `There is no case ${input.caseId}.`, { field: 'caseId' });
  }
  const late = input.incidents.findIndex((i) => i.date > input.applicationDate);
  if (late >= 0)
    throw new ConcordatError('VALIDATION', 'An incident cannot come after the application.', { field: `incidents.${late}.date` });
  const threshold = input.threshold ?? DEFAULT_TRIGGER_THRESHOLD;
  const id = await store.insertTrigger(
    call.sql,
    {
      area: input.area,
      applicant: input.applicant,
      consent: input.consent,
      on_behalf_of: input.onBehalfOf,
      application_date: input.applicationDate,
      case_id: input.caseId,
      persistent_harm: input.persistentHarm,
      threshold_complaints: threshold.complaints,
      threshold_days: threshold.windowDays,
      status: 'received',
      created_at: now(),
      created_by: viewer.userId,
    },
    input.incidents,
  );
  call.note({ entityType: 'community_trigger', entityId: id, details: { incidents: input.incidents.length } });
  return triggerOut(call.sql, viewer, id);
};

export const decideTrigger: Handler<'triggers.decide'> = async (call, input) => {
  const viewer = viewerOf(call);
  const row = await requireTrigger(call.sql, viewer, input.triggerId);
  refuse('INVALID_TRANSITION', checkTriggerStep(row.status, 'decide'));
  if (input.decidedOn < row.application_date)
    throw new ConcordatError('VALIDATION', 'The decision cannot come before the application.', { field: 'decidedOn' });
  if (!input.met && input.reasons.trim() === '')
    throw new ConcordatError('VALIDATION', 'Say why the threshold is not met: the reasons go in the letter to the applicant.', {
      field: 'reasons',
    });
  await store.updateTrigger(call.sql, row.id, {
    status: input.met ? 'threshold_met' : 'threshold_not_met',
    decided_on: input.decidedOn,
    decision_met: input.met ? 1 : 0,
    decision_reasons: input.reasons,
  });
  call.note({ entityType: 'community_trigger', entityId: row.id, details: { met: input.met } });
  return triggerOut(call.sql, viewer, row.id);
};

export const recordReview: Handler<'triggers.recordReview'> = async (call, input) => {
  const viewer = viewerOf(call);
  const row = await requireTrigger(call.sql, viewer, input.triggerId);
  refuse('INVALID_TRANSITION', checkTriggerStep(row.status, 'review'));
  if (row.decided_on !== null && input.reviewDate < row.decided_on)
    throw new ConcordatError('VALIDATION', 'The review cannot come before the decision.', { field: 'reviewDate' });
  await store.updateTrigger(call.sql, row.id, { status: 'review_held', review_date: input.reviewDate, review_notes: input.notes });
  call.note({ entityType: 'community_trigger', entityId: row.id });
  return triggerOut(call.sql, viewer, row.id);
};

export const addRecommendation: Handler<'triggers.addRecommendation'> = async (call, input) => {
  const viewer = viewerOf(call);
  const row = await requireTrigger(call.sql, viewer, input.triggerId);
  refuse('INVALID_TRANSITION', checkTriggerStep(row.status, 'recommend'));
  if (row.review_date !== null && input.due < row.review_date)
    throw new ConcordatError('VALIDATION', 'A recommendation cannot be due before the review that made it.', { field: 'due' });
  await store.insertRecommendation(call.sql, { trigger_id: row.id, text: input.text, owner: input.owner, due: input.due });
  call.note({ entityType: 'community_trigger', entityId: row.id });
  return triggerOut(call.sql, viewer, row.id);
};

export const closeTrigger: Handler<'triggers.close'> = async (call, input) => {
  const viewer = viewerOf(call);
  const row = await requireTrigger(call.sql, viewer, input.triggerId);
  refuse('INVALID_TRANSITION', checkTriggerStep(row.status, 'close'));
  await store.updateTrigger(call.sql, row.id, { status: 'closed', outcome: input.outcome, appeal: input.appeal });
  call.note({ entityType: 'community_trigger', entityId: row.id });
  return triggerOut(call.sql, viewer, row.id);
};

export const getTrigger: Handler<'triggers.get'> = async (call, input) => {
  const viewer = viewerOf(call);
  await requireTrigger(call.sql, viewer, input.triggerId);
  call.note({ entityType: 'community_trigger', entityId: input.triggerId });
  return triggerOut(call.sql, viewer, input.triggerId);
};

export const listTriggers: Handler<'triggers.list'> = async (call, input) => ({
  triggers: await store.listTriggers(call.sql, viewerOf(call), input.area),
});

export const recordActivity: Handler<'activities.record'> = async (call, input) => {
  const id = await store.insertActivity(call.sql, { ...input, created_at: now(), created_by: viewerOf(call).userId });
  call.note({ entityType: 'activity', entityId: id, details: { kind: input.kind } });
  return { id };
};

// ── outcome indicators ────────────────────────────────────────────────────────────────────────────────

function emptyRow(period: string): IndicatorRow {
  return {
    period,
    interventions: 0,
    casesClosed: 0,
    casesResolved: 0,
    percentResolved: null,
    enforcementByType: {},
    breaches: 0,
    escalations: 0,
    faceThePublic: 0,
    communityTension: 0,
    triggersReceived: 0,
    triggersThresholdNotMet: 0,
    triggerReviewsHeld: 0,
    triggerReviewsWithRecommendations: 0,
  };
}

/** Interventions are enforcement records issued plus escalations referred; "resolved" is the share of cases closed in the period with the outcome resolved. */
export const indicators: Handler<'outcomes.indicators'> = async (call, input) => {
  const counts = await countIndicators(call.sql, { from: input.from, to: input.to, area: input.area, granularity: input.granularity });
  const rows = new Map(periodsBetween(input.from, input.to, input.granularity).map((p) => [p, emptyRow(p)]));
  const total = emptyRow('total');
  const add = (period: string, f: (r: IndicatorRow) => void) => {
    const row = rows.get(period) ?? emptyRow(period);
    rows.set(period, row);
    f(row);
    f(total);
  };
  for (const c of counts.enforcement!)
    add(c.period, (r) => {
      r.interventions += c.n;
      r.enforcementByType[c.key] = (r.enforcementByType[c.key] ?? 0) + c.n;
    });
  for (const c of counts.escalations!)
    add(c.period, (r) => {
      r.interventions += c.n;
      r.escalations += c.n;
    });
  for (const c of counts.closed!)
    add(c.period, (r) => {
      r.casesClosed += c.n;
      if (c.key === 'resolved') r.casesResolved += c.n;
    });
  for (const c of counts.breaches!)
    add(c.period, (r) => {
      r.breaches += c.n;
    });
  for (const c of counts.activities!)
    add(c.period, (r) => {
      if (c.key === 'face_the_public') r.faceThePublic += c.n;
      else r.communityTension += c.n;
    });
  for (const c of counts.received!)
    add(c.period, (r) => {
      r.triggersReceived += c.n;
    });
  for (const c of counts.notMet!)
    add(c.period, (r) => {
      r.triggersThresholdNotMet += c.n;
    });
  for (const c of counts.reviews!)
    add(c.period, (r) => {
      r.triggerReviewsHeld += c.n;
      if (c.key === 'with') r.triggerReviewsWithRecommendations += c.n;
    });
  for (const r of [...rows.values(), total]) r.percentResolved = percentage(r.casesResolved, r.casesClosed);
  call.note({ details: { from: input.from, to: input.to, granularity: input.granularity, area: input.area !== undefined } });
  const head = await auditHead(call.sql);
  return { rows: [...rows.values()].sort((a, b) => a.period.localeCompare(b.period)), total, auditHead: head };
};

export const enforcementHandlers = {
  'enforcement.record': recordEnforcement,
  'enforcement.update': updateEnforcement,
  'enforcement.addBreach': addBreach,
  'enforcement.updateBreach': updateBreach,
  'enforcement.get': getEnforcement,
  'enforcement.list': listEnforcement,
  'escalations.refer': refer,
  'escalations.recordOutcome': recordOutcome,
  'escalations.list': listEscalations,
  'triggers.apply': applyTrigger,
  'triggers.decide': decideTrigger,
  'triggers.recordReview': recordReview,
  'triggers.addRecommendation': addRecommendation,
  'triggers.close': closeTrigger,
  'triggers.get': getTrigger,
  'triggers.list': listTriggers,
  'activities.record': recordActivity,
  'outcomes.indicators': indicators,
} as const;
