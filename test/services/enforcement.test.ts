// Enforcement, escalation, Community Triggers and the outcome indicators through the dispatcher, on a real
// SQLCipher store: each path in the Act's order, every out-of-order or impossible step refused with a typed
// error that changes nothing (the digest of every table but the audit log), the listings and the
// threshold at their boundaries, and the indicators against a small data set counted by hand.
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import type { Host } from '../../src/host/host.js';
import type { InputOf, OperationName } from '../../src/contract/operations.js';
import { containsClosedOnly } from '../../src/domain/access.js';
import { addDays } from '../../src/domain/enforcement.js';
import { newHost } from '../support/store.js';
import { storeDigest } from '../support/proving-store.js';
import { actAs, call, createCase, createPerson, holdMeeting, meetingsStore, schedule } from '../support/partnership.js';

async function expectRefused(host: Host, name: OperationName, input: unknown, code: string, field?: string): Promise<void> {
  const before = await storeDigest(host);
  const result = await dispatch(host, name, input);
  expect(result, `${name} ${JSON.stringify(input).slice(0, 200)}`).toMatchObject({
    ok: false,
    error: { code, ...(field === undefined ? {} : { field }) },
  });
  expect(await storeDigest(host), `${name} was refused but changed the store`).toBe(before);
}

async function setUp() {
  const s = await meetingsStore(newHost());
  const person = await createPerson(s.host);
  const caseId = await createCase(s.host, [person]);
  return { ...s, caseId };
}

type Record_ = InputOf<'enforcement.record'>;

describe('enforcement: the Act in order', () => {
  it('CPW → CPN → breach; a CPN without a CPW, a Closure Order without a Closure Notice, and impossible dates are refused', async () => {
    const s = await setUp();
    const { host, caseId } = s;
    const base: Record_ = {
      type: 'community_protection_warning',
      caseId,
      organisationId: s.organisations.police,
      issued: '2026-01-05',
      served: '2026-01-05',
    };

    await expectRefused(host, 'enforcement.record', { ...base, type: 'community_protection_notice' }, 'INVALID_TRANSITION', 'priorId');
    await expectRefused(host, 'enforcement.record', { ...base, type: 'closure_order' }, 'INVALID_TRANSITION', 'priorId');
    await expectRefused(host, 'enforcement.record', { ...base, served: '2026-01-04' }, 'VALIDATION', 'served');
    await expectRefused(
      host,
      'enforcement.record',
      { ...base, type: 'criminal_behaviour_order', granted: '2026-02-01', expiry: '2026-01-31' },
      'VALIDATION',
      'expiry',
    );
    await expectRefused(host, 'enforcement.record', { ...base, powerOfArrest: true }, 'VALIDATION', 'powerOfArrest');
    await expectRefused(host, 'enforcement.record', { ...base, caseId: null }, 'VALIDATION', 'caseId');
    await expectRefused(host, 'enforcement.record', { ...base, caseId: 9999 }, 'NOT_FOUND', 'caseId');

    const cpw = (await call(host, 'enforcement.record', base)).enforcement;
    expect(cpw).toMatchObject({
      type: 'community_protection_warning',
      case: { id: caseId },
      area: 'Northfield',
      stage: 'issued',
      organisation: { name: 'West Midlands Police' },
      closedOnly: false,
    });

    // A CPN must follow a CPW on the same case, not any earlier record.
    const abc = (await call(host, 'enforcement.record', { ...base, type: 'acceptable_behaviour_contract' })).enforcement;
    await expectRefused(
      host,
      'enforcement.record',
      { ...base, type: 'community_protection_notice', priorId: abc.id },
      'INVALID_TRANSITION',
      'priorId',
    );
    const other = await createCase(host, [
      await createPerson(host, { givenName: 'Riley', familyName: 'Shaw', dateOfBirth: '2006-02-02', addresses: [], identifiers: [] }),
    ]);
    await expectRefused(
      host,
      'enforcement.record',
      { ...base, caseId: other, type: 'community_protection_notice', priorId: cpw.id },
      'INVALID_TRANSITION',
      'priorId',
    );
    await expectRefused(host, 'enforcement.record', { ...base, type: 'civil_injunction', priorId: cpw.id }, 'VALIDATION', 'priorId');

    const cpn = (
      await call(host, 'enforcement.record', {
        ...base,
        type: 'community_protection_notice',
        priorId: cpw.id,
        issued: '2026-02-01',
        served: '2026-02-02',
        expiry: '2026-08-01',
        conditions: 'Not to play amplified music after 23:00',
      })
    ).enforcement;
    expect(cpn).toMatchObject({ priorId: cpw.id, served: '2026-02-02', expiry: '2026-08-01' });

    // Breaches only while in force.
    await expectRefused(
      host,
      'enforcement.addBreach',
      { enforcementId: cpn.id, date: '2026-02-01', reportedBy: 'Neighbour', actionTaken: 'Fixed penalty' },
      'VALIDATION',
      'date',
    );
    await expectRefused(
      host,
      'enforcement.addBreach',
      { enforcementId: cpn.id, date: '2026-08-02', reportedBy: 'Neighbour', actionTaken: 'Fixed penalty' },
      'VALIDATION',
      'date',
    );
    const breached = (
      await call(host, 'enforcement.addBreach', {
        enforcementId: cpn.id,
        date: '2026-03-10',
        reportedBy: 'Neighbour at no. 12',
        actionTaken: 'Fixed penalty notice issued',
      })
    ).enforcement;
    expect(breached.breaches).toMatchObject([
      {
        date: '2026-03-10',
        reportedBy: 'Neighbour at no. 12',
        actionTaken: 'Fixed penalty notice issued',
        recordedBy: { displayName: 'Alex Manager' },
      },
    ]);

    // Updates keep the dates possible.
    await expectRefused(host, 'enforcement.update', { enforcementId: cpn.id, served: '2026-01-31' }, 'VALIDATION', 'served');
    await expectRefused(host, 'enforcement.update', { enforcementId: 9999, stage: 'served' }, 'NOT_FOUND', 'enforcementId');
    expect((await call(host, 'enforcement.update', { enforcementId: cpn.id, stage: 'served' })).enforcement.stage).toBe('served');

    // Closure Notice → Closure Order; a Civil Injunction with a power of arrest; a PSPO on a place.
    const notice = (await call(host, 'enforcement.record', { ...base, type: 'closure_notice' })).enforcement;
    const order = (
      await call(host, 'enforcement.record', {
        ...base,
        type: 'closure_order',
        priorId: notice.id,
        stage: 'granted',
        issued: '2026-01-06',
        served: null,
        hearing: '2026-01-07',
        granted: '2026-01-07',
        expiry: '2026-04-07',
      })
    ).enforcement;
    expect(order).toMatchObject({ type: 'closure_order', priorId: notice.id, hearing: '2026-01-07' });
    const injunction = (
      await call(host, 'enforcement.record', { ...base, type: 'civil_injunction', powerOfArrest: true, stage: 'applied' })
    ).enforcement;
    expect(injunction.powerOfArrest).toBe(true);
    await expectRefused(
      host,
      'enforcement.record',
      {
        type: 'public_spaces_protection_order',
        organisationId: s.organisations.cst,
        caseId,
        area: 'Northfield',
        prohibitions: ['No alcohol'],
      },
      'VALIDATION',
      'caseId',
    );
    await expectRefused(
      host,
      'enforcement.record',
      { type: 'public_spaces_protection_order', organisationId: s.organisations.cst, area: 'Northfield' },
      'VALIDATION',
      'prohibitions',
    );
    const pspo = (
      await call(host, 'enforcement.record', {
        type: 'public_spaces_protection_order',
        organisationId: s.organisations.cst,
        area: 'Northfield',
        location: 'Victoria Common',
        prohibitions: ['No consumption of alcohol', 'Dogs on leads'],
        issued: '2026-01-01',
        granted: '2026-01-01',
        expiry: '2029-01-01',
      })
    ).enforcement;
    expect(pspo).toMatchObject({
      case: null,
      area: 'Northfield',
      location: 'Victoria Common',
      prohibitions: ['No consumption of alcohol', 'Dogs on leads'],
    });

    // Lists: for the case, breached, by type and area.
    expect((await call(host, 'enforcement.list', { caseId })).enforcement.map((e) => e.id).sort()).toEqual(
      [cpw.id, abc.id, cpn.id, notice.id, order.id, injunction.id].sort(),
    );
    expect((await call(host, 'enforcement.list', { breached: true })).enforcement.map((e) => e.id)).toEqual([cpn.id]);
    expect(
      (await call(host, 'enforcement.list', { type: 'public_spaces_protection_order', area: 'northfield' })).enforcement.map((e) => e.id),
    ).toEqual([pspo.id]);
    expect((await call(host, 'enforcement.list', { area: 'Kings Norton' })).enforcement).toEqual([]);
  });

  it('a breach is corrected: its date stays while the measure was in force, it must belong to the record, and the change is an alteration', async () => {
    const s = await setUp();
    const { host, caseId } = s;
    const base: Record_ = { type: 'community_protection_warning', caseId, organisationId: s.organisations.police, issued: '2026-01-05' };
    const cpw = (await call(host, 'enforcement.record', base)).enforcement;
    const cpn = (
      await call(host, 'enforcement.record', {
        ...base,
        type: 'community_protection_notice',
        priorId: cpw.id,
        issued: '2026-02-01',
        served: '2026-02-02',
        expiry: '2026-08-01',
      })
    ).enforcement;
    const breachOf = async (enforcementId: number, date: string) =>
      (await call(host, 'enforcement.addBreach', { enforcementId, date, reportedBy: 'Neighbour', actionTaken: 'Warning letter' }))
        .enforcement.breaches[0]!.id;
    const breachId = await breachOf(cpn.id, '2026-03-10');
    const otherBreach = await breachOf(cpw.id, '2026-01-20');

    // On the days the CPN was in force (served 2 Feb, expires 1 Aug): the day before and the day after are refused.
    await expectRefused(host, 'enforcement.updateBreach', { enforcementId: cpn.id, breachId, date: '2026-02-01' }, 'VALIDATION', 'date');
    await expectRefused(host, 'enforcement.updateBreach', { enforcementId: cpn.id, breachId, date: '2026-08-02' }, 'VALIDATION', 'date');
    // A breach of another record, or none at all.
    await expectRefused(
      host,
      'enforcement.updateBreach',
      { enforcementId: cpn.id, breachId: otherBreach, actionTaken: 'Fixed penalty' },
      'NOT_FOUND',
      'breachId',
    );
    await expectRefused(
      host,
      'enforcement.updateBreach',
      { enforcementId: 9999, breachId, actionTaken: 'x' },
      'NOT_FOUND',
      'enforcementId',
    );
    await expectRefused(host, 'enforcement.updateBreach', { enforcementId: cpn.id, breachId }, 'VALIDATION');
    await expectRefused(
      host,
      'enforcement.updateBreach',
      { enforcementId: cpn.id, breachId, reportedBy: '  ' },
      'VALIDATION',
      'reportedBy',
    );

    const edges = [
      (await call(host, 'enforcement.updateBreach', { enforcementId: cpn.id, breachId, date: '2026-02-02' })).enforcement,
      (await call(host, 'enforcement.updateBreach', { enforcementId: cpn.id, breachId, date: '2026-08-01' })).enforcement,
    ];
    expect(edges.map((e) => e.breaches[0]!.date)).toEqual(['2026-02-02', '2026-08-01']);
    const corrected = (
      await call(host, 'enforcement.updateBreach', {
        enforcementId: cpn.id,
        breachId,
        date: '2026-03-11',
        reportedBy: 'Neighbour at no. 14',
        actionTaken: 'Fixed penalty notice issued',
      })
    ).enforcement;
    expect(corrected.breaches).toMatchObject([
      { id: breachId, date: '2026-03-11', reportedBy: 'Neighbour at no. 14', actionTaken: 'Fixed penalty notice issued' },
    ]);
    // Only the fields given change.
    const partly = (await call(host, 'enforcement.updateBreach', { enforcementId: cpn.id, breachId, actionTaken: 'Court summons' }))
      .enforcement;
    expect(partly.breaches[0]).toMatchObject({ date: '2026-03-11', reportedBy: 'Neighbour at no. 14', actionTaken: 'Court summons' });
    expect((await call(host, 'enforcement.get', { enforcementId: cpw.id })).enforcement.breaches[0]).toMatchObject({
      actionTaken: 'Warning letter',
    });

    const { entries } = await call(host, 'audit.query', { filter: { kind: 'alteration', outcome: 'ok' }, limit: 20 });
    expect(entries.filter((e) => e.operation === 'enforcement.updateBreach')).toHaveLength(4);
    expect(entries.find((e) => e.operation === 'enforcement.updateBreach')).toMatchObject({
      entityType: 'enforcement',
      entityId: String(cpn.id),
    });
  });

  it('expiring within N days: today and today + N are in, the day after and yesterday are out', async () => {
    const s = await setUp();
    const today = '2026-06-01';
    const ids = new Map<string, number>();
    for (const [name, expiry] of [
      ['yesterday', addDays(today, -1)],
      ['today', today],
      ['day30', addDays(today, 30)],
      ['day31', addDays(today, 31)],
    ] as const) {
      ids.set(
        name,
        (
          await call(s.host, 'enforcement.record', {
            type: 'criminal_behaviour_order',
            caseId: s.caseId,
            organisationId: s.organisations.police,
            issued: '2026-01-01',
            granted: '2026-01-02',
            expiry,
          })
        ).enforcement.id,
      );
    }
    const listed = (await call(s.host, 'enforcement.list', { expiringWithinDays: 30, today })).enforcement.map((e) => e.id);
    expect(listed).toEqual([ids.get('today'), ids.get('day30')]);
    expect((await call(s.host, 'enforcement.list', { expiringWithinDays: 0, today })).enforcement.map((e) => e.id)).toEqual([
      ids.get('today'),
    ]);
  });

  it('tied to the minutes decision it came from; closed-only when that decision or the case is, and hidden from non-statutory members', async () => {
    const s = await setUp();
    const { host, caseId } = s;
    const meeting = await schedule(host, s, { closed: false });
    const item = (await call(host, 'meetings.addAgendaItem', { meetingId: meeting.id, caseId, reason: 'Review' })).item;
    await holdMeeting(host, s, meeting.id);
    const open = (await call(host, 'minutes.recordDecision', { meetingId: meeting.id, agendaItemId: item.id, text: 'Issue a CPW' }))
      .decision;
    const closed = (
      await call(host, 'minutes.recordDecision', {
        meetingId: meeting.id,
        agendaItemId: item.id,
        text: 'Apply for a CBO',
        closedOnly: true,
      })
    ).decision;
    const other = await createCase(host, [
      await createPerson(host, { givenName: 'Jo', familyName: 'Moss', dateOfBirth: '1990-03-03', addresses: [], identifiers: [] }),
    ]);
    const base = { caseId, organisationId: s.organisations.police, issued: '2026-01-05' };
    await expectRefused(
      host,
      'enforcement.record',
      { ...base, caseId: other, type: 'community_protection_warning', decisionId: open.id },
      'VALIDATION',
      'decisionId',
    );
    await expectRefused(
      host,
      'enforcement.record',
      { ...base, type: 'community_protection_warning', decisionId: 9999 },
      'NOT_FOUND',
      'decisionId',
    );
    const cpw = (await call(host, 'enforcement.record', { ...base, type: 'community_protection_warning', decisionId: open.id }))
      .enforcement;
    expect(cpw).toMatchObject({
      decision: { id: open.id, meetingId: meeting.id, agendaItemId: item.id, meetingDate: meeting.date },
      closedOnly: false,
    });
    const cbo = (await call(host, 'enforcement.record', { ...base, type: 'criminal_behaviour_order', decisionId: closed.id })).enforcement;
    expect(cbo.closedOnly).toBe(true);

    await actAs(host, 'non_statutory');
    const seen = await call(host, 'enforcement.list', { caseId });
    expect(seen.enforcement.map((e) => e.id)).toEqual([cpw.id]);
    expect(containsClosedOnly(seen)).toBe(false);
    expect(await dispatch(host, 'enforcement.get', { enforcementId: cbo.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await dispatch(host, 'enforcement.record', { ...base, type: 'acceptable_behaviour_contract' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});

describe('escalation', () => {
  it('a referral to a Disruption Planning Meeting is logged as a disclosure with its recipients; the outcome comes back after it', async () => {
    const s = await setUp();
    const { host, caseId } = s;
    await expectRefused(
      host,
      'escalations.refer',
      { caseId, kind: 'disruption_planning_meeting', referredOn: '2026-03-01', shared: 'Summary', recipients: [] },
      'VALIDATION',
      'recipients',
    );
    const { escalation } = await call(host, 'escalations.refer', {
      caseId,
      kind: 'disruption_planning_meeting',
      referredOn: '2026-03-01',
      shared: 'Case summary and risk assessment',
      recipients: ['WMP Child Exploitation Team', "Birmingham Children's Trust"],
    });
    expect(escalation).toMatchObject({ kind: 'disruption_planning_meeting', referredBy: { displayName: 'Alex Manager' }, outcome: null });
    const { entries } = await call(host, 'audit.query', { filter: { kind: 'disclosure', outcome: 'ok' }, limit: 5 });
    expect(entries.find((e) => e.operation === 'escalations.refer')).toMatchObject({
      kind: 'disclosure',
      recipients: ['WMP Child Exploitation Team', "Birmingham Children's Trust"],
      entityType: 'case',
      entityId: String(caseId),
    });
    await expectRefused(
      host,
      'escalations.recordOutcome',
      { escalationId: escalation.id, outcome: 'Disruption plan agreed', returnedOn: '2026-02-28' },
      'VALIDATION',
      'returnedOn',
    );
    const back = (
      await call(host, 'escalations.recordOutcome', {
        escalationId: escalation.id,
        outcome: 'Disruption plan agreed',
        returnedOn: '2026-03-15',
      })
    ).escalation;
    expect(back).toMatchObject({ outcome: 'Disruption plan agreed', returnedOn: '2026-03-15' });
    expect((await call(host, 'escalations.list', { caseId })).escalations).toHaveLength(1);
  });
});

describe('ASB Case Review (Community Trigger)', () => {
  const app = '2026-06-30';
  const incidents = (gaps: number[]) =>
    gaps.map((g, i) => ({ date: addDays(app, -g), agency: 'West Midlands Police', reference: `WMP-${i}` }));
  const apply = (host: Host, gaps: number[], extra: Partial<InputOf<'triggers.apply'>> = {}) =>
    call(host, 'triggers.apply', {
      area: 'Northfield',
      applicant: 'Mrs A. Resident',
      consent: true,
      applicationDate: app,
      incidents: incidents(gaps),
      ...extra,
    });

  it('the threshold at its boundaries: two and three complaints, day 182 and day 183', async () => {
    const { host } = await setUp();
    expect((await apply(host, [1, 2])).trigger.test).toMatchObject({ qualifyingComplaints: 2, met: false });
    expect((await apply(host, [1, 2, 3])).trigger.test).toMatchObject({ qualifyingComplaints: 3, met: true });
    expect((await apply(host, [1, 2, 182])).trigger.test.met).toBe(true);
    expect((await apply(host, [1, 2, 183])).trigger.test).toMatchObject({ qualifyingComplaints: 2, met: false });
    expect((await apply(host, [1], { persistentHarm: true })).trigger.test).toMatchObject({ complaintsMet: false, met: true });
    expect((await apply(host, [1], { threshold: { complaints: 1, windowDays: 30 } })).trigger).toMatchObject({
      threshold: { complaints: 1, windowDays: 30 },
      test: { met: true },
    });
    await expectRefused(
      host,
      'triggers.apply',
      { area: 'Northfield', applicant: 'X', consent: true, applicationDate: app, incidents: [{ date: addDays(app, 1), agency: 'WMP' }] },
      'VALIDATION',
      'incidents.0.date',
    );
  });

  it('application → threshold met → review → recommendations → closed; out-of-order steps refused; not met needs the reasons', async () => {
    const { host } = await setUp();
    const t = (await apply(host, [1, 2, 3])).trigger;
    await expectRefused(host, 'triggers.recordReview', { triggerId: t.id, reviewDate: '2026-07-20' }, 'INVALID_TRANSITION', 'triggerId');
    await expectRefused(host, 'triggers.decide', { triggerId: t.id, met: true, decidedOn: '2026-06-29' }, 'VALIDATION', 'decidedOn');
    const decided = (await call(host, 'triggers.decide', { triggerId: t.id, met: true, decidedOn: '2026-07-08' })).trigger;
    expect(decided).toMatchObject({ status: 'threshold_met', decisionDays: 8 });
    await expectRefused(
      host,
      'triggers.decide',
      { triggerId: t.id, met: false, reasons: 'x', decidedOn: '2026-07-09' },
      'INVALID_TRANSITION',
      'triggerId',
    );
    await expectRefused(
      host,
      'triggers.addRecommendation',
      { triggerId: t.id, text: 'Mediation', owner: 'BCC Housing', due: '2026-08-01' },
      'INVALID_TRANSITION',
      'triggerId',
    );
    await call(host, 'triggers.recordReview', { triggerId: t.id, reviewDate: '2026-07-20', notes: 'Partners reviewed the response' });
    const recommended = (
      await call(host, 'triggers.addRecommendation', { triggerId: t.id, text: 'Offer mediation', owner: 'BCC Housing', due: '2026-08-20' })
    ).trigger;
    expect(recommended).toMatchObject({
      status: 'review_held',
      recommendations: [{ text: 'Offer mediation', owner: 'BCC Housing', due: '2026-08-20' }],
    });
    expect((await call(host, 'triggers.close', { triggerId: t.id, outcome: 'Recommendations accepted' })).trigger.status).toBe('closed');

    const notMet = (await apply(host, [1])).trigger;
    await expectRefused(host, 'triggers.decide', { triggerId: notMet.id, met: false, decidedOn: '2026-07-01' }, 'VALIDATION', 'reasons');
    const refused = (
      await call(host, 'triggers.decide', {
        triggerId: notMet.id,
        met: false,
        reasons: 'One complaint in six months; no persistent harm found',
        decidedOn: '2026-07-01',
      })
    ).trigger;
    expect(refused).toMatchObject({
      status: 'threshold_not_met',
      decisionReasons: 'One complaint in six months; no persistent harm found',
    });
    expect((await call(host, 'triggers.list', { area: 'Northfield' })).triggers).toHaveLength(2);
  });
});

describe('outcome indicators', () => {
  it('every figure matches a small data set counted by hand, by month and quarter and for an area', async () => {
    const s = await setUp();
    const { host, caseId } = s;
    const police = s.organisations.police;
    // Enforcement issued: Jan CPW (Northfield), Feb CPN (Northfield), Apr PSPO (Kings Norton); one breach in March.
    const cpw = (
      await call(host, 'enforcement.record', { type: 'community_protection_warning', caseId, organisationId: police, issued: '2026-01-10' })
    ).enforcement;
    const cpn = (
      await call(host, 'enforcement.record', {
        type: 'community_protection_notice',
        caseId,
        organisationId: police,
        priorId: cpw.id,
        issued: '2026-02-10',
        served: '2026-02-10',
      })
    ).enforcement;
    await call(host, 'enforcement.addBreach', { enforcementId: cpn.id, date: '2026-03-01', reportedBy: 'PCSO', actionTaken: 'Warning' });
    await call(host, 'enforcement.record', {
      type: 'public_spaces_protection_order',
      organisationId: police,
      area: 'Kings Norton',
      prohibitions: ['No alcohol'],
      issued: '2026-04-01',
    });
    // One escalation in February.
    await call(host, 'escalations.refer', {
      caseId,
      kind: 'task_and_finish_group',
      referredOn: '2026-02-20',
      shared: 'Summary',
      recipients: ['Task and Finish Group'],
    });
    // Activities: two Face the Public (Jan, Mar), one community tension (Mar, Kings Norton).
    await call(host, 'activities.record', { kind: 'face_the_public', date: '2026-01-15', area: 'Northfield' });
    await call(host, 'activities.record', { kind: 'face_the_public', date: '2026-03-15', area: 'Northfield' });
    await call(host, 'activities.record', { kind: 'community_tension', date: '2026-03-20', area: 'Kings Norton' });
    // Triggers: one met, reviewed with a recommendation (Jan/Feb); one not met (Mar).
    const t = (
      await call(host, 'triggers.apply', {
        area: 'Northfield',
        applicant: 'A',
        consent: true,
        applicationDate: '2026-01-20',
        persistentHarm: true,
      })
    ).trigger;
    await call(host, 'triggers.decide', { triggerId: t.id, met: true, decidedOn: '2026-01-25' });
    await call(host, 'triggers.recordReview', { triggerId: t.id, reviewDate: '2026-02-05' });
    await call(host, 'triggers.addRecommendation', { triggerId: t.id, text: 'Mediation', owner: 'Housing', due: '2026-03-01' });
    const u = (await call(host, 'triggers.apply', { area: 'Northfield', applicant: 'B', consent: false, applicationDate: '2026-03-02' }))
      .trigger;
    await call(host, 'triggers.decide', { triggerId: u.id, met: false, reasons: 'Below threshold', decidedOn: '2026-03-05' });

    const q1 = await call(host, 'outcomes.indicators', { from: '2026-01-01', to: '2026-03-31', granularity: 'month' });
    expect(q1.rows.map((r) => r.period)).toEqual(['2026-01', '2026-02', '2026-03']);
    const [jan, feb, mar] = q1.rows;
    expect(jan).toMatchObject({
      interventions: 1,
      enforcementByType: { community_protection_warning: 1 },
      faceThePublic: 1,
      triggersReceived: 1,
      triggersThresholdNotMet: 0,
      triggerReviewsHeld: 0,
    });
    expect(feb).toMatchObject({
      interventions: 2,
      escalations: 1,
      enforcementByType: { community_protection_notice: 1 },
      triggerReviewsHeld: 1,
      triggerReviewsWithRecommendations: 1,
    });
    expect(mar).toMatchObject({
      interventions: 0,
      breaches: 1,
      faceThePublic: 1,
      communityTension: 1,
      triggersReceived: 1,
      triggersThresholdNotMet: 1,
    });
    expect(q1.total).toMatchObject({
      interventions: 3,
      breaches: 1,
      escalations: 1,
      faceThePublic: 2,
      communityTension: 1,
      triggersReceived: 2,
      triggersThresholdNotMet: 1,
      triggerReviewsHeld: 1,
      triggerReviewsWithRecommendations: 1,
    });

    const quarters = await call(host, 'outcomes.indicators', { from: '2026-01-01', to: '2026-06-30', granularity: 'quarter' });
    expect(quarters.rows.map((r) => [r.period, r.interventions])).toEqual([
      ['2026-Q1', 3],
      ['2026-Q2', 1],
    ]);
    const kingsNorton = await call(host, 'outcomes.indicators', { from: '2026-01-01', to: '2026-12-31', area: 'Kings Norton' });
    expect(kingsNorton.total).toMatchObject({ interventions: 1, communityTension: 1, faceThePublic: 0, triggersReceived: 0 });
    await expectRefused(host, 'outcomes.indicators', { from: '2026-02-01', to: '2026-01-01' }, 'VALIDATION', 'to');
  });

  it('the percentage resolved is the share of cases closed in the period with the outcome resolved', async () => {
    const s = await setUp();
    const { host } = s;
    const today = new Date().toISOString().slice(0, 10);
    const close = async (outcome: 'resolved' | 'not_resolved') => {
      const id = await createCase(host, [
        await createPerson(host, {
          givenName: 'Kim',
          familyName: `Lee${outcome}${Math.random()}`.replace('.', ''),
          dateOfBirth: '1980-01-01',
          addresses: [],
          identifiers: [],
          createDespiteDuplicates: true,
        } as never),
      ]);
      await call(host, 'cases.transition', { caseId: id, to: 'accepted', reason: 'Threshold' });
      await call(host, 'cases.transition', { caseId: id, to: 'active', reason: 'Plan' });
      await call(host, 'cases.transition', { caseId: id, to: 'under_review', reason: 'Review' });
      await call(host, 'cases.transition', { caseId: id, to: 'closed', outcome, reason: 'Done' });
    };
    await close('resolved');
    await close('resolved');
    await close('not_resolved');
    const { total } = await call(host, 'outcomes.indicators', { from: today, to: today });
    expect(total).toMatchObject({ casesClosed: 3, casesResolved: 2, percentResolved: 66.7 });
  });
});
