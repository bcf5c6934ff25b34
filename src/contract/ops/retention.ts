// Retention (issue 19: 2): the schedule of when an ended case is reviewed, the queue of those past their
// date, and a manager's decision on each: keep (with a reason and a new date), pseudonymise, or erase.
import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { classified } from '../fields.js';
import { emptyInput, idSchema, text } from '../common.js';
import { isoDate, userRefSchema } from './people.js';
import { CASE_OUTCOMES, CASE_STATUSES } from '../../domain/lifecycle.js';
import { MAX_REVIEW_MONTHS, RETENTION_DECISIONS, RETENTION_ENDINGS, RETENTION_RECORD_TYPES } from '../../domain/retention.js';

const scheduleSchema = z.object({
  rules: z.array(
    z.object({
      recordType: z.enum(RETENTION_RECORD_TYPES),
      ending: z.enum(RETENTION_ENDINGS),
      months: z.number().int(),
      /** Null while the rule is the agreed default nobody has changed. */
      updatedAt: z.string().nullable(),
      updatedBy: userRefSchema.nullable(),
    }),
  ),
});
export type RetentionSchedule = z.infer<typeof scheduleSchema>;

const queuedPersonSchema = z.object({
  personId: idSchema,
  name: classified(z.string(), 'direct_identifier'),
  /** Every other case they are on is due or pseudonymised: pseudonymising this case pseudonymises them too. */
  follows: z.boolean(),
  /** The other cases they are a subject of (those that keep them identified unless they follow). */
  alsoOn: z.array(z.object({ caseId: idSchema, reference: z.string(), status: z.enum(CASE_STATUSES) })),
});

export const queueItemSchema = z.object({
  recordType: z.literal('case'),
  caseId: idSchema,
  reference: z.string(),
  area: classified(z.string(), 'quasi_identifier'),
  status: z.enum(CASE_STATUSES),
  outcome: z.enum(CASE_OUTCOMES).nullable(),
  ending: z.enum(RETENTION_ENDINGS),
  endedOn: z.string(),
  dueOn: z.string(),
  /** Why it is here: the schedule's date, a date a manager set when keeping it, or an erasure decided and not yet carried out. */
  basis: z.enum(['schedule', 'kept', 'erasure_pending']),
  /** The same, in words, for the screen and the command line. */
  reason: z.string(),
  /** The reason given when it was last kept, if it was. */
  keptReason: classified(z.string().nullable(), 'free_text'),
  people: z.array(queuedPersonSchema),
});
export type RetentionQueueItem = z.infer<typeof queueItemSchema>;

export const decisionInput = z
  .object({
    caseId: classified(idSchema, 'safe'),
    decision: classified(z.enum(RETENTION_DECISIONS), 'safe'),
    /** Required to keep a record; recorded with any decision. */
    reason: classified(text(2000).default(''), 'free_text'),
    /** Required to keep a record, and after today: the next review. */
    reviewOn: classified(isoDate.optional(), 'safe'),
  })
  .strict();

export const retentionOperations = {
  'retention.schedule': defineOperation({
    summary: 'When each kind of ended case comes up for retention review: months after it was closed or declined.',
    input: emptyInput,
    output: scheduleSchema,
    access: ['manager'],
    audit: { kind: 'consultation', entity: 'store' },
    // Months per outcome: nothing about a data subject.
    justification: false,
  }),
  'retention.updateSchedule': defineOperation({
    summary: 'Changes the months after which ended cases of the given endings come up for review; the rest stay as they are.',
    input: z
      .object({
        rules: z
          .array(
            z
              .object({
                recordType: classified(z.enum(RETENTION_RECORD_TYPES).default('case'), 'safe'),
                ending: classified(z.enum(RETENTION_ENDINGS), 'safe'),
                months: classified(
                  z
                    .number({ message: 'must be a whole number of months' })
                    .int({ message: 'must be a whole number of months' })
                    .min(0, { message: 'cannot be negative' })
                    .max(MAX_REVIEW_MONTHS, { message: `must be at most ${MAX_REVIEW_MONTHS} months` }),
                  'safe',
                ),
              })
              .strict(),
          )
          .min(1, { message: 'give at least one rule' }),
      })
      .strict(),
    output: scheduleSchema,
    access: ['manager'],
    audit: { kind: 'settings', entity: 'store' },
  }),
  'retention.queue': defineOperation({
    summary:
      'Ended cases past their review date (on the due date itself they are due), each with why it is there and its subjects: those on no other live case follow it. `asOf` counts from another day than today.',
    input: z.object({ asOf: classified(isoDate.optional(), 'safe') }).strict(),
    output: z.object({ asOf: z.string(), items: z.array(queueItemSchema) }),
    access: ['manager'],
    audit: { kind: 'consultation', entity: 'case' },
  }),
  'retention.decide': defineOperation({
    summary:
      "A manager's retention decision on an ended case: keep (reason and a later review date required), pseudonymise (identifiers replaced in the case, its notes and the people who follow it; figures kept), or erase (recorded as pending erasure).",
    input: decisionInput,
    output: z.object({
      caseId: idSchema,
      decision: z.enum(RETENTION_DECISIONS),
      decidedAt: z.string(),
      reviewOn: z.string().nullable(),
      pendingErasure: z.boolean(),
      /** Pseudonymise: each subject, replaced where they stand or (still needed by another case) by a stand-in on this case. */
      people: z.array(z.object({ personId: idSchema, treatment: z.enum(['in_place', 'stand_in']), standInId: idSchema.nullable() })),
      /** Pseudonymise: the number of free-text rows rewritten. */
      textsRedacted: z.number().int(),
    }),
    access: ['manager'],
    audit: { kind: 'alteration', entity: 'case' },
  }),
} as const;
