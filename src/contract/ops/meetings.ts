// Meetings: scheduling, attendance and the confidentiality statement, the agenda, minutes with the
// chair's approval and addenda, and actions reviewed from meeting to meeting.
// Who may call what: managers everything; statutory partners run meetings, minutes and actions;
// non-statutory members read open meetings (with closed-only paragraphs, spans, decisions, addenda and
// actions removed) and their own organisation's actions, and may raise an open case for an open meeting.
// Every object that can carry closed-meeting-only content says so in `closedOnly`, as cases do: the
// dispatcher refuses to hand a non-statutory caller any output in which that flag is true, so the
// services strip such objects (and cut closed-only spans out of text) before answering.
import { z } from 'zod';
import { defineOperation, ALL_ROLES } from '../operation.js';
import { idSchema, requiredText, text } from '../common.js';
import { classified } from '../fields.js';
import { CASE_OUTCOMES, CASE_STATUSES } from '../../domain/lifecycle.js';
import { HARM_LEVELS } from '../../domain/risk.js';
import {
  ACTION_REVIEW_OUTCOMES,
  ACTION_STATUSES,
  AGENDA_ITEM_KINDS,
  ATTENDANCE,
  DECISION_KINDS,
  FAILURE_REASONS,
  MEETING_KINDS,
  MEETING_STATUSES,
  MINUTES_STATUSES,
  PROPOSAL_REASONS,
  TIME_PATTERN,
} from '../../domain/meetings.js';
import { isoDate, userRefSchema } from './people.js';
import { SUPPORT_DECISIONS } from './cases.js';

const safeId = classified(idSchema, 'safe');
const meetingId = safeId;
const agendaItemId = safeId;
const caseId = safeId;
const safeBool = classified(z.boolean(), 'safe');
const safeString = classified(z.string(), 'safe');
const timeSchema = z.string().regex(TIME_PATTERN, { message: 'must be a time written HH:MM (24-hour clock)' });
const freeText = (max: number) => classified(text(max), 'free_text');
const requiredFreeText = (max: number) => classified(requiredText(max), 'free_text');
/** Why something was added, removed, moved or decided: always said. */
const reason = requiredFreeText(1000);

const harm = classified(z.enum(HARM_LEVELS), 'safe');
const caseStatus = classified(z.enum(CASE_STATUSES), 'safe');

// ── meeting ───────────────────────────────────────────────────────────────────────────────────────────

const quorumInput = z
  .object({
    minimumOrganisations: classified(z.number().int().min(1).max(50), 'safe'),
    chairPresent: safeBool,
  })
  .strict();

const meetingFields = {
  kind: classified(z.enum(MEETING_KINDS), 'safe'),
  area: classified(requiredText(100), 'quasi_identifier'),
  date: classified(isoDate, 'safe'),
  startTime: classified(timeSchema, 'safe'),
  endTime: classified(timeSchema.nullable(), 'safe'),
  /** Where it is held; null when online. A Place meeting may name the location it is about in `placeFocus`. */
  place: classified(text(300).nullable(), 'quasi_identifier'),
  online: safeBool,
  placeFocus: classified(text(300).nullable(), 'quasi_identifier'),
  /** Closed: statutory partners only. */
  closed: safeBool,
  chairId: classified(idSchema, 'safe'),
  minuteTakerId: classified(idSchema, 'safe'),
  invitedOrganisationIds: classified(
    z
      .array(idSchema)
      .max(50, { message: 'at most 50 organisations' })
      .refine((ids) => new Set(ids).size === ids.length, { message: 'names the same organisation twice' }),
    'safe',
  ),
  /** null: the terms of reference's default (DEFAULT_QUORUM). */
  quorum: quorumInput.nullable(),
};

export const meetingScheduleInput = z
  .object({
    ...meetingFields,
    endTime: meetingFields.endTime.default(null),
    place: meetingFields.place.default(null),
    online: meetingFields.online.default(false),
    placeFocus: meetingFields.placeFocus.default(null),
    closed: meetingFields.closed.default(true),
    invitedOrganisationIds: meetingFields.invitedOrganisationIds.default([]),
    quorum: meetingFields.quorum.default(null),
  })
  .strict();
export type MeetingScheduleInput = z.output<typeof meetingScheduleInput>;

export const meetingUpdateInput = z
  .object({
    meetingId,
    kind: meetingFields.kind.optional(),
    area: meetingFields.area.optional(),
    date: meetingFields.date.optional(),
    startTime: meetingFields.startTime.optional(),
    endTime: meetingFields.endTime.optional(),
    place: meetingFields.place.optional(),
    online: meetingFields.online.optional(),
    placeFocus: meetingFields.placeFocus.optional(),
    closed: meetingFields.closed.optional(),
    chairId: meetingFields.chairId.optional(),
    minuteTakerId: meetingFields.minuteTakerId.optional(),
    invitedOrganisationIds: meetingFields.invitedOrganisationIds.optional(),
    quorum: meetingFields.quorum.optional(),
    /** Cancelling keeps the meeting (and its audit trail) with its status cancelled. */
    cancelled: safeBool.optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).some((k) => k !== 'meetingId'), { message: 'changes nothing: give at least one field' });
export type MeetingUpdateInput = z.output<typeof meetingUpdateInput>;

const organisationRef = z.object({ id: safeId, name: classified(z.string(), 'quasi_identifier'), statutory: safeBool });

export const quorumSchema = z.object({
  required: classified(z.number().int(), 'safe'),
  chairRequired: safeBool,
  presentOrganisations: classified(z.number().int(), 'safe'),
  chairPresent: safeBool,
  met: safeBool,
  shortfall: classified(z.array(z.string()), 'safe'),
});

/** A meeting as listed: enough to pick it. A closed meeting is closedOnly: non-statutory members never see it. */
export const meetingSummarySchema = z.object({
  id: meetingId,
  kind: classified(z.enum(MEETING_KINDS), 'safe'),
  area: classified(z.string(), 'quasi_identifier'),
  date: classified(z.string(), 'safe'),
  startTime: safeString,
  endTime: classified(z.string().nullable(), 'safe'),
  place: classified(z.string().nullable(), 'quasi_identifier'),
  online: safeBool,
  placeFocus: classified(z.string().nullable(), 'quasi_identifier'),
  closed: safeBool,
  status: classified(z.enum(MEETING_STATUSES), 'safe'),
  minutesStatus: classified(z.enum(MINUTES_STATUSES), 'safe'),
  chair: userRefSchema,
  minuteTaker: userRefSchema,
  agendaItems: classified(z.number().int(), 'safe'),
  closedOnly: safeBool,
});
export type MeetingSummary = z.infer<typeof meetingSummarySchema>;

// ── attendance ────────────────────────────────────────────────────────────────────────────────────────

export const attendeeSchema = z.object({
  id: safeId,
  name: classified(z.string(), 'direct_identifier'),
  organisation: organisationRef,
  /** Their role at the meeting or in their organisation, e.g. "Neighbourhood Inspector". */
  role: classified(z.string(), 'quasi_identifier'),
  user: userRefSchema.nullable(),
  attendance: classified(z.enum(ATTENDANCE), 'safe'),
  arrivedAt: classified(z.string().nullable(), 'safe'),
  leftAt: classified(z.string().nullable(), 'safe'),
  acknowledgement: z.object({ at: safeString, recordedBy: userRefSchema }).nullable(),
  isChair: safeBool,
  isMinuteTaker: safeBool,
});
export type Attendee = z.infer<typeof attendeeSchema>;

// ── agenda ────────────────────────────────────────────────────────────────────────────────────────────

const caseRefSchema = z.object({
  id: caseId,
  reference: classified(z.string(), 'direct_identifier'),
  status: caseStatus,
  overallRisk: harm,
  reviewDate: safeString,
  /** "Already supported elsewhere": the service and the decision, shown beside the case. */
  alreadySupported: z
    .object({ service: classified(z.string(), 'special_category'), decision: classified(z.enum(SUPPORT_DECISIONS), 'safe') })
    .nullable(),
  /** The subjects' names, as the agenda shows them. */
  subjects: classified(z.array(z.string()), 'direct_identifier'),
  closedOnly: safeBool,
});
export type CaseRef = z.infer<typeof caseRefSchema>;

export const agendaItemSchema = z.object({
  id: agendaItemId,
  position: classified(z.number().int(), 'safe'),
  kind: classified(z.enum(AGENDA_ITEM_KINDS), 'safe'),
  title: classified(z.string(), 'free_text'),
  case: caseRefSchema.nullable(),
  /** Why the item is on the agenda: the proposal's reasons, and what the person adding it said. */
  proposalReasons: classified(z.array(z.enum(PROPOSAL_REASONS)), 'safe'),
  addedReason: classified(z.string(), 'free_text'),
  addedBy: userRefSchema,
  addedAt: safeString,
  /** Removed items stay on the page, struck through, with the reason. */
  removed: z.object({ reason: classified(z.string(), 'free_text'), by: userRefSchema, at: safeString }).nullable(),
  closedOnly: safeBool,
});
export type AgendaItem = z.infer<typeof agendaItemSchema>;

export const proposalSchema = z.object({
  case: caseRefSchema,
  reasons: classified(z.array(z.enum(PROPOSAL_REASONS)), 'safe'),
  incompleteActions: classified(z.number().int(), 'safe'),
  overdueActions: classified(z.number().int(), 'safe'),
  raisedBy: z.array(
    z.object({ organisation: classified(z.string(), 'quasi_identifier'), reason: classified(z.string(), 'free_text'), at: safeString }),
  ),
  /** False for a case already supported elsewhere: shown, not added unless someone chooses to. */
  proposedByDefault: safeBool,
  alreadyOnAgenda: safeBool,
  closedOnly: safeBool,
});
export type AgendaProposal = z.infer<typeof proposalSchema>;

// ── minutes ───────────────────────────────────────────────────────────────────────────────────────────

const spanInput = z
  .object({
    start: classified(z.number().int().min(0).max(20_000), 'safe'),
    end: classified(z.number().int().min(1).max(20_000), 'safe'),
  })
  .strict();

export const paragraphInput = z
  .object({
    text: requiredFreeText(20_000),
    /** The whole paragraph is for the closed meeting only. */
    closedOnly: safeBool.default(false),
    /** [start, end) offsets in UTF-16 code units (JavaScript string indexes) of the parts that are closed-only. */
    closedOnlySpans: z.array(spanInput).max(100, { message: 'at most 100 closed-only spans in a paragraph' }).default([]),
  })
  .strict();

export const spanSchema = z.object({
  start: classified(z.number().int(), 'safe'),
  end: classified(z.number().int(), 'safe'),
  /** Always true: a span is closed-only by definition, and flagged so the dispatcher's release check sees it. */
  closedOnly: classified(z.literal(true), 'safe'),
});

export const paragraphSchema = z.object({
  id: safeId,
  position: classified(z.number().int(), 'safe'),
  /** For a non-statutory reader every closed-only span is already replaced by REDACTED_TEXT and `closedOnlySpans` is empty. */
  text: classified(z.string(), 'free_text'),
  closedOnly: safeBool,
  closedOnlySpans: z.array(spanSchema),
});
export type MinuteParagraph = z.infer<typeof paragraphSchema>;

const riskInput = z
  .object({
    personalHarm: harm,
    communityHarm: harm,
    environmentalHarm: harm,
    reasons: freeText(4000).default(''),
  })
  .strict();

export const decisionSchema = z.object({
  id: safeId,
  kind: classified(z.enum(DECISION_KINDS), 'safe'),
  text: classified(z.string(), 'free_text'),
  caseStatus: z.object({ from: caseStatus, to: caseStatus, outcome: classified(z.enum(CASE_OUTCOMES).nullable(), 'safe') }).nullable(),
  risk: z.object({ from: harm, to: harm, personalHarm: harm, communityHarm: harm, environmentalHarm: harm }).nullable(),
  by: userRefSchema,
  at: safeString,
  closedOnly: safeBool,
});
export type MinuteDecision = z.infer<typeof decisionSchema>;

export const addendumSchema = z.object({
  id: safeId,
  text: classified(z.string(), 'free_text'),
  reason: classified(z.string(), 'free_text'),
  author: userRefSchema,
  at: safeString,
  closedOnly: safeBool,
});
export type MinuteAddendum = z.infer<typeof addendumSchema>;

export const minuteItemSchema = z.object({
  agendaItemId,
  /** Goes up by one on every saved change; a save must name the revision it started from. */
  revision: classified(z.number().int(), 'safe'),
  paragraphs: z.array(paragraphSchema),
  decisions: z.array(decisionSchema),
  addenda: z.array(addendumSchema),
  updatedAt: classified(z.string().nullable(), 'safe'),
  updatedBy: userRefSchema.nullable(),
});
export type MinuteItem = z.infer<typeof minuteItemSchema>;

export const minutesSchema = z.object({
  status: classified(z.enum(MINUTES_STATUSES), 'safe'),
  startedAt: classified(z.string().nullable(), 'safe'),
  startedBy: userRefSchema.nullable(),
  submittedAt: classified(z.string().nullable(), 'safe'),
  submittedBy: userRefSchema.nullable(),
  approvedAt: classified(z.string().nullable(), 'safe'),
  approvedBy: userRefSchema.nullable(),
  /** Why the chair last returned them to draft, if they did. */
  returnedReason: classified(z.string().nullable(), 'free_text'),
  items: z.array(minuteItemSchema),
});

// ── actions ───────────────────────────────────────────────────────────────────────────────────────────

export const actionReviewSchema = z.object({
  meetingId,
  meetingDate: safeString,
  outcome: classified(z.enum(ACTION_REVIEW_OUTCOMES), 'safe'),
  newDueDate: classified(z.string().nullable(), 'safe'),
  failureReason: classified(z.enum(FAILURE_REASONS).nullable(), 'safe'),
  note: classified(z.string(), 'free_text'),
  by: userRefSchema,
  at: safeString,
});

export const actionSchema = z.object({
  id: safeId,
  meetingId,
  meetingDate: safeString,
  area: classified(z.string(), 'quasi_identifier'),
  agendaItemId: agendaItemId.nullable(),
  case: z.object({ id: caseId, reference: classified(z.string(), 'direct_identifier') }).nullable(),
  description: classified(z.string(), 'free_text'),
  ownerOrganisation: organisationRef,
  /** The named officer who owns it (a person, who may or may not be a user). */
  officer: classified(z.string(), 'direct_identifier'),
  dueDate: safeString,
  status: classified(z.enum(ACTION_STATUSES), 'safe'),
  failureReason: classified(z.enum(FAILURE_REASONS).nullable(), 'safe'),
  overdue: safeBool,
  reviews: z.array(actionReviewSchema),
  createdBy: userRefSchema,
  createdAt: safeString,
  closedOnly: safeBool,
});
export type MeetingAction = z.infer<typeof actionSchema>;

export const meetingDetailSchema = meetingSummarySchema.extend({
  invitedOrganisations: z.array(organisationRef),
  quorum: quorumSchema,
  confidentialityStatement: classified(z.string(), 'safe'),
  attendees: z.array(attendeeSchema),
  /** Every present attendee has acknowledged the statement: the minutes may start. */
  allPresentAcknowledged: safeBool,
  agenda: z.array(agendaItemSchema),
  minutes: minutesSchema,
  /** Actions agreed at this meeting. */
  actions: z.array(actionSchema),
  /**
   * Incomplete actions from earlier meetings of the same area, for review at this one (and those reviewed at
   * it): the actions on the cases on this agenda and those on no case. The rest are counted in
   * actionsToReviewNotOnAgenda (their cases are proposed for the agenda; actions.list toReviewAt lists all).
   */
  actionsToReview: z.array(actionSchema),
  actionsToReviewNotOnAgenda: classified(z.number().int(), 'safe'),
  previousMeeting: z.object({ id: meetingId, date: safeString, minutesStatus: classified(z.enum(MINUTES_STATUSES), 'safe') }).nullable(),
  createdBy: userRefSchema,
  createdAt: safeString,
  updatedAt: safeString,
});
export type MeetingDetail = z.infer<typeof meetingDetailSchema>;

const meetingOutput = z.object({ meeting: meetingDetailSchema });

// ── list inputs ───────────────────────────────────────────────────────────────────────────────────────

const paging = {
  limit: classified(z.number().int().min(1).max(200).default(50), 'safe'),
  offset: classified(z.number().int().min(0).max(1_000_000).default(0), 'safe'),
};

export const meetingListInput = z
  .object({
    /** upcoming: today and later, soonest first; past: before today, latest first; all: latest first. */
    when: classified(z.enum(['upcoming', 'past', 'all']).default('all'), 'safe'),
    area: classified(requiredText(100).optional(), 'quasi_identifier'),
    kind: classified(z.enum(MEETING_KINDS).optional(), 'safe'),
    ...paging,
  })
  .strict();
export type MeetingListInput = z.output<typeof meetingListInput>;

export const actionListInput = z
  .object({
    meetingId: meetingId.optional(),
    caseId: caseId.optional(),
    area: classified(requiredText(100).optional(), 'quasi_identifier'),
    status: classified(z.array(z.enum(ACTION_STATUSES)).min(1).max(ACTION_STATUSES.length).optional(), 'safe'),
    organisationId: classified(idSchema.optional(), 'safe'),
    /** The caller's own organisation's actions (always so for a non-statutory member). */
    mine: safeBool.default(false),
    /** Incomplete actions past their due date. */
    overdue: safeBool.default(false),
    /** Every action to review at this meeting: incomplete ones from earlier meetings of its area, and those reviewed at it. */
    toReviewAt: meetingId.optional(),
    ...paging,
  })
  .strict();
export type ActionListInput = z.output<typeof actionListInput>;

// ── operations ────────────────────────────────────────────────────────────────────────────────────────

const RUN: readonly ['manager', 'statutory'] = ['manager', 'statutory'];

export const meetingOperations = {
  'meetings.list': defineOperation({
    summary: 'Lists meetings: upcoming, past or all, by area and kind. Non-statutory members see open meetings only.',
    input: meetingListInput,
    output: z.object({
      meetings: z.array(meetingSummarySchema),
      total: classified(z.number().int(), 'safe'),
      nextOffset: classified(z.number().int().nullable(), 'safe'),
    }),
    access: ALL_ROLES,
    audit: { kind: 'consultation', entity: 'meeting' },
    // Dates, areas and chairs: nothing about a data subject.
    justification: false,
  }),
  'meetings.get': defineOperation({
    summary:
      'The whole meeting page: details, attendance and acknowledgements, quorum, agenda, minutes per item with addenda, actions and the actions to review.',
    input: z.object({ meetingId }).strict(),
    output: meetingOutput,
    access: ALL_ROLES,
    audit: { kind: 'consultation', entity: 'meeting' },
  }),
  'meetings.forCase': defineOperation({
    summary: 'The meetings that had a case on their agenda and the actions about it, for the case profile.',
    input: z.object({ caseId }).strict(),
    output: z.object({
      meetings: z.array(meetingSummarySchema.extend({ agendaItemId, itemRemoved: safeBool })),
      actions: z.array(actionSchema),
    }),
    access: ALL_ROLES,
    audit: { kind: 'consultation', entity: 'case' },
  }),
  'meetings.schedule': defineOperation({
    summary:
      'Schedules a meeting: kind, area, date and times, place or online, closed or open, chair, minute-taker, invited organisations, quorum.',
    input: meetingScheduleInput,
    output: meetingOutput,
    access: RUN,
    audit: { kind: 'collection', entity: 'meeting' },
  }),
  'meetings.update': defineOperation({
    summary: "Changes a meeting's details, or cancels it. Not once its minutes are approved.",
    input: meetingUpdateInput,
    output: meetingOutput,
    access: RUN,
    audit: { kind: 'alteration', entity: 'meeting' },
  }),
  'meetings.addAttendee': defineOperation({
    summary: 'Adds an attendee (name, organisation, role). A closed meeting admits statutory partners only.',
    input: z
      .object({
        meetingId,
        name: classified(requiredText(200), 'direct_identifier'),
        organisationId: safeId,
        role: classified(text(200).default(''), 'quasi_identifier'),
        userId: safeId.nullable().default(null),
        attendance: classified(z.enum(ATTENDANCE).default('expected'), 'safe'),
      })
      .strict(),
    output: z.object({ attendee: attendeeSchema }),
    access: RUN,
    audit: { kind: 'collection', entity: 'meeting_attendee' },
  }),
  'meetings.setAttendance': defineOperation({
    summary: 'Records an attendee as present, sending apologies or absent, with arrival and leaving times.',
    input: z
      .object({
        meetingId,
        attendeeId: safeId,
        attendance: classified(z.enum(ATTENDANCE), 'safe'),
        arrivedAt: classified(timeSchema.nullable().optional(), 'safe'),
        leftAt: classified(timeSchema.nullable().optional(), 'safe'),
      })
      .strict(),
    output: z.object({ attendee: attendeeSchema, quorum: quorumSchema }),
    access: RUN,
    audit: { kind: 'alteration', entity: 'meeting_attendee' },
  }),
  'meetings.acknowledgeConfidentiality': defineOperation({
    summary: 'Records that a present attendee acknowledged the confidentiality statement (who, when, recorded by whom).',
    input: z.object({ meetingId, attendeeId: safeId }).strict(),
    output: z.object({ attendee: attendeeSchema, allPresentAcknowledged: safeBool }),
    access: RUN,
    audit: { kind: 'collection', entity: 'meeting_attendee' },
  }),
  'meetings.proposeAgenda': defineOperation({
    summary:
      "Proposes the agenda: the area's cases due for review by the meeting date, new referrals, cases with overdue or incomplete actions, cases raised by a partner.",
    input: z.object({ meetingId }).strict(),
    output: z.object({ proposals: z.array(proposalSchema) }),
    access: RUN,
    audit: { kind: 'consultation', entity: 'meeting' },
  }),
  'meetings.raiseCase': defineOperation({
    summary: 'A partner asks for a case to be discussed at a meeting, with the reason; it is proposed for the agenda.',
    input: z.object({ meetingId, caseId, reason }).strict(),
    output: z.object({ ok: classified(z.literal(true), 'safe') }),
    access: ALL_ROLES,
    audit: { kind: 'collection', entity: 'meeting' },
  }),
  'meetings.addAgendaItem': defineOperation({
    summary: 'Adds an agenda item (a case, the previous minutes, the review of actions, or another matter) with the reason.',
    input: z
      .object({
        meetingId,
        kind: classified(z.enum(AGENDA_ITEM_KINDS).default('case'), 'safe'),
        caseId: caseId.nullable().default(null),
        /** Required for "other"; otherwise defaults to a title made from the case or the kind. */
        title: freeText(300).default(''),
        reason,
        /** The proposal's reasons, when the item comes from meetings.proposeAgenda. */
        proposalReasons: classified(z.array(z.enum(PROPOSAL_REASONS)).max(PROPOSAL_REASONS.length).default([]), 'safe'),
      })
      .strict(),
    output: z.object({ item: agendaItemSchema, agenda: z.array(agendaItemSchema) }),
    access: RUN,
    audit: { kind: 'alteration', entity: 'meeting' },
  }),
  'meetings.removeAgendaItem': defineOperation({
    summary: 'Removes an agenda item with the reason; it stays on the page, struck through.',
    input: z.object({ meetingId, agendaItemId, reason }).strict(),
    output: z.object({ agenda: z.array(agendaItemSchema) }),
    access: RUN,
    audit: { kind: 'alteration', entity: 'meeting' },
  }),
  'meetings.reorderAgenda': defineOperation({
    summary: 'Puts the agenda items in a new order (every item, once), with the reason.',
    input: z
      .object({
        meetingId,
        agendaItemIds: classified(
          z
            .array(idSchema)
            .min(1)
            .max(500)
            .refine((ids) => new Set(ids).size === ids.length, { message: 'names the same item twice' }),
          'safe',
        ),
        reason: freeText(1000).default(''),
      })
      .strict(),
    output: z.object({ agenda: z.array(agendaItemSchema) }),
    access: RUN,
    audit: { kind: 'alteration', entity: 'meeting' },
  }),
  'minutes.start': defineOperation({
    summary: 'Starts the minutes, once every present attendee has acknowledged the confidentiality statement.',
    input: z.object({ meetingId }).strict(),
    output: z.object({ minutes: minutesSchema, quorum: quorumSchema }),
    access: RUN,
    audit: { kind: 'alteration', entity: 'meeting' },
  }),
  'minutes.saveItem': defineOperation({
    summary:
      'Saves the draft minutes of one agenda item (its paragraphs, each whole or in spans closed-only). Idempotent; a save from a stale revision is refused with CONFLICT.',
    input: z
      .object({
        meetingId,
        agendaItemId,
        /** The revision the text was edited from (0 for the first save). */
        revision: classified(z.number().int().min(0).max(1_000_000_000), 'safe'),
        paragraphs: z.array(paragraphInput).max(200, { message: 'at most 200 paragraphs in an item' }),
      })
      .strict(),
    output: z.object({ item: minuteItemSchema }),
    access: RUN,
    audit: { kind: 'collection', entity: 'minutes' },
  }),
  'minutes.recordDecision': defineOperation({
    summary:
      'Records a decision on an agenda item; with a status change or a new risk assessment, the case changes through its own rules, so case and minutes agree.',
    input: z
      .object({
        meetingId,
        agendaItemId,
        text: requiredFreeText(4000),
        closedOnly: safeBool.default(false),
        caseStatus: z
          .object({ to: caseStatus, outcome: classified(z.enum(CASE_OUTCOMES).optional(), 'safe') })
          .strict()
          .nullable()
          .default(null),
        risk: riskInput.nullable().default(null),
      })
      .strict(),
    output: z.object({ decision: decisionSchema, item: minuteItemSchema }),
    access: RUN,
    audit: { kind: 'collection', entity: 'minutes' },
  }),
  'minutes.submit': defineOperation({
    summary: 'Submits the draft minutes to the chair for approval.',
    input: z.object({ meetingId }).strict(),
    output: z.object({ minutes: minutesSchema }),
    access: RUN,
    audit: { kind: 'alteration', entity: 'minutes' },
  }),
  'minutes.return': defineOperation({
    summary: 'The chair returns submitted minutes to draft, saying what to correct.',
    input: z.object({ meetingId, reason }).strict(),
    output: z.object({ minutes: minutesSchema }),
    access: RUN,
    audit: { kind: 'alteration', entity: 'minutes' },
  }),
  'minutes.approve': defineOperation({
    summary: 'The chair approves the submitted minutes (name and time recorded); from then on they never change.',
    input: z.object({ meetingId }).strict(),
    output: z.object({ minutes: minutesSchema }),
    access: RUN,
    audit: { kind: 'alteration', entity: 'minutes' },
  }),
  'minutes.addAddendum': defineOperation({
    summary: 'Adds a correction to approved minutes, shown after the item it corrects, with author, time and reason.',
    input: z.object({ meetingId, agendaItemId, text: requiredFreeText(20_000), reason, closedOnly: safeBool.default(false) }).strict(),
    output: z.object({ addendum: addendumSchema, item: minuteItemSchema }),
    access: RUN,
    audit: { kind: 'collection', entity: 'minutes' },
  }),
  'actions.create': defineOperation({
    summary: 'Agrees an action at a meeting, on a case or on the meeting: owner organisation, named officer, due date.',
    input: z
      .object({
        meetingId,
        agendaItemId: agendaItemId.nullable().default(null),
        caseId: caseId.nullable().default(null),
        description: requiredFreeText(2000),
        ownerOrganisationId: safeId,
        officer: classified(requiredText(200), 'direct_identifier'),
        dueDate: classified(isoDate, 'safe'),
        closedOnly: safeBool.default(false),
      })
      .strict(),
    output: z.object({ action: actionSchema }),
    access: RUN,
    audit: { kind: 'collection', entity: 'action' },
  }),
  'actions.review': defineOperation({
    summary:
      'Reviews an incomplete action at a later meeting of the same area: done, carried over with a new date, or failed with the reason.',
    input: z
      .object({
        actionId: safeId,
        meetingId,
        outcome: classified(z.enum(ACTION_REVIEW_OUTCOMES), 'safe'),
        newDueDate: classified(isoDate.nullable().default(null), 'safe'),
        failureReason: classified(z.enum(FAILURE_REASONS).nullable().default(null), 'safe'),
        note: freeText(2000).default(''),
      })
      .strict(),
    output: z.object({ action: actionSchema }),
    access: RUN,
    audit: { kind: 'alteration', entity: 'action' },
  }),
  'actions.list': defineOperation({
    summary:
      "Lists actions with filters: by meeting, case, area, status, organisation; my organisation's; overdue. Non-statutory members see their own organisation's.",
    input: actionListInput,
    output: z.object({
      actions: z.array(actionSchema),
      total: classified(z.number().int(), 'safe'),
      nextOffset: classified(z.number().int().nullable(), 'safe'),
    }),
    access: ALL_ROLES,
    audit: { kind: 'consultation', entity: 'action' },
  }),
} as const;
