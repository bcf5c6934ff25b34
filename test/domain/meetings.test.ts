// The pure meeting rules: closed-only spans, minutes steps, action reviews, quorum and admission.
import { describe, expect, it } from 'vitest';
import { ADMISSION_RULES, checkAdmission, currentAgreementWhenKnown } from '../../src/domain/admission.js';
import {
  REDACTED_TEXT,
  allowedMinutesSteps,
  checkActionReview,
  checkMinutesStep,
  normaliseSpans,
  proposedByDefault,
  quorumOf,
  redactSpans,
  requireDraftMinutes,
} from '../../src/domain/meetings.js';

describe('closed-only spans', () => {
  it('sorts, merges touching spans and names the span that is wrong', () => {
    expect(
      normaliseSpans(
        [
          { start: 10, end: 12 },
          { start: 0, end: 4 },
          { start: 4, end: 6 },
        ],
        20,
        'p',
      ),
    ).toEqual([
      { start: 0, end: 6 },
      { start: 10, end: 12 },
    ]);
    expect(() => normaliseSpans([{ start: 3, end: 3 }], 20, 'p')).toThrow(
      expect.objectContaining({ code: 'VALIDATION', field: 'p.0.end' }),
    );
    expect(() => normaliseSpans([{ start: 0, end: 21 }], 20, 'p')).toThrow(expect.objectContaining({ field: 'p.0.end' }));
    expect(() =>
      normaliseSpans(
        [
          { start: 5, end: 9 },
          { start: 0, end: 6 },
        ],
        20,
        'p',
      ),
    ).toThrow(expect.objectContaining({ field: 'p.0.start' }));
  });

  it('redaction removes the span text and nothing else', () => {
    const text = 'Open. Secret bit. Open again.';
    const start = text.indexOf('Secret');
    expect(redactSpans(text, [{ start, end: start + 'Secret bit.'.length }])).toBe(`Open. ${REDACTED_TEXT} Open again.`);
    expect(redactSpans(text, [])).toBe(text);
  });
});

describe('minutes steps', () => {
  it('draft → submitted → approved, submitted back to draft, and approved is final', () => {
    expect(allowedMinutesSteps('not_started')).toEqual(['draft']);
    expect(() => checkMinutesStep('draft', 'approved')).toThrow(expect.objectContaining({ code: 'INVALID_TRANSITION' }));
    expect(() => checkMinutesStep('approved', 'draft')).toThrow(/addendum/);
    expect(() => checkMinutesStep('submitted', 'draft')).not.toThrow();
    expect(() => requireDraftMinutes('submitted')).toThrow(/return them to draft/);
    expect(() => requireDraftMinutes('draft')).not.toThrow();
  });
});

describe('action reviews', () => {
  it('carried over needs a later date; failed needs a reason (and a note for "other"); done needs neither', () => {
    expect(checkActionReview('open', { outcome: 'done' }, '2026-01-10')).toEqual({ status: 'done', dueDate: null, failureReason: null });
    expect(() => checkActionReview('open', { outcome: 'carried_over', newDueDate: '2026-01-10' }, '2026-01-10')).toThrow(
      expect.objectContaining({ field: 'newDueDate' }),
    );
    expect(checkActionReview('carried_over', { outcome: 'carried_over', newDueDate: '2026-02-01' }, '2026-01-10').dueDate).toBe(
      '2026-02-01',
    );
    expect(() => checkActionReview('open', { outcome: 'failed', failureReason: 'other' }, '2026-01-10')).toThrow(
      expect.objectContaining({ field: 'note' }),
    );
    expect(() => checkActionReview('open', { outcome: 'done', failureReason: 'person_disengaged' }, '2026-01-10')).toThrow(
      expect.objectContaining({ field: 'failureReason' }),
    );
    expect(() => checkActionReview('done', { outcome: 'done' }, '2026-01-10')).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION', field: 'actionId' }),
    );
  });
});

describe('quorum', () => {
  const a = (organisationId: number, attendance: 'present' | 'apologies', statutory = true, isChair = false) => ({
    organisationId,
    statutory,
    attendance,
    isChair,
  });
  it('counts distinct organisations present (statutory only when closed) and the chair', () => {
    const rule = { minimumOrganisations: 3, chairPresent: true };
    expect(quorumOf(rule, [a(1, 'present', true, true), a(2, 'present'), a(3, 'present')], true)).toMatchObject({
      met: true,
      presentOrganisations: 3,
    });
    expect(quorumOf(rule, [a(1, 'present', true, true), a(2, 'present'), a(2, 'present'), a(3, 'apologies')], true)).toMatchObject({
      met: false,
      presentOrganisations: 2,
    });
    expect(quorumOf(rule, [a(1, 'present', true, true), a(2, 'present'), a(4, 'present', false)], true).met).toBe(false);
    expect(quorumOf(rule, [a(1, 'present', true, true), a(2, 'present'), a(4, 'present', false)], false).met).toBe(true);
    expect(quorumOf(rule, [a(1, 'present'), a(2, 'present'), a(3, 'present')], true)).toMatchObject({ met: false, chairPresent: false });
  });
});

describe('admission and proposals', () => {
  const charity = { organisation: { id: 2, name: 'Residents Trust', statutory: false } };
  const police = { organisation: { id: 1, name: 'Police', statutory: true } };
  it('a closed meeting admits statutory partners only; an open one admits anyone', () => {
    expect(checkAdmission(charity, { closed: true, kind: 'people', date: '2026-01-10' })).toMatchObject({ rule: 'statutory_only' });
    expect(checkAdmission(police, { closed: true, kind: 'people', date: '2026-01-10' })).toBeNull();
    expect(checkAdmission(charity, { closed: false, kind: 'people', date: '2026-01-10' })).toBeNull();
    expect(ADMISSION_RULES).toContain(currentAgreementWhenKnown);
  });

  it('once agreements are looked up, only a current signed one admits', () => {
    const meeting = { closed: false, kind: 'place' as const, date: '2026-01-10' };
    expect(checkAdmission({ ...police, agreement: null }, meeting)).toMatchObject({ rule: 'membership_agreement' });
    expect(checkAdmission({ ...police, agreement: { signedOn: '2025-01-01', expiresOn: '2025-12-31' } }, meeting)).toMatchObject({
      rule: 'membership_agreement',
    });
    expect(checkAdmission({ ...police, agreement: { signedOn: '2025-01-01', expiresOn: null } }, meeting)).toBeNull();
  });

  it('a case supported elsewhere is shown but not proposed by default', () => {
    expect(proposedByDefault(null)).toBe(true);
    expect(proposedByDefault({ decision: 'do_not_discuss' })).toBe(false);
    expect(proposedByDefault({ decision: 'discuss' })).toBe(false);
  });
});
