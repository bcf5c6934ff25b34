// Erasure (issue 19: 3): a person or a case removed from everywhere it lives, by a manager, with a reason
// and a confirmation that repeats what is erased (the person's name, the case's reference), so the screen's
// confirmation has named it. The previews say what an erasure would reach before anyone confirms.
import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { idSchema, requiredText } from '../common.js';
import { classified } from '../fields.js';

const personId = classified(idSchema, 'safe');
const caseId = classified(idSchema, 'safe');
/** Why: kept in the erasure record, never in the audit log. Write the rule or decision, not the person. */
const reason = classified(requiredText(500), 'free_text');
/** The person's full name, or the case's reference, typed again. */
const confirmation = classified(requiredText(200), 'direct_identifier');

const count = classified(z.number().int().nonnegative(), 'safe');
const caseRef = z.object({ id: caseId, reference: classified(z.string(), 'direct_identifier') });

/** What an erasure reaches. Approved minutes are not deleted: the person is replaced there by a pseudonym. */
export const erasureCountsSchema = z.object({
  people: count,
  aliases: count,
  addresses: count,
  identifiers: count,
  cases: count,
  notes: count,
  transitions: count,
  links: count,
  locations: count,
  draftAgendaItems: count,
  draftParagraphs: count,
  actions: count,
  enforcement: count,
  escalations: count,
  approvedMeetings: count,
  textsRewritten: count,
});
export type ErasureCounts = z.infer<typeof erasureCountsSchema>;

export const erasurePreviewSchema = z.object({
  /** What the confirmation must repeat: the person's full name, or the case's reference. */
  confirmation: classified(z.string(), 'direct_identifier'),
  /** Cases erased with it: a person's cases where they are the only subject, or the case itself. */
  casesErased: z.array(caseRef),
  /** People erased with it: a case's subjects who are on no other case, or the person themself. */
  peopleErased: z.array(z.object({ id: personId, name: classified(z.string(), 'direct_identifier') })),
  /** Cases that stay, with the person taken off them and named by the pseudonym in their text. */
  casesKept: z.array(caseRef),
  counts: erasureCountsSchema,
});
export type ErasurePreview = z.infer<typeof erasurePreviewSchema>;

export const erasureResultSchema = z.object({
  erasureId: classified(idSchema, 'safe'),
  /** How the erased person or case is named from now on, e.g. "Person erased 2026-11-30 (E-0001)". */
  pseudonym: classified(z.string(), 'safe'),
  casesErased: z.array(caseId),
  peopleErased: z.array(personId),
  counts: erasureCountsSchema,
});
export type ErasureResult = z.infer<typeof erasureResultSchema>;

export const erasureOperations = {
  'people.erasurePreview': defineOperation({
    summary: 'What erasing a person would remove: the cases erased with them, the cases they are taken off, and the counts.',
    input: z.object({ personId }).strict(),
    output: erasurePreviewSchema,
    access: ['manager'],
    audit: { kind: 'consultation', entity: 'person' },
  }),
  'people.erase': defineOperation({
    summary:
      'Erases a person everywhere they are held (and the cases where they are the only subject); approved minutes name them by a pseudonym, with an addendum.',
    input: z.object({ personId, reason, confirmation }).strict(),
    output: erasureResultSchema,
    access: ['manager'],
    audit: { kind: 'erasure', entity: 'person' },
  }),
  'cases.erasurePreview': defineOperation({
    summary: 'What erasing a case would remove: its records, the subjects on no other case, and the counts.',
    input: z.object({ caseId }).strict(),
    output: erasurePreviewSchema,
    access: ['manager'],
    audit: { kind: 'consultation', entity: 'case' },
  }),
  'cases.erase': defineOperation({
    summary:
      'Erases a case with its notes, steps, links, draft minutes, actions, enforcement and escalations, and its subjects who are on no other case.',
    input: z.object({ caseId, reason, confirmation }).strict(),
    output: erasureResultSchema,
    access: ['manager'],
    audit: { kind: 'erasure', entity: 'case' },
  }),
} as const;
