// Issue 16, finding 3: the duplicate check of people.create is a consultation (working context, logged as
// one with the ids shown), and a person on no case is seen by managers, statutory partners and whoever
// recorded them, not by every member. Through the dispatcher on a real store.
import { describe, expect, it } from 'vitest';
import { actAs, attempt, call, createCase, createPerson, JUSTIFICATION, partnershipStore, personInput } from '../support/partnership.js';
import { newHost } from '../support/store.js';

describe('people.create and its duplicate check (issue 16: 3)', () => {
  it('needs the working context, and logs shown duplicates as a consultation with their ids', async () => {
    const { host } = await partnershipStore(newHost(), { justification: null });
    expect(await attempt(host, 'people.create', personInput())).toMatchObject({
      ok: false,
      error: { code: 'JUSTIFICATION_REQUIRED' },
    });
    await call(host, 'session.setJustification', { justification: JUSTIFICATION });
    const first = await createPerson(host);
    const warned = await call(host, 'people.create', personInput({ aliases: [], addresses: [] }));
    expect(warned).toMatchObject({ created: false, duplicates: [{ personId: first }] });

    const { entries } = await call(host, 'audit.query', { filter: { entityType: 'person' }, limit: 50 });
    const creates = entries.filter((e) => e.operation === 'people.create' && e.outcome === 'ok');
    const shown = creates.find((e) => e.details.created === false)!;
    expect(shown).toMatchObject({ kind: 'consultation', justification: JUSTIFICATION, details: { duplicateIds: [first] } });
    expect(creates.find((e) => e.details.created === true)).toMatchObject({ kind: 'collection', justification: JUSTIFICATION });
  });
});

describe('people on no case (issue 16: 3)', () => {
  it('are seen by managers, statutory partners and whoever recorded them only', async () => {
    const { host } = await partnershipStore(newHost());
    const managers = await createPerson(host, { givenName: 'Orphan', familyName: 'Manager', dateOfBirth: '1970-01-01', addresses: [] });
    // Taken off a closed-only case: on no case now, and never shown to an open member.
    const removed = await createPerson(host, { givenName: 'Removed', familyName: 'Subject', dateOfBirth: '1971-01-01', addresses: [] });
    const other = await createPerson(host, { givenName: 'Stays', familyName: 'Subject', dateOfBirth: '1972-01-01', addresses: [] });
    const closedCase = await createCase(host, [removed, other], { closedOnly: true });
    await call(host, 'cases.update', { caseId: closedCase, subjectIds: [other] });

    await actAs(host, 'statutory');
    for (const id of [managers, removed]) expect((await attempt(host, 'people.get', { personId: id })).ok).toBe(true);

    await actAs(host, 'non_statutory');
    for (const id of [managers, removed])
      expect(await attempt(host, 'people.get', { personId: id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // Not through the duplicate check either.
    const check = await call(
      host,
      'people.create',
      personInput({ givenName: 'Orphan', familyName: 'Manager', dateOfBirth: '1970-01-01', addresses: [] }),
    );
    expect(check.duplicates).toEqual([]);
    // Their own, on no case yet, they see.
    const own = check.person!.id;
    expect((await attempt(host, 'people.get', { personId: own })).ok).toBe(true);
    // And a person on an open case, as before.
    await actAs(host, 'manager');
    const openCase = await createCase(host, [managers]);
    await actAs(host, 'non_statutory');
    expect((await attempt(host, 'people.get', { personId: managers })).ok).toBe(true);
    expect(openCase).toBeGreaterThan(0);
  });
});
