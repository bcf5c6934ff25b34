import { describe, expect, it } from 'vitest';
import { addDays, isReviewOverdue, localToday, overallRisk, reviewDateFor, REVIEW_INTERVAL_DAYS } from '../../src/domain/risk.js';
import { CASE_REFERENCE_PATTERN, formatCaseReference, parseCaseReference, randomCaseReference } from '../../src/domain/reference.js';
import { addressKey, formatPostcode, isUkPostcode, jaroWinkler, nameKey, namesSimilar } from '../../src/domain/names.js';
import { CONCERNS, CONCERN_CODES } from '../../src/domain/concerns.js';

describe('risk', () => {
  it('takes the highest of the three harms', () => {
    expect(overallRisk({ personalHarm: 'low', communityHarm: 'low', environmentalHarm: 'low' })).toBe('low');
    expect(overallRisk({ personalHarm: 'low', communityHarm: 'medium', environmentalHarm: 'low' })).toBe('medium');
    expect(overallRisk({ personalHarm: 'low', communityHarm: 'medium', environmentalHarm: 'high' })).toBe('high');
    expect(overallRisk({ personalHarm: 'high', communityHarm: 'low', environmentalHarm: 'medium' })).toBe('high');
  });

  it('sets the review date 14, 28 or 56 days after the assessment', () => {
    expect(REVIEW_INTERVAL_DAYS).toEqual({ high: 14, medium: 28, low: 56 });
    expect(reviewDateFor('high', '2026-01-10')).toBe('2026-01-24');
    expect(reviewDateFor('medium', '2026-01-10')).toBe('2026-02-07');
    expect(reviewDateFor('low', '2026-01-10')).toBe('2026-03-07');
  });

  it('counts calendar days across month ends, leap days and clock changes', () => {
    expect(addDays('2024-02-20', 14)).toBe('2024-03-05');
    expect(addDays('2023-02-20', 14)).toBe('2023-03-06');
    expect(addDays('2026-03-20', 14)).toBe('2026-04-03');
    expect(addDays('2026-12-25', 14)).toBe('2027-01-08');
  });

  it('treats a review as overdue only for open cases past their date', () => {
    expect(isReviewOverdue('2026-01-01', true, '2026-01-02')).toBe(true);
    expect(isReviewOverdue('2026-01-02', true, '2026-01-02')).toBe(false);
    expect(isReviewOverdue('2026-01-01', false, '2026-01-02')).toBe(false);
    expect(localToday(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});

describe('case references', () => {
  it('formats LCSP-YYYY-NNNN and grows past 9999', () => {
    expect(formatCaseReference(2026, 42)).toBe('LCSP-2026-0042');
    expect(formatCaseReference(2026, 12345)).toBe('LCSP-2026-12345');
    expect(parseCaseReference('lcsp-2026-0042')).toEqual({ year: 2026, suffix: '0042', sequence: 42 });
    expect(parseCaseReference('LCSP-26-0042')).toBeNull();
    expect(() => formatCaseReference(2026, 0)).toThrow(RangeError);
  });

  it('draws new references at random from an alphabet without look-alikes, never all digits', () => {
    const draws = [1, 2, 3, 4, 5, 0, 0, 0, 0, 31];
    const fromDraws = () => draws.shift()!;
    // The first draw, 12345, would read as an old numbered reference: it is drawn again.
    expect(randomCaseReference(2026, fromDraws)).toBe('LCSP-2026-0000Z');
    const references = Array.from({ length: 200 }, () => randomCaseReference(2027, (n) => Math.floor(Math.random() * n)));
    for (const reference of references) {
      expect(reference).toMatch(CASE_REFERENCE_PATTERN);
      expect(reference.slice('LCSP-2027-'.length)).not.toMatch(/[ILOU]/);
      expect(parseCaseReference(reference)).toMatchObject({ year: 2027, sequence: null });
    }
    expect(new Set(references).size).toBeGreaterThan(195);
  });

  it('reads a new reference as typed: any case, O for 0, I and L for 1', () => {
    expect(parseCaseReference(' lcsp-2026-7kq3x ')).toEqual({ year: 2026, suffix: '7KQ3X', sequence: null });
    expect(parseCaseReference('LCSP-2026-7KO3L')).toEqual({ year: 2026, suffix: '7K031', sequence: null });
  });
});

describe('name and address matching', () => {
  it('normalises case, accents and punctuation', () => {
    expect(nameKey("  Siân O'Brien-Smith ")).toBe('sian obrien smith');
  });

  it('finds the same name spelt differently, reordered or shortened', () => {
    expect(namesSimilar('Jordan Ellis', 'jordan ellis')).toBe(true);
    expect(namesSimilar('Jordan Ellis', 'Jordon Ellis')).toBe(true);
    expect(namesSimilar('Jordan Ellis', 'Ellis Jordan')).toBe(true);
    expect(namesSimilar('Jon Smith', 'Jonathan Smith')).toBe(true);
    expect(namesSimilar('Siân Evans', 'Sian Evans')).toBe(true);
  });

  it('does not match different people', () => {
    expect(namesSimilar('Jordan Ellis', 'Mary Ellis')).toBe(false);
    expect(namesSimilar('Jordan Ellis', 'Jordan Patel')).toBe(false);
    expect(namesSimilar('', 'Jordan Ellis')).toBe(false);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });

  it('validates and formats UK postcodes and builds address keys', () => {
    expect(isUkPostcode('b31 2qt')).toBe(true);
    expect(isUkPostcode('EC1A1BB')).toBe(true);
    expect(isUkPostcode('12345')).toBe(false);
    expect(formatPostcode('ec1a1bb')).toBe('EC1A 1BB');
    expect(addressKey('14 Lime Grove', 'b312qt')).toBe(addressKey('14, Lime Grove', 'B31 2QT'));
    expect(addressKey('14 Lime Grove', null)).toBeNull();
  });
});

describe('concerns', () => {
  it('keeps unique codes and includes the ones the partnership names', () => {
    expect(new Set(CONCERN_CODES).size).toBe(CONCERNS.length);
    for (const code of [
      'noise_nuisance',
      'youth_offending',
      'drugs',
      'exploitation_risk',
      'hate_incident',
      'mental_health',
      'social_care',
    ]) {
      expect(CONCERN_CODES).toContain(code);
    }
  });
});
