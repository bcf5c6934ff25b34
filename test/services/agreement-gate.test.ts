// The gate: with enforcement on, every operation the contract marks as needing an agreement (read from
// the policy table, not listed by hand) is refused until the caller's organisation has signed, and
// allowed after. Enforcement off (the default for a new store) refuses nothing.
import { describe, expect, it } from 'vitest';
import { dispatch, type DispatchResult } from '../../src/dispatch/dispatcher.js';
import type { Host } from '../../src/host/host.js';
import { OPERATION_NAMES, operations, type OperationName } from '../../src/contract/operations.js';
import { GATED_AREAS, roleMayCall } from '../../src/contract/operation.js';
import { POLICY, policyFor } from '../../src/contract/policy.js';
import { GROUP, drawn, typed } from '../support/signatures.js';
import { actAs, call, caseInput, createPerson, partnershipStore, personInput } from '../support/partnership.js';
import { newHost } from '../support/store.js';

const GATED = POLICY.filter((row) => row.agreements.length > 0);
/** What a statutory partner may call at all: the gate is checked after the role (a manager-only step is FORBIDDEN first). */
const GATED_FOR_PARTNERS = GATED.filter((row) => roleMayCall(operations[row.operation], 'statutory'));

interface Ids {
  person: number;
  case: number;
  cases: number[];
}

/** Round k uses its own case for steps that cannot be repeated (a transition, a link). */
function inputFor(name: OperationName, ids: Ids, k: number): unknown {
  const inputs: Partial<Record<OperationName, unknown>> = {
    'people.create': {
      ...personInput({ givenName: 'Robin', familyName: 'Hart', dateOfBirth: '2001-01-01', addresses: [] }),
      createDespiteDuplicates: true,
    },
    'people.get': { personId: ids.person },
    'people.update': { personId: ids.person, aliases: ['Jay'] },
    'cases.create': caseInput([ids.person]),
    'cases.get': { caseId: ids.case },
    'cases.update': { caseId: ids.case, summary: 'Updated after the meeting' },
    'cases.transition': { caseId: ids.cases[k]!, to: 'accepted', reason: 'Meets the threshold' },
    'cases.addNote': { caseId: ids.case, body: 'Visited; no answer.' },
    'cases.link': { caseId: ids.case, otherCaseId: ids.cases[k]!, reason: 'Same household' },
    'cases.search': { query: 'Ellis' },
    'cases.list': {},
    'concerns.list': {},
    'meetings.list': {},
    'meetings.forCase': { caseId: ids.case },
    'actions.list': {},
  };
  return inputs[name];
}

/**
 * Past the gate: an operation given a valid input above succeeds; one without (most meeting steps need a
 * meeting in a given state, which the meetings tests build) is at least not refused by the gate.
 */
function expectPastGate(name: OperationName, ids: Ids, result: DispatchResult): void {
  if (inputFor(name, ids, 0) !== undefined) expect(result.ok, `${name}: ${JSON.stringify(result)}`).toBe(true);
  else expect(result.ok ? null : result.error.code, name).not.toBe('AGREEMENT_REQUIRED');
}

async function sign(host: Host, organisationId: number, kind: 'membership' | 'information_sharing') {
  const { agreement } = await call(host, 'agreements.draft', { organisationId, kind, groupName: GROUP });
  return (
    await call(host, 'agreements.sign', {
      agreementId: agreement.id,
      signatory: { name: 'Insp. Ruth Hale', role: 'Inspector', signature: drawn() },
      witness: { name: 'Alex Manager', role: 'Partnership manager', signature: typed('Alex Manager') },
    })
  ).agreement;
}

async function runAll(host: Host, ids: Ids, k: number) {
  const results = new Map<OperationName, DispatchResult>();
  for (const { operation } of GATED_FOR_PARTNERS)
    results.set(operation, await dispatch(host, operation, inputFor(operation, ids, k) ?? {}));
  return results;
}

describe('the agreement gate', () => {
  it('is declared in the contract: every operation of a case or meeting area needs membership, case detail also information sharing', () => {
    // A public operation (the export's progress poll) runs no session check, so it has no gate either.
    const areaOps = OPERATION_NAMES.filter((n) => GATED_AREAS.has(n.split('.')[0]!) && operations[n].access !== 'public');
    expect(areaOps.length).toBeGreaterThanOrEqual(12);
    expect(GATED.map((r) => r.operation).sort()).toEqual([...areaOps].sort());
    for (const op of areaOps) expect(policyFor(op).agreements).toContain('membership');
    expect(policyFor('cases.get').agreements).toEqual(['membership', 'information_sharing']);
    expect(policyFor('people.get').agreements).toEqual(['membership', 'information_sharing']);
    expect(policyFor('cases.list').agreements).toEqual(['membership']);
    for (const op of ['agreements.sign', 'agreements.draft', 'users.add', 'audit.query', 'session.lock', 'organisations.list'] as const)
      expect(policyFor(op).agreements).toEqual([]);
  });

  it('refuses every gated operation until the organisation signs, then allows it (statutory partner)', async () => {
    const { host, organisations } = await partnershipStore(newHost());
    const person = await createPerson(host);
    const cases: number[] = [];
    for (const area of ['Northfield', 'Kings Norton', 'Longbridge'])
      cases.push((await call(host, 'cases.create', caseInput([person], { area }))).case.id);
    const ids: Ids = { person, case: cases[0]!, cases };
    await call(host, 'agreements.setEnforcement', { enabled: true });

    await actAs(host, 'statutory');
    const before = await runAll(host, ids, 1);
    for (const [name, result] of before) {
      expect(result, name).toMatchObject({ ok: false, error: { code: 'AGREEMENT_REQUIRED', details: { missing: 'membership' } } });
      if (!result.ok)
        expect(result.error.message).toMatch(/West Midlands Police.*no current signed membership agreement.*partnership manager/);
    }
    const refusals = await host.vault!.db.get<{ n: number }>(
      "SELECT count(*) AS n FROM audit_log WHERE outcome = 'refused' AND error_code = 'AGREEMENT_REQUIRED'",
    );
    // Only the manager's steps are out of a statutory partner's reach: releasing a closed-only mark,
    // a subject access pack, and erasure.
    expect(GATED.filter((row) => !GATED_FOR_PARTNERS.includes(row)).map((row) => row.operation)).toEqual([
      'people.subjectAccess',
      'cases.releaseReview',
      'cases.releaseClosedOnly',
      'people.erasurePreview',
      'people.erase',
      'cases.erasurePreview',
      'cases.erase',
    ]);
    expect(refusals!.n).toBe(GATED_FOR_PARTNERS.length);

    await actAs(host, 'manager');
    await sign(host, organisations.police.id, 'membership');
    await actAs(host, 'statutory');
    const member = await runAll(host, ids, 1);
    for (const [name, result] of member) {
      if (policyFor(name).agreements.includes('information_sharing')) {
        expect(result, name).toMatchObject({
          ok: false,
          error: { code: 'AGREEMENT_REQUIRED', details: { missing: 'information_sharing' } },
        });
      } else {
        expectPastGate(name, ids, result);
      }
    }

    await actAs(host, 'manager');
    await sign(host, organisations.police.id, 'information_sharing');
    await actAs(host, 'statutory');
    for (const [name, result] of await runAll(host, ids, 2)) expectPastGate(name, ids, result);
  });

  it('an agreement that ends (terminated) closes the gate again; the manager can still administer without one', async () => {
    const { host, organisations } = await partnershipStore(newHost());
    await call(host, 'agreements.setEnforcement', { enabled: true });
    // The manager's own organisation has signed nothing: case work is refused, administration is not.
    expect(await dispatch(host, 'cases.list', {})).toMatchObject({ ok: false, error: { code: 'AGREEMENT_REQUIRED' } });
    for (const [name, input] of [
      ['users.list', {}],
      ['audit.verify', {}],
      ['agreements.overview', {}],
      ['organisations.list', {}],
    ] as const) {
      expect((await dispatch(host, name, input)).ok, name).toBe(true);
    }
    const signed = await sign(host, organisations.police.id, 'membership');
    await actAs(host, 'statutory');
    expect((await dispatch(host, 'cases.list', {})).ok).toBe(true);
    await actAs(host, 'manager');
    await call(host, 'agreements.terminate', { agreementId: signed.id, reason: 'Withdrew' });
    await actAs(host, 'statutory');
    expect(await dispatch(host, 'cases.list', {})).toMatchObject({ ok: false, error: { code: 'AGREEMENT_REQUIRED' } });
  });

  it('refuses nothing while enforcement is off (the default of a new store)', async () => {
    const { host } = await partnershipStore(newHost());
    expect((await call(host, 'agreements.overview', {})).enforced).toBe(false);
    await actAs(host, 'non_statutory');
    expect((await dispatch(host, 'cases.list', {})).ok).toBe(true);
    await actAs(host, 'manager');
    expect(await call(host, 'agreements.setEnforcement', { enabled: true })).toEqual({ enforced: true });
    await actAs(host, 'non_statutory');
    expect(await dispatch(host, 'cases.list', {})).toMatchObject({ ok: false, error: { code: 'AGREEMENT_REQUIRED' } });
    await actAs(host, 'manager');
    await call(host, 'agreements.setEnforcement', { enabled: false });
    await actAs(host, 'non_statutory');
    expect((await dispatch(host, 'cases.list', {})).ok).toBe(true);
  });
});
