// Synthetic people and minutes text with their identifiers planted in varied forms, for the leak tests.
// Deterministic (a seeded generator), so a leak found once can be found again.
import type { KnownPerson } from '../../src/domain/redaction.js';

const GIVEN = ['Zoë', 'Łukasz', 'Siân', 'Mary-Kate', 'José', 'Aoife', 'Dariusz', 'Ann', 'Björn', 'Chloé', 'Mohammed', 'Ngozi', 'Padraig', 'Renée', 'Tomás', 'Wiktoria', 'Will', 'Grace'];
const FAMILY = ['Ó Briain', 'Kowalczyk', 'Smith-Jones', 'Nguyễn', 'Müller', 'Okonkwo', 'Fitzgerald', 'Ní Bhriain', 'Øyen', 'Hughes', 'Pérez', 'Żółkiewski', 'Baker', 'Abdi', 'MacLeod', 'Green'];
const ALIASES = ['Lulu', 'Big Kev', 'Spider', 'Tiny', 'Zed', 'Shorty', 'Mack', 'Dizzy'];
const STREETS = ['Acacia Avenue', 'Crimea Road', 'Lime Grove', 'Paradise Street', 'Ashbourne Close', 'Wellington Terrace', 'Bramble Lane', 'Canal Street'];
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
  const email = `${givenName.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^A-Za-z]/g, '').toLowerCase()}.${Math.floor(random() * 1000)}@example.org`;
  const vehicle = `${pick(['BD', 'FG', 'LK', 'YR'])}${String(10 + Math.floor(random() * 60))} ${pick(['XKT', 'PLM', 'HRV', 'WNB'])}`;
  return {
    label, givenName, familyName, aliases: [pick(ALIASES)], dateOfBirth,
    addresses: [{ line1: `${houseNumber} ${street}`, line2: null, town: pick(TOWNS), postcode }],
    contacts: [phone, email], identifiers: [`PR/${year}/${Math.floor(random() * 900000) + 100000}`],
    nhs, ni, phone, email, vehicle, street, houseNumber, postcode,
  };
}

/** A planted identifier: the string as it appears in the text, and what it is. */
export interface Planted { text: string; kind: string }

/** Sentences mentioning the person in varied forms, and the list of what was planted. */
export function plantedText(person: SyntheticPerson, random: () => number): { text: string; planted: Planted[] } {
  const planted: Planted[] = [];
  const plant = (text: string, kind: string) => { planted.push({ text, kind }); return text; };
  const [y, m, d] = person.dateOfBirth!.split('-').map(Number) as [number, number, number];
  const dobForms = [
    `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`,
    `${d}${d === 1 ? 'st' : d === 2 ? 'nd' : d === 3 ? 'rd' : 'th'} ${MONTHS[m - 1]} ${y}`,
    `${MONTHS[m - 1]!.slice(0, 3)} ${d}, ${y}`,
    `${d}.${m}.${String(y).slice(2)}`,
  ];
  const choose = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const full = `${person.givenName} ${person.familyName}`;
  const phoneForms = [person.phone, person.phone.replace(/\s/g, ''), `+44 ${person.phone.slice(1)}`, `+44${person.phone.slice(1).replace(/\s/g, '')}`];
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
