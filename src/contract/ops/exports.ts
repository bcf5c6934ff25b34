// Documents that leave the store: redacted minutes for one audience. Every export is a disclosure, logged
// with its recipients, justification and the SHA-256 of the file; the closed version (everything) only
// for the statutory partners who sit in the closed meeting and the manager.
import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { auditHeadSchema, emptyInput, idSchema, requiredText } from '../common.js';
import { classified } from '../fields.js';
import { AUDIENCES } from '../audiences.js';
import { REDACTION_REASONS } from '../../domain/redaction.js';

const safeId = classified(idSchema, 'safe');
const audience = classified(z.enum(AUDIENCES), 'safe');

const offset = classified(z.number().int().min(0).max(1_000_000), 'safe');
/** Where a piece of free text sits in the meeting, e.g. "paragraph:12" or "action:4". */
const textId = classified(z.string().regex(/^[a-z-]+:\d+$/, { message: 'is not a text id like paragraph:12' }), 'safe');

export const redactionReviewInput = z
  .object({
    /** Keys of automatic redactions the reviewer undid. */
    undone: classified(z.array(z.string().max(200)).max(5000), 'safe').default([]),
    /** Redactions the reviewer added by selecting text. */
    added: z
      .array(
        z
          .object({ textId, start: offset, end: offset })
          .strict()
          .refine((s) => s.end > s.start, { message: 'must end after it starts', path: ['end'] }),
      )
      .max(5000)
      .default([]),
  })
  .strict();

export const reviewedRedactionSchema = z.object({
  key: classified(z.string(), 'safe'),
  textId,
  where: classified(z.string(), 'safe'),
  start: offset,
  end: offset,
  reason: classified(z.enum(REDACTION_REASONS), 'safe'),
  subject: classified(z.string().nullable(), 'safe'),
  // The context shows the identifier itself: the review is for people who may see the closed version.
  before: classified(z.string(), 'free_text'),
  match: classified(z.string(), 'direct_identifier'),
  after: classified(z.string(), 'free_text'),
  undone: classified(z.boolean(), 'safe'),
});
export type ReviewedRedactionOutput = z.infer<typeof reviewedRedactionSchema>;

/** A piece of the meeting's free text as the audience would get it before redaction: what a reviewer selects from. */
export const reviewTextSchema = z.object({
  textId,
  where: classified(z.string(), 'safe'),
  text: classified(z.string(), 'free_text'),
});
export type ReviewText = z.infer<typeof reviewTextSchema>;

/** The session's running or last minutes export, for a progress bar: counts only, nothing about the meeting's people. */
export const minutesExportJobSchema = z.object({
  state: z.enum(['idle', 'running', 'done', 'failed']),
  meetingId: z.number().int().nullable(),
  audience: z.enum(AUDIENCES).nullable(),
  /** model: building the audience's text and redacting it; layout: pages being laid out; pages: marking and numbering them. */
  phase: z.enum(['model', 'layout', 'pages', 'done']).nullable(),
  /** Fraction done, 0 to 1. */
  progress: z.number().min(0).max(1),
  /** Pages written, once known. */
  pages: z.number().int().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type MinutesExportJobView = z.infer<typeof minutesExportJobSchema>;

export const exportOperations = {
  'minutes.redactions': defineOperation({
    summary: "The automatic redactions an audience's minutes would carry, each with its context, for review before export.",
    input: z.object({ meetingId: safeId, audience, review: redactionReviewInput.default({ undone: [], added: [] }) }).strict(),
    // `texts`: the free text the redactions sit in (offsets count in it), so a reviewer can select more to redact.
    output: z.object({ redactions: z.array(reviewedRedactionSchema), texts: z.array(reviewTextSchema) }),
    access: ['manager', 'statutory'],
    audit: { kind: 'consultation', entity: 'meeting' },
  }),
  'minutes.export': defineOperation({
    summary: 'The minutes of a meeting as a PDF for one audience (closed, open or board), redacted with the reviewed set.',
    input: z
      .object({
        meetingId: safeId,
        audience,
        recipients: classified(z.array(requiredText(200)).min(1, { message: 'name at least one recipient' }).max(50), 'quasi_identifier'),
        review: redactionReviewInput.default({ undone: [], added: [] }),
        /** ISO instant; fixed by tests and by a re-export that must give the same bytes. Defaults to now. */
        exportedAt: classified(z.iso.datetime().optional(), 'safe'),
      })
      .strict(),
    output: z.object({
      pdfBase64: classified(z.string(), 'free_text'),
      sha256: classified(z.string(), 'safe'),
      bytes: classified(z.number().int(), 'safe'),
      audience,
      redactions: classified(z.number().int(), 'safe'),
      /** The audit head printed on the document. */
      auditHead: classified(auditHeadSchema.nullable(), 'safe'),
    }),
    access: ['manager', 'statutory'],
    audit: { kind: 'disclosure', entity: 'meeting' },
  }),
  'minutes.exportStatus': defineOperation({
    summary: "The session's running or last minutes export (phase and fraction done), polled for a progress bar while minutes.export runs.",
    input: emptyInput,
    output: minutesExportJobSchema,
    // Polled several times a second during an export, which holds the store's queue: so it is not an
    // audited call and reads no table. The handler requires an unlocked session and returns counts only.
    access: 'public',
    audit: null,
  }),
} as const;
