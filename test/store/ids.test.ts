// Unguessable ids and random references (issue 16, finding 3): the rule for an id, a reference that is
// already taken, and a store that already holds numbered references.
import { describe, expect, it } from 'vitest';
import { REFERENCE_ALPHABET } from '../../src/domain/reference.js';
import { freshReference } from '../../src/store/cases.js';
import { nextId } from '../../src/store/ids.js';
import { redactCaseText } from '../../src/store/retention.js';
import { sql as q } from '../../src/store/sql.js';
import { call, caseInput, createCase, createPerson, meetingsStore, partnershipStore, schedule } from '../support/partnership.js';
import { newHost } from '../support/store.js';

const NOW = Date.UTC(2026, 10, 30, 9, 0, 0);
const fixed = (value: number) => () => value;

describe('an unguessable id', () => {
  it('comes from the clock and a random part, so its gap from another measures time, not rows', () => {
    const a = nextId(0, NOW, fixed(7));
    expect(nextId(a, NOW + 1, fixed(7)) - a).toBe(4096);
    // However many rows were written meanwhile, an id a second later is the same distance away.
    expect(nextId(a + 50, NOW + 1000, fixed(7))).toBe(nextId(a, NOW + 1000, fixed(7)));
    expect(Number.isSafeInteger(nextId(0, Date.UTC(2089, 0, 1), fixed(4095)))).toBe(true);
  });

  it('still grows when the clock is behind the newest id, by a random step', () => {
    const newest = nextId(0, NOW, fixed(100));
    expect(nextId(newest, NOW - 60_000, fixed(9))).toBe(newest + 10);
    expect(nextId(newest, NOW, fixed(0))).toBe(newest + 1);
  });
});

describe('a new case reference', () => {
  it('is drawn again when the draw is taken', async () => {
    const { host } = await partnershipStore(newHost());
    const { case: taken } = await call(host, 'cases.create', caseInput([await createPerson(host)]));
    const year = Number(taken.reference.slice(5, 9));
    const draws = [...taken.reference.slice(10)].map((c) => REFERENCE_ALPHABET.indexOf(c));
    draws.push(...[...'7KQ3X'].map((c) => REFERENCE_ALPHABET.indexOf(c)));
    const fresh = await host.vault!.db.transaction((sql) => freshReference(sql, year, () => draws.shift()!));
    expect(fresh).toBe(`LCSP-${year}-7KQ3X`);
    expect(draws).toEqual([]);
  });

  it('sorts after the numbered references a store already holds, which still work', async () => {
    const { host } = await partnershipStore(newHost());
    const person = await createPerson(host);
    const old = await createCase(host, [person]);
    // As a store from before: its case was numbered.
    await host.vault!.db.transaction((sql) =>
      sql.run(q`UPDATE main.cases SET reference = ${`LCSP-${new Date().getFullYear()}-0042`}, ref_seq = 42 WHERE id = ${old}`),
    );
    const newer = await createCase(host, [person]);
    const newest = await createCase(host, [person]);
    const listed = await call(host, 'cases.list', { sort: 'reference', direction: 'asc' });
    expect(listed.cases.map((c) => c.id)).toEqual([old, newer, newest]);
    const found = await call(host, 'cases.search', { query: `LCSP-${new Date().getFullYear()}-0042` });
    expect(found.cases.map((c) => c.id)).toEqual([old]);
  });
});

/** The smallest id the clock rule gives today: SQLite's own numbering stays far below it. */
const CLOCK_FLOOR = (Date.UTC(2026, 0, 1) - Date.UTC(2020, 0, 1)) * 4096;

describe('rows written after the first wave of unguessable ids', () => {
  it('an attendee, a Community Trigger incident and recommendation, an erasure and a pseudonymised case location take clock ids', async () => {
    const store = await meetingsStore(newHost());
    const { host } = store;

    const meeting = await schedule(host, store);
    const { attendee } = await call(host, 'meetings.addAttendee', {
      meetingId: meeting.id,
      name: 'Insp. Kaur',
      organisationId: store.organisations.police,
      userId: store.users.statutory,
      role: 'Chair',
    });
    expect(attendee.id).toBeGreaterThan(CLOCK_FLOOR);

    const { trigger } = await call(host, 'triggers.apply', {
      area: 'Northfield',
      applicant: 'B. Resident',
      consent: true,
      applicationDate: '2026-03-01',
      incidents: [
        { date: '2026-01-10', agency: 'Police', reference: 'P-1' },
        { date: '2026-02-10', agency: 'Housing', reference: 'H-2' },
      ],
    });
    const incidentIds = trigger.incidents.map((i) => i.id);
    expect(incidentIds).toHaveLength(2);
    for (const id of incidentIds) expect(id).toBeGreaterThan(CLOCK_FLOOR);
    await call(host, 'triggers.decide', { triggerId: trigger.id, met: true, decidedOn: '2026-03-05' });
    await call(host, 'triggers.recordReview', { triggerId: trigger.id, reviewDate: '2026-03-10' });
    const { trigger: reviewed } = await call(host, 'triggers.addRecommendation', {
      triggerId: trigger.id,
      text: 'Joint visit by housing and police',
      owner: 'Housing',
      due: '2026-04-01',
    });
    expect(reviewed.recommendations.map((r) => r.id)).toEqual([expect.any(Number)]);
    expect(reviewed.recommendations[0]!.id).toBeGreaterThan(CLOCK_FLOOR);

    // Retention rewrites a case's locations (street and postcode gone): the new rows draw clock ids too.
    const caseId = await createCase(host, [await createPerson(host)]);
    await host.vault!.db.transaction((sql) => redactCaseText(sql, caseId, (text) => text.replace('Parade', 'Street')));
    const locations = await host.vault!.db.transaction((sql) =>
      sql.all<{ id: number; label: string }>(q`SELECT id, label FROM case_locations WHERE case_id = ${caseId}`),
    );
    expect(locations).toEqual([{ id: expect.any(Number), label: 'Street shops' }]);
    expect(locations[0]!.id).toBeGreaterThan(CLOCK_FLOOR);

    const erased = await call(host, 'cases.erase', {
      caseId,
      reason: 'Agreed at the retention review',
      confirmation: (await call(host, 'cases.get', { caseId })).case.reference,
    });
    expect(erased.erasureId).toBeGreaterThan(CLOCK_FLOOR);
    expect(erased.pseudonym).toContain(`(E-${erased.erasureId})`);
  });
});
