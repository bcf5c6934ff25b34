import { describe, expect, it } from 'vitest';
import { ConcordatError } from '../../src/contract/errors.js';
import {
  CASE_OUTCOMES,
  CASE_STATUSES,
  allowedTransitions,
  checkTransition,
  isOpenStatus,
  type CaseStatus,
} from '../../src/domain/lifecycle.js';

// The lifecycle as DOMAIN.md states it, written out independently of the module's table.
const EXPECTED = new Set([
  'referred>accepted',
  'referred>declined',
  'accepted>active',
  'active>under_review',
  'under_review>active',
  'under_review>closed',
]);

function refusal(fn: () => unknown): ConcordatError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConcordatError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('case lifecycle', () => {
  for (const from of CASE_STATUSES) {
    for (const to of CASE_STATUSES) {
      const allowed = EXPECTED.has(`${from}>${to}`);
      it(`${from} → ${to} is ${allowed ? 'allowed' : 'refused'}`, () => {
        const outcome = to === 'closed' ? 'resolved' : undefined;
        if (allowed) {
          expect(checkTransition({ from, to, reason: 'agreed at meeting', outcome })).toBe(outcome ?? null);
          expect(allowedTransitions(from)).toContain(to);
        } else {
          const err = refusal(() => checkTransition({ from, to, reason: 'agreed at meeting', outcome }));
          expect(err.code).toBe('INVALID_TRANSITION');
          expect(err.field).toBe('to');
          expect(allowedTransitions(from)).not.toContain(to);
        }
      });
    }
  }

  it('offers exactly the expected steps from each status, and declined and closed are terminal', () => {
    const offered = CASE_STATUSES.flatMap((from) => allowedTransitions(from).map((to) => `${from}>${to}`));
    expect(new Set(offered)).toEqual(EXPECTED);
    expect(CASE_STATUSES.filter((s) => !isOpenStatus(s))).toEqual(['declined', 'closed']);
  });

  it('needs a reason for every step', () => {
    for (const reason of [undefined, null, '', '   ']) {
      const err = refusal(() => checkTransition({ from: 'referred', to: 'accepted', reason }));
      expect([err.code, err.field]).toEqual(['INVALID_TRANSITION', 'reason']);
    }
  });

  it('closing needs an outcome, and only closing takes one', () => {
    expect(refusal(() => checkTransition({ from: 'under_review', to: 'closed', reason: 'done' })).field).toBe('outcome');
    expect(refusal(() => checkTransition({ from: 'referred', to: 'accepted', reason: 'ok', outcome: 'resolved' })).field).toBe('outcome');
    for (const outcome of CASE_OUTCOMES)
      expect(checkTransition({ from: 'under_review', to: 'closed', reason: 'done', outcome })).toBe(outcome);
  });

  it('names both statuses in the refusal so the UI can explain it', () => {
    const err = refusal(() => checkTransition({ from: 'closed' as CaseStatus, to: 'active', reason: 'reopen' }));
    expect(err.message).toMatch(/closed.*active/);
    expect(err.details).toEqual({ from: 'closed', to: 'active' });
  });
});
