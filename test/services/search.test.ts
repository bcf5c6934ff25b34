// Search and lists: each filter, each sort, paging, and what the full-text index covers.
import { beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import type { Host } from '../../src/host/host.js';
import { addDays, localToday } from '../../src/domain/risk.js';
import { JUSTIFICATION, MANAGER, call, caseInput, createPerson, partnershipStore, seedBulkCases } from '../support/partnership.js';
import { newHost } from '../support/store.js';

interface World {
  host: Host;
  refs: Record<'ellis' | 'okafor' | 'price' | 'group', string>;
  ids: Record<'ellis' | 'okafor' | 'price' | 'group', number>;
}

async function world(): Promise<World> {
  const { host } = await partnershipStore(newHost());
  const today = localToday();
  const ellis = await createPerson(host);
  const okafor = await createPerson(host, {
    givenName: 'Mary',
    familyName: 'Okafor',
    aliases: [],
    dateOfBirth: '1970-02-02',
    identifiers: [{ scheme: 'council', value: 'BCC-ASB-5531' }],
    addresses: [{ line1: '2 Frankley Beeches Road', postcode: 'B31 5AB', ward: 'Longbridge' }],
  });
  const price = await createPerson(host, {
    givenName: 'Siân',
    familyName: 'Price',
    aliases: [],
    dateOfBirth: '1990-05-05',
    identifiers: [],
    addresses: [],
  });
  const make = async (subjectIds: number[], o: Parameters<typeof caseInput>[1]) =>
    (await call(host, 'cases.create', caseInput(subjectIds, o))).case;
  // Risk assessed today: high → review in 14 days, not overdue.
  const c1 = await make([ellis], {
    area: 'Northfield',
    referral: { organisation: 'Police', date: '2025-10-01', reason: 'Intimidation', consent: 'given' },
  });
  // Low risk assessed long ago: overdue while open.
  const c2 = await make([okafor], {
    area: 'Selly Oak',
    concerns: ['noise_nuisance'],
    locations: [{ label: 'Tiverton Road flats', postcode: 'B29 6BW' }],
    referral: { organisation: 'Housing', date: '2025-03-01', reason: 'Loud music', consent: 'given' },
    risk: { personalHarm: 'low', communityHarm: 'low', environmentalHarm: 'low', assessedOn: '2025-03-01' },
  });
  // Medium, assessed long ago, but closed: never overdue.
  const c3 = await make([price], {
    area: 'northfield',
    concerns: ['drugs'],
    locations: [],
    referral: { organisation: 'Probation', date: '2025-05-01', reason: 'Cuckooing concerns', consent: 'not_sought' },
    risk: { personalHarm: 'medium', communityHarm: 'low', environmentalHarm: 'low', assessedOn: '2025-05-01' },
  });
  // A group case, medium risk today.
  const c4 = await make([ellis, okafor], {
    area: 'Longbridge',
    concerns: ['hate_incident', 'youth_offending'],
    locations: [],
    referral: { organisation: 'Council', date: '2025-09-01', reason: 'Graffiti', consent: 'refused' },
    risk: { personalHarm: 'low', communityHarm: 'medium', environmentalHarm: 'low' },
  });
  for (const to of ['accepted', 'active'] as const) await call(host, 'cases.transition', { caseId: c2.id, to, reason: 'Agreed' });
  for (const to of ['accepted', 'active', 'under_review'] as const)
    await call(host, 'cases.transition', { caseId: c3.id, to, reason: 'Agreed' });
  await call(host, 'cases.transition', { caseId: c3.id, to: 'closed', reason: 'Moved away', outcome: 'transferred' });
  await call(host, 'cases.addNote', { caseId: c4.id, body: 'Racist graffiti sprayed on the underpass by the school.' });
  expect(c1.reviewDate).toBe(addDays(today, 14));
  expect(c4.reviewDate).toBe(addDays(today, 28));
  expect(c2.reviewDate).toBe('2025-04-26');
  return {
    host,
    refs: { ellis: c1.reference, okafor: c2.reference, price: c3.reference, group: c4.reference },
    ids: { ellis: c1.id, okafor: c2.id, price: c3.id, group: c4.id },
  };
}

describe('search and lists', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  const ids = (page: { cases: { id: number }[] }) => page.cases.map((c) => c.id);
  const search = (query: string, more: Record<string, unknown> = {}) => call(w.host, 'cases.search', { query, ...more });
  const list = (more: Record<string, unknown> = {}) => call(w.host, 'cases.list', more);

  it('finds cases by name, alias, identifier, reference, address, postcode, location and note', async () => {
    const { ids: c } = w;
    const found = async (q: string) => (await search(q, { sort: 'reference', direction: 'asc' })).cases.map((x) => [x.id, x.matchedIn]);
    expect(await found('Ellis')).toEqual([
      [c.ellis, ['person']],
      [c.group, ['person']],
    ]);
    expect(await found('jor')).toEqual([
      [c.ellis, ['person']],
      [c.group, ['person']],
    ]);
    expect(await found('JJ')).toEqual([
      [c.ellis, ['person']],
      [c.group, ['person']],
    ]);
    expect(await found('BCC-ASB-5531')).toEqual([
      [c.okafor, ['person']],
      [c.group, ['person']],
    ]);
    expect(await found('WMP/2025/118842')).toEqual([
      [c.ellis, ['person']],
      [c.group, ['person']],
    ]);
    expect(await found(w.refs.price)).toEqual([[c.price, ['case']]]);
    expect(await found('Frankley Beeches')).toEqual([
      [c.okafor, ['person']],
      [c.group, ['person']],
    ]);
    expect(await found('B31 2QT')).toEqual([
      [c.ellis, ['person']],
      [c.group, ['person']],
    ]);
    expect(await found('b312qt')).toEqual([
      [c.ellis, ['person']],
      [c.group, ['person']],
    ]);
    expect(await found('Tiverton')).toEqual([[c.okafor, ['case']]]);
    expect(await found('underpass')).toEqual([[c.group, ['note']]]);
    // Notes match whole words, or a last word of four letters or more as a prefix; names match any prefix.
    expect(await found('underp')).toEqual([[c.group, ['note']]]);
    expect(await found('und')).toEqual([]);
    expect(await found('graffiti underp')).toEqual([[c.group, ['note']]]);
    expect(await found('graff underpass')).toEqual([]);
    expect(await found('Sian')).toEqual([[c.price, ['person']]]);
    expect(await found('Mary Ellis')).toEqual([]);
  });

  it('treats any typed text as words, never as query syntax', async () => {
    for (const q of ['"', 'Ellis AND', 'NEAR(Ellis', '*', 'Ellis OR Okafor', '^Ellis', 'col:Ellis', "'; DROP TABLE cases; --", '!!!']) {
      const result = await dispatch(w.host, 'cases.search', { query: q });
      expect(result.ok, q).toBe(true);
    }
    expect((await search('Ellis OR Okafor')).total).toBe(0);
    expect((await search('!!!')).total).toBe(0);
  });

  it('filters search results by status, risk, area, concern and review overdue', async () => {
    const { ids: c } = w;
    expect(ids(await search('Ellis', { status: ['referred'] })).sort()).toEqual([c.ellis, c.group].sort());
    expect(ids(await search('Okafor', { status: ['active'] }))).toEqual([c.okafor]);
    expect(ids(await search('Ellis', { risk: ['high'] }))).toEqual([c.ellis]);
    expect(ids(await search('Ellis', { area: 'LONGBRIDGE' }))).toEqual([c.group]);
    expect(ids(await search('Ellis', { concern: 'hate_incident' }))).toEqual([c.group]);
    expect(ids(await search('Okafor', { reviewOverdue: true }))).toEqual([c.okafor]);
    expect(ids(await search('Okafor', { reviewOverdue: false }))).toEqual([c.group]);
  });

  it('filters lists by each filter alone and together', async () => {
    const { ids: c } = w;
    const set = async (more: Record<string, unknown>) => ids(await list(more)).sort((a, b) => a - b);
    expect(await set({})).toEqual([c.ellis, c.okafor, c.price, c.group]);
    expect(await set({ status: ['referred'] })).toEqual([c.ellis, c.group]);
    expect(await set({ status: ['active', 'closed'] })).toEqual([c.okafor, c.price]);
    expect(await set({ risk: ['medium'] })).toEqual([c.price, c.group]);
    expect(await set({ risk: ['low', 'high'] })).toEqual([c.ellis, c.okafor]);
    expect(await set({ area: 'Northfield' })).toEqual([c.ellis, c.price]);
    expect(await set({ concern: 'youth_offending' })).toEqual([c.ellis, c.group]);
    expect(await set({ concern: 'mental_health' })).toEqual([]);
    expect(await set({ reviewOverdue: true })).toEqual([c.okafor]);
    expect(await set({ reviewOverdue: false })).toEqual([c.ellis, c.price, c.group]);
    expect(await set({ area: 'northfield', status: ['closed'], risk: ['medium'], concern: 'drugs', reviewOverdue: false })).toEqual([
      c.price,
    ]);
  });

  it('sorts by review date, risk, reference, referral date, last change and relevance', async () => {
    const { ids: c } = w;
    expect(ids(await list({ sort: 'reviewDate' }))).toEqual([c.okafor, c.price, c.ellis, c.group]);
    expect(ids(await list({ sort: 'reviewDate', direction: 'desc' }))).toEqual([c.group, c.ellis, c.price, c.okafor]);
    expect(ids(await list({ sort: 'risk' }))).toEqual([c.ellis, c.price, c.group, c.okafor]);
    expect(ids(await list({ sort: 'risk', direction: 'asc' }))).toEqual([c.okafor, c.price, c.group, c.ellis]);
    expect(ids(await list({ sort: 'reference' }))).toEqual([c.group, c.price, c.okafor, c.ellis]);
    expect(ids(await list({ sort: 'reference', direction: 'asc' }))).toEqual([c.ellis, c.okafor, c.price, c.group]);
    expect(ids(await list({ sort: 'referralDate' }))).toEqual([c.ellis, c.group, c.price, c.okafor]);
    // The note was the last change.
    expect(ids(await list({ sort: 'updatedAt' }))[0]).toBe(c.group);
    expect(ids(await search('Ellis', { sort: 'risk' }))).toEqual([c.ellis, c.group]);
    // Relevance: the case whose reference is the query outranks a note that merely mentions a word of it.
    await call(w.host, 'cases.addNote', { caseId: c.ellis, body: `See also ${w.refs.group} and the graffiti.` });
    const byRelevance = await search(w.refs.group);
    expect(ids(byRelevance)).toEqual([c.group, c.ellis]);
    expect(byRelevance.cases.map((x) => x.matchedIn)).toEqual([['case'], ['note']]);
    expect(await dispatch(w.host, 'cases.list', { sort: 'relevance' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'sort' },
    });
  });

  it('pages with a total and the next offset', async () => {
    const first = await list({ sort: 'reference', direction: 'asc', limit: 3 });
    expect(first.total).toBe(4);
    expect(first.cases).toHaveLength(3);
    expect(first.nextOffset).toBe(3);
    const second = await list({ sort: 'reference', direction: 'asc', limit: 3, offset: 3 });
    expect(ids(second)).toEqual([w.ids.group]);
    expect(second.nextOffset).toBeNull();
    const searchPage = await search('Ellis', { limit: 1 });
    expect([searchPage.total, searchPage.cases.length, searchPage.nextOffset]).toEqual([2, 1, 1]);
  });

  it('summarises each case with its subjects, concerns and review state', async () => {
    const page = await list({ sort: 'reference', direction: 'asc' });
    const group = page.cases.find((x) => x.id === w.ids.group)!;
    expect(group).toMatchObject({
      reference: w.refs.group,
      area: 'Longbridge',
      status: 'referred',
      overallRisk: 'medium',
      reviewOverdue: false,
      closedOnly: false,
      subjects: [
        { givenName: 'Jordan', familyName: 'Ellis' },
        { givenName: 'Mary', familyName: 'Okafor' },
      ],
    });
    expect(group.concerns.sort()).toEqual(['hate_incident', 'youth_offending']);
    expect(page.cases.find((x) => x.id === w.ids.price)).toMatchObject({ status: 'closed', outcome: 'transferred', reviewOverdue: false });
  });

  it('logs which cases a search returned and which filters it used, not the words searched for', async () => {
    await search('Okafor', { area: 'Selly Oak' });
    const { entries } = await call(w.host, 'audit.query', { filter: { kind: 'consultation' }, limit: 1 });
    expect(entries[0]).toMatchObject({
      operation: 'cases.search',
      details: { filters: ['area'], sort: 'relevance', total: 1, caseIds: [w.ids.okafor] },
    });
    expect(JSON.stringify(entries[0])).not.toMatch(/Okafor|Selly/);
  });
});

describe('totals above the cap (more than 1,000 matches in a list, 200 in a search)', () => {
  it('give the cap with totalIsLowerBound, page on, and count further as the offset grows; the log keeps the bound', async () => {
    const host = newHost();
    await call(host, 'store.init', MANAGER);
    await call(host, 'session.setJustification', { justification: JUSTIFICATION });
    await seedBulkCases(host, 1_060);

    const first = await call(host, 'cases.list', { sort: 'reference', direction: 'asc', limit: 25 });
    expect([first.total, first.totalIsLowerBound, first.cases.length, first.nextOffset]).toEqual([1_000, true, 25, 25]);
    // Near the end, the count reaches every case: exact again, and the last page says so.
    const deep = await call(host, 'cases.list', { sort: 'reference', direction: 'asc', limit: 25, offset: 100 });
    expect([deep.total, deep.totalIsLowerBound]).toEqual([1_060, false]);
    const last = await call(host, 'cases.list', { sort: 'reference', direction: 'asc', limit: 25, offset: 1_050 });
    expect([last.total, last.totalIsLowerBound, last.cases.length, last.nextOffset]).toEqual([1_060, false, 10, null]);
    // Under the cap, nothing changes.
    const few = await call(host, 'cases.list', { area: 'Rubery', risk: ['high'], limit: 25 });
    expect(few.totalIsLowerBound).toBe(false);
    expect(few.total).toBeLessThan(1_000);

    // Every bulk case has its subject's address on one of five streets: "Birmingham" is in all of them. A
    // search counts 200 past its offset (SEARCH_TOTAL_CAP), by relevance too.
    const found = await call(host, 'cases.search', { query: 'Birmingham', sort: 'reviewDate', limit: 25 });
    expect([found.total, found.totalIsLowerBound, found.cases.length]).toEqual([200, true, 25]);
    const further = await call(host, 'cases.search', { query: 'Birmingham', limit: 25, offset: 500 });
    expect([further.total, further.totalIsLowerBound]).toEqual([700, true]);
    const relevance = await call(host, 'cases.search', { query: 'Birmingham', limit: 25, offset: 900 });
    expect([relevance.total, relevance.totalIsLowerBound]).toEqual([1_060, false]);

    const { entries } = await call(host, 'audit.query', { filter: { kind: 'consultation' }, limit: 2 });
    expect(entries.map((e) => [e.operation, e.details])).toEqual([
      ['cases.search', expect.objectContaining({ total: 1_060 })],
      ['cases.search', expect.objectContaining({ total: 700, totalIsLowerBound: true })],
    ]);
    expect(entries[0]!.details).not.toHaveProperty('totalIsLowerBound');
  });
});
