// The two agreements as Concordat ships them: version 1 of each template, written into a store the first
// time its templates are asked for. A manager edits them from there (each edit is a new version); this
// text is never read again for a store that already has a version.
// Membership: the terms of reference of a Local Partnership Delivery Group (purpose, place and people
// focus, governance, member expectations per partner). Information sharing: the headings of the ICO's
// data sharing code of practice.
import type { AgreementKind } from './agreements.js';

export interface ExpectationRow {
  /** Which kind of partner this row is written for; picks the pre-filled rows for an organisation. */
  partnerType: string;
  partner: string;
  department: string;
  responsibilities: string[];
  officerLevel: string;
}

export interface TemplateSection {
  heading: string;
  body: string;
}

export interface TemplateContent {
  title: string;
  sections: TemplateSection[];
  /** Membership only: the member-expectations table, one or more rows per partner type. */
  expectations: ExpectationRow[];
  /** What the signatory agrees to, above the signatures. `{group}` is the group's name. */
  statement: string;
  reviewAfterMonths: number;
  validForMonths: number;
}

const CORE = [
  'Support in delivering the priorities of the group',
  'Lead on activities and interventions as needed',
  'Required to attend both Place and People meetings',
  'Take actions as needed and respond within the agreed timescale',
  'Make referrals into the group',
];
const AS_REQUESTED = [
  'Attend the group as requested',
  'Agree to support delivery of priorities',
  'Agree to take actions and respond in the timescale agreed',
  'Make referrals into the group as needed',
];
const PLACE_ONLY = (who: string) => [
  `Attend the Place meeting${who}`,
  'Agree to support delivery of priorities',
  'Agree to take actions and respond in the timescale agreed',
  'Make referrals into the group as needed',
];

export const PARTNER_TYPES: readonly { value: string; label: string }[] = [
  { value: 'council_community_safety', label: 'Council: Community Safety Team' },
  { value: 'police_neighbourhoods', label: 'Police: Neighbourhoods' },
  { value: 'council_housing', label: 'Council: Housing' },
  { value: 'childrens_trust_yot', label: "Children's Trust: Youth Offending Team" },
  { value: 'childrens_trust_family_support', label: "Children's Trust: Family Support" },
  { value: 'registered_provider', label: 'Registered housing provider' },
  { value: 'fire_service', label: 'Fire and rescue service' },
  { value: 'mental_health', label: 'Mental health trust' },
  { value: 'council_prevent', label: 'Council: Prevent' },
  { value: 'council_regulatory', label: 'Council: Trading Standards, Licensing, Environmental Services' },
  { value: 'police_ppu', label: 'Police: Public Protection Unit' },
  { value: 'probation', label: 'Probation: Community Payback' },
  { value: 'councillor', label: 'Local councillor' },
  { value: 'resident_rep', label: 'Local resident representative' },
  { value: 'third_sector', label: 'Local third-sector provider' },
];

const MEMBERSHIP: TemplateContent = {
  title: 'Membership agreement',
  sections: [
    {
      heading: 'Purpose',
      body: "The {group} is commissioned by the Community Safety Partnership so that partners and communities work together to address local issues, take ownership of the partnership's statutory duty to engage and consult regularly with the community about its priorities, and support the Community Trigger process.",
    },
    {
      heading: 'Place and people',
      body: 'Place: the group identifies locations within its area that are having an impact on the community, and brings partners together to coordinate a response that reduces crime, anti-social behaviour and community tensions there.\nPeople: working within a data-protected partnership, the group identifies individuals and groups who are having an impact on the community, and plans and carries out diversion and enforcement activity to reduce crime and anti-social behaviour.',
    },
    {
      heading: 'Governance and accountability',
      body: 'The group is accountable to the Community Safety Partnership through its crime, anti-social behaviour and community strategic priority leads. Its outcomes are monitored monthly by the ASB steering group and reported quarterly to the partnership board. The partnership may ask the group to address critical or emerging issues, and the group may ask the partnership or the steering group for added support.',
    },
    {
      heading: 'Confidentiality',
      body: "Information about individuals discussed by the group is shared only under the group's information-sharing agreement, used only for the purposes of the group, and not disclosed further without the agreement of the partner who provided it. Closed People meetings are attended by statutory partners only.",
    },
  ],
  expectations: [
    {
      partnerType: 'council_community_safety',
      partner: 'Council',
      department: 'Community Safety Team',
      officerLevel: 'Manager',
      responsibilities: [
        "Facilitate the group's meetings",
        'Create links between the group and other partnerships and organisations within the area',
        ...CORE,
      ],
    },
    {
      partnerType: 'police_neighbourhoods',
      partner: 'Police',
      department: 'Neighbourhoods',
      officerLevel: 'Chief Inspector',
      responsibilities: [...CORE, 'Chair meetings of the group as agreed'],
    },
    {
      partnerType: 'council_housing',
      partner: 'Council',
      department: 'Housing Department',
      officerLevel: 'Local Housing Manager',
      responsibilities: CORE,
    },
    {
      partnerType: 'childrens_trust_yot',
      partner: "Children's Trust",
      department: 'Youth Offending Team',
      officerLevel: 'ASB YOT worker',
      responsibilities: CORE,
    },
    {
      partnerType: 'childrens_trust_family_support',
      partner: "Children's Trust",
      department: 'Family Support',
      officerLevel: 'Team Manager',
      responsibilities: CORE,
    },
    {
      partnerType: 'registered_provider',
      partner: 'Registered Provider',
      department: 'Name of the registered provider',
      officerLevel: 'Manager / Housing Officer',
      responsibilities: CORE,
    },
    {
      partnerType: 'fire_service',
      partner: 'Fire Service',
      department: 'Local Station',
      officerLevel: 'Station Commander, as requested',
      responsibilities: ['Attend as requested and provide a single point of contact for each group', ...CORE],
    },
    {
      partnerType: 'mental_health',
      partner: 'Mental Health Trust',
      department: 'Mental Health Services',
      officerLevel: 'Area Manager',
      responsibilities: CORE,
    },
    {
      partnerType: 'council_prevent',
      partner: 'Council',
      department: 'Prevent (youth and/or community engagement)',
      officerLevel: 'Manager, as requested',
      responsibilities: CORE,
    },
    {
      partnerType: 'council_regulatory',
      partner: 'Council',
      department: 'Trading Standards, Licensing, Environmental Services',
      officerLevel: 'Manager, as requested',
      responsibilities: AS_REQUESTED,
    },
    {
      partnerType: 'police_ppu',
      partner: 'Police',
      department: 'Public Protection Unit',
      officerLevel: 'Officer, as requested',
      responsibilities: AS_REQUESTED,
    },
    {
      partnerType: 'probation',
      partner: 'Probation Service',
      department: 'Community Payback',
      officerLevel: 'Team leader, as requested',
      responsibilities: AS_REQUESTED,
    },
    {
      partnerType: 'councillor',
      partner: 'Council',
      department: 'Local councillor',
      officerLevel: 'Councillor',
      responsibilities: PLACE_ONLY(''),
    },
    {
      partnerType: 'resident_rep',
      partner: 'Community',
      department: 'Local resident representative',
      officerLevel: '',
      responsibilities: PLACE_ONLY(' on behalf of an identified local community group'),
    },
    {
      partnerType: 'third_sector',
      partner: 'Community',
      department: 'Local third-sector provider',
      officerLevel: '',
      responsibilities: PLACE_ONLY(' on behalf of an identified local community group, charity or registered third-sector organisation'),
    },
  ],
  statement: 'I agree to support and deliver the priorities of the {group} and to honour the expectations stated above.',
  reviewAfterMonths: 12,
  validForMonths: 15,
};

const INFORMATION_SHARING: TemplateContent = {
  title: 'Information-sharing agreement',
  sections: [
    {
      heading: 'Purpose',
      body: 'To share personal data about individuals causing concern, and about places, between the partners of the {group}, so that they can prevent and reduce crime, disorder and anti-social behaviour, protect vulnerable people and plan joint interventions.',
    },
    {
      heading: 'Organisations and contacts',
      body: 'The organisations party to this agreement are the members of the {group} who have signed it. Each names a single point of contact for data protection matters, recorded with its signature.',
    },
    {
      heading: 'Data items',
      body: 'Names, aliases, dates of birth, addresses and contact details of subjects; household members where relevant; police and council reference numbers; the reason for referral and the concerns raised; risk and vulnerability assessments; enforcement history; the actions agreed and their outcomes. Only the minimum needed for each case is shared.',
    },
    {
      heading: 'Lawful basis and conditions',
      body: 'Section 115 of the Crime and Disorder Act 1998 gives a power to share for the purposes of that Act. Processing is necessary for a task carried out in the public interest or in the exercise of official authority (UK GDPR Article 6(1)(e)). Special-category data is processed under Article 9(2)(g) and Data Protection Act 2018 Schedule 1 Part 2 (substantial public interest: preventing or detecting unlawful acts, safeguarding of children and individuals at risk). Criminal-offence data is processed under Article 10 and the corresponding Schedule 1 conditions. Police partners processing for law-enforcement purposes do so under Part 3 of the Act.',
    },
    {
      heading: 'How data is shared and kept secure',
      body: "Data is shared only through the partnership's encrypted store, in meetings attended by the partners entitled to it, and in exported minutes marked OFFICIAL-SENSITIVE. Every view, change and disclosure is logged. Data is not sent by ordinary e-mail or kept on removable media.",
    },
    {
      heading: 'Accuracy',
      body: 'Each partner is responsible for the accuracy of the data it provides and corrects it in the store as soon as it learns of an error.',
    },
    {
      heading: 'Retention and disposal',
      body: "Case data is reviewed when a case closes and at least every twelve months, and is erased or pseudonymised when no longer needed for the purpose, in line with the partnership's retention schedule. Erasure never breaks the integrity of the audit log.",
    },
    {
      heading: "Individuals' rights",
      body: 'Requests from individuals (access, rectification, erasure, restriction, objection) are handled by the partner that receives them, which tells the partnership manager within five working days so the other partners can respond within the statutory time limit.',
    },
    {
      heading: 'Security incidents',
      body: 'A partner who discovers a personal data breach involving shared data tells the partnership manager and its own data protection officer at once, and in any case within 24 hours, so that the controller can report to the ICO within 72 hours where required.',
    },
    {
      heading: 'Review',
      body: 'This agreement is reviewed every twelve months, or sooner if the law, the purpose or the partners change.',
    },
    {
      heading: 'Termination',
      body: 'A partner may withdraw from this agreement by written notice to the partnership manager. Data already shared stays subject to this agreement until it is erased.',
    },
  ],
  expectations: [],
  statement:
    'On behalf of my organisation, I agree to share and handle personal data in accordance with this information-sharing agreement of the {group}.',
  reviewAfterMonths: 12,
  validForMonths: 15,
};

export const DEFAULT_TEMPLATES: Readonly<Record<AgreementKind, TemplateContent>> = {
  membership: MEMBERSHIP,
  information_sharing: INFORMATION_SHARING,
};

/** The pre-filled expectation rows for a partner type (editable in the draft). */
export function expectationsFor(template: TemplateContent, partnerType: string | null): ExpectationRow[] {
  if (partnerType === null) return [];
  return template.expectations
    .filter((row) => row.partnerType === partnerType)
    .map((row) => ({ ...row, responsibilities: [...row.responsibilities] }));
}
