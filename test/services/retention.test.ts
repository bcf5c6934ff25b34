// Retention through the dispatcher against a real store: the schedule, the queue at its boundaries (the day
// is given to the service as `asOf`, never by moving a clock), and each decision: keep needs a reason and a
// later date, pseudonymise leaves none of the planted identifiers anywhere in the store while the outcome
// indicators count the case exactly as before, and erase is recorded as pending.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Host } from '../../src/host/host.js';
import { addMonths } from '../../src/domain/retention.js';
import { addDays, localToday } from '../../src/domain/risk.js';
import {
  actAs,
  attempt,
  call,
  createCase,
  createPerson,
  holdMeeting,
  meetingsStore,
  partnershipStore,
  schedule,
} from '../support/partnership.js';
import { caseTablesDigest } from '../support/proving-store.js';
import { newHost } from '../support/store.js';

const today = localToday();
const DUE = addMonths(today, 12);

async function closeCase(
  host: Host,
  caseId: number,
  outcome: 'resolved' | 'not_resolved' | 'transferred' = 'resolved',
  reason = 'Agreed',
): Promise<void> {
  for (const to of ['accepted', 'active', 'under_review'] as const)
    await call(host, 'cases.transition', { caseId, to, reason: `Agreed: ${to}` });
  await call(host, 'cases.transition', { caseId, to: 'closed', reason, outcome });
}

const queuedIds = async (host: Host, asOf: string) => (await call(host, 'retention.queue', { asOf })).items.map((i) => i.caseId);

describe('retention schedule', () => {
  let host: Host;
  beforeEach(async () => {
    ({ host } = await partnershipStore(newHost()));
  });

  it('defaults to 12 months for every ending, and a manager changes one rule leaving the rest', async () => {
    const before = await call(host, 'retention.schedule', {});
    expect(before.rules.map((r) => [r.ending, r.months, r.updatedBy])).toEqual([
      ['resolved', 12, null],
      ['not_resolved', 12, null],
      ['transferred', 12, null],
      ['declined', 12, null],
    ]);
    const after = await call(host, 'retention.updateSchedule', { rules: [{ ending: 'declined', months: 6 }] });
    expect(after.rules.find((r) => r.ending === 'declined')).toMatchObject({ months: 6, updatedBy: { displayName: expect.any(String) } });
    expect(after.rules.filter((r) => r.ending !== 'declined').every((r) => r.months === 12 && r.updatedBy === null)).toBe(true);
    const { entries } = await call(host, 'audit.query', { filter: { kind: 'settings' } });
    expect(entries.filter((e) => e.operation === 'retention.updateSchedule')).toHaveLength(1);
  });

  it('refuses bad rules with the field named, and changes nothing', async () => {
    const cases: [unknown, string][] = [
      [{ rules: [{ ending: 'resolved', months: -1 }] }, 'rules.0.months'],
      [{ rules: [{ ending: 'resolved', months: 121 }] }, 'rules.0.months'],
      [{ rules: [{ ending: 'resolved', months: 1.5 }] }, 'rules.0.months'],
      [{ rules: [{ ending: 'reopened', months: 3 }] }, 'rules.0.ending'],
      [{ rules: [] }, 'rules'],
      [
        {
          rules: [
            { ending: 'resolved', months: 3 },
            { ending: 'resolved', months: 4 },
          ],
        },
        'rules.1.ending',
      ],
    ];
    for (const [input, field] of cases) {
      const result = await attempt(host, 'retention.updateSchedule', input as never);
      expect(result, JSON.stringify(input)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field } });
    }
    expect((await call(host, 'retention.schedule', {})).rules.every((r) => r.months === 12)).toBe(true);
  });

  it("is a manager's alone: the queue, the schedule and decisions are refused to partners", async () => {
    for (const role of ['statutory', 'non_statutory'] as const) {
      await actAs(host, role);
      for (const [name, input] of [
        ['retention.schedule', {}],
        ['retention.updateSchedule', { rules: [{ ending: 'resolved', months: 1 }] }],
        ['retention.queue', {}],
        ['retention.decide', { caseId: 1, decision: 'erase' }],
      ] as const) {
        expect(await attempt(host, name, input as never), `${name} as ${role}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
    }
  });
});

describe('retention queue', () => {
  let host: Host;
  let person: number;
  beforeEach(async () => {
    ({ host } = await partnershipStore(newHost()));
    person = await createPerson(host);
  });

  it('a case closed today is due exactly 12 months on: not the day before, and still the day after', async () => {
    const closed = await createCase(host, [person]);
    await closeCase(host, closed);
    const open = await createCase(host, [person]);
    expect(await queuedIds(host, addDays(DUE, -1))).toEqual([]);
    expect(await queuedIds(host, DUE)).toEqual([closed]);
    expect(await queuedIds(host, addDays(DUE, 1))).toEqual([closed]);
    const [item] = (await call(host, 'retention.queue', { asOf: DUE })).items;
    expect(item).toMatchObject({ endedOn: today, dueOn: DUE, basis: 'schedule', ending: 'resolved' });
    expect(item!.reason).toContain(`due ${DUE}`);
    // The person is also on a case still open: they do not follow the closed one.
    expect(item!.people).toEqual([
      {
        personId: person,
        name: 'Jordan Ellis',
        follows: false,
        alsoOn: [{ caseId: open, reference: expect.any(String), status: 'referred' }],
      },
    ]);
  });

  it('the schedule moves the boundary per ending, and declined cases count from the day they were declined', async () => {
    const resolved = await createCase(host, [person]);
    await closeCase(host, resolved, 'resolved');
    const transferred = await createCase(host, [person]);
    await closeCase(host, transferred, 'transferred');
    const declined = await createCase(host, [person]);
    await call(host, 'cases.transition', { caseId: declined, to: 'declined', reason: 'Below the threshold' });
    await call(host, 'retention.updateSchedule', {
      rules: [
        { ending: 'transferred', months: 3 },
        { ending: 'declined', months: 0 },
      ],
    });
    expect(await queuedIds(host, addDays(today, -1))).toEqual([]);
    expect(await queuedIds(host, today)).toEqual([declined]);
    expect(await queuedIds(host, addDays(addMonths(today, 3), -1))).toEqual([declined]);
    expect((await queuedIds(host, addMonths(today, 3))).sort()).toEqual([declined, transferred].sort());
    expect((await queuedIds(host, DUE)).sort()).toEqual([declined, transferred, resolved].sort());
    // Everyone's cases are all due now: the person follows each.
    const { items } = await call(host, 'retention.queue', { asOf: DUE });
    expect(items.every((i) => i.people.every((p) => p.follows))).toBe(true);
  });

  it('without asOf the queue counts from today', async () => {
    const declined = await createCase(host, [person]);
    await call(host, 'cases.transition', { caseId: declined, to: 'declined', reason: 'Below the threshold' });
    expect((await call(host, 'retention.queue', {})).asOf).toBe(today);
    expect((await call(host, 'retention.queue', {})).items).toEqual([]);
    await call(host, 'retention.updateSchedule', { rules: [{ ending: 'declined', months: 0 }] });
    expect((await call(host, 'retention.queue', {})).items.map((i) => i.caseId)).toEqual([declined]);
  });
});

describe('retention decisions', () => {
  let host: Host;
  let person: number;
  let caseId: number;
  beforeEach(async () => {
    ({ host } = await partnershipStore(newHost()));
    person = await createPerson(host);
    caseId = await createCase(host, [person]);
    await closeCase(host, caseId);
  });

  it('keep needs a reason and a review date after today, each refused by name with nothing written', async () => {
    const digest = await caseTablesDigest(host);
    const refusals: [Record<string, unknown>, string][] = [
      [{ reviewOn: addDays(today, 30) }, 'reason'],
      [{ reason: '   ', reviewOn: addDays(today, 30) }, 'reason'],
      [{ reason: 'Civil injunction still in force' }, 'reviewOn'],
      [{ reason: 'Civil injunction still in force', reviewOn: today }, 'reviewOn'],
      [{ reason: 'Civil injunction still in force', reviewOn: addDays(today, -1) }, 'reviewOn'],
      [{ reason: 'Civil injunction still in force', reviewOn: '2027-02-30' }, 'reviewOn'],
    ];
    for (const [input, field] of refusals) {
      const result = await attempt(host, 'retention.decide', { caseId, decision: 'keep', ...input } as never);
      expect(result, JSON.stringify(input)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field } });
    }
    expect(await attempt(host, 'retention.decide', { caseId, decision: 'pseudonymise', reviewOn: addDays(today, 30) })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'reviewOn' },
    });
    expect(await attempt(host, 'retention.decide', { caseId: 999_999, decision: 'erase' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', field: 'caseId' },
    });
    const open = await createCase(host, [person]);
    const afterOpen = await caseTablesDigest(host);
    expect(await attempt(host, 'retention.decide', { caseId: open, decision: 'pseudonymise' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'caseId' },
    });
    expect(await caseTablesDigest(host)).toBe(afterOpen);
    expect(digest).not.toBe(afterOpen);
    expect(await queuedIds(host, DUE)).toEqual([caseId]);
  });

  it('keep takes the case out of the queue until its new date, then back in with the reason it was kept', async () => {
    const reviewOn = addDays(DUE, 90);
    const kept = await call(host, 'retention.decide', { caseId, decision: 'keep', reason: 'Civil injunction still in force', reviewOn });
    expect(kept).toMatchObject({ decision: 'keep', reviewOn, pendingErasure: false, people: [] });
    expect(await queuedIds(host, DUE)).toEqual([]);
    expect(await queuedIds(host, addDays(reviewOn, -1))).toEqual([]);
    const [item] = (await call(host, 'retention.queue', { asOf: reviewOn })).items;
    expect(item).toMatchObject({ caseId, basis: 'kept', dueOn: reviewOn, keptReason: 'Civil injunction still in force' });
    const { entries } = await call(host, 'audit.query', { filter: { kind: 'alteration', entityId: String(caseId) } });
    expect(entries.filter((e) => e.operation === 'retention.decide')).toHaveLength(1);
  });

  it('erase is recorded as pending and stays in the queue, whatever the date, until it is carried out', async () => {
    expect(await call(host, 'retention.decide', { caseId, decision: 'erase', reason: 'Agreed at review' })).toMatchObject({
      decision: 'erase',
      pendingErasure: true,
      reviewOn: null,
    });
    const [item] = (await call(host, 'retention.queue', { asOf: today })).items;
    expect(item).toMatchObject({ caseId, basis: 'erasure_pending', dueOn: today });
    // The case itself is untouched until it is erased.
    expect((await call(host, 'cases.get', { caseId })).case.subjects[0]!.familyName).toBe('Ellis');
  });
});

// ── pseudonymisation ──────────────────────────────────────────────────────────────────────────────────

const PLANTED = {
  givenName: 'Ysoldewyn',
  familyName: 'Marchbankworth',
  alias: 'Tinkerbeck',
  dateOfBirth: '1987-06-15',
  addressLine: '17 Quorndon Crescent',
  postcode: 'B31 9ZZ',
  phone: '07700 900456',
  email: 'ysoldewyn@example.org',
  policeReference: 'WMP/2024/771234',
  household: 'Perpetua Marchbankworth',
} as const;

describe('pseudonymise', () => {
  let host: Host;
  let police: number;
  beforeEach(async () => {
    const store = await partnershipStore(newHost());
    host = store.host;
    police = store.organisations.police.id;
  });

  async function plantedCase(): Promise<{ caseId: number; personId: number }> {
    const p = PLANTED;
    const personId = await createPerson(host, {
      givenName: p.givenName,
      familyName: p.familyName,
      aliases: [p.alias],
      dateOfBirth: p.dateOfBirth,
      gender: 'female',
      addresses: [{ line1: p.addressLine, town: 'Northfield', postcode: p.postcode, ward: 'Longbridge' }],
      contacts: [
        { kind: 'phone', value: p.phone },
        { kind: 'email', value: p.email },
      ],
      identifiers: [{ scheme: 'police', value: p.policeReference }],
      household: [{ name: p.household, relationship: 'child', dateOfBirth: '2015-03-03' }],
    });
    const caseId = await createCase(host, [personId], {
      summary: `${p.givenName} ${p.familyName} (${p.alias}) seen at ${p.addressLine}`,
      referral: {
        organisation: 'West Midlands Police',
        officer: 'PC Jones',
        date: '2025-10-01',
        reason: `Neighbours at ${p.postcode} report ${p.familyName}`,
        consent: 'not_required',
      },
      risk: {
        personalHarm: 'high',
        communityHarm: 'medium',
        environmentalHarm: 'low',
        vulnerabilityFactors: [`Missing from home: ${p.givenName}`],
        reasons: `${p.alias} associates with older males; born ${p.dateOfBirth}`,
      },
      locations: [{ label: `${p.familyName} flats`, address: p.addressLine, postcode: p.postcode, ward: 'Longbridge' }],
    });
    await call(host, 'cases.addNote', {
      caseId,
      body: `Called ${p.phone} and wrote to ${p.email}; ${p.household} answered. Ref ${p.policeReference}.`,
    });
    const { enforcement } = await call(host, 'enforcement.record', {
      organisationId: police,
      issued: '2026-01-05',
      type: 'community_protection_warning',
      caseId,
      conditions: `${p.givenName} must not enter ${p.addressLine}`,
    });
    await call(host, 'enforcement.addBreach', {
      enforcementId: enforcement.id,
      date: '2026-02-02',
      reportedBy: `Neighbour of ${p.familyName}`,
      actionTaken: `Warning letter to ${p.givenName}`,
    });
    await call(host, 'escalations.refer', {
      caseId,
      kind: 'disruption_planning_meeting',
      referredOn: '2026-01-10',
      shared: `What is known about ${p.givenName} ${p.familyName}`,
      // Recipients are named in the audit log's disclosure entry, which no retention decision rewrites.
      recipients: ['WMP Child Exploitation Team'],
    });
    await closeCase(host, caseId, 'resolved', `${p.givenName} moved away from ${p.addressLine}`);
    return { caseId, personId };
  }

  /** Every row of every table (the search indexes through their virtual tables, not their binary shadows), as text. */
  async function storeText(): Promise<string> {
    const db = host.vault!.db;
    const tables = await db.all<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT GLOB '*_fts_*'",
    );
    const parts: string[] = [];
    for (const { name } of tables) parts.push(`${name}: ${JSON.stringify(await db.all(`SELECT * FROM "${name}"`))}`);
    return parts.join('\n');
  }

  /** The figures only: the answer also carries the audit head, which every call moves on. */
  const indicators = async () => {
    const { auditHead: _, ...figures } = await call(host, 'outcomes.indicators', {
      from: '2020-01-01',
      to: addDays(today, 1),
      granularity: 'month',
    });
    return figures;
  };

  it('replaces every planted identifier in the case, its person and its notes, and the indicators count it as before', async () => {
    const { caseId, personId } = await plantedCase();
    const before = await indicators();
    // The case is counted: closed as resolved, its warning, breach and escalation.
    expect(before.total).toMatchObject({
      casesClosed: 1,
      casesResolved: 1,
      enforcementByType: { community_protection_warning: 1 },
      breaches: 1,
      escalations: 1,
    });
    const planted = Object.values(PLANTED);
    // The control: every planted value is in the store and in the app's answers before.
    const textBefore = await storeText();
    for (const value of planted) expect(textBefore, value).toContain(value);
    expect((await call(host, 'cases.search', { query: PLANTED.familyName })).total).toBe(1);

    const result = await call(host, 'retention.decide', { caseId, decision: 'pseudonymise', reason: 'Review: no further need' });
    expect(result.people).toEqual([{ personId, treatment: 'in_place', standInId: null }]);
    expect(result.textsRedacted).toBeGreaterThan(5);

    // Through the app: the case, the person, search.
    const { case: detail } = await call(host, 'cases.get', { caseId });
    const { person } = await call(host, 'people.get', { personId });
    const answers = JSON.stringify([
      detail,
      person,
      await call(host, 'enforcement.list', { caseId }),
      await call(host, 'escalations.list', { caseId }),
    ]);
    for (const value of planted) expect(answers, value).not.toContain(value);
    for (const value of [PLANTED.givenName, PLANTED.familyName, PLANTED.alias, PLANTED.policeReference, PLANTED.postcode]) {
      expect((await call(host, 'cases.search', { query: value })).total, value).toBe(0);
    }
    expect(person).toMatchObject({ givenName: 'Pseudonymised', familyName: `person P-${personId}`, dateOfBirth: null, gender: 'female' });
    expect(person).toMatchObject({ aliases: [], addresses: [], contacts: [], identifiers: [], household: [] });
    expect(detail.notes[0]!.body).toContain('[contact detail redacted]');
    expect(detail.summary).toContain('[Subject A]');
    expect(detail.locations).toEqual([expect.objectContaining({ address: '', postcode: null, ward: 'Longbridge' })]);
    // The figures stay: status, outcome, area, dates.
    expect(detail).toMatchObject({ status: 'closed', outcome: 'resolved', area: 'Northfield' });

    // Through the store's own tables: no row of any table holds a planted value (the audit log included).
    const textAfter = await storeText();
    for (const value of planted) expect(textAfter, value).not.toContain(value);
    expect(textAfter).toContain('"birth_year":1987');

    expect(await indicators()).toEqual(before);
    // Out of the queue for good; a second pseudonymisation or a keep is refused, erasure is still open.
    expect(await queuedIds(host, addDays(DUE, 400))).toEqual([]);
    expect(await attempt(host, 'retention.decide', { caseId, decision: 'keep', reason: 'x', reviewOn: addDays(today, 9) })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'decision' },
    });
    expect((await call(host, 'audit.verify', {})).intact).toBe(true);
  });

  it('a person still on a live case stays themselves there; the pseudonymised case gets a stand-in', async () => {
    const { caseId, personId } = await plantedCase();
    const live = await createCase(host, [personId], { summary: 'Still working with the family' });
    const [item] = (await call(host, 'retention.queue', { asOf: DUE })).items;
    expect(item!.people).toMatchObject([{ personId, follows: false, alsoOn: [{ caseId: live }] }]);

    const result = await call(host, 'retention.decide', { caseId, decision: 'pseudonymise' });
    const standIn = result.people[0]!.standInId!;
    expect(result.people).toEqual([{ personId, treatment: 'stand_in', standInId: standIn }]);
    const { case: detail } = await call(host, 'cases.get', { caseId });
    expect(detail.subjects.map((s) => s.id)).toEqual([standIn]);
    expect(detail.subjects[0]).toMatchObject({ givenName: 'Pseudonymised', familyName: `person P-${standIn}`, gender: 'female' });
    for (const value of Object.values(PLANTED)) expect(JSON.stringify(detail), value).not.toContain(value);
    // The live case still has the real person.
    const { case: liveDetail } = await call(host, 'cases.get', { caseId: live });
    expect(liveDetail.subjects[0]).toMatchObject({ id: personId, familyName: PLANTED.familyName });
    // When the live case ends and is pseudonymised too, the person follows in place.
    await closeCase(host, live);
    const [next] = (await call(host, 'retention.queue', { asOf: DUE })).items;
    expect(next!.people).toMatchObject([{ personId, follows: true, alsoOn: [] }]);
    expect((await call(host, 'retention.decide', { caseId: live, decision: 'pseudonymise' })).people).toEqual([
      { personId, treatment: 'in_place', standInId: null },
    ]);
    const textAfter = await storeText();
    for (const value of Object.values(PLANTED)) expect(textAfter, value).not.toContain(value);
  });
});

describe('pseudonymise reaches what erasure reaches', () => {
  it("replaces the person's identifiers on other people's records and in approved minutes (with an addendum); figures stay", async () => {
    const store = await meetingsStore(newHost());
    const { host } = store;
    const p = PLANTED;
    const name = `${p.givenName} ${p.familyName}`;
    const personId = await createPerson(host, {
      givenName: p.givenName,
      familyName: p.familyName,
      aliases: [p.alias],
      dateOfBirth: p.dateOfBirth,
      addresses: [{ line1: p.addressLine, town: 'Northfield', postcode: p.postcode, ward: 'Longbridge' }],
      contacts: [{ kind: 'phone', value: p.phone }],
      identifiers: [{ scheme: 'police', value: p.policeReference }],
      household: [],
    });
    const caseId = await createCase(host, [personId], { summary: `${name} at the parade` });
    // Elsewhere: another person's household and case note, another case's item in approved minutes, a Community Trigger.
    const neighbour = await createPerson(host, {
      givenName: 'Kenver',
      familyName: 'Pascoe',
      aliases: [],
      household: [{ name, relationship: 'other', dateOfBirth: null }],
    });
    const othersCase = await createCase(host, [neighbour]);
    await call(host, 'cases.addNote', { caseId: othersCase, body: `${p.alias} (${p.phone}) was with Kenver at ${p.addressLine}.` });
    const meeting = await schedule(host, store, { chairId: store.users.manager, minuteTakerId: store.users.statutory, date: '2026-01-05' });
    const { item } = await call(host, 'meetings.addAgendaItem', { meetingId: meeting.id, caseId: othersCase, reason: 'Review' });
    await holdMeeting(host, store, meeting.id);
    await call(host, 'minutes.saveItem', {
      meetingId: meeting.id,
      agendaItemId: item.id,
      revision: 0,
      paragraphs: [{ text: `Kenver Pascoe and ${name} (ref ${p.policeReference}) were seen together.` }],
    });
    await call(host, 'minutes.submit', { meetingId: meeting.id });
    await call(host, 'minutes.approve', { meetingId: meeting.id });
    await call(host, 'triggers.apply', {
      area: 'Northfield',
      applicant: name,
      consent: true,
      applicationDate: '2026-01-20',
      persistentHarm: true,
    });
    await closeCase(host, caseId);
    const figures = async () => {
      const { auditHead: _, ...rest } = await call(host, 'outcomes.indicators', {
        from: '2020-01-01',
        to: addDays(today, 1),
        granularity: 'month',
      });
      return rest;
    };
    const before = await figures();
    const typed = [name, p.alias, p.addressLine, p.phone, p.policeReference];
    const holding = async () => {
      const db = host.vault!.db;
      const found: string[] = [];
      for (const [table, column] of [
        ['people', 'household'],
        ['case_notes', 'body'],
        ['minute_paragraphs', 'text'],
        ['community_triggers', 'applicant'],
        ['cases', 'summary'],
      ] as const) {
        for (const value of typed) {
          if (await db.get(`SELECT 1 FROM ${table} WHERE instr(${column}, ?) > 0`, [value])) found.push(`${table}.${column}: ${value}`);
        }
      }
      return found;
    };
    // The control: each place holds them before.
    expect(new Set((await holding()).map((f) => f.split(':')[0]))).toEqual(
      new Set(['people.household', 'case_notes.body', 'minute_paragraphs.text', 'community_triggers.applicant', 'cases.summary']),
    );

    const result = await call(host, 'retention.decide', { caseId, decision: 'pseudonymise' });
    expect(result.people).toEqual([{ personId, treatment: 'in_place', standInId: null }]);
    expect(await holding()).toEqual([]);
    const pseudonym = `Pseudonymised person P-${personId}`;
    expect((await call(host, 'people.get', { personId: neighbour })).person.household[0]!.name).toBe(pseudonym);
    const note = (await call(host, 'cases.get', { caseId: othersCase })).case.notes[0]!.body;
    expect(note).toBe(`${pseudonym} ([pseudonymised]) was with Kenver at [pseudonymised].`);
    const minutes = (await call(host, 'meetings.get', { meetingId: meeting.id })).meeting.minutes;
    const minuted = minutes.items.find((i) => i.agendaItemId === item.id)!;
    expect(minuted.paragraphs[0]!.text).toBe(`Kenver Pascoe and ${pseudonym} (ref [pseudonymised]) were seen together.`);
    expect(minuted.addenda.map((a) => a.text)).toEqual([expect.stringContaining(pseudonym)]);
    expect(await figures()).toEqual(before);
    expect((await call(host, 'audit.verify', {})).intact).toBe(true);
  });
});
