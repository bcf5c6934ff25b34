// Escalations across the partnership (escalations.list without a case) and the Community Triggers of a case
// (triggers.list by case), through the dispatcher on a real store: each filter at its boundaries, closed-only
// cases for statutory partners and the manager only, and the consultation logged with the cases it showed.
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { newHost } from '../support/store.js';
import { actAs, call, createCase, createPerson, meetingsStore } from '../support/partnership.js';

async function setUp() {
  const s = await meetingsStore(newHost());
  const { host } = s;
  const northfield = await createCase(host, [await createPerson(host)]);
  const longbridge = await createCase(
    host,
    [await createPerson(host, { givenName: 'Riley', familyName: 'Shaw', dateOfBirth: '2006-02-02', addresses: [], identifiers: [] })],
    { area: 'Longbridge', closedOnly: true },
  );
  const refer = async (caseId: number, kind: 'disruption_planning_meeting' | 'task_and_finish_group', referredOn: string) =>
    (await call(host, 'escalations.refer', { caseId, kind, referredOn, shared: 'Case summary', recipients: ['Panel'] })).escalation.id;
  const a = await refer(northfield, 'disruption_planning_meeting', '2026-01-10');
  const b = await refer(northfield, 'task_and_finish_group', '2026-02-10');
  const c = await refer(longbridge, 'disruption_planning_meeting', '2026-03-10');
  await call(host, 'escalations.recordOutcome', { escalationId: b, outcome: 'Plan agreed', returnedOn: '2026-02-20' });
  return { ...s, northfield, longbridge, ids: { a, b, c } };
}

describe('escalations across the partnership', () => {
  it('filters by outcome, kind, area and the date referred (both ends included); newest first', async () => {
    const { host, ids, longbridge } = await setUp();
    const { a, b, c } = ids;
    const list = async (input: object) => (await call(host, 'escalations.list', input)).escalations.map((e) => e.id);

    expect(await list({})).toEqual([c, b, a]);
    expect(await list({ status: 'open' })).toEqual([c, a]);
    expect(await list({ status: 'returned' })).toEqual([b]);
    expect(await list({ kind: 'disruption_planning_meeting' })).toEqual([c, a]);
    expect(await list({ kind: 'task_and_finish_group' })).toEqual([b]);
    expect(await list({ area: 'northfield' })).toEqual([b, a]);
    expect(await list({ from: '2026-02-10' })).toEqual([c, b]);
    expect(await list({ from: '2026-02-11' })).toEqual([c]);
    expect(await list({ to: '2026-02-10' })).toEqual([b, a]);
    expect(await list({ to: '2026-02-09' })).toEqual([a]);
    expect(await list({ from: '2026-02-10', to: '2026-02-10' })).toEqual([b]);
    expect(await list({ status: 'open', kind: 'disruption_planning_meeting', area: 'Longbridge' })).toEqual([c]);
    // One case's, in the order they happened.
    expect(await list({ caseId: (await call(host, 'escalations.list', {})).escalations[2]!.case.id })).toEqual([a, b]);
    expect(await list({ caseId: longbridge })).toEqual([c]);

    expect(await dispatch(host, 'escalations.list', { from: '2026-03-01', to: '2026-02-01' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'to' },
    });
    expect(await dispatch(host, 'escalations.list', { status: 'pending' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'status' },
    });

    const { entries } = await call(host, 'audit.query', { filter: { kind: 'consultation', outcome: 'ok' }, limit: 100 });
    const wide = entries.find(
      (e) => e.operation === 'escalations.list' && e.entityId === null && (e.details.filter as string[]).length === 0,
    )!;
    expect(wide).toMatchObject({ kind: 'consultation', outcome: 'ok', details: { count: 3 } });
    expect(new Set(wide.details.caseIds as number[]).size).toBe(2);
  });

  it('closed-only cases: a statutory partner sees their escalations, marked; a non-statutory member may not call it', async () => {
    const { host, ids } = await setUp();
    await actAs(host, 'statutory');
    const { escalations } = await call(host, 'escalations.list', {});
    expect(escalations.map((e) => [e.id, e.closedOnly])).toEqual([
      [ids.c, true],
      [ids.b, false],
      [ids.a, false],
    ]);
    await actAs(host, 'non_statutory');
    expect(await dispatch(host, 'escalations.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('a Community Trigger linked to a case', () => {
  it('is listed on that case and no other; a case that does not exist is refused', async () => {
    const { host, northfield, longbridge } = await setUp();
    const apply = (caseId: number | null, applicant: string) =>
      call(host, 'triggers.apply', { area: 'Northfield', applicant, consent: true, applicationDate: '2026-03-01', caseId });
    const linked = (await apply(northfield, 'Mrs A. Resident')).trigger;
    await apply(null, 'Mr B. Resident');
    expect(linked.case).toMatchObject({ id: northfield });
    const ofCase = async (caseId: number) => (await call(host, 'triggers.list', { caseId })).triggers.map((t) => t.applicant);
    expect(await ofCase(northfield)).toEqual(['Mrs A. Resident']);
    expect(await ofCase(longbridge)).toEqual([]);
    expect((await call(host, 'triggers.list', {})).triggers).toHaveLength(2);
    expect(
      await dispatch(host, 'triggers.apply', {
        area: 'Northfield',
        applicant: 'C',
        consent: true,
        applicationDate: '2026-03-01',
        caseId: 9999,
      }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'caseId' } });
    const { entries } = await call(host, 'audit.query', { filter: { entityType: 'case', entityId: String(northfield) }, limit: 20 });
    expect(entries.some((e) => e.operation === 'triggers.list')).toBe(true);
  });
});
