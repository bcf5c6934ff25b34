// Issue 16, finding 4: what is said about a closed-only case stays closed-only, and clearing the case's
// mark is a manager's reviewed release, item by item. Through the dispatcher on a real store.
import { describe, expect, it } from 'vitest';
import { actAs, attempt, call, createCase, createPerson, partnershipStore } from '../support/partnership.js';
import { newHost } from '../support/store.js';

const SECRET = { note: 'Tawnyowl intelligence from PPU', step: 'Tawnyowl accepted at the closed meeting', link: 'Tawnyowl same household' };

/** A closed-only case with a note added without saying closed-only, a step, and a link to an open case. */
async function closedCaseWithHistory() {
  const store = await partnershipStore(newHost());
  const { host } = store;
  const person = await createPerson(host);
  const openCase = await createCase(host, [person], { area: 'Kings Norton' });
  const closedCase = await createCase(host, [person], { closedOnly: true });
  const added = await call(host, 'cases.addNote', { caseId: closedCase, body: SECRET.note });
  await call(host, 'cases.transition', { caseId: closedCase, to: 'accepted', reason: SECRET.step });
  await call(host, 'cases.link', { caseId: closedCase, otherCaseId: openCase, reason: SECRET.link });
  return { ...store, host, person, openCase, closedCase, noteId: added.note.id, noteClosedOnly: added.note.closedOnly };
}

describe('closed-only cases (issue 16: 4)', () => {
  it('makes a note on a closed-only case closed-only, whatever the form said', async () => {
    const f = await closedCaseWithHistory();
    expect(f.noteClosedOnly).toBe(true);
    const detail = (await call(f.host, 'cases.get', { caseId: f.closedCase })).case;
    expect(detail.notes.map((n) => n.closedOnly)).toEqual([true]);
    expect(detail.transitions.every((t) => t.closedOnly)).toBe(true);
    expect(detail.links).toMatchObject([{ caseId: f.openCase, closedOnly: true }]);
  });

  it('refuses to clear the mark by an update, for every role', async () => {
    const f = await closedCaseWithHistory();
    for (const role of ['manager', 'statutory'] as const) {
      await actAs(f.host, role);
      expect(await attempt(f.host, 'cases.update', { caseId: f.closedCase, closedOnly: false }), role).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN', field: 'closedOnly' },
      });
    }
    await actAs(f.host, 'non_statutory');
    const open = (await call(f.host, 'cases.get', { caseId: f.openCase })).case;
    expect(JSON.stringify(open)).not.toContain('Tawnyowl');
    expect(open.links).toEqual([]);
  });

  it('lists every closed-only item for a manager, releases only what each decision releases, and logs the ids', async () => {
    const f = await closedCaseWithHistory();
    const review = await call(f.host, 'cases.releaseReview', { caseId: f.closedCase });
    expect(review.items.map((i) => i.kind).sort()).toEqual(['link', 'note', 'transition', 'transition']);
    expect(review.items.find((i) => i.kind === 'note')).toMatchObject({ id: f.noteId, text: SECRET.note });
    expect(review.items.find((i) => i.kind === 'link')).toMatchObject({ id: f.openCase });
    expect(review.items.some((i) => i.kind === 'transition' && i.text.includes(SECRET.step))).toBe(true);

    // A reason is required; a partial list, an item of another case and a repeated item are each refused, changing nothing.
    const decide = (release: (kind: string) => boolean) => review.items.map(({ kind, id }) => ({ kind, id, release: release(kind) }));
    const all = decide((kind) => kind === 'note');
    expect(await attempt(f.host, 'cases.releaseClosedOnly', { caseId: f.closedCase, reason: '', decisions: all })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'reason' },
    });
    expect(
      await attempt(f.host, 'cases.releaseClosedOnly', { caseId: f.closedCase, reason: 'Agreed', decisions: all.slice(1) }),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'decisions' } });
    expect(
      await attempt(f.host, 'cases.releaseClosedOnly', {
        caseId: f.closedCase,
        reason: 'Agreed',
        decisions: [...all, { kind: 'note', id: 999_999, release: true }],
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'decisions.4' } });
    expect(
      await attempt(f.host, 'cases.releaseClosedOnly', { caseId: f.closedCase, reason: 'Agreed', decisions: [...all, all[0]!] }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'decisions.4' } });
    expect((await call(f.host, 'cases.get', { caseId: f.closedCase })).case.closedOnly).toBe(true);

    // Only a manager reviews and releases.
    await actAs(f.host, 'statutory');
    expect(await attempt(f.host, 'cases.releaseReview', { caseId: f.closedCase })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await actAs(f.host, 'manager');
    const released = await call(f.host, 'cases.releaseClosedOnly', {
      caseId: f.closedCase,
      reason: 'Agreed at the 3 Dec meeting',
      decisions: all,
    });
    expect(released).toMatchObject({ released: 1, keptClosed: 3, case: { closedOnly: false } });

    // The non-statutory member now sees the case and the released note, and nothing that was kept closed.
    await actAs(f.host, 'non_statutory');
    const seen = (await call(f.host, 'cases.get', { caseId: f.closedCase })).case;
    expect(seen.notes.map((n) => n.body)).toEqual([SECRET.note]);
    expect(seen.transitions).toEqual([]);
    expect(seen.links).toEqual([]);
    const json = JSON.stringify(seen);
    expect(json).not.toContain(SECRET.step);
    expect(json).not.toContain(SECRET.link);

    await actAs(f.host, 'manager');
    const { entries } = await call(f.host, 'audit.query', { filter: { entityType: 'case', entityId: String(f.closedCase) }, limit: 100 });
    const entry = entries.find((e) => e.operation === 'cases.releaseClosedOnly' && e.outcome === 'ok')!;
    expect(entry.kind).toBe('alteration');
    expect(entry.details).toMatchObject({ released: [`note:${f.noteId}`], keptClosed: expect.arrayContaining([`link:${f.openCase}`]) });
    expect(JSON.stringify(entries)).not.toContain('Tawnyowl');
  });

  it('refuses a release when something was added after the review', async () => {
    const f = await closedCaseWithHistory();
    const review = await call(f.host, 'cases.releaseReview', { caseId: f.closedCase });
    await call(f.host, 'cases.addNote', { caseId: f.closedCase, body: 'Written after the review' });
    const decisions = review.items.map(({ kind, id }) => ({ kind, id, release: true }));
    expect(await attempt(f.host, 'cases.releaseClosedOnly', { caseId: f.closedCase, reason: 'Agreed', decisions })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'decisions' },
    });
    expect((await call(f.host, 'cases.get', { caseId: f.closedCase })).case.closedOnly).toBe(true);
  });
});

describe('the release review covers everything said while the case was closed-only', () => {
  it('lists enforcement records with the notes, steps and links, and releases only those released', async () => {
    const store = await partnershipStore(newHost());
    const { host } = store;
    const person = await createPerson(host);
    const caseId = await createCase(host, [person], { closedOnly: true });
    const record = async (conditions: string) =>
      (
        await call(host, 'enforcement.record', {
          type: 'criminal_behaviour_order',
          caseId,
          organisationId: store.organisations.police.id,
          issued: '2026-01-05',
          conditions,
        })
      ).enforcement.id;
    const released = await record('Redwing: not to enter the parade');
    const kept = await record('Fieldfare: PPU intelligence on the address');

    const review = await call(host, 'cases.releaseReview', { caseId });
    const enforcementItems = review.items.filter((i) => i.kind === 'enforcement');
    expect(enforcementItems.map((i) => i.id).sort()).toEqual([released, kept].sort());
    expect(enforcementItems.find((i) => i.id === kept)?.text).toContain('Fieldfare');

    // Every item must be decided: leaving the enforcement records out refuses the release.
    const others = review.items.filter((i) => i.kind !== 'enforcement').map(({ kind, id }) => ({ kind, id, release: false }));
    expect(await attempt(host, 'cases.releaseClosedOnly', { caseId, reason: 'Agreed', decisions: others })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'decisions' },
    });
    const decisions = review.items.map(({ kind, id }) => ({ kind, id, release: kind === 'enforcement' && id === released }));
    expect(await call(host, 'cases.releaseClosedOnly', { caseId, reason: 'Agreed at the closed meeting', decisions })).toMatchObject({
      released: 1,
      keptClosed: review.items.length - 1,
    });

    await actAs(host, 'non_statutory');
    const seen = (await call(host, 'enforcement.list', { caseId })).enforcement;
    expect(seen.map((e) => e.id)).toEqual([released]);
    expect(JSON.stringify(seen)).not.toContain('Fieldfare');
  });
});
