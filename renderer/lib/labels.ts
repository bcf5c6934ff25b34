// Every word a person reads for a stored value or a field: one map per kind of value, and the field
// labels each operation's form uses to name a problem. Screens take their labels from here only; the
// domain's maps (statuses, outcomes, harms, roles) are re-exported so there is one place to look.
import type { AuditKind } from '../../src/contract/audit-kinds.js';
import type { OperationName } from '../../src/contract/operations.js';
import type { CaseSort, CONSENT_POSITIONS, NOTE_CLASSIFICATIONS } from '../../src/contract/ops/cases.js';
import type { DuplicateCandidate, GENDERS, IDENTIFIER_SCHEMES } from '../../src/contract/ops/people.js';
import { ROLE_LABELS } from '../../src/domain/access.js';
import { CONCERNS, type ConcernCode } from '../../src/domain/concerns.js';
import { OUTCOME_LABELS, STATUS_LABELS, type CaseOutcome, type CaseStatus } from '../../src/domain/lifecycle.js';
import { HARM_LABELS, type HarmLevel } from '../../src/domain/risk.js';
import { ENFORCEMENT_LABELS, ESCALATION_LABELS, type TriggerStatus } from '../../src/domain/enforcement.js';
import type { StrengthLevel } from './strength.js';

export { ENFORCEMENT_LABELS, ESCALATION_LABELS, HARM_LABELS, OUTCOME_LABELS, ROLE_LABELS, STATUS_LABELS };

/** Field path (dotted, as the contract names it; `*` for any item of a list, `#` for its number) → label. */
export type Labels = Readonly<Record<string, string>>;

export const statusLabel = (s: CaseStatus): string => STATUS_LABELS[s];
export const outcomeLabel = (o: CaseOutcome): string => OUTCOME_LABELS[o];

/** The button that moves a case to each status. */
export const ACTION_LABELS: Readonly<Record<CaseStatus, string>> = {
  referred: 'Refer',
  accepted: 'Accept',
  declined: 'Decline',
  active: 'Make active',
  under_review: 'Start review',
  closed: 'Close case',
};

export const RISK_LABELS: Readonly<Record<HarmLevel, string>> = { low: 'Low', medium: 'Medium', high: 'High' };

export const CONSENT_LABELS: Readonly<Record<(typeof CONSENT_POSITIONS)[number], string>> = {
  given: 'Given',
  refused: 'Refused',
  not_sought: 'Not sought',
  not_required: 'Not required',
};

export const NOTE_CLASSIFICATION_LABELS: Readonly<Record<(typeof NOTE_CLASSIFICATIONS)[number], string>> = {
  free_text: 'General',
  special_category: 'Special category (health, ethnicity, beliefs…)',
};

export const SUPPORT_DECISION_LABELS: Readonly<Record<'discuss' | 'do_not_discuss', string>> = {
  discuss: 'Yes, discuss it',
  do_not_discuss: 'No, leave it to that service',
};

export const GENDER_LABELS: Readonly<Record<(typeof GENDERS)[number], string>> = {
  female: 'Female',
  male: 'Male',
  non_binary: 'Non-binary',
  other: 'Other',
  not_known: 'Not known',
};

export const SCHEME_LABELS: Readonly<Record<(typeof IDENTIFIER_SCHEMES)[number], string>> = {
  police: 'Police',
  council: 'Council',
  housing: 'Housing',
  nhs: 'NHS number',
  ni: 'National Insurance',
  other: 'Other',
};

/** Why people.create thinks two records may be the same person. */
export const DUPLICATE_REASON_LABELS: Readonly<Record<DuplicateCandidate['reasons'][number], string>> = {
  date_of_birth_and_name: 'same date of birth, similar name',
  date_of_birth_and_alias: 'same date of birth, matching alias',
  address: 'same address',
};

export const AUDIT_KIND_LABELS: Readonly<Record<AuditKind, string>> = {
  collection: 'Collection',
  alteration: 'Alteration',
  consultation: 'Consultation',
  disclosure: 'Disclosure',
  combination: 'Combination',
  erasure: 'Erasure',
  unlock: 'Unlock',
  failed_unlock: 'Failed unlock',
  lock: 'Lock',
  sign: 'Signature',
  export: 'Export',
  settings: 'Settings',
  tamper: 'Tamper warning',
};

export const AUDIT_OUTCOME_LABELS: Readonly<Record<'ok' | 'refused', string>> = { ok: 'Done', refused: 'Refused' };

/** Why the store locked, as the unlock screen says it. */
export const LOCK_REASON_LABELS: Readonly<Record<string, string>> = {
  user: 'You locked Concordat.',
  idle: 'Concordat locked itself because nobody used it for a while.',
  suspend: 'Concordat locked when the computer went to sleep.',
  'screen-lock': 'Concordat locked when the screen was locked.',
  shutdown: 'Concordat locked before closing.',
};

export const STRENGTH_LABELS: Readonly<Record<StrengthLevel, string>> = {
  0: 'Too short',
  1: 'Weak',
  2: 'Fair',
  3: 'Good',
  4: 'Strong',
};

/** The case list's sort choices; "auto" lets the list pick relevance for a search and review date otherwise. */
export const SORT_LABELS: Readonly<Record<'auto' | Exclude<CaseSort, 'relevance'>, string>> = {
  auto: 'Best match, or review date',
  reviewDate: 'Review date',
  risk: 'Risk',
  reference: 'Reference',
  referralDate: 'Referral date',
  updatedAt: 'Last changed',
};

export const SORT_DIRECTION_LABELS: Readonly<Record<'default' | 'asc' | 'desc', string>> = {
  default: 'Usual for this sort',
  asc: 'Ascending',
  desc: 'Descending',
};

/** Where a Community Trigger (ASB Case Review) has got to. */
export const TRIGGER_STATUS_LABELS: Readonly<Record<TriggerStatus, string>> = {
  received: 'Received: awaiting decision',
  threshold_met: 'Threshold met: review to hold',
  threshold_not_met: 'Threshold not met',
  review_held: 'Review held',
  closed: 'Closed',
};

export function concernText(code: string): string {
  return CONCERNS.find((c) => c.code === code)?.label ?? code;
}

export const CONCERN_OPTIONS = CONCERNS.filter((c) => c.active).map((c) => ({ value: c.code as ConcernCode, label: c.label }));

const CASE_FIELDS: Labels = {
  area: 'Area',
  summary: 'Summary',
  'referral.organisation': 'Referring organisation',
  'referral.officer': 'Referring officer',
  'referral.date': 'Referral date',
  'referral.reason': 'Reason for referral',
  'referral.consent': 'Consent',
  'risk.personalHarm': HARM_LABELS.personalHarm,
  'risk.communityHarm': HARM_LABELS.communityHarm,
  'risk.environmentalHarm': HARM_LABELS.environmentalHarm,
  'risk.vulnerabilityFactors': 'Vulnerability factors',
  'risk.vulnerabilityFactors.*': 'Vulnerability factor #',
  'risk.reasons': 'Reasons',
  'risk.assessedOn': 'Assessment date',
  'locations.*.label': 'Location # name',
  'locations.*.address': 'Location # address',
  'locations.*.postcode': 'Location # postcode',
  'locations.*.ward': 'Location # ward',
  'alreadySupported.service': 'Service',
  'alreadySupported.decision': 'Whether to discuss here',
  closedOnly: 'Closed meeting only',
};

const PERSON_FIELDS: Labels = {
  givenName: 'Given name',
  familyName: 'Family name',
  aliases: 'Also known as',
  'aliases.*': 'Alias #',
  dateOfBirth: 'Date of birth',
  gender: 'Gender',
  'addresses.*.line1': 'Address line 1',
  'addresses.*.town': 'Town',
  'addresses.*.postcode': 'Postcode',
  'addresses.*.ward': 'Ward',
  'identifiers.*.value': 'Reference number',
  'contacts.*.value': 'Phone number',
};

/** The labels each operation's form gives its fields, so a problem reads "Referral date is required". */
export const FIELD_LABELS: { readonly [N in OperationName]?: Labels } = {
  'store.init': {
    displayName: 'Your full name',
    username: 'User name',
    organisation: 'Your organisation',
    passphrase: 'Passphrase',
    confirm: 'Confirm passphrase',
  },
  'session.unlock': { username: 'User name', passphrase: 'Passphrase', justification: 'Working context' },
  'session.setJustification': { justification: 'Working context' },
  'users.add': {
    displayName: 'Full name',
    username: 'User name',
    role: 'Role',
    organisationId: 'Organisation',
    passphrase: 'First passphrase',
  },
  'users.changePassphrase': { currentPassphrase: 'Current passphrase', newPassphrase: 'New passphrase', confirm: 'Confirm new passphrase' },
  'organisations.add': { name: 'Organisation name', statutory: 'Statutory partner' },
  'cases.create': CASE_FIELDS,
  'cases.update': CASE_FIELDS,
  'cases.transition': { to: 'Next status', reason: 'Reason', outcome: 'Outcome' },
  'cases.addNote': { body: 'Note', classification: 'Kind of information', closedOnly: 'Closed meeting only' },
  'cases.link': { otherCaseId: 'Reference of the other case', reason: 'Why they are linked' },
  'people.create': PERSON_FIELDS,
  'people.update': PERSON_FIELDS,
  'audit.query': { 'filter.from': 'From', 'filter.to': 'To', 'filter.username': 'User name', 'filter.entityType': 'Record type' },
  'audit.exportCsv': { recipients: 'Who it is for', 'recipients.*': 'Recipient #' },
  'audit.acknowledgeTamper': { note: 'What the investigation found' },
  'minutes.export': { recipients: 'Who the minutes are for', 'recipients.*': 'Recipient #', audience: 'Audience' },
  'enforcement.updateBreach': { breachId: 'Breach', date: 'Date of the breach', reportedBy: 'Reported by', actionTaken: 'Action taken' },
  'escalations.refer': {
    kind: 'Referred to',
    referredOn: 'Date referred',
    shared: 'What was shared',
    recipients: 'Who it was shared with',
    'recipients.*': 'Recipient #',
  },
  'escalations.recordOutcome': { escalationId: 'Referral', outcome: 'What came back', returnedOn: 'Date it came back' },
  'escalations.list': { status: 'State', kind: 'Referred to', area: 'Area', from: 'Referred from', to: 'Referred up to' },
  'triggers.apply': {
    area: 'Area',
    applicant: 'Applicant',
    consent: 'Consent to share',
    onBehalfOf: 'Applying on behalf of',
    applicationDate: 'Date of application',
    'incidents.*.date': 'Incident # date',
    'incidents.*.agency': 'Incident # agency told',
    'incidents.*.reference': 'Incident # reference',
    'threshold.complaints': 'Complaints needed',
    'threshold.windowDays': 'Within (days)',
    persistentHarm: 'Persistent harm',
    caseId: 'Case',
  },
  'triggers.decide': { met: 'Threshold decision', reasons: 'Reasons', decidedOn: 'Date decided' },
  'triggers.recordReview': { reviewDate: 'Date of the review meeting', notes: 'Notes of the review' },
  'triggers.addRecommendation': { text: 'Recommendation', owner: 'Owner', due: 'Due by' },
  'triggers.close': { outcome: 'Outcome', appeal: 'Appeal' },
  'people.subjectAccess': {
    recipients: 'Who the pack is for',
    'recipients.*': 'Recipient #',
    justification: 'The request this answers',
    includeClosedOnly: 'Closed-meeting material',
  },
};
