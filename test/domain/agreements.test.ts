// The pure rules of agreements: status on a given day at each boundary, calendar months, signatures,
// and canonical JSON (the bytes a seal is computed over).
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  agreementStatus,
  canonicalJson,
  isDueForReviewWithin,
  isInForce,
  signatureProblem,
  termDates,
  type AgreementFacts,
} from '../../src/domain/agreements.js';
import { drawn, scrawl, typed } from '../support/signatures.js';

const signed = (over: Partial<AgreementFacts> = {}): AgreementFacts => ({
  signedAt: '2026-01-15T10:00:00.000Z',
  reviewDate: '2027-01-15',
  validUntil: '2027-04-14',
  terminatedAt: null,
  supersededBy: null,
  ...over,
});

describe('agreement status', () => {
  it('moves from current to due for review on the review date, and to expired the day after the last valid day', () => {
    expect(agreementStatus(signed(), '2027-01-14')).toBe('current');
    expect(agreementStatus(signed(), '2027-01-15')).toBe('due_for_review');
    expect(agreementStatus(signed(), '2027-04-14')).toBe('due_for_review');
    expect(agreementStatus(signed(), '2027-04-15')).toBe('expired');
    expect(agreementStatus(signed({ signedAt: null }), '2027-01-14')).toBe('draft');
    expect([...['current', 'due_for_review'].map((s) => isInForce(s as never)), isInForce('expired'), isInForce('draft')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('terminated and superseded win over dates', () => {
    expect(agreementStatus(signed({ terminatedAt: '2026-06-01T00:00:00Z', supersededBy: 9 }), '2026-06-02')).toBe('terminated');
    expect(agreementStatus(signed({ supersededBy: 9 }), '2030-01-01')).toBe('superseded');
  });

  it('is due for review within N days from N days before the review date, and not once expired', () => {
    expect(isDueForReviewWithin(signed(), '2026-12-15', 30)).toBe(false);
    expect(isDueForReviewWithin(signed(), '2026-12-16', 30)).toBe(true);
    expect(isDueForReviewWithin(signed(), '2027-04-14', 0)).toBe(true);
    expect(isDueForReviewWithin(signed(), '2027-04-15', 400)).toBe(false);
    expect(isDueForReviewWithin(signed({ terminatedAt: '2026-02-01T00:00:00Z' }), '2027-01-15', 30)).toBe(false);
  });

  it('counts calendar months, landing the 31st on the last day of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-03-15', 12)).toBe('2027-03-15');
    expect(termDates('2026-01-15', 12, 15)).toEqual({ reviewDate: '2027-01-15', validUntil: '2027-04-14' });
  });
});

describe('signatures', () => {
  it("accepts a real drawing and the signer's own typed name", () => {
    expect(signatureProblem(drawn(), 'Dana Okafor')).toBeNull();
    expect(signatureProblem(typed('  dana   OKAFOR '), 'Dana Okafor')).toBeNull();
  });

  it("refuses an empty, sparse, short or out-of-box drawing and someone else's typed name", () => {
    expect(signatureProblem(drawn([]), 'x')).toMatch(/empty/);
    expect(signatureProblem(drawn([scrawl(9)[0]!]), 'x')).toMatch(/too few points/);
    expect(signatureProblem(drawn([Array.from({ length: 20 }, (_, i) => ({ x: 100 + i * 2, y: 50 }))]), 'x')).toMatch(/too short/);
    expect(signatureProblem(drawn([Array.from({ length: 20 }, (_, i) => ({ x: 100 + i * 10, y: 50 }))]), 'x')).toBeNull();
    expect(signatureProblem({ ...drawn(), width: 100 }, 'x')).toMatch(/outside its box/);
    expect(signatureProblem(typed('Someone Else'), 'Dana Okafor')).toMatch(/signer's name/);
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every level, drops undefined, keeps array order, and refuses what JSON cannot hold exactly', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'é' }, u: undefined })).toBe(
      '{"a":{"c":"é","d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
    expect(() => canonicalJson({ x: Number.NaN })).toThrow();
    expect(() => canonicalJson({ x: 1n })).toThrow();
  });
});
