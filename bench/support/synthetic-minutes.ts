// Synthetic people and minutes text with identifiers planted in varied forms (for the leak tests and bench/export).
// Deterministic (a seeded generator), so a leak found once can be found again.
import type { KnownPerson } from '../../src/domain/redaction.js';

const GIVEN = [
  'Zoë',
  'Łukasz',
  'Siân',
  'Mary-Kate',
  'José',
  'Aoife',
  'Dariusz',
  'Ann',
  'Björn',
  'Chloé',
  'Mohammed',
  'Ngozi',
  'Padraig',
  'Renée',
  'Tomás',
  'Wiktoria',
  'Will',
  'Grace',
];
const FAMILY = [
  'Ó Briain',
  'Kowalczyk',
  'Smith-Jones',
  'Nguyễn',
  'Müller',
  'Okonkwo',
  'Fitzgerald',
  'Ní Bhriain',
  'Øyen',
  'Hughes',
  'Pérez',
  'Żółkiewski',
  'Baker',
  'Abdi',
  'MacLeod',
  'Green',
];
const ALIASES = ['Lulu', 'Big Kev', 'Spider', 'Tiny', 'Zed', 'Shorty', 'Mack', 'Dizzy'];
const STREETS = [
  'Acacia Avenue',
  'Crimea Road',
  'Lime Grove',
  'Paradise Street',
  'Ashbourne Close',
  'Wellington Terrace',
  'Bramble Lane',
  'Canal Street',
];
const TOWNS = ['Smethwick', 'Erdington', 'Moseley', 'Handsworth', 'Selly Oak', 'Kings Heath'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function nhsNumber(random: () => number): string {
  for (;;) {
    const digits = Array.from({ length: 9 }, () => Math.floor(random() * 10));
    const sum = digits.reduce((acc, d, i) => acc + d * (10 - i), 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return [...digits, check === 11 ? 0 : check].join('');
  }
}

export interface SyntheticPerson extends KnownPerson {
  nhs: string;
  ni: string;
  phone: string;
  email: string;
  vehicle: string;
  street: string;
  houseNumber: number;
  postcode: string;
}

export function syntheticPerson(random: () => number, label: string): SyntheticPerson {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const givenName = pick(GIVEN);
  const familyName = pick(FAMILY);
  const street = pick(STREETS);
  const houseNumber = 1 + Math.floor(random() * 180);
  const postcode = `B${1 + Math.floor(random() * 30)} ${Math.floor(random() * 9) + 1}${pick(['QR', 'AB', 'TN', 'XY', 'HD'])}`;
  const year = 1960 + Math.floor(random() * 45);
  const month = 1 + Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * 28);
  const dateOfBirth = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const phone = `07700 9${String(Math.floor(random() * 100000)).padStart(5, '0')}`;
  const nhs = nhsNumber(random);
  const ni = `${pick(['AB', 'JK', 'PR', 'SW'])}${String(Math.floor(random() * 1e6)).padStart(6, '0')}${pick(['A', 'B', 'C', 'D'])}`;
  const email = `${givenName
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase()}.${Math.floor(random() * 1000)}@example.org`;
  const vehicle = `${pick(['BD', 'FG', 'LK', 'YR'])}${String(10 + Math.floor(random() * 60))} ${pick(['XKT', 'PLM', 'HRV', 'WNB'])}`;
  return {
    label,
    givenName,
    familyName,
    aliases: [pick(ALIASES)],
    dateOfBirth,
    addresses: [{ line1: `${houseNumber} ${street}`, line2: null, town: pick(TOWNS), postcode }],
    contacts: [phone, email],
    identifiers: [`PR/${year}/${Math.floor(random() * 900000) + 100000}`],
    nhs,
    ni,
    phone,
    email,
    vehicle,
    street,
    houseNumber,
    postcode,
  };
}

/** A planted identifier: the string as it appears in the text, and what it is. */
export interface Planted {
  text: string;
  kind: string;
}

/** Sentences mentioning the person in varied forms, and the list of what was planted. */
export function plantedText(person: SyntheticPerson, random: () => number): { text: string; planted: Planted[] } {
  const planted: Planted[] = [];
  const plant = (text: string, kind: string) => {
    planted.push({ text, kind });
    return text;
  };
  const [y, m, d] = person.dateOfBirth!.split('-').map(Number) as [number, number, number];
  const dobForms = [
    `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`,
    `${d}${d === 1 ? 'st' : d === 2 ? 'nd' : d === 3 ? 'rd' : 'th'} ${MONTHS[m - 1]} ${y}`,
    `${MONTHS[m - 1]!.slice(0, 3)} ${d}, ${y}`,
    `${d}.${m}.${String(y).slice(2)}`,
  ];
  const choose = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const full = `${person.givenName} ${person.familyName}`;
  const phoneForms = [
    person.phone,
    person.phone.replace(/\s/g, ''),
    `+44 ${person.phone.slice(1)}`,
    `+44${person.phone.slice(1).replace(/\s/g, '')}`,
  ];
  const nhsForms = [person.nhs, `${person.nhs.slice(0, 3)} ${person.nhs.slice(3, 6)} ${person.nhs.slice(6)}`];
  const niForms = [person.ni, person.ni.replace(/^(..)(..)(..)(..)(.)$/, '$1 $2 $3 $4 $5')];
  const sentences = [
    `${plant(full, 'full name')} attended the review with a support worker.`,
    `Concerns were raised about ${plant(`${person.familyName.toUpperCase()}'S`, 'upper-case possessive')} behaviour at the flats.`,
    `PC Adams spoke to ${plant(person.givenName, 'given name')} (known as "${plant(person.aliases[0]!, 'alias')}") twice.`,
    `The housing officer visited ${plant(`${person.houseNumber} ${person.street}`, 'address')}, ${plant(person.postcode, 'postcode')}.`,
    `Neighbours on ${plant(person.street, 'street')} reported noise; see report ${plant(person.identifiers[0]!, 'reference')}.`,
    `Born ${plant(choose(dobForms), 'date of birth')}; contact on ${plant(choose(phoneForms), 'phone')} or ${plant(person.email, 'e-mail')}.`,
    `NHS no. ${plant(choose(nhsForms), 'NHS number')}, NI ${plant(choose(niForms), 'NI number')}; vehicle ${plant(person.vehicle, 'vehicle registration')} seen nearby.`,
    // Split across a line break, and inside punctuation.
    `Agreed that ${plant(`${person.givenName}\n${person.familyName}`, 'name split across lines')} be offered mediation [${plant(person.familyName, 'family name')}].`,
    `${plant(`${person.familyName}'s`, 'possessive')} landlord ("${plant(person.givenName.toUpperCase(), 'upper-case given name')}'s") agreed to attend.`,
  ];
  return { text: sentences.join(' '), planted };
}

/** Ordinary minutes prose with no identifiers: every redaction here is a false one. */
export const CONTROL_TEXT = `Annual review of the partnership's work. The chair welcomed members and noted apologies.
Will the housing team attend next month? We may need to mark the change in approach and grace period for rent arrears.
The green space at the park will be cleaned; the baker's shop owner raised no concerns. Members agreed a long-term plan,
with a review date in March. Anne-Marie from the council, Annette and Annabel were not mentioned. The street lighting on
the main road is to be repaired. The risk score fell from high to medium. 12 actions were completed, 3 are overdue.
Item 4: the youth service will run sessions at 5pm on Tuesdays. Reference numbers will be checked. Total cost £1,250.
The meeting closed at 11:45. Next meeting 14 January. Members noted 2 new referrals and 145 complaints over 12 months.
Page 1 of 20 of the annual report was circulated. The board asked for figures by ward and by month.`;

// ── whole meetings, for the PDF leak test ─────────────────────────────────────────────────────────────

import type { MeetingDetail } from '../../src/contract/ops/meetings.js';
import type { Person } from '../../src/contract/ops/people.js';
import type { MeetingCase } from '../../src/export/minutes-model.js';

const user = { id: 1, displayName: 'Alex Manager' };
const AT = '2026-03-06T10:00:00.000Z';

export function asPerson(p: SyntheticPerson, id: number): Person {
  return {
    id,
    givenName: p.givenName,
    familyName: p.familyName,
    aliases: [...p.aliases],
    dateOfBirth: p.dateOfBirth,
    gender: null,
    addresses: p.addresses.map((a) => ({ ...a, ward: 'Northfield', current: true })),
    contacts: p.contacts.map((value) => ({ kind: value.includes('@') ? ('email' as const) : ('phone' as const), value })),
    identifiers: p.identifiers.map((value) => ({ scheme: 'police' as const, value })),
    household: [],
  } as unknown as Person;
}

/**
 * A meeting of `caseCount` cases (up to 98 paragraphs each), each with one synthetic subject whose identifiers are planted in the
 * minutes, a decision, an addendum and an action. Closed-only paragraphs carry a marker the open
 * and board exports must not contain.
 */
export function syntheticMeeting(
  random: () => number,
  meetingId: number,
  caseCount = 3,
  paragraphsPerCase = 1,
): { meeting: MeetingDetail; cases: MeetingCase[]; people: SyntheticPerson[]; planted: Planted[] } {
  const people: SyntheticPerson[] = [];
  const planted: Planted[] = [];
  const cases: MeetingCase[] = [];
  const agenda: MeetingDetail['agenda'] = [];
  const items: MeetingDetail['minutes']['items'] = [];
  const actions: MeetingDetail['actions'] = [];
  for (let c = 0; c < caseCount; c++) {
    const person = syntheticPerson(random, `S${c}`);
    people.push(person);
    const personId = meetingId * 100 + c;
    const reference = `LCSP-2026-${String(meetingId * 100 + c).padStart(4, '0')}`;
    cases.push({ caseId: personId, reference, subjects: [asPerson(person, personId)] });
    const itemId = meetingId * 1000 + c;
    const paragraphs = [];
    for (let k = 0; k < paragraphsPerCase; k++) {
      const { text, planted: plants } = plantedText(person, random);
      planted.push(...plants);
      paragraphs.push({ id: itemId * 100 + k, position: k, text, closedOnly: false, closedOnlySpans: [] });
    }
    const secret = `CLOSEDONLY${meetingId}x${c}`;
    paragraphs.push({
      id: itemId * 100 + 99,
      position: 99,
      text: `Intelligence ${secret} shared by police.`,
      closedOnly: true,
      closedOnlySpans: [],
    });
    const spanText = `Housing update. Source ${secret}SPAN named. End.`;
    const spanStart = spanText.indexOf('Source');
    paragraphs.push({
      id: itemId * 100 + 98,
      position: 98,
      text: spanText,
      closedOnly: false,
      closedOnlySpans: [{ start: spanStart, end: spanText.indexOf(' End'), closedOnly: true as const }],
    });
    agenda.push({
      id: itemId,
      position: c,
      kind: 'case',
      title: `Case review: ${plant(planted, `${person.givenName} ${person.familyName}`, 'full name in title')}`,
      case: {
        id: personId,
        reference,
        status: 'active',
        overallRisk: 'medium',
        reviewDate: '2026-04-01',
        alreadySupported: null,
        subjects: [`${person.givenName} ${person.familyName}`],
        closedOnly: false,
      },
      proposalReasons: [],
      addedReason: '',
      addedBy: user,
      addedAt: AT,
      removed: null,
      closedOnly: false,
    } as MeetingDetail['agenda'][number]);
    items.push({
      agendaItemId: itemId,
      revision: 1,
      paragraphs,
      decisions: [
        {
          id: itemId,
          kind: 'decision',
          text: `Refer ${plant(planted, person.familyName.toUpperCase(), 'upper-case family name')} to mediation; ${plant(planted, person.email, 'e-mail')}.`,
          caseStatus: null,
          risk: null,
          by: user,
          at: AT,
          closedOnly: false,
        },
      ],
      addenda: [
        {
          id: itemId,
          text: `Correction: ${plant(planted, `${person.givenName}'s`, 'possessive given name')} DOB confirmed.`,
          reason: `Typo in ${plant(planted, person.postcode, 'postcode')}`,
          author: user,
          at: AT,
          closedOnly: false,
        },
      ],
      updatedAt: AT,
      updatedBy: user,
    } as MeetingDetail['minutes']['items'][number]);
    actions.push({
      id: itemId,
      meetingId,
      meetingDate: '2026-03-06',
      area: 'Northfield',
      agendaItemId: itemId,
      case: { id: personId, reference },
      description: `Visit ${plant(planted, `${person.houseNumber} ${person.street}`, 'address')} and call ${plant(planted, person.phone, 'phone')}.`,
      ownerOrganisation: { id: 2, name: 'West Midlands Police', statutory: true },
      officer: 'PC Adams',
      dueDate: '2026-04-01',
      status: 'open',
      failureReason: null,
      overdue: false,
      reviews: [],
      createdBy: user,
      createdAt: AT,
      closedOnly: false,
    } as MeetingDetail['actions'][number]);
  }
  const meeting = {
    id: meetingId,
    kind: 'people',
    area: 'Northfield',
    date: '2026-03-06',
    startTime: '10:00',
    endTime: '12:00',
    place: 'Northfield Police Station',
    online: false,
    placeFocus: null,
    closed: true,
    status: 'scheduled',
    minutesStatus: 'approved',
    chair: user,
    minuteTaker: user,
    agendaItems: agenda.length,
    closedOnly: true,
    invitedOrganisations: [],
    quorum: { required: 3, chairRequired: true, presentOrganisations: 3, chairPresent: true, met: true, shortfall: [] },
    confidentialityStatement: 'Confidential.',
    attendees: [
      {
        id: 1,
        name: 'Insp. Kaur',
        organisation: { id: 2, name: 'West Midlands Police', statutory: true },
        role: 'Neighbourhood Inspector',
        user,
        attendance: 'present',
        arrivedAt: '10:00',
        leftAt: null,
        acknowledgement: null,
        isChair: true,
        isMinuteTaker: false,
      },
      {
        id: 2,
        name: 'Alex Manager',
        organisation: { id: 1, name: 'Community Safety Team', statutory: true },
        role: 'Community Safety Manager',
        user,
        attendance: 'present',
        arrivedAt: '10:00',
        leftAt: null,
        acknowledgement: null,
        isChair: false,
        isMinuteTaker: true,
      },
      {
        id: 3,
        name: 'Jo Reid',
        organisation: { id: 3, name: 'Fire Service', statutory: true },
        role: 'Station Manager',
        user: null,
        attendance: 'apologies',
        arrivedAt: null,
        leftAt: null,
        acknowledgement: null,
        isChair: false,
        isMinuteTaker: false,
      },
    ],
    allPresentAcknowledged: true,
    agenda,
    minutes: {
      status: 'approved',
      startedAt: AT,
      startedBy: user,
      submittedAt: AT,
      submittedBy: user,
      approvedAt: AT,
      approvedBy: user,
      returnedReason: null,
      items,
    },
    actions,
    actionsToReview: [],
    actionsToReviewNotOnAgenda: 0,
    previousMeeting: null,
    createdBy: user,
    createdAt: AT,
    updatedAt: AT,
  } as MeetingDetail;
  return { meeting, cases, people, planted };
}

function plant(list: Planted[], text: string, kind: string): string {
  list.push({ text, kind });
  return text;
}
