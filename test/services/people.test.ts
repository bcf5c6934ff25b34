// People: recording, the duplicate warning, reading and changing, through the dispatcher.
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { call, createCase, createPerson, partnershipStore, personInput } from '../support/partnership.js';
import { newHost } from '../support/store.js';
import { caseTablesDigest } from '../support/proving-store.js';

describe('people', () => {
  it('records a person with their lists and reads them back with their cases', async () => {
    const { host } = await partnershipStore(newHost());
    const created = await call(host, 'people.create', personInput({ addresses: [{ line1: '14 Lime Grove', postcode: 'b312qt' }] }));
    expect(created.created).toBe(true);
    expect(created.duplicates).toEqual([]);
    const person = created.person!;
    expect(person).toMatchObject({
      givenName: 'Jordan',
      familyName: 'Ellis',
      aliases: ['JJ'],
      dateOfBirth: '2008-04-17',
      gender: 'male',
      addresses: [{ line1: '14 Lime Grove', line2: null, town: null, postcode: 'B31 2QT', ward: null, current: true }],
      identifiers: [{ scheme: 'police', value: 'WMP/2025/118842' }],
      household: [{ name: 'Dana Ellis', relationship: 'parent', dateOfBirth: '1982-01-09' }],
    });
    const caseId = await createCase(host, [person.id]);
    const got = await call(host, 'people.get', { personId: person.id });
    expect(got.person).toEqual(person);
    expect(got.cases.map((c) => c.id)).toEqual([caseId]);
  });

  describe('duplicate warning', () => {
    it('warns of the same date of birth and a similar name, and creates nothing until confirmed', async () => {
      const { host } = await partnershipStore(newHost());
      const first = await createPerson(host);
      const before = await caseTablesDigest(host);
      const warned = await call(
        host,
        'people.create',
        personInput({ givenName: 'Jordon', familyName: 'ELLIS', aliases: [], addresses: [] }),
      );
      expect(warned).toMatchObject({
        created: false,
        person: null,
        duplicates: [{ personId: first, givenName: 'Jordan', familyName: 'Ellis', reasons: ['date_of_birth_and_name'] }],
      });
      expect(await caseTablesDigest(host)).toBe(before);
      const confirmed = await call(host, 'people.create', {
        ...personInput({ givenName: 'Jordon', addresses: [] }),
        createDespiteDuplicates: true,
      });
      expect(confirmed.created).toBe(true);
      expect(confirmed.duplicates.map((d) => d.personId)).toEqual([first]);
      expect(confirmed.person!.id).not.toBe(first);
    });

    it('warns of the same date of birth when a name matches an alias, either way round', async () => {
      const { host } = await partnershipStore(newHost());
      const first = await createPerson(host, { givenName: 'Kyle', familyName: 'Brennan', aliases: ['Kai Walsh'], addresses: [] });
      const byTheirAlias = await call(
        host,
        'people.create',
        personInput({ givenName: 'Kai', familyName: 'Walsh', aliases: [], addresses: [] }),
      );
      expect(byTheirAlias.duplicates).toEqual([expect.objectContaining({ personId: first, reasons: ['date_of_birth_and_alias'] })]);
      const byOurAlias = await call(
        host,
        'people.create',
        personInput({ givenName: 'Someone', familyName: 'Else', aliases: ['Kyle Brennan'], addresses: [] }),
      );
      expect(byOurAlias.duplicates).toEqual([expect.objectContaining({ personId: first, reasons: ['date_of_birth_and_alias'] })]);
    });

    it('warns of the same address (first line and postcode, however written)', async () => {
      const { host } = await partnershipStore(newHost());
      const first = await createPerson(host);
      const result = await call(
        host,
        'people.create',
        personInput({
          givenName: 'Dana',
          familyName: 'Ellis',
          dateOfBirth: '1982-01-09',
          aliases: [],
          addresses: [{ line1: '14, LIME GROVE', postcode: 'b312qt' }],
        }),
      );
      expect(result.duplicates).toEqual([expect.objectContaining({ personId: first, reasons: ['address'] })]);
      expect(result.created).toBe(false);
    });

    it('does not warn for a different person with the same date of birth, nor for another address', async () => {
      const { host } = await partnershipStore(newHost());
      await createPerson(host);
      const result = await call(
        host,
        'people.create',
        personInput({
          givenName: 'Mary',
          familyName: 'Okafor',
          aliases: [],
          addresses: [{ line1: '15 Lime Grove', postcode: 'B31 2QT' }],
        }),
      );
      expect(result).toMatchObject({ created: true, duplicates: [] });
    });
  });

  it('updates given fields only, replacing lists whole, and keeps search in step', async () => {
    const { host } = await partnershipStore(newHost());
    const id = await createPerson(host);
    await createCase(host, [id]);
    const { person } = await call(host, 'people.update', {
      personId: id,
      aliases: ['Jay', 'Jordy'],
      addresses: [{ line1: '3 Beech Road', postcode: 'B30 1AB' }],
    });
    expect(person).toMatchObject({
      givenName: 'Jordan',
      aliases: ['Jay', 'Jordy'],
      addresses: [{ line1: '3 Beech Road', postcode: 'B30 1AB' }],
    });
    expect((await call(host, 'cases.search', { query: 'Jordy' })).total).toBe(1);
    expect((await call(host, 'cases.search', { query: 'Beech' })).total).toBe(1);
    expect((await call(host, 'cases.search', { query: 'Lime Grove' })).total).toBe(0);
    expect((await call(host, 'cases.search', { query: 'JJ' })).total).toBe(0);
    const renamed = await call(host, 'people.update', { personId: id, familyName: 'Ellis-Barker' });
    expect(renamed.person.aliases).toEqual(['Jay', 'Jordy']);
    expect((await call(host, 'cases.search', { query: 'Barker' })).total).toBe(1);
  });

  it('logs ids and field names, never what was entered', async () => {
    const { host } = await partnershipStore(newHost());
    const id = await createPerson(host);
    await call(host, 'people.update', { personId: id, givenName: 'Jordanna' });
    await call(host, 'people.get', { personId: id });
    const { entries } = await call(host, 'audit.query', { filter: { entityType: 'person' }, limit: 10 });
    expect(entries.map((e) => [e.operation, e.kind])).toEqual([
      ['people.get', 'consultation'],
      ['people.update', 'alteration'],
      ['people.create', 'collection'],
    ]);
    expect(entries[1]!.details).toEqual({ fields: ['givenName'] });
    const text = JSON.stringify(entries);
    for (const content of ['Jordan', 'Ellis', 'Lime', 'B31', 'WMP/2025', '2008-04-17']) expect(text).not.toContain(content);
    expect(entries[0]!.justification).toBe('Preparing for the 3 Dec People meeting');
  });

  it('refuses to read a person without a justification', async () => {
    const { host } = await partnershipStore(newHost());
    const id = await createPerson(host);
    await call(host, 'session.setJustification', { justification: null });
    expect(await dispatch(host, 'people.get', { personId: id })).toMatchObject({ ok: false, error: { code: 'JUSTIFICATION_REQUIRED' } });
    expect(await dispatch(host, 'cases.search', { query: 'Ellis' })).toMatchObject({
      ok: false,
      error: { code: 'JUSTIFICATION_REQUIRED' },
    });
    expect((await dispatch(host, 'people.get', { personId: id }, { justification: 'Checking a referral' })).ok).toBe(true);
  });
});
