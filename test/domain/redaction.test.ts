import { describe, expect, it } from 'vitest';
import {
  Redactor,
  applyRedactions,
  contextOf,
  dateOfBirthPattern,
  foldString,
  isValidNhsNumber,
  type KnownPerson,
} from '../../src/domain/redaction.js';
import { ageBand, subjectLabel, treatmentOf } from '../../src/contract/audiences.js';
import { personSchema } from '../../src/contract/ops/people.js';
import { CONTROL_TEXT, plantedText, seeded, syntheticPerson } from '../../bench/support/synthetic-minutes.js';

const zoe: KnownPerson = {
  label: 'Subject A',
  givenName: 'Zoë',
  familyName: 'Ó Briain',
  aliases: ['Lulu'],
  dateOfBirth: '1984-03-07',
  addresses: [{ line1: '12a Acacia Avenue', line2: null, town: 'Smethwick', postcode: 'B66 3QR' }],
  contacts: ['07700 900123', 'zoe@example.org'],
  identifiers: ['PR/2024/118822'],
};
const ann: KnownPerson = {
  label: 'Subject B',
  givenName: 'Ann',
  familyName: 'Will',
  aliases: [],
  dateOfBirth: null,
  addresses: [],
  contacts: [],
  identifiers: [],
};

function redact(text: string, people: KnownPerson[] = [zoe, ann]): string {
  return applyRedactions(text, new Redactor(people).find(text));
}

/** Whether `needle` still appears in `haystack` as whole words, ignoring case, accents and spacing. */
function leaks(haystack: string, needle: string): boolean {
  const words = foldString(needle)
    .split(/[^\p{L}\p{N}@.+]+/u)
    .filter(Boolean)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (words.length === 0) return false;
  // Latin and beyond without \p{…} classes, which V8 is slow to compile thousands of times.
  const word = 'a-z0-9\\u00c0-\\uffff';
  return new RegExp(`(?<![${word}])${words.join(`[^${word}]*`)}(?![${word}])`).test(foldString(haystack));
}

describe('free-text redaction', () => {
  it('redacts names whatever their case, accents, possessive or line breaks', () => {
    const text = "ZOE O BRIAIN's flat; Zoe's sister; zoë ó\nbriain; O'Briain and OBriain; Ó Briain's car; LULU";
    const out = redact(text);
    expect(out).not.toMatch(/zo[eë]|briain|lulu/i);
    expect(out).toContain('[Subject A]');
  });

  it('redacts whole words only: "Ann" spares "Annual", and a name that is a common word needs its capital', () => {
    expect(redact('Annual report; Anne and Annette; Ann agreed.')).toBe('Annual report; Anne and Annette; [Subject B] agreed.');
    expect(redact('We will ask Will to attend.')).toBe('We will ask [Subject B] to attend.');
  });

  it('redacts addresses, their parts and abbreviations, dates of birth and stored references', () => {
    const text =
      'Lives at 12A Acacia Avenue (acacia ave.), Smethwick B663QR. DOB 7th March 1984, also 07/03/84 and March 7, 1984 and 1984-03-07. Ref pr/2024/118822.';
    const out = redact(text);
    for (const gone of ['Acacia', 'acacia', 'Smethwick', 'B663QR', '1984', '07/03/84', '118822']) expect(out).not.toContain(gone);
  });

  it('finds patterns nobody told it about', () => {
    const text =
      'Call +44 (0)121 496 0000, 0121-496-0001, +447700900456 or 07700 900 457; mail a.b@c.co.uk; NI AB 12 34 56 C; NHS 943 476 5919; car AB12 CDE or A123 BCD; postcode m1 1ae.';
    const spans = new Redactor([]).find(text);
    const reasons = spans.map((s) => s.reason);
    expect(reasons.filter((r) => r === 'phone')).toHaveLength(4);
    for (const r of ['email', 'ni_number', 'nhs_number', 'vehicle_registration', 'postcode'] as const) expect(reasons).toContain(r);
    expect(applyRedactions(text, spans)).not.toMatch(/\d{3}/);
  });

  it('validates the NHS checksum, so an arbitrary ten-digit number is left alone', () => {
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
    expect(isValidNhsNumber('943 476 5918')).toBe(false);
    expect(new Redactor([]).find('Invoice 943 476 5918')).toEqual([]);
  });

  it('gives spans in the original offsets with reasons and context for review', () => {
    const text = 'Seen: Zoë Ó Briain.';
    const [span] = new Redactor([zoe]).find(text);
    expect(span).toMatchObject({ start: 6, end: 18, reason: 'name', subject: 'Subject A' });
    expect(contextOf(text, span!)).toEqual({ before: 'Seen: ', match: 'Zoë Ó Briain', after: '.' });
  });

  it('builds date patterns only from real ISO dates', () => {
    expect(dateOfBirthPattern('07/03/1984')).toBeNull();
  });
});

describe('audience profiles', () => {
  it('follow the contract classifications', () => {
    const shape = personSchema.shape;
    expect(treatmentOf(shape.givenName, 'closed')).toBe('keep');
    expect(treatmentOf(shape.givenName, 'open')).toBe('pseudonymise');
    expect(treatmentOf(shape.givenName, 'board')).toBe('drop');
    expect(treatmentOf(shape.id, 'board')).toBe('keep');
  });
  it('label subjects and band ages', () => {
    expect([0, 1, 25, 26].map(subjectLabel)).toEqual(['Subject A', 'Subject B', 'Subject Z', 'Subject AA']);
    expect(ageBand('1984-03-07', '2026-03-06')).toBe('35–44');
    expect(ageBand('2010-01-01', '2026-03-06')).toBe('10–17');
  });
});

describe('leak test (text)', () => {
  it('50 synthetic meetings: no planted identifier survives, and the control text is barely touched', () => {
    const random = seeded(14);
    let planted = 0;
    const leaked: string[] = [];
    for (let meeting = 0; meeting < 50; meeting++) {
      const people = [0, 1, 2].map((i) => syntheticPerson(random, subjectLabel(i)));
      const redactor = new Redactor(people);
      for (const person of people) {
        const { text, planted: plants } = plantedText(person, random);
        const out = applyRedactions(text, redactor.find(text));
        planted += plants.length;
        for (const p of plants) if (leaks(out, p.text)) leaked.push(`${p.kind}: ${JSON.stringify(p.text)} in ${JSON.stringify(out)}`);
      }
      // The control text, redacted with this meeting's people: whatever goes is a false redaction.
    }
    const controlPeople = [
      zoe,
      ann,
      syntheticPerson(seeded(1), 'Subject C'),
      { ...ann, label: 'Subject D', givenName: 'Grace', familyName: 'Green' },
    ];
    const falseRedactions = new Redactor(controlPeople).find(CONTROL_TEXT);
    console.info(
      `[leak test: text] planted ${planted}, leaks ${leaked.length}, false redactions in control text ${falseRedactions.length}: ${falseRedactions.map((s) => JSON.stringify(CONTROL_TEXT.slice(s.start, s.end))).join(', ')}`,
    );
    expect(leaked).toEqual([]);
    expect(planted).toBeGreaterThanOrEqual(50 * 3 * 15);
    expect(falseRedactions.length).toBeLessThanOrEqual(2);
  });
});

describe('anchors', () => {
  it('still find an address written without its flat number, and a name broken across a line with a hyphen', () => {
    const person: KnownPerson = {
      ...ann,
      label: 'Subject C',
      givenName: 'Dariusz',
      familyName: 'Kowalczyk',
      addresses: [{ line1: 'Flat 3, 12 Crimea Road', line2: null, town: null, postcode: null }],
    };
    expect(redact('Seen at 12 Crimea Rd by Kow-\nalczyk.', [person])).toBe('Seen at [address redacted] by [Subject C].');
  });
});
