// Every allowed and every refused step of the case lifecycle, through the dispatcher against a real store.
import { beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import type { Host } from '../../src/host/host.js';
import { CASE_STATUSES, type CaseStatus } from '../../src/domain/lifecycle.js';
import { actAs, call, createCase, createPerson, partnershipStore } from '../support/partnership.js';
import { newHost } from '../support/store.js';
import { caseTablesDigest } from '../support/proving-store.js';

// Written out from DOMAIN.md, not read from the module under test.
const ALLOWED = new Set([
  'referred>accepted',
  'referred>declined',
  'accepted>active',
  'active>under_review',
  'under_review>active',
  'under_review>closed',
]);
const PATH_TO: Record<CaseStatus, CaseStatus[]> = {
  referred: [],
  accepted: ['accepted'],
  declined: ['declined'],
  active: ['accepted', 'active'],
  under_review: ['accepted', 'active', 'under_review'],
  closed: ['accepted', 'active', 'under_review', 'closed'],
};

async function caseAt(host: Host, personId: number, status: CaseStatus): Promise<number> {
  const caseId = await createCase(host, [personId]);
  for (const to of PATH_TO[status]) {
    await call(host, 'cases.transition', {
      caseId,
      to,
      reason: `Agreed: ${to}`,
      ...(to === 'closed' ? { outcome: 'resolved' as const } : {}),
    });
  }
  return caseId;
}

describe('case lifecycle through the dispatcher', () => {
  // The support module closes every store after each test, so each test makes its own.
  let host: Host;
  let personId: number;
  beforeEach(async () => {
    ({ host } = await partnershipStore(newHost()));
    personId = await createPerson(host);
  });

  for (const from of CASE_STATUSES) {
    it(`from ${from}: allows exactly ${CASE_STATUSES.filter((to) => ALLOWED.has(`${from}>${to}`)).join(', ') || 'nothing'}`, async () => {
      for (const to of CASE_STATUSES) {
        const step = `${from} → ${to}`;
        const allowed = ALLOWED.has(`${from}>${to}`);
        const caseId = await caseAt(host, personId, from);
        const input = {
          caseId,
          to,
          reason: 'Decided at the People meeting',
          ...(to === 'closed' ? { outcome: 'transferred' as const } : {}),
        };
        const before = await caseTablesDigest(host);
        const result = await dispatch(host, 'cases.transition', input);
        if (allowed) {
          if (!result.ok) throw new Error(`${step}: ${JSON.stringify(result.error)}`);
          expect(result.value.case.status, step).toBe(to);
          expect(result.value.case.outcome, step).toBe(to === 'closed' ? 'transferred' : null);
          expect(result.value.case.transitions.at(-1), step).toMatchObject({
            from,
            to,
            reason: 'Decided at the People meeting',
            by: { displayName: 'Alex Manager' },
          });
          expect(result.value.case.allowedTransitions, step).toEqual(CASE_STATUSES.filter((s) => ALLOWED.has(`${to}>${s}`)));
        } else {
          expect(result, step).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION', field: 'to' } });
          expect(await caseTablesDigest(host), step).toBe(before);
          const { case: after } = await call(host, 'cases.get', { caseId });
          expect(after.status, step).toBe(from);
        }
      }
    });
  }

  it('refuses a step without a reason, closing without an outcome, and an outcome on any other step, changing nothing', async () => {
    const caseId = await caseAt(host, personId, 'under_review');
    const before = await caseTablesDigest(host);
    expect(await dispatch(host, 'cases.transition', { caseId, to: 'closed', outcome: 'resolved' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'reason' },
    });
    expect(await dispatch(host, 'cases.transition', { caseId, to: 'closed', reason: '   ', outcome: 'resolved' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'reason' },
    });
    expect(await dispatch(host, 'cases.transition', { caseId, to: 'closed', reason: 'Done' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_TRANSITION', field: 'outcome' },
    });
    expect(await dispatch(host, 'cases.transition', { caseId, to: 'active', reason: 'More work', outcome: 'resolved' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_TRANSITION', field: 'outcome' },
    });
    expect(await dispatch(host, 'cases.transition', { caseId, to: 'closed', reason: 'Done', outcome: 'sorted' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'outcome' },
    });
    expect(await caseTablesDigest(host)).toBe(before);
  });

  it('goes round review and back to active before closing, keeping the whole history', async () => {
    const caseId = await caseAt(host, personId, 'under_review');
    await call(host, 'cases.transition', { caseId, to: 'active', reason: 'New incidents reported' });
    await call(host, 'cases.transition', { caseId, to: 'under_review', reason: 'Quiet for a month' });
    const { case: closed } = await call(host, 'cases.transition', {
      caseId,
      to: 'closed',
      reason: 'No further reports',
      outcome: 'not_resolved',
    });
    expect(closed.transitions.map((t) => t.to)).toEqual([
      'referred',
      'accepted',
      'active',
      'under_review',
      'active',
      'under_review',
      'closed',
    ]);
    expect(closed.outcome).toBe('not_resolved');
    expect(closed.reviewOverdue).toBe(false);
  });

  it('logs each step as an alteration with the statuses and no reason text; a refused step is logged refused', async () => {
    const caseId = await caseAt(host, personId, 'referred');
    await call(host, 'cases.transition', { caseId, to: 'accepted', reason: 'Meets the threshold for a People meeting' });
    await dispatch(host, 'cases.transition', { caseId, to: 'closed', reason: 'Trying to skip ahead', outcome: 'resolved' });
    const { entries } = await call(host, 'audit.query', { filter: { entityType: 'case', entityId: String(caseId) }, limit: 5 });
    const [refused, ok] = entries;
    expect(refused).toMatchObject({
      kind: 'alteration',
      operation: 'cases.transition',
      outcome: 'refused',
      errorCode: 'INVALID_TRANSITION',
      details: { field: 'to' },
    });
    expect(ok).toMatchObject({
      kind: 'alteration',
      operation: 'cases.transition',
      outcome: 'ok',
      details: { from: 'referred', to: 'accepted', outcome: null },
    });
    expect(JSON.stringify(entries)).not.toContain('threshold');
  });

  it('does not let a non-statutory member move a case', async () => {
    const caseId = await caseAt(host, personId, 'referred');
    await actAs(host, 'non_statutory');
    expect(await dispatch(host, 'cases.transition', { caseId, to: 'accepted', reason: 'I think so' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await actAs(host, 'manager');
  });
});
