// Enforcement under the Anti-social Behaviour, Crime and Policing Act 2014, escalation to a Disruption
// Planning Meeting or a Task and Finish Group, the ASB Case Review (Community Trigger), partnership
// activities (Face the Public, community tension) and the outcome indicators of the terms of reference.
// Who may call what: everyone reads enforcement on the cases they may see; statutory partners and the
// manager record it, escalate, run Community Triggers and read the indicators. Anything on a closed-only
// case is closed-only (`closedOnly`), as cases are.
import { z } from 'zod';
import { defineOperation, ALL_ROLES } from '../operation.js';
import { auditHeadSchema, idSchema, requiredText, text } from '../common.js';
import { classified } from '../fields.js';
import {
  ACTIVITY_KINDS,
  ENFORCEMENT_STAGES,
  ENFORCEMENT_TYPES,
  ESCALATION_KINDS,
  PERIOD_GRANULARITIES,
  TRIGGER_STATUSES,
} from '../../domain/enforcement.js';
import { isoDate, userRefSchema } from './people.js';

const RUN: readonly ['manager', 'statutory'] = ['manager', 'statutory'];
const safeId = classified(idSchema, 'safe');
const safeBool = classified(z.boolean(), 'safe');
const safeInt = classified(z.number().int(), 'safe');
const date = classified(isoDate, 'safe');
const dateOut = classified(z.string(), 'safe');
const maybeDate = classified(isoDate.nullable(), 'safe');
const maybeDateOut = classified(z.string().nullable(), 'safe');
const freeText = (max: number) => classified(text(max), 'free_text');
const requiredFreeText = (max: number) => classified(requiredText(max), 'free_text');
const area = classified(requiredText(100), 'quasi_identifier');
const caseRef = z.object({ id: safeId, reference: classified(z.string(), 'direct_identifier') });
const organisationRef = z.object({ id: safeId, name: classified(z.string(), 'quasi_identifier') });
const enforcementType = classified(z.enum(ENFORCEMENT_TYPES), 'safe');
const stage = classified(z.enum(ENFORCEMENT_STAGES), 'safe');

// ── enforcement ───────────────────────────────────────────────────────────────────────────────────────

const datesInput = {
  issued: maybeDate.default(null),
  served: maybeDate.default(null),
  hearing: maybeDate.default(null),
  granted: maybeDate.default(null),
  expiry: maybeDate.default(null),
};

export const enforcementRecordInput = z
  .object({
    type: enforcementType,
    /** The case (people); null only for a PSPO, which is made on a place. */
    caseId: safeId.nullable().default(null),
    /** A PSPO's area (required for one); otherwise the case's area is used. */
    area: classified(text(100).nullable(), 'quasi_identifier').default(null),
    /** A PSPO's location, e.g. "Victoria Common and the streets around it". */
    location: classified(text(300).nullable(), 'quasi_identifier').default(null),
    prohibitions: classified(z.array(requiredText(500)).max(30), 'free_text').default([]),
    /** Civil Injunction only. */
    powerOfArrest: safeBool.default(false),
    stage: stage.default('issued'),
    organisationId: safeId,
    ...datesInput,
    conditions: freeText(4000).default(''),
    /** The minutes decision it came from, if any. */
    decisionId: safeId.nullable().default(null),
    /** The earlier step it follows (a CPW for a CPN, a Closure Notice for a Closure Order): required for those. */
    priorId: safeId.nullable().default(null),
  })
  .strict();
export type EnforcementRecordInput = z.output<typeof enforcementRecordInput>;

export const enforcementUpdateInput = z
  .object({
    enforcementId: safeId,
    stage: stage.optional(),
    issued: maybeDate.optional(),
    served: maybeDate.optional(),
    hearing: maybeDate.optional(),
    granted: maybeDate.optional(),
    expiry: maybeDate.optional(),
    conditions: freeText(4000).optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).some((k) => k !== 'enforcementId'), { message: 'changes nothing: give at least one field' });
export type EnforcementUpdateInput = z.output<typeof enforcementUpdateInput>;

export const breachSchema = z.object({
  id: safeId,
  date: dateOut,
  reportedBy: classified(z.string(), 'quasi_identifier'),
  actionTaken: classified(z.string(), 'free_text'),
  recordedBy: userRefSchema,
  recordedAt: dateOut,
});

export const enforcementUpdateBreachInput = z
  .object({
    enforcementId: safeId,
    breachId: safeId,
    date: date.optional(),
    reportedBy: classified(requiredText(200), 'quasi_identifier').optional(),
    actionTaken: requiredFreeText(2000).optional(),
  })
  .strict()
  .refine((p) => p.date !== undefined || p.reportedBy !== undefined || p.actionTaken !== undefined, {
    message: 'changes nothing: give at least one field',
  });
export type EnforcementUpdateBreachInput = z.output<typeof enforcementUpdateBreachInput>;

export const enforcementSchema = z.object({
  id: safeId,
  type: enforcementType,
  case: caseRef.nullable(),
  area: classified(z.string(), 'quasi_identifier'),
  location: classified(z.string().nullable(), 'quasi_identifier'),
  prohibitions: classified(z.array(z.string()), 'free_text'),
  powerOfArrest: safeBool,
  stage,
  organisation: organisationRef,
  issued: maybeDateOut,
  served: maybeDateOut,
  hearing: maybeDateOut,
  granted: maybeDateOut,
  expiry: maybeDateOut,
  conditions: classified(z.string(), 'free_text'),
  decision: z.object({ id: safeId, meetingId: safeId, meetingDate: dateOut, agendaItemId: safeId }).nullable(),
  priorId: classified(idSchema.nullable(), 'safe'),
  breaches: z.array(breachSchema),
  closedOnly: safeBool,
  createdAt: dateOut,
});
export type Enforcement = z.infer<typeof enforcementSchema>;

export const enforcementListInput = z
  .object({
    caseId: safeId.optional(),
    type: enforcementType.optional(),
    area: classified(requiredText(100), 'quasi_identifier').optional(),
    /** Only those whose expiry falls from today up to today + N days. */
    expiringWithinDays: classified(z.number().int().min(0).max(3650), 'safe').optional(),
    /** Only those with at least one breach. */
    breached: safeBool.optional(),
    /** The day "today" is counted from; defaults to the local date. */
    today: date.optional(),
  })
  .strict();
export type EnforcementListInput = z.output<typeof enforcementListInput>;

// ── escalation ────────────────────────────────────────────────────────────────────────────────────────

export const escalationSchema = z.object({
  id: safeId,
  case: caseRef,
  kind: classified(z.enum(ESCALATION_KINDS), 'safe'),
  referredOn: dateOut,
  referredBy: userRefSchema,
  shared: classified(z.string(), 'free_text'),
  recipients: classified(z.array(z.string()), 'quasi_identifier'),
  outcome: classified(z.string().nullable(), 'free_text'),
  returnedOn: maybeDateOut,
  closedOnly: safeBool,
});
export type Escalation = z.infer<typeof escalationSchema>;

export const ESCALATION_STATES = ['open', 'returned'] as const;

export const escalationListInput = z
  .object({
    /** One case's escalations; without it, every case the caller may see. */
    caseId: safeId.optional(),
    /** open: no outcome yet; returned: the outcome has come back. */
    status: classified(z.enum(ESCALATION_STATES), 'safe').optional(),
    kind: classified(z.enum(ESCALATION_KINDS), 'safe').optional(),
    /** The case's area. */
    area: area.optional(),
    /** Referred on or after. */
    from: date.optional(),
    /** Referred on or before. */
    to: date.optional(),
  })
  .strict()
  .refine((p) => p.from === undefined || p.to === undefined || p.from <= p.to, {
    message: 'the period must end on or after its start',
    path: ['to'],
  });
export type EscalationListInput = z.output<typeof escalationListInput>;

// ── Community Trigger ─────────────────────────────────────────────────────────────────────────────────

const incidentInput = z
  .object({
    date,
    agency: classified(requiredText(200), 'quasi_identifier'),
    reference: classified(text(100), 'direct_identifier').default(''),
  })
  .strict();

export const triggerApplyInput = z
  .object({
    area,
    applicant: classified(requiredText(200), 'direct_identifier'),
    /** The applicant's consent to share their details with the partners reviewing it. */
    consent: safeBool,
    /** Someone applying on the victim's behalf (a councillor, a carer); null when the victim applies. */
    onBehalfOf: classified(text(200).nullable(), 'direct_identifier').default(null),
    applicationDate: date,
    caseId: safeId.nullable().default(null),
    incidents: z.array(incidentInput).max(200).default([]),
    /** The local test: persistent harm to the victim, whatever the number of complaints. */
    persistentHarm: safeBool.default(false),
    /** The partnership's threshold; null for the default (three complaints in six months). */
    threshold: z
      .object({
        complaints: classified(z.number().int().min(1).max(20), 'safe'),
        windowDays: classified(z.number().int().min(1).max(730), 'safe'),
      })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();
export type TriggerApplyInput = z.output<typeof triggerApplyInput>;

export const triggerSchema = z.object({
  id: safeId,
  area: classified(z.string(), 'quasi_identifier'),
  applicant: classified(z.string(), 'direct_identifier'),
  consent: safeBool,
  onBehalfOf: classified(z.string().nullable(), 'direct_identifier'),
  applicationDate: dateOut,
  case: caseRef.nullable(),
  incidents: z.array(
    z.object({
      id: safeId,
      date: dateOut,
      agency: classified(z.string(), 'quasi_identifier'),
      reference: classified(z.string(), 'direct_identifier'),
    }),
  ),
  threshold: z.object({ complaints: safeInt, windowDays: safeInt }),
  test: z.object({ qualifyingComplaints: safeInt, complaintsMet: safeBool, persistentHarm: safeBool, met: safeBool }),
  status: classified(z.enum(TRIGGER_STATUSES), 'safe'),
  decidedOn: maybeDateOut,
  decisionReasons: classified(z.string().nullable(), 'free_text'),
  /** Days from application to decision, and whether within the partnership's time limit. */
  decisionDays: classified(z.number().int().nullable(), 'safe'),
  reviewDate: maybeDateOut,
  reviewNotes: classified(z.string().nullable(), 'free_text'),
  recommendations: z.array(
    z.object({ id: safeId, text: classified(z.string(), 'free_text'), owner: classified(z.string(), 'quasi_identifier'), due: dateOut }),
  ),
  outcome: classified(z.string().nullable(), 'free_text'),
  appeal: classified(z.string().nullable(), 'free_text'),
  closedOnly: safeBool,
});
export type Trigger = z.infer<typeof triggerSchema>;

// ── outcome indicators ────────────────────────────────────────────────────────────────────────────────

export const indicatorRowSchema = z.object({
  period: classified(z.string(), 'safe'),
  interventions: safeInt,
  casesClosed: safeInt,
  casesResolved: safeInt,
  percentResolved: classified(z.number().nullable(), 'safe'),
  enforcementByType: classified(z.record(z.string(), z.number().int()), 'safe'),
  breaches: safeInt,
  escalations: safeInt,
  faceThePublic: safeInt,
  communityTension: safeInt,
  triggersReceived: safeInt,
  triggersThresholdNotMet: safeInt,
  triggerReviewsHeld: safeInt,
  triggerReviewsWithRecommendations: safeInt,
});
export type IndicatorRow = z.infer<typeof indicatorRowSchema>;

const triggerId = safeId;

export const enforcementOperations = {
  'enforcement.record': defineOperation({
    summary:
      'Records an enforcement tool under the 2014 Act on a case (or a PSPO on a place): stage, organisation, dates, conditions, the minutes decision it came from. A CPN needs a prior CPW, a Closure Order a prior Closure Notice; impossible dates are refused.',
    input: enforcementRecordInput,
    output: z.object({ enforcement: enforcementSchema }),
    access: RUN,
    audit: { kind: 'collection', entity: 'enforcement' },
  }),
  'enforcement.update': defineOperation({
    summary:
      'Moves an enforcement record on: its stage, dates (served, hearing, granted, expiry) and conditions. Impossible dates are refused.',
    input: enforcementUpdateInput,
    output: z.object({ enforcement: enforcementSchema }),
    access: RUN,
    audit: { kind: 'alteration', entity: 'enforcement' },
  }),
  'enforcement.addBreach': defineOperation({
    summary: 'Records a breach: the date (while the measure was in force), who reported it, the action taken.',
    input: z
      .object({
        enforcementId: safeId,
        date,
        reportedBy: classified(requiredText(200), 'quasi_identifier'),
        actionTaken: requiredFreeText(2000),
      })
      .strict(),
    output: z.object({ enforcement: enforcementSchema }),
    access: RUN,
    audit: { kind: 'collection', entity: 'enforcement' },
  }),
  'enforcement.updateBreach': defineOperation({
    summary:
      'Corrects a breach recorded on an enforcement record: its date (still while the measure was in force), who reported it, the action taken.',
    input: enforcementUpdateBreachInput,
    output: z.object({ enforcement: enforcementSchema }),
    access: RUN,
    audit: { kind: 'alteration', entity: 'enforcement' },
  }),
  'enforcement.get': defineOperation({
    summary: 'One enforcement record with its breaches.',
    input: z.object({ enforcementId: safeId }).strict(),
    output: z.object({ enforcement: enforcementSchema }),
    access: ALL_ROLES,
    audit: { kind: 'consultation', entity: 'enforcement' },
  }),
  'enforcement.list': defineOperation({
    summary: 'Lists enforcement: for a case, by type and area, expiring within N days, breached.',
    input: enforcementListInput,
    output: z.object({ enforcement: z.array(enforcementSchema) }),
    access: ALL_ROLES,
    audit: { kind: 'consultation', entity: 'enforcement' },
  }),
  'escalations.refer': defineOperation({
    summary:
      'Refers a case to a Disruption Planning Meeting or a Task and Finish Group; what was shared is logged as a disclosure to the recipients.',
    input: z
      .object({
        caseId: safeId,
        kind: classified(z.enum(ESCALATION_KINDS), 'safe'),
        referredOn: date,
        shared: requiredFreeText(4000),
        recipients: classified(z.array(requiredText(200)).min(1, { message: 'name at least one recipient' }).max(20), 'quasi_identifier'),
      })
      .strict(),
    output: z.object({ escalation: escalationSchema }),
    access: RUN,
    audit: { kind: 'disclosure', entity: 'escalation' },
  }),
  'escalations.recordOutcome': defineOperation({
    summary: 'Records what came back from an escalation, and when.',
    input: z.object({ escalationId: safeId, outcome: requiredFreeText(4000), returnedOn: date }).strict(),
    output: z.object({ escalation: escalationSchema }),
    access: RUN,
    audit: { kind: 'alteration', entity: 'escalation' },
  }),
  'escalations.list': defineOperation({
    summary:
      "Escalations: a case's, or across the partnership's cases the caller may see, by whether the outcome has come back, by kind (DPM or TFG), by the case's area and by the date referred.",
    input: escalationListInput,
    output: z.object({ escalations: z.array(escalationSchema) }),
    access: RUN,
    audit: { kind: 'consultation', entity: 'case' },
  }),
  'triggers.apply': defineOperation({
    summary:
      'Receives an ASB Case Review (Community Trigger) application with its incidents; the threshold test is computed (default three complaints in six months, or persistent harm).',
    input: triggerApplyInput,
    output: z.object({ trigger: triggerSchema }),
    access: RUN,
    audit: { kind: 'collection', entity: 'community_trigger' },
  }),
  'triggers.decide': defineOperation({
    summary: 'Decides whether the threshold is met, with reasons (required when it is not: they go in the letter).',
    input: z.object({ triggerId, met: safeBool, reasons: freeText(4000).default(''), decidedOn: date }).strict(),
    output: z.object({ trigger: triggerSchema }),
    access: RUN,
    audit: { kind: 'alteration', entity: 'community_trigger' },
  }),
  'triggers.recordReview': defineOperation({
    summary: 'Records the case review meeting on a trigger whose threshold was met.',
    input: z.object({ triggerId, reviewDate: date, notes: freeText(4000).default('') }).strict(),
    output: z.object({ trigger: triggerSchema }),
    access: RUN,
    audit: { kind: 'alteration', entity: 'community_trigger' },
  }),
  'triggers.addRecommendation': defineOperation({
    summary: 'Adds a recommendation of the review, with its owner and date.',
    input: z
      .object({ triggerId, text: requiredFreeText(2000), owner: classified(requiredText(200), 'quasi_identifier'), due: date })
      .strict(),
    output: z.object({ trigger: triggerSchema }),
    access: RUN,
    audit: { kind: 'alteration', entity: 'community_trigger' },
  }),
  'triggers.close': defineOperation({
    summary: 'Closes a trigger with its outcome, and the appeal if the applicant asked for one.',
    input: z.object({ triggerId, outcome: requiredFreeText(4000), appeal: freeText(4000).nullable().default(null) }).strict(),
    output: z.object({ trigger: triggerSchema }),
    access: RUN,
    audit: { kind: 'alteration', entity: 'community_trigger' },
  }),
  'triggers.get': defineOperation({
    summary: 'One Community Trigger.',
    input: z.object({ triggerId }).strict(),
    output: z.object({ trigger: triggerSchema }),
    access: RUN,
    audit: { kind: 'consultation', entity: 'community_trigger' },
  }),
  'triggers.list': defineOperation({
    summary: 'Community Triggers, newest first, optionally for an area or linked to a case.',
    input: z.object({ area: area.optional(), caseId: safeId.optional() }).strict(),
    output: z.object({ triggers: z.array(triggerSchema) }),
    access: RUN,
    audit: { kind: 'consultation', entity: 'community_trigger' },
  }),
  'activities.record': defineOperation({
    summary: 'Records a partnership activity the terms of reference count: a Face the Public session or community tension activity.',
    input: z.object({ kind: classified(z.enum(ACTIVITY_KINDS), 'safe'), date, area, description: freeText(2000).default('') }).strict(),
    output: z.object({ id: safeId }),
    access: RUN,
    audit: { kind: 'collection', entity: 'activity' },
  }),
  'outcomes.indicators': defineOperation({
    summary:
      'The outcome indicators of the terms of reference for a period and area, by month or quarter: interventions and the percentage resolved, enforcement, escalations, Face the Public, community tension, and the Community Trigger figures councils publish.',
    input: z
      .object({
        from: date,
        to: date,
        area: area.optional(),
        granularity: classified(z.enum(PERIOD_GRANULARITIES), 'safe').default('whole'),
      })
      .strict()
      .refine((p) => p.from <= p.to, { message: 'the period must end on or after its start', path: ['to'] }),
    // auditHead: printed on the CSV the screen offers, so that copy can later anchor the chain.
    output: z.object({ rows: z.array(indicatorRowSchema), total: indicatorRowSchema, auditHead: auditHeadSchema.nullable() }),
    access: RUN,
    audit: { kind: 'consultation', entity: 'outcomes' },
    // Counts only: nothing about a data subject.
    justification: false,
  }),
};
