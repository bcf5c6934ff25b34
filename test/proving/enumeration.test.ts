// What a user can enumerate reveals nothing about records they cannot see (issue 16, finding 3). Ids and
// case references used to be counters: a non-statutory member who opened a case, and another after a
// statutory partner had opened five closed-only ones, was given LCSP-2026-0001 and LCSP-2026-0007 (and
// person, case and note ids six apart), so they could count the closed-only work they are not told about.
import { describe, expect, it } from 'vitest';
import { parseCaseReference } from '../../src/domain/reference.js';
import type { Host } from '../../src/host/host.js';
import { actAs, call, caseInput, createPerson, partnershipStore } from '../support/partnership.js';
import { newHost } from '../support/store.js';

const HIDDEN = 5;

/** As the user now unlocked: a person, a case about them and a note on it; what the user is shown of each. */
async function ownRecords(host: Host, name: string) {
  const personId = await createPerson(host, { givenName: name, familyName: 'Enumerate', dateOfBirth: null, addresses: [] });
  const { case: created } = await call(host, 'cases.create', caseInput([personId], { closedOnly: false }));
  const { note } = await call(host, 'cases.addNote', { caseId: created.id, body: `Visit arranged for ${name}` });
  return { personId, caseId: created.id, reference: created.reference, noteId: note.id };
}

describe('what a non-statutory member can enumerate', () => {
  it('their ids and references say nothing of the closed-only records written between them', async () => {
    const { host } = await partnershipStore(newHost());
    await actAs(host, 'non_statutory');
    const before = await ownRecords(host, 'Averil');

    await actAs(host, 'statutory');
    for (let i = 0; i < HIDDEN; i++) {
      const subject = await createPerson(host, { givenName: `Hidden${i}`, familyName: 'Closedonly', dateOfBirth: null, addresses: [] });
      const { case: hidden } = await call(host, 'cases.create', caseInput([subject], { closedOnly: true }));
      await call(host, 'cases.addNote', { caseId: hidden.id, body: 'Said at the closed meeting', closedOnly: true });
    }

    await actAs(host, 'non_statutory');
    const after = await ownRecords(host, 'Bryony');
    const seen = await call(host, 'cases.list', {});
    expect(seen.cases.map((c) => c.id).sort()).toEqual([before.caseId, after.caseId].sort());
    expect(seen.total).toBe(2);

    // With counters, each gap is HIDDEN + 1: the member could count the closed-only work.
    for (const kind of ['personId', 'caseId', 'noteId'] as const) {
      const gap = after[kind] - before[kind];
      expect(gap, kind).toBeGreaterThan(0);
      expect(gap, kind).not.toBe(HIDDEN + 1);
    }
    // A reference's suffix is not a number in a sequence, so no two can be subtracted.
    for (const reference of [before.reference, after.reference]) {
      expect(parseCaseReference(reference), reference).toMatchObject({ sequence: null });
    }
  });

  it('a member who sees no case is not told how many there are by the first reference they are given', async () => {
    const { host } = await partnershipStore(newHost());
    await actAs(host, 'statutory');
    for (let i = 0; i < 2; i++) {
      const subject = await createPerson(host, { givenName: `Unseen${i}`, familyName: 'Closedonly', dateOfBirth: null, addresses: [] });
      await call(host, 'cases.create', caseInput([subject], { closedOnly: true }));
    }
    await actAs(host, 'non_statutory');
    expect((await call(host, 'cases.list', {})).total).toBe(0);
    const { reference } = await ownRecords(host, 'Cerys');
    // The example: this member was given LCSP-2026-0003.
    expect(reference).not.toMatch(/-0*3$/);
    expect(parseCaseReference(reference)).toMatchObject({ sequence: null });
  });
});
