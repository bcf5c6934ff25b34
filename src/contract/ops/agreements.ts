// Membership and information-sharing agreements: versioned templates, drafts for an organisation,
// signing in the room (drawn or typed, with a witness), sealing, status and review, the signed PDF,
// and the switch that makes case and meeting work depend on them.
// Agreements name organisations and the staff who sign for them, never a data subject: reading them
// needs no working context (justification: false), though every read is still logged.
import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { auditHeadSchema, idSchema, requiredText, text } from '../common.js';
import { classified } from '../fields.js';
import { AGREEMENT_KINDS, AGREEMENT_STATUSES } from '../../domain/agreements.js';

const kindSchema = classified(z.enum(AGREEMENT_KINDS), 'safe');
const agreementId = classified(idSchema, 'safe');
const isoDate = z.iso.date();

// ── templates ─────────────────────────────────────────────────────────────────────────────────────────

export const expectationRowSchema = z
  .object({
    partnerType: text(60),
    partner: requiredText(200),
    department: text(200),
    responsibilities: z.array(requiredText(500)).max(20, { message: 'at most 20 responsibilities' }),
    officerLevel: text(200),
  })
  .strict();

export const templateContentSchema = z
  .object({
    title: requiredText(200),
    sections: z
      .array(z.object({ heading: requiredText(200), body: requiredText(10_000) }).strict())
      .min(1, { message: 'needs at least one section' })
      .max(40, { message: 'at most 40 sections' }),
    expectations: z.array(expectationRowSchema).max(100, { message: 'at most 100 rows' }),
    statement: requiredText(2000),
    reviewAfterMonths: z.number().int().min(1).max(60),
    validForMonths: z.number().int().min(1).max(72),
  })
  .strict()
  .refine((c) => c.validForMonths >= c.reviewAfterMonths, { message: 'must run at least until the review date', path: ['validForMonths'] });

export const templateSchema = z.object({
  id: idSchema,
  kind: kindSchema,
  version: z.number().int(),
  latest: z.boolean(),
  content: z.object({
    title: z.string(),
    sections: z.array(z.object({ heading: z.string(), body: z.string() })),
    expectations: z.array(
      z.object({
        partnerType: z.string(),
        partner: z.string(),
        department: z.string(),
        responsibilities: z.array(z.string()),
        officerLevel: z.string(),
      }),
    ),
    statement: z.string(),
    reviewAfterMonths: z.number().int(),
    validForMonths: z.number().int(),
  }),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});

// ── signatures ────────────────────────────────────────────────────────────────────────────────────────

const coordinate = z.number().min(-10).max(10_000);
export const MAX_SIGNATURE_POINTS = 5000;
export const MAX_SIGNATURE_PNG = 600_000;

export const drawnSignatureSchema = z
  .object({
    method: z.literal('drawn'),
    strokes: z
      .array(
        z
          .object({
            points: z
              .array(
                z
                  .object({
                    x: coordinate,
                    y: coordinate,
                    time: z.number().min(0).max(1e15).optional(),
                    pressure: z.number().min(0).max(1).optional(),
                  })
                  .strict(),
              )
              .max(MAX_SIGNATURE_POINTS),
          })
          .strict(),
      )
      .max(200, { message: 'has too many strokes' })
      .refine((strokes) => strokes.reduce((n, s) => n + s.points.length, 0) <= MAX_SIGNATURE_POINTS, {
        message: `has more than ${MAX_SIGNATURE_POINTS} points`,
      }),
    width: z.number().int().min(50).max(4000),
    height: z.number().int().min(30).max(2000),
    png: z
      .string()
      .max(MAX_SIGNATURE_PNG, { message: 'image is too large' })
      .regex(/^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/, { message: 'must be a PNG image' }),
  })
  .strict();

export const typedSignatureSchema = z
  .object({
    method: z.literal('typed'),
    typedName: requiredText(200),
    attestation: z.literal(true, { message: 'tick the box to confirm the typed name is your signature' }),
  })
  .strict();

export const signatureSchema = z.discriminatedUnion('method', [drawnSignatureSchema, typedSignatureSchema]);

export const signerInput = z
  .object({
    name: classified(requiredText(200), 'direct_identifier'),
    role: classified(requiredText(200), 'safe'),
    signature: classified(signatureSchema, 'direct_identifier'),
  })
  .strict();

const signerOutput = z.object({
  name: z.string(),
  role: z.string(),
  organisation: z.string().nullable(),
  method: z.enum(['drawn', 'typed']),
  /** The drawn signature as an image; null for a typed one. */
  png: z.string().nullable(),
  typedName: z.string().nullable(),
  points: z.number().int(),
});

// ── agreements ────────────────────────────────────────────────────────────────────────────────────────

const statusSchema = z.enum(AGREEMENT_STATUSES);

export const agreementSummarySchema = z.object({
  id: idSchema,
  organisationId: idSchema,
  organisation: z.string(),
  kind: kindSchema,
  version: z.number().int(),
  status: statusSchema,
  templateVersion: z.number().int(),
  createdAt: z.string(),
  signedAt: z.string().nullable(),
  reviewDate: z.string().nullable(),
  validUntil: z.string().nullable(),
  hash: z.string().nullable(),
  signatory: z.string().nullable(),
  terminatedAt: z.string().nullable(),
  terminationReason: z.string().nullable(),
  supersedes: idSchema.nullable(),
  supersededBy: idSchema.nullable(),
});

export const agreementDetailSchema = agreementSummarySchema.extend({
  templateId: idSchema,
  groupName: z.string(),
  partnerType: z.string().nullable(),
  title: z.string(),
  sections: z.array(z.object({ heading: z.string(), body: z.string() })),
  expectations: z.array(
    z.object({
      partnerType: z.string(),
      partner: z.string(),
      department: z.string(),
      responsibilities: z.array(z.string()),
      officerLevel: z.string(),
    }),
  ),
  statement: z.string(),
  signatory: signerOutput.nullable(),
  witness: signerOutput.nullable(),
  recordedBy: z.string().nullable(),
  /** Whether the stored seal still matches a fresh SHA-256 of the stored content (null for a draft). */
  hashVerified: z.boolean().nullable(),
});

const draftFields = {
  groupName: requiredText(200),
  partnerType: text(60).nullable(),
  expectations: z.array(expectationRowSchema).max(20, { message: 'at most 20 rows' }),
};

const sha256Schema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 (64 hexadecimal characters)' });

const manager = ['manager'] as const;

export const agreementOperations = {
  'agreements.templates.list': defineOperation({
    summary: 'Every version of both agreement templates, newest first.',
    input: z.object({ kind: kindSchema.optional() }).strict(),
    output: z.object({ templates: z.array(templateSchema) }),
    access: manager,
    audit: { kind: 'consultation', entity: 'agreement_template' },
    justification: false,
  }),
  'agreements.templates.get': defineOperation({
    summary: 'One version of a template (the latest when no version is given).',
    input: z.object({ kind: kindSchema, version: z.number().int().min(1).optional() }).strict(),
    output: z.object({ template: templateSchema }),
    access: manager,
    audit: { kind: 'consultation', entity: 'agreement_template' },
    justification: false,
  }),
  'agreements.templates.edit': defineOperation({
    summary: 'Saves an edited template as its next version; agreements already drafted or signed keep theirs.',
    input: z.object({ kind: kindSchema, basedOnVersion: z.number().int().min(1), content: templateContentSchema }).strict(),
    output: z.object({ template: templateSchema }),
    access: manager,
    audit: { kind: 'alteration', entity: 'agreement_template' },
  }),
  'agreements.draft': defineOperation({
    summary: "Starts a draft agreement for an organisation from the template's latest version.",
    input: z
      .object({
        organisationId: idSchema,
        kind: kindSchema,
        groupName: draftFields.groupName,
        partnerType: draftFields.partnerType.default(null),
        /** The expectation rows; when not given, the template's rows for the partner type. */
        expectations: draftFields.expectations.optional(),
      })
      .strict(),
    output: z.object({ agreement: agreementDetailSchema }),
    access: manager,
    audit: { kind: 'collection', entity: 'agreement' },
  }),
  'agreements.updateDraft': defineOperation({
    summary: "Changes a draft's group name, partner type or expectations (a signed agreement never changes).",
    input: z
      .object({
        agreementId,
        groupName: draftFields.groupName.optional(),
        partnerType: draftFields.partnerType.optional(),
        expectations: draftFields.expectations.optional(),
      })
      .strict(),
    output: z.object({ agreement: agreementDetailSchema }),
    access: manager,
    audit: { kind: 'alteration', entity: 'agreement' },
  }),
  'agreements.newVersion': defineOperation({
    summary: "Starts a draft that will supersede a signed agreement once it is signed, on the template's latest version.",
    input: z.object({ agreementId }).strict(),
    output: z.object({ agreement: agreementDetailSchema }),
    access: manager,
    audit: { kind: 'collection', entity: 'agreement' },
  }),
  'agreements.get': defineOperation({
    summary: 'One agreement with its text, signatures, status and seal (re-checked).',
    input: z.object({ agreementId }).strict(),
    output: z.object({ agreement: agreementDetailSchema }),
    access: manager,
    audit: { kind: 'consultation', entity: 'agreement' },
    justification: false,
  }),
  'agreements.list': defineOperation({
    summary: 'Agreements with their status, for one organisation or all, organisation by organisation.',
    input: z.object({ organisationId: idSchema.optional(), asOf: isoDate.optional() }).strict(),
    output: z.object({ agreements: z.array(agreementSummarySchema) }),
    access: manager,
    audit: { kind: 'consultation', entity: 'agreement' },
    justification: false,
  }),
  'agreements.sign': defineOperation({
    summary: 'Signs a draft in the room: the signatory and a witness, each drawn or typed with attestation; seals it with SHA-256.',
    input: z.object({ agreementId, signatory: signerInput, witness: signerInput }).strict(),
    output: z.object({ agreement: agreementDetailSchema }),
    access: manager,
    audit: { kind: 'sign', entity: 'agreement' },
  }),
  'agreements.terminate': defineOperation({
    summary: 'Ends a signed agreement, with the reason; the agreement itself is not changed.',
    input: z.object({ agreementId, reason: requiredText(1000) }).strict(),
    output: z.object({ agreement: agreementDetailSchema }),
    access: manager,
    audit: { kind: 'alteration', entity: 'agreement' },
  }),
  'agreements.overview': defineOperation({
    summary:
      "For the manager's home: agreements due for review within N days, and member organisations without a current agreement of each kind.",
    input: z.object({ withinDays: z.number().int().min(0).max(366).default(60), asOf: isoDate.optional() }).strict(),
    output: z.object({
      enforced: z.boolean(),
      asOf: z.string(),
      dueForReview: z.array(agreementSummarySchema),
      missing: z.array(
        z.object({ organisationId: idSchema, organisation: z.string(), statutory: z.boolean(), kinds: z.array(kindSchema) }),
      ),
    }),
    access: manager,
    audit: { kind: 'consultation', entity: 'agreement' },
    justification: false,
  }),
  'agreements.setEnforcement': defineOperation({
    summary: 'Turns on (or off) the rule that case and meeting work needs a current signed agreement.',
    input: z.object({ enabled: z.boolean() }).strict(),
    output: z.object({ enforced: z.boolean() }),
    access: manager,
    audit: { kind: 'settings', entity: 'store' },
    justification: false,
  }),
  'agreements.exportPdf': defineOperation({
    summary: "The signed agreement as a PDF marked OFFICIAL-SENSITIVE; the file's SHA-256 is recorded with the export.",
    input: z.object({ agreementId, recipients: z.array(requiredText(200)).max(20).default([]) }).strict(),
    output: z.object({
      filename: z.string(),
      pdfBase64: z.string(),
      sha256: z.string(),
      bytes: z.number().int(),
      /** The audit head printed on the document. */
      auditHead: auditHeadSchema.nullable(),
    }),
    access: manager,
    audit: { kind: 'export', entity: 'agreement' },
  }),
  'documents.verify': defineOperation({
    summary: 'Names the audit entries that recorded exporting a file with this SHA-256.',
    input: z.object({ sha256: sha256Schema }).strict(),
    output: z.object({
      matches: z.array(
        z.object({
          seq: z.number().int(),
          at: z.string(),
          username: z.string().nullable(),
          operation: z.string(),
          entityType: z.string().nullable(),
          entityId: z.string().nullable(),
          recipients: z.array(z.string()),
        }),
      ),
    }),
    access: manager,
    audit: { kind: 'consultation', entity: 'audit_log' },
    justification: false,
  }),
} as const;

export type AgreementDetail = z.infer<typeof agreementDetailSchema>;
export type AgreementSummary = z.infer<typeof agreementSummarySchema>;
export type TemplateOutput = z.infer<typeof templateSchema>;
