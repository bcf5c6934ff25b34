// people.erase and cases.erase through the dispatcher: who may erase, the confirmation, what each erases
// and keeps, approved minutes pseudonymised with an addendum (closed-only spans still on the same words),
// the audit entry holding ids only, and the chain verifying after. (That no byte is left behind is
// test/proving/erasure-at-rest.test.ts.)
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import {
  actAs,
  attempt,
  call,
  createCase,
  createPerson,
  holdMeeting,
  meetingsStore,
  schedule,
  type MeetingsStore,
} from '../support/partnership.js';
import { newHost } from '../support/store.js';

const REASON = 'Retention review: closed over 12 months, no further action';

async function withApprovedMinutes(store: MeetingsStore, caseId: number, paragraph: string, closedWord: string) {
  const { host } = store;
  const meeting = await schedule(host, store, { chairId: store.users.manager, minuteTakerId: store.users.statutory, date: '2026-01-05' });
  const item = (await call(host, 'meetings.addAgendaItem', { meetingId: meeting.id, caseId, reason: 'Review' })).item;
  await holdMeeting(host, store, meeting.id);
  const start = paragraph.indexOf(closedWord);
  await call(host, 'minutes.saveItem', {
    meetingId: meeting.id,
    agendaItemId: item.id,
    revision: 0,
    paragraphs: [{ text: paragraph, closedOnlySpans: [{ start, end: start + closedWord.length }] }],
  });
  await call(host, 'minutes.submit', { meetingId: meeting.id });
  await call(host, 'minutes.approve', { meetingId: meeting.id });
  return { meetingId: meeting.id, itemId: item.id };
}

describe('erasure', () => {
  it('is for managers only, and needs the name or reference typed exactly; a refusal changes nothing', async () => {
    const store = await meetingsStore(newHost());
    const { host } = store;
    const person = await createPerson(host, { givenName: 'Rhiannon', familyName: 'Gwalchmai' });
    const caseId = await createCase(host, [person]);
    const preview = await call(host, 'people.erasurePreview', { personId: person });
    expect(preview.confirmation).toBe('Rhiannon Gwalchmai');
    expect(preview.casesErased.map((c) => c.id)).toEqual([caseId]);

    for (const confirmation of ['Rhiannon', 'Rhiannon Gwalchmai Jones', 'LCSP-2026-0001']) {
      expect(await attempt(host, 'people.erase', { personId: person, reason: REASON, confirmation })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field: 'confirmation' },
      });
    }
    expect(await attempt(host, 'people.erase', { personId: 999_999, reason: REASON, confirmation: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', field: 'personId' },
    });
    await actAs(host, 'statutory');
    expect(await attempt(host, 'cases.erase', { caseId, reason: REASON, confirmation: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await actAs(host, 'manager');
    expect((await call(host, 'people.get', { personId: person })).cases.map((c) => c.id)).toEqual([caseId]);

    // Case and spacing are forgiven; the words are not.
    const done = await call(host, 'people.erase', { personId: person, reason: REASON, confirmation: '  rhiannon   GWALCHMAI ' });
    expect(done.pseudonym).toMatch(new RegExp(`^Person erased \\d{4}-\\d{2}-\\d{2} \\(E-${done.erasureId}\\)$`));
    expect(await attempt(host, 'people.get', { personId: person })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await attempt(host, 'cases.get', { caseId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('cases.erase erases the case and its subjects on no other case; a subject with another case stays', async () => {
    const store = await meetingsStore(newHost());
    const { host } = store;
    const only = await createPerson(host, { givenName: 'Tamsin', familyName: 'Penhaligon', aliases: ['Tam'] });
    const also = await createPerson(host, { givenName: 'Jory', familyName: 'Trevithick', aliases: [] });
    const caseId = await createCase(host, [only, also]);
    const otherCase = await createCase(host, [also]);
    await call(host, 'cases.addNote', { caseId, body: 'Tamsin seen at the parade.' });
    await call(host, 'cases.addNote', { caseId: otherCase, body: 'Jory said Tamsin Penhaligon was there (case LCSP note).' });
    await call(host, 'cases.link', { caseId, otherCaseId: otherCase, reason: 'Same household' });
    const reference = (await call(host, 'cases.get', { caseId })).case.reference;

    const preview = await call(host, 'cases.erasurePreview', { caseId });
    expect(preview).toMatchObject({ confirmation: reference, casesErased: [{ id: caseId, reference }], peopleErased: [{ id: only }] });
    expect(preview.counts).toMatchObject({ cases: 1, people: 1, notes: 1, links: 1, textsRewritten: 1 });

    const result = await call(host, 'cases.erase', { caseId, reason: REASON, confirmation: reference.toLowerCase() });
    expect(result).toMatchObject({ casesErased: [caseId], peopleErased: [only] });
    expect(result.counts).toEqual(preview.counts);
    expect(result.pseudonym).toMatch(new RegExp(`^Case erased .* \\(E-${result.erasureId}\\)$`));

    expect(await attempt(host, 'people.get', { personId: only })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const kept = await call(host, 'people.get', { personId: also });
    expect(kept.cases.map((c) => c.id)).toEqual([otherCase]);
    const other = (await call(host, 'cases.get', { caseId: otherCase })).case;
    expect(other.links).toEqual([]);
    expect(other.notes[0]!.body).toBe(
      'Jory said Person erased ' + result.pseudonym.slice('Case erased '.length) + ' was there (case LCSP note).',
    );
    expect((await call(host, 'cases.search', { query: 'Penhaligon' })).total).toBe(0);
    expect((await call(host, 'cases.search', { query: 'Tam' })).total).toBe(0);
  });

  it('people.erase takes them off a shared case and renames them in approved minutes, with an addendum; closed-only spans keep their words', async () => {
    const store = await meetingsStore(newHost());
    const { host } = store;
    const person = await createPerson(host, { givenName: 'Morwenna', familyName: 'Angove', aliases: ['Wenna'] });
    const other = await createPerson(host, { givenName: 'Kitto', familyName: 'Rowse', aliases: [] });
    const shared = await createCase(host, [other, person]);
    const paragraph = 'Morwenna Angove (Wenna) was seen; police intelligence follows.';
    const { meetingId, itemId } = await withApprovedMinutes(store, shared, paragraph, 'police intelligence');

    const result = await call(host, 'people.erase', { personId: person, reason: REASON, confirmation: 'Morwenna Angove' });
    expect(result).toMatchObject({ casesErased: [], peopleErased: [person], counts: { approvedMeetings: 1 } });
    const minutes = (await call(host, 'meetings.get', { meetingId })).meeting.minutes;
    const item = minutes.items.find((i) => i.agendaItemId === itemId)!;
    const text = item.paragraphs[0]!.text;
    expect(text).toBe(`${result.pseudonym} (${result.pseudonym}) was seen; police intelligence follows.`);
    const span = item.paragraphs[0]!.closedOnlySpans[0]!;
    expect(text.slice(span.start, span.end)).toBe('police intelligence');
    expect(item.addenda.map((a) => a.text)).toEqual([expect.stringContaining(result.pseudonym)]);
    expect((await call(host, 'cases.get', { caseId: shared })).case.subjects.map((s) => s.id)).toEqual([other]);

    // The log: the erasure entry names ids only; no entry anywhere holds the name; the chain verifies.
    const { entries } = await call(host, 'audit.query', { filter: {}, limit: 500 });
    const erasure = entries.find((e) => e.operation === 'people.erase')!;
    expect(erasure).toMatchObject({ kind: 'erasure', entityType: 'person', entityId: String(person), outcome: 'ok' });
    expect(erasure.details).toMatchObject({ erasureId: result.erasureId, peopleErased: [person], casesErased: [] });
    expect(JSON.stringify(entries)).not.toMatch(/Morwenna|Angove|Wenna/i);
    expect(await dispatch(host, 'audit.verify', {})).toMatchObject({ ok: true, value: { intact: true } });
  });

  it('erasing a case in approved minutes keeps the item under the pseudonym and deletes it from a draft', async () => {
    const store = await meetingsStore(newHost());
    const { host } = store;
    const person = await createPerson(host, { givenName: 'Demelza', familyName: 'Carne', aliases: [] });
    const caseId = await createCase(host, [person]);
    const reference = (await call(host, 'cases.get', { caseId })).case.reference;
    const approved = await withApprovedMinutes(store, caseId, `Demelza Carne (${reference}) discussed; closed part.`, 'closed part');
    const draft = await schedule(host, store, { date: '2026-02-05' });
    await call(host, 'meetings.addAgendaItem', { meetingId: draft.id, caseId, reason: 'Review' });

    const result = await call(host, 'cases.erase', { caseId, reason: REASON, confirmation: reference });
    expect(result.counts).toMatchObject({ draftAgendaItems: 1, approvedMeetings: 1 });
    const kept = (await call(host, 'meetings.get', { meetingId: approved.meetingId })).meeting;
    const item = kept.agenda.find((i) => i.id === approved.itemId)!;
    expect(item).toMatchObject({ kind: 'other', case: null, title: result.pseudonym });
    const paragraph = kept.minutes.items.find((i) => i.agendaItemId === approved.itemId)!.paragraphs[0]!.text;
    expect(paragraph).not.toMatch(/Demelza|Carne|LCSP/);
    expect(paragraph).toContain(result.pseudonym);
    const draftAgenda = (await call(host, 'meetings.get', { meetingId: draft.id })).meeting.agenda;
    expect(draftAgenda.length).toBeGreaterThan(0);
    expect(draftAgenda.filter((i) => i.kind === 'case')).toEqual([]);
  });
});
