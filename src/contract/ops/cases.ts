// Cases: referral, concerns, risk, lifecycle, notes, links and locations; search and lists.
// Every object that can carry closed-meeting-only data says so in `closedOnly`: the dispatcher refuses
// to hand a non-statutory caller any output in which that flag is true.
import { z } from 'zod';
import { defineOperation, ALL_ROLES } from '../operation.js';
import { idSchema, requiredText, text } from '../common.js';
import { classified } from '../fields.js';
import { CASE_OUTCOMES, CASE_STATUSES } from '../../domain/lifecycle.js';
import { HARM_LEVELS } from '../../domain/risk.js';
import { CONCERN_CODES } from '../../domain/concerns.js';
import { caseSummarySchema, pastDate, personSchema, postcodeSchema, userRefSchema } from './people.js';

export const CONSENT_POSITIONS = ['given', 'refused', 'not_sought', 'not_required'] as const;
export const SUPPORT_DECISIONS = ['discuss', 'do_not_discuss'] as const;
export const NOTE_CLASSIFICATIONS = ['free_text', 'special_category'] as const;

const harm = classified(z.enum(HARM_LEVELS), 'safe');
const statusSchema = classified(z.enum(CASE_STATUSES), 'safe');
const outcomeSchema = classified(z.enum(CASE_OUTCOMES), 'safe');
const caseId = classified(idSchema, 'safe');

// ── input ─────────────────────────────────────────────────────────────────────────────────────────────

const referralInput = z
  .object({
    organisation: classified(requiredText(200), 'quasi_identifier'),
    officer: classified(text(200).default(''), 'direct_identifier'),
    date: classified(pastDate, 'quasi_identifier'),
    reason: classified(requiredText(4000), 'free_text'),
    consent: classified(z.enum(CONSENT_POSITIONS), 'safe'),
  })
  .strict();

const riskInput = z
  .object({
    personalHarm: harm,
    communityHarm: harm,
    environmentalHarm: harm,
    vulnerabilityFactors: classified(
      z.array(requiredText(200)).max(20, { message: 'at most 20 vulnerability factors' }).default([]),
      'special_category',
    ),
    reasons: classified(text(4000).default(''), 'free_text'),
    /** When the assessment was made; today if not given. The review date counts from it. */
    assessedOn: classified(pastDate.optional(), 'safe'),
  })
  .strict();

const locationInput = z
  .object({
    label: classified(requiredText(200), 'quasi_identifier'),
    address: classified(text(300).default(''), 'direct_identifier'),
    postcode: classified(postcodeSchema.nullable().default(null), 'quasi_identifier'),
    ward: classified(text(100).nullable().default(null), 'quasi_identifier'),
  })
  .strict();

const supportInput = z
  .object({
    service: classified(requiredText(200), 'special_category'),
    decision: classified(z.enum(SUPPORT_DECISIONS), 'safe'),
  })
  .strict();

const subjectIds = classified(
  z
    .array(idSchema)
    .min(1, { message: 'name at least one subject' })
    .max(50, { message: 'at most 50 subjects' })
    .refine((ids) => new Set(ids).size === ids.length, { message: 'names the same person twice' }),
  'safe',
);
const concerns = classified(
  z
    .array(z.enum(CONCERN_CODES))
    .min(1, { message: 'name at least one concern' })
    .max(20)
    .refine((c) => new Set(c).size === c.length, { message: 'names the same concern twice' }),
  'special_category',
);

const caseFieldsInput = {
  subjectIds,
  area: classified(requiredText(100), 'quasi_identifier'),
  summary: classified(text(4000), 'free_text'),
  referral: referralInput,
  concerns,
  risk: riskInput,
  locations: z.array(locationInput).max(20, { message: 'at most 20 locations' }),
  alreadySupported: supportInput.nullable(),
  /** Closed-meeting-only: statutory partners only. Only statutory users and managers may set it. */
  closedOnly: classified(z.boolean(), 'safe'),
};

export const caseCreateInput = z
  .object({
    ...caseFieldsInput,
    summary: caseFieldsInput.summary.default(''),
    locations: caseFieldsInput.locations.default([]),
    alreadySupported: caseFieldsInput.alreadySupported.default(null),
    closedOnly: caseFieldsInput.closedOnly.default(false),
  })
  .strict();
export type CaseCreateInput = z.output<typeof caseCreateInput>;

export const caseUpdateInput = z
  .object({
    caseId,
    subjectIds: caseFieldsInput.subjectIds.optional(),
    area: caseFieldsInput.area.optional(),
    summary: caseFieldsInput.summary.optional(),
    referral: caseFieldsInput.referral.optional(),
    concerns: caseFieldsInput.concerns.optional(),
    risk: caseFieldsInput.risk.optional(),
    locations: caseFieldsInput.locations.optional(),
    alreadySupported: caseFieldsInput.alreadySupported.optional(),
    closedOnly: caseFieldsInput.closedOnly.optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).some((k) => k !== 'caseId'), { message: 'changes nothing: give at least one field' });
export type CaseUpdateInput = z.output<typeof caseUpdateInput>;

export const caseFilters = {
  status: classified(z.array(z.enum(CASE_STATUSES)).min(1).max(CASE_STATUSES.length).optional(), 'safe'),
  risk: classified(z.array(z.enum(HARM_LEVELS)).min(1).max(HARM_LEVELS.length).optional(), 'safe'),
  area: classified(requiredText(100).optional(), 'quasi_identifier'),
  concern: classified(z.enum(CONCERN_CODES).optional(), 'special_category'),
  /** Open cases whose review date has passed. */
  reviewOverdue: classified(z.boolean().optional(), 'safe'),
};
export const LIST_SORTS = ['reviewDate', 'risk', 'reference', 'referralDate', 'updatedAt'] as const;
export const SEARCH_SORTS = ['relevance', ...LIST_SORTS] as const;
export type CaseSort = (typeof SEARCH_SORTS)[number];
const paging = {
  direction: classified(z.enum(['asc', 'desc']).optional(), 'safe'),
  limit: classified(z.number().int().min(1).max(100).default(25), 'safe'),
  offset: classified(z.number().int().min(0).max(1_000_000).default(0), 'safe'),
  /** A page's `nextCursor`: the page after it, found by seeking instead of counting rows (offset then counts from there). */
  after: classified(z.string().min(1).max(1000).optional(), 'safe'),
};

export const caseListInput = z
  .object({ ...caseFilters, sort: classified(z.enum(LIST_SORTS).default('reviewDate'), 'safe'), ...paging })
  .strict();
export const caseSearchInput = z
  .object({
    query: classified(requiredText(200), 'free_text'),
    ...caseFilters,
    /**
     * `relevance`: cases found by reference or location first, then by a person, then by a note only; within
     * the first two, best bm25 match first; ties, and every note-only match, by review date, then id. A query
     * found in at least half of all cases' references and locations ranks none of those matches (bm25 gives
     * such a word no weight and would order them by the length of their text): they tie, so they come by
     * review date, then id. Likewise a query found in more than 1,000 people (a common name, which each of
     * them has once) ranks none of its person matches: they tie, and come by review date, then id.
     */
    sort: classified(z.enum(SEARCH_SORTS).default('relevance'), 'safe'),
    ...paging,
  })
  .strict();
export type CaseListInput = z.output<typeof caseListInput>;
export type CaseSearchInput = z.output<typeof caseSearchInput>;

// ── output ────────────────────────────────────────────────────────────────────────────────────────────

export const noteSchema = z.object({
  id: classified(idSchema, 'safe'),
  caseId,
  author: userRefSchema,
  at: classified(z.string(), 'safe'),
  classification: classified(z.enum(NOTE_CLASSIFICATIONS), 'safe'),
  closedOnly: classified(z.boolean(), 'safe'),
  body: classified(z.string(), 'free_text'),
});
export type CaseNote = z.infer<typeof noteSchema>;

export const transitionSchema = z.object({
  from: classified(z.enum(CASE_STATUSES).nullable(), 'safe'),
  to: statusSchema,
  outcome: outcomeSchema.nullable(),
  reason: classified(z.string(), 'free_text'),
  by: userRefSchema,
  at: classified(z.string(), 'safe'),
  closedOnly: classified(z.boolean(), 'safe'),
});

export const linkSchema = z.object({
  caseId,
  reference: classified(z.string(), 'direct_identifier'),
  status: statusSchema,
  reason: classified(z.string(), 'free_text'),
  closedOnly: classified(z.boolean(), 'safe'),
  linkedAt: classified(z.string(), 'safe'),
});

export const caseDetailSchema = z.object({
  id: caseId,
  reference: classified(z.string(), 'direct_identifier'),
  area: classified(z.string(), 'quasi_identifier'),
  summary: classified(z.string(), 'free_text'),
  referral: z.object({
    organisation: classified(z.string(), 'quasi_identifier'),
    officer: classified(z.string(), 'direct_identifier'),
    date: classified(z.string(), 'quasi_identifier'),
    reason: classified(z.string(), 'free_text'),
    consent: classified(z.enum(CONSENT_POSITIONS), 'safe'),
  }),
  concerns: classified(z.array(z.enum(CONCERN_CODES)), 'special_category'),
  risk: z.object({
    personalHarm: harm,
    communityHarm: harm,
    environmentalHarm: harm,
    overall: harm,
    vulnerabilityFactors: classified(z.array(z.string()), 'special_category'),
    reasons: classified(z.string(), 'free_text'),
    assessedBy: userRefSchema,
    assessedOn: classified(z.string(), 'safe'),
  }),
  reviewDate: classified(z.string(), 'safe'),
  reviewOverdue: classified(z.boolean(), 'safe'),
  status: statusSchema,
  outcome: outcomeSchema.nullable(),
  allowedTransitions: classified(z.array(z.enum(CASE_STATUSES)), 'safe'),
  alreadySupported: z
    .object({
      service: classified(z.string(), 'special_category'),
      decision: classified(z.enum(SUPPORT_DECISIONS), 'safe'),
    })
    .nullable(),
  closedOnly: classified(z.boolean(), 'safe'),
  subjects: z.array(personSchema),
  locations: z.array(
    z.object({
      id: classified(idSchema, 'safe'),
      label: classified(z.string(), 'quasi_identifier'),
      address: classified(z.string(), 'direct_identifier'),
      postcode: classified(z.string().nullable(), 'quasi_identifier'),
      ward: classified(z.string().nullable(), 'quasi_identifier'),
    }),
  ),
  links: z.array(linkSchema),
  notes: z.array(noteSchema),
  transitions: z.array(transitionSchema),
  createdAt: classified(z.string(), 'safe'),
  createdBy: userRefSchema,
  updatedAt: classified(z.string(), 'safe'),
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;

const pageOutput = z.object({
  cases: z.array(caseSummarySchema.extend({ matchedIn: classified(z.array(z.enum(['person', 'case', 'note'])), 'safe') })),
  /** Exact up to a cap past the page's offset (1,000 for a list, 200 for a search); above it, the cap, and `totalIsLowerBound` is true. */
  total: classified(z.number().int(), 'safe'),
  /** True when more than `total` cases match: "More than 1,000 cases" ("More than 200 cases found" for a search). */
  totalIsLowerBound: classified(z.boolean(), 'safe'),
  nextOffset: classified(z.number().int().nullable(), 'safe'),
  /** Give as `after` for the next page; null on the last page. */
  nextCursor: classified(z.string().nullable(), 'safe'),
});
export type CasePage = z.infer<typeof pageOutput>;

/** What a closed-only case holds that clearing its mark could release, each item by kind and id. */
export const RELEASE_ITEM_KINDS = ['note', 'transition', 'link', 'enforcement'] as const;
const releaseItemKind = classified(z.enum(RELEASE_ITEM_KINDS), 'safe');

export const releaseItemSchema = z.object({
  kind: releaseItemKind,
  /** The note's, step's or enforcement record's id; for a link, the other case's id. */
  id: classified(idSchema, 'safe'),
  at: classified(z.string(), 'safe'),
  by: userRefSchema,
  /**
   * The note's body, the step's reason (with its statuses), the link's reason and the other case's reference,
   * or the enforcement record's type, stage and conditions.
   */
  text: classified(z.string(), 'free_text'),
  closedOnly: classified(z.literal(true), 'safe'),
});
export type ReleaseItem = z.infer<typeof releaseItemSchema>;

const releaseDecision = z
  .object({ kind: releaseItemKind, id: classified(idSchema, 'safe'), release: classified(z.boolean(), 'safe') })
  .strict();

// ── operations ────────────────────────────────────────────────────────────────────────────────────────

export const caseOperations = {
  'cases.create': defineOperation({
    summary: 'Records a referral as a new case about one or more people, with its concerns and risk assessment.',
    input: caseCreateInput,
    output: z.object({ case: caseDetailSchema }),
    access: ALL_ROLES,
    audit: { kind: 'collection', entity: 'case' },
  }),
  'cases.get': defineOperation({
    summary: 'The full profile of a case: subjects, referral, risk, lifecycle, notes, links and locations.',
    input: z.object({ caseId }).strict(),
    output: z.object({ case: caseDetailSchema }),
    access: ALL_ROLES,
    audit: { kind: 'consultation', entity: 'case' },
    // Case detail: the information-sharing agreement as well as membership (DOMAIN: no signed, current agreement, no access).
    requires: ['membership', 'information_sharing'],
  }),
  'cases.update': defineOperation({
    summary: "Changes a case's details; a new risk assessment resets the review date.",
    input: caseUpdateInput,
    output: z.object({ case: caseDetailSchema }),
    access: ['manager', 'statutory'],
    audit: { kind: 'alteration', entity: 'case' },
  }),
  'cases.transition': defineOperation({
    summary: 'Moves a case to its next status (accept, decline, activate, review, close) with a reason.',
    input: z
      .object({
        caseId,
        to: statusSchema,
        reason: classified(requiredText(2000), 'free_text'),
        outcome: outcomeSchema.optional(),
      })
      .strict(),
    output: z.object({ case: caseDetailSchema }),
    access: ['manager', 'statutory'],
    audit: { kind: 'alteration', entity: 'case' },
  }),
  'cases.addNote': defineOperation({
    summary: 'Adds a note to a case.',
    input: z
      .object({
        caseId,
        body: classified(requiredText(20_000), 'free_text'),
        classification: classified(z.enum(NOTE_CLASSIFICATIONS).default('free_text'), 'safe'),
        closedOnly: classified(z.boolean().default(false), 'safe'),
      })
      .strict(),
    output: z.object({ note: noteSchema }),
    access: ALL_ROLES,
    audit: { kind: 'collection', entity: 'case_note' },
  }),
  'cases.link': defineOperation({
    summary: 'Links two related cases (same household, same location, a repeat referral).',
    input: z.object({ caseId, otherCaseId: caseId, reason: classified(requiredText(500), 'free_text') }).strict(),
    output: z.object({ link: linkSchema }),
    access: ['manager', 'statutory'],
    audit: { kind: 'combination', entity: 'case' },
  }),
  'cases.search': defineOperation({
    summary: 'Finds cases by names, aliases, references, addresses and notes, with filters, sorted and paged.',
    input: caseSearchInput,
    output: pageOutput,
    access: ALL_ROLES,
    audit: { kind: 'consultation', entity: 'case' },
    supersedable: true,
  }),
  'cases.list': defineOperation({
    summary: 'Lists cases matching filters (status, risk, area, concern, review overdue), sorted and paged.',
    input: caseListInput,
    output: pageOutput,
    access: ALL_ROLES,
    audit: { kind: 'consultation', entity: 'case' },
    supersedable: true,
  }),
  'concerns.list': defineOperation({
    summary: 'The maintained list of concerns a case can be about.',
    input: z.object({}).strict(),
    output: z.object({
      concerns: z.array(z.object({ code: z.enum(CONCERN_CODES), label: z.string(), specialCategory: z.boolean(), active: z.boolean() })),
    }),
    access: ALL_ROLES,
    audit: { kind: 'consultation', entity: 'concern' },
    // The list is reference data: it reveals nothing about any data subject.
    justification: false,
  }),
  'cases.releaseReview': defineOperation({
    summary:
      'Lists what clearing a case’s closed-only mark could release (closed-only notes, steps, links and enforcement records), for a manager to review.',
    input: z.object({ caseId }).strict(),
    output: z.object({ caseId, reference: classified(z.string(), 'direct_identifier'), items: z.array(releaseItemSchema) }),
    access: ['manager'],
    audit: { kind: 'consultation', entity: 'case' },
  }),
  'cases.releaseClosedOnly': defineOperation({
    summary:
      'Clears a case’s closed-only mark with a reason, releasing or keeping closed each item of the review; every item must be decided.',
    input: z
      .object({
        caseId,
        reason: classified(requiredText(2000), 'free_text'),
        decisions: z.array(releaseDecision).max(10_000),
      })
      .strict(),
    output: z.object({
      case: caseDetailSchema,
      released: classified(z.number().int(), 'safe'),
      keptClosed: classified(z.number().int(), 'safe'),
    }),
    access: ['manager'],
    audit: { kind: 'alteration', entity: 'case' },
  }),
} as const;
