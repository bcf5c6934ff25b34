// People: the subjects of cases, kept apart from the cases so one person can appear in several.
import { z } from 'zod';
import { defineOperation, ALL_ROLES } from '../operation.js';
import { auditHeadSchema, idSchema, requiredText, text } from '../common.js';
import { classified } from '../fields.js';
import { formatPostcode, isUkPostcode } from '../../domain/names.js';
import { HARM_LEVELS, localToday } from '../../domain/risk.js';
import { CASE_OUTCOMES, CASE_STATUSES } from '../../domain/lifecycle.js';

// ── shared field schemas ──────────────────────────────────────────────────────────────────────────────

export const isoDate = z.iso.date({ message: 'must be a real date written YYYY-MM-DD' });
/** A date that has happened: dates of birth, referral and assessment dates. */
export const pastDate = isoDate
  .refine((d) => d >= '1900-01-01', { message: 'must be after 1900' })
  .refine((d) => d <= localToday(), { message: 'cannot be in the future' });

export const postcodeSchema = z
  .string()
  .trim()
  .max(10, { message: 'must be at most 10 characters' })
  .refine(isUkPostcode, { message: 'is not a UK postcode (e.g. B12 9QR)' })
  .transform(formatPostcode);

export const userRefSchema = classified(z.object({ id: idSchema, displayName: z.string() }), 'safe');

export const GENDERS = ['female', 'male', 'non_binary', 'other', 'not_known'] as const;
export const IDENTIFIER_SCHEMES = ['police', 'council', 'housing', 'nhs', 'ni', 'other'] as const;
export const CONTACT_KINDS = ['phone', 'email', 'other'] as const;
export const HOUSEHOLD_RELATIONSHIPS = ['partner', 'child', 'parent', 'sibling', 'carer', 'other_relative', 'other'] as const;

// ── input ─────────────────────────────────────────────────────────────────────────────────────────────

const addressInput = z
  .object({
    line1: classified(requiredText(200), 'direct_identifier'),
    line2: classified(text(200).nullable().default(null), 'direct_identifier'),
    town: classified(text(100).nullable().default(null), 'quasi_identifier'),
    postcode: classified(postcodeSchema.nullable().default(null), 'quasi_identifier'),
    ward: classified(text(100).nullable().default(null), 'quasi_identifier'),
    current: classified(z.boolean().default(true), 'safe'),
  })
  .strict();

const contactInput = z
  .object({
    kind: classified(z.enum(CONTACT_KINDS), 'safe'),
    value: classified(requiredText(200), 'direct_identifier'),
  })
  .strict();

const identifierInput = z
  .object({
    scheme: classified(z.enum(IDENTIFIER_SCHEMES), 'safe'),
    value: classified(requiredText(100), 'direct_identifier'),
  })
  .strict();

const householdInput = z
  .object({
    name: classified(requiredText(200), 'direct_identifier'),
    relationship: classified(z.enum(HOUSEHOLD_RELATIONSHIPS), 'quasi_identifier'),
    dateOfBirth: classified(pastDate.nullable().default(null), 'quasi_identifier'),
  })
  .strict();

/** The fields of a person, as entered. Lists replace the stored list whole on update. */
export const personFieldsInput = {
  givenName: classified(requiredText(100), 'direct_identifier'),
  familyName: classified(requiredText(100), 'direct_identifier'),
  aliases: classified(z.array(requiredText(100)).max(20, { message: 'at most 20 aliases' }), 'direct_identifier'),
  dateOfBirth: classified(pastDate.nullable(), 'quasi_identifier'),
  gender: classified(z.enum(GENDERS).nullable(), 'quasi_identifier'),
  addresses: z.array(addressInput).max(10, { message: 'at most 10 addresses' }),
  contacts: z.array(contactInput).max(10, { message: 'at most 10 contact details' }),
  identifiers: z.array(identifierInput).max(20, { message: 'at most 20 identifiers' }),
  household: z.array(householdInput).max(30, { message: 'at most 30 household members' }),
};

export const personCreateInput = z
  .object({
    givenName: personFieldsInput.givenName,
    familyName: personFieldsInput.familyName,
    aliases: personFieldsInput.aliases.default([]),
    dateOfBirth: personFieldsInput.dateOfBirth.default(null),
    gender: personFieldsInput.gender.default(null),
    addresses: personFieldsInput.addresses.default([]),
    contacts: personFieldsInput.contacts.default([]),
    identifiers: personFieldsInput.identifiers.default([]),
    household: personFieldsInput.household.default([]),
    /** Set after the caller has seen the duplicate warning and decided this is a different person. */
    createDespiteDuplicates: classified(z.boolean().default(false), 'safe'),
  })
  .strict();
export type PersonCreateInput = z.output<typeof personCreateInput>;

export const personUpdateInput = z
  .object({
    personId: classified(idSchema, 'safe'),
    givenName: personFieldsInput.givenName.optional(),
    familyName: personFieldsInput.familyName.optional(),
    aliases: personFieldsInput.aliases.optional(),
    dateOfBirth: personFieldsInput.dateOfBirth.optional(),
    gender: personFieldsInput.gender.optional(),
    addresses: personFieldsInput.addresses.optional(),
    contacts: personFieldsInput.contacts.optional(),
    identifiers: personFieldsInput.identifiers.optional(),
    household: personFieldsInput.household.optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).some((k) => k !== 'personId'), { message: 'changes nothing: give at least one field' });
export type PersonUpdateInput = z.output<typeof personUpdateInput>;

// ── output ────────────────────────────────────────────────────────────────────────────────────────────

export const personSchema = z.object({
  id: classified(idSchema, 'safe'),
  givenName: classified(z.string(), 'direct_identifier'),
  familyName: classified(z.string(), 'direct_identifier'),
  aliases: classified(z.array(z.string()), 'direct_identifier'),
  dateOfBirth: classified(z.string().nullable(), 'quasi_identifier'),
  gender: classified(z.enum(GENDERS).nullable(), 'quasi_identifier'),
  addresses: z.array(
    z.object({
      line1: classified(z.string(), 'direct_identifier'),
      line2: classified(z.string().nullable(), 'direct_identifier'),
      town: classified(z.string().nullable(), 'quasi_identifier'),
      postcode: classified(z.string().nullable(), 'quasi_identifier'),
      ward: classified(z.string().nullable(), 'quasi_identifier'),
      current: classified(z.boolean(), 'safe'),
    }),
  ),
  contacts: z.array(z.object({ kind: classified(z.enum(CONTACT_KINDS), 'safe'), value: classified(z.string(), 'direct_identifier') })),
  identifiers: z.array(
    z.object({ scheme: classified(z.enum(IDENTIFIER_SCHEMES), 'safe'), value: classified(z.string(), 'direct_identifier') }),
  ),
  household: z.array(
    z.object({
      name: classified(z.string(), 'direct_identifier'),
      relationship: classified(z.enum(HOUSEHOLD_RELATIONSHIPS), 'quasi_identifier'),
      dateOfBirth: classified(z.string().nullable(), 'quasi_identifier'),
    }),
  ),
  createdAt: classified(z.string(), 'safe'),
  updatedAt: classified(z.string(), 'safe'),
});
export type Person = z.infer<typeof personSchema>;

export const duplicateSchema = z.object({
  personId: classified(idSchema, 'safe'),
  givenName: classified(z.string(), 'direct_identifier'),
  familyName: classified(z.string(), 'direct_identifier'),
  dateOfBirth: classified(z.string().nullable(), 'quasi_identifier'),
  reasons: classified(z.array(z.enum(['date_of_birth_and_name', 'date_of_birth_and_alias', 'address'])), 'safe'),
});
export type DuplicateCandidate = z.infer<typeof duplicateSchema>;

/** A case as listed under a person or in search results: enough to pick it, no narrative. */
export const caseSummarySchema = z.object({
  id: classified(idSchema, 'safe'),
  reference: classified(z.string(), 'direct_identifier'),
  area: classified(z.string(), 'quasi_identifier'),
  status: classified(z.enum(CASE_STATUSES), 'safe'),
  outcome: classified(z.enum(CASE_OUTCOMES).nullable(), 'safe'),
  overallRisk: classified(z.enum(HARM_LEVELS), 'safe'),
  concerns: classified(z.array(z.string()), 'special_category'),
  referralDate: classified(z.string(), 'quasi_identifier'),
  reviewDate: classified(z.string(), 'safe'),
  reviewOverdue: classified(z.boolean(), 'safe'),
  closedOnly: classified(z.boolean(), 'safe'),
  updatedAt: classified(z.string(), 'safe'),
  subjects: z.array(
    z.object({
      id: classified(idSchema, 'safe'),
      givenName: classified(z.string(), 'direct_identifier'),
      familyName: classified(z.string(), 'direct_identifier'),
    }),
  ),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

// ── operations ────────────────────────────────────────────────────────────────────────────────────────

export const peopleOperations = {
  'people.create': defineOperation({
    summary: 'Records a person. Warns of likely duplicates and creates only when there are none or the caller confirms.',
    input: personCreateInput,
    output: z.object({
      created: classified(z.boolean(), 'safe'),
      person: personSchema.nullable(),
      duplicates: z.array(duplicateSchema),
    }),
    access: ALL_ROLES,
    audit: { kind: 'collection', entity: 'person' },
    // The duplicate check shows other people's names and dates of birth: a consultation, so it needs the working context.
    justification: true,
  }),
  'people.get': defineOperation({
    summary: 'A person with their details and the cases they are a subject of.',
    input: z.object({ personId: classified(idSchema, 'safe') }).strict(),
    output: z.object({ person: personSchema, cases: z.array(caseSummarySchema) }),
    access: ALL_ROLES,
    audit: { kind: 'consultation', entity: 'person' },
    // Case detail: the information-sharing agreement as well as membership (DOMAIN: no signed, current agreement, no access).
    requires: ['membership', 'information_sharing'],
  }),
  'people.update': defineOperation({
    summary: "Changes a person's details; a list given replaces the stored list.",
    input: personUpdateInput,
    output: z.object({ person: personSchema }),
    access: ['manager', 'statutory'],
    audit: { kind: 'alteration', entity: 'person' },
  }),
  'people.subjectAccess': defineOperation({
    summary:
      "Everything held about a person (record, cases, notes, minutes, actions, enforcement, escalations, the log's consultations and disclosures of them) as a PDF and a JSON file, other people's identifiers redacted; logged as a disclosure.",
    input: z
      .object({
        personId: classified(idSchema, 'safe'),
        /** Who receives the pack: the data subject, or whoever asked on their behalf. */
        recipients: classified(z.array(requiredText(200)).min(1, { message: 'name who the pack is for' }).max(10), 'quasi_identifier'),
        /** Why it is disclosed (the request it answers); recorded as the disclosure's justification. */
        justification: classified(requiredText(1000), 'free_text'),
        /** Whether material recorded for closed meetings goes in (it may fall under an exemption: the manager decides). */
        includeClosedOnly: classified(z.boolean().default(false), 'safe'),
        /** ISO instant; fixed by tests. Defaults to now. */
        exportedAt: classified(z.iso.datetime().optional(), 'safe'),
      })
      .strict(),
    output: z.object({
      pdfBase64: classified(z.string(), 'free_text'),
      sha256: classified(z.string(), 'safe'),
      bytes: classified(z.number().int(), 'safe'),
      /** The JSON file's text, exactly as its SHA-256 was taken. */
      json: classified(z.string(), 'free_text'),
      jsonSha256: classified(z.string(), 'safe'),
      jsonBytes: classified(z.number().int(), 'safe'),
      redactions: classified(z.number().int(), 'safe'),
      thirdParties: classified(z.number().int(), 'safe'),
      auditHead: classified(auditHeadSchema.nullable(), 'safe'),
    }),
    // A disclosure of everything held about someone: the manager's decision alone.
    access: ['manager'],
    audit: { kind: 'disclosure', entity: 'person' },
    // The input carries the disclosure's own justification; no working context is needed besides it.
    justification: false,
    requires: ['membership', 'information_sharing'],
  }),
} as const;
