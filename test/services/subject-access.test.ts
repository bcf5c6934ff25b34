// people.subjectAccess against a real store: person A shares a case with person B, who is named in A's
// notes, the minutes and an action. A's pack (PDF read back with pdftotext, checked with qpdf, and the
// JSON) holds A's own record and notes and none of B's identifiers; the disclosure entry carries both
// files' SHA-256 and documents.verify finds either file. A second person, named only under another
// person's case (its agenda item, an action and a review on it, a note on it) and in general business,
// gets those mentions in their pack, with the other case's subject and reference redacted.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldString } from '../../src/domain/redaction.js';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { newHost, tempDir } from '../support/store.js';
import { actAs, call, createCase, createPerson, holdMeeting, inDays, meetingsStore, schedule } from '../support/partnership.js';

const EXPORTED_AT = '2026-03-07T09:00:00.000Z';
const dir = tempDir('subject-access-');
const fold = (text: string) => foldString(text).replace(/\s+/g, ' ');

function pdfText(base64: string, name: string, folder = dir): string {
  const file = join(folder, name);
  writeFileSync(file, Buffer.from(base64, 'base64'));
  execFileSync('qpdf', ['--check', file], { stdio: 'pipe' });
  return fold(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
}

/** B's identifiers as planted, and the ways they are written in A's records. */
const B_IDENTIFIERS = [
  'Priya',
  'Castellano',
  'Pipsqueak',
  '27 Quince Terrace',
  'Quince',
  'B45 8RT',
  '07700 900456',
  'priya.c@example.net',
  '23/11/1979',
  '1979-11-23',
  'CNL-558213',
  'Rosalind',
];

describe('people.subjectAccess', () => {
  it("writes A's pack as a PDF and JSON with none of B's identifiers, and logs the disclosure with both files' SHA-256", async () => {
    const s = await meetingsStore(newHost());
    const { host } = s;
    const a = await createPerson(host, {
      givenName: 'Marcus',
      familyName: 'Whitfield',
      aliases: ['Marky'],
      dateOfBirth: '2004-02-11',
      addresses: [{ line1: '8 Larch Walk', town: 'Northfield', postcode: 'B31 2QT', ward: 'Longbridge' }],
      contacts: [{ kind: 'phone', value: '07700 900123' }],
      identifiers: [{ scheme: 'police', value: 'WMP/2025/118842' }],
      household: [],
    });
    const b = await createPerson(host, {
      givenName: 'Priya',
      familyName: 'Castellano',
      aliases: ['Pipsqueak'],
      dateOfBirth: '1979-11-23',
      addresses: [{ line1: '27 Quince Terrace', town: 'Kings Norton', postcode: 'B45 8RT', ward: 'Kings Norton' }],
      contacts: [
        { kind: 'phone', value: '07700 900456' },
        { kind: 'email', value: 'priya.c@example.net' },
      ],
      identifiers: [{ scheme: 'council', value: 'CNL-558213' }],
      household: [{ name: 'Rosalind Castellano', relationship: 'child', dateOfBirth: '2012-06-01' }],
    });
    const caseId = await createCase(host, [a, b]);
    await call(host, 'cases.addNote', {
      caseId,
      body:
        'Marcus Whitfield met officers at the parade. Priya Castellano ("Pipsqueak") of 27 Quince Terrace, B45 8RT, born 23/11/1979, ' +
        'phone 07700 900456 or priya.c@example.net, council ref CNL-558213, came with her daughter Rosalind. Marcus agreed the plan.',
    });
    await call(host, 'cases.addNote', { caseId, body: "Marcus's own number 07700 900123 confirmed; he calls himself Marky." });
    await call(host, 'cases.addNote', { caseId, body: 'Closed-only intelligence Kestrelwing about Marcus.', closedOnly: true });

    const meeting = await schedule(host, s, { date: inDays(-3) });
    await holdMeeting(host, s, meeting.id);
    const { item } = await call(host, 'meetings.addAgendaItem', { meetingId: meeting.id, caseId, reason: 'Review due' });
    await call(host, 'minutes.saveItem', {
      meetingId: meeting.id,
      agendaItemId: item.id,
      revision: 0,
      paragraphs: [{ text: 'Marcus Whitfield is engaging with the youth worker. Castellano, P. complained again (tel 07700 900456).' }],
    });
    await call(host, 'actions.create', {
      meetingId: meeting.id,
      agendaItemId: item.id,
      caseId,
      description: 'Visit Marcus Whitfield; do not disclose the address of Priya Castellano.',
      ownerOrganisationId: s.organisations.housing,
      officer: 'Pat Lowe',
      dueDate: inDays(10),
    });
    // A consultation of A's record, to be listed in the pack.
    await call(host, 'people.get', { personId: a });

    const input = {
      personId: a,
      recipients: ['Marcus Whitfield (the data subject)'],
      justification: 'Subject access request SAR-2026-014 received 1 March 2026',
      includeClosedOnly: true,
      exportedAt: EXPORTED_AT,
    };
    const pack = await call(host, 'people.subjectAccess', input);
    const text = pdfText(pack.pdfBase64, 'pack.pdf');
    const json = fold(pack.json);
    for (const [name, released] of [
      ['pdf', text],
      ['json', json],
    ] as const) {
      // A's own record, notes, minutes and action are there…
      for (const own of [
        'Marcus Whitfield',
        'Marky',
        '8 Larch Walk',
        'B31 2QT',
        '07700 900123',
        'WMP/2025/118842',
        'met officers at the parade',
        'Marcus agreed the plan',
        'engaging with the youth worker',
        'Kestrelwing',
        'Visit Marcus Whitfield',
        'people.get',
      ]) {
        expect(released, `${name}: ${own}`).toContain(fold(own));
      }
      // …and none of B's identifiers, however written.
      for (const identifier of B_IDENTIFIERS) expect(released, `${name}: ${identifier}`).not.toContain(fold(identifier));
      expect(released, name).toContain('third party 1');
      expect(released, name).toContain('official-sensitive');
    }
    expect(text).toContain(fold('Audit log head at export'));
    expect(pack.redactions).toBeGreaterThanOrEqual(10);
    expect(pack.thirdParties).toBe(2);
    const parsed = JSON.parse(pack.json) as { format: string; dataSubject: { id: number }; cases: { notes: unknown[] }[] };
    expect(parsed.format).toBe('concordat.subject-access/1');
    expect(parsed.dataSubject.id).toBe(a);
    expect(parsed.cases[0]!.notes).toHaveLength(3);

    // The PDF is OFFICIAL-SENSITIVE on every page.
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [join(dir, 'pack.pdf')], { encoding: 'utf8' }))![1]);
    const marked = (
      execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'pack.pdf'), '-'], { encoding: 'utf8' }).match(/OFFICIAL-SENSITIVE/g) ?? []
    ).length;
    expect(marked).toBeGreaterThanOrEqual(pages * 2);

    // The disclosure: recipients, the request's justification, both files' SHA-256, no content.
    const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
    expect(sha(Buffer.from(pack.pdfBase64, 'base64'))).toBe(pack.sha256);
    expect(sha(pack.json)).toBe(pack.jsonSha256);
    const { entries } = await call(host, 'audit.query', { filter: { kind: 'disclosure', entityType: 'person', entityId: String(a) } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      operation: 'people.subjectAccess',
      recipients: input.recipients,
      justification: input.justification,
      details: { sha256: pack.sha256, jsonSha256: pack.jsonSha256, caseIds: [caseId] },
    });
    expect(JSON.stringify(entries)).not.toMatch(/Castellano|Quince|parade/);
    for (const hash of [pack.sha256, pack.jsonSha256]) {
      const { matches } = await call(host, 'documents.verify', { sha256: hash });
      expect(matches.map((m) => m.operation)).toEqual(['people.subjectAccess']);
    }

    // Without closed-meeting material the closed-only note and the closed meeting's minutes stay out.
    const withheld = await call(host, 'people.subjectAccess', { ...input, includeClosedOnly: false });
    expect(fold(withheld.json)).not.toContain('kestrelwing');
    expect(pdfText(withheld.pdfBase64, 'withheld.pdf')).not.toContain('kestrelwing');
    expect(fold(withheld.json)).toContain(fold('Marcus agreed the plan'));

    // Only the manager may run it; a person who does not exist is NOT_FOUND naming the field.
    expect(await dispatch(host, 'people.subjectAccess', { ...input, personId: 999_999 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', field: 'personId' },
    });
    await actAs(host, 'statutory');
    expect(await dispatch(host, 'people.subjectAccess', input)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it("includes minutes, actions and notes outside the person's cases that name them, with the other case's people redacted", async () => {
    const s = await meetingsStore(newHost());
    const { host } = s;
    const d = await createPerson(host, {
      givenName: 'Oriel',
      familyName: 'Vantongeren',
      aliases: ['Ori'],
      dateOfBirth: '1991-08-14',
      addresses: [{ line1: '3 Sorrel Row', town: 'Northfield', postcode: 'B31 5XY', ward: 'Northfield' }],
      contacts: [{ kind: 'phone', value: '07700 900777' }],
      identifiers: [],
      household: [],
    });
    await createCase(host, [d]);
    const c = await createPerson(host, {
      givenName: 'Ezekiel',
      familyName: 'Brannigan',
      aliases: ['Zeke'],
      dateOfBirth: '1966-02-03',
      addresses: [{ line1: '41 Tansy Close', town: 'Northfield', postcode: 'B31 9ZZ', ward: 'Northfield' }],
      contacts: [{ kind: 'phone', value: '07700 900888' }],
      identifiers: [{ scheme: 'housing', value: 'HSG-774411' }],
      household: [],
    });
    const othersCase = await createCase(host, [c]);
    const othersReference = (await call(host, 'cases.get', { caseId: othersCase })).case.reference;
    await call(host, 'cases.addNote', {
      caseId: othersCase,
      body: 'Ezekiel Brannigan (Zeke) shouted at Oriel Vantongeren outside 41 Tansy Close.',
    });
    await call(host, 'cases.addNote', { caseId: othersCase, body: 'Zeke moved to B31 9ZZ; no one else involved.' });

    const chaired = { chairId: s.users.manager, minuteTakerId: s.users.statutory };
    const meeting = await schedule(host, s, { ...chaired, date: inDays(-3) });
    const { item } = await call(host, 'meetings.addAgendaItem', { meetingId: meeting.id, caseId: othersCase, reason: 'Review due' });
    const general = (
      await call(host, 'meetings.addAgendaItem', { meetingId: meeting.id, kind: 'other', title: 'Partnership updates', reason: 'Standing' })
    ).item;
    await holdMeeting(host, s, meeting.id);
    await call(host, 'minutes.saveItem', {
      meetingId: meeting.id,
      agendaItemId: item.id,
      revision: 0,
      paragraphs: [
        { text: `Brannigan (${othersReference}, HSG-774411) keeps targeting Ori at 3 Sorrel Row.` },
        { text: 'Ezekiel Brannigan has a new tenancy officer.' },
      ],
    });
    await call(host, 'minutes.saveItem', {
      meetingId: meeting.id,
      agendaItemId: general.id,
      revision: 0,
      paragraphs: [{ text: 'Housing will write to Oriel Vantongeren about the fence; Zeke is on 07700 900888.' }],
    });
    const action = (
      await call(host, 'actions.create', {
        meetingId: meeting.id,
        agendaItemId: item.id,
        caseId: othersCase,
        description: 'Tell Oriel Vantongeren (07700 900777) what Ezekiel Brannigan agreed.',
        ownerOrganisationId: s.organisations.housing,
        officer: 'Pat Lowe',
        dueDate: inDays(10),
      })
    ).action.id;
    await call(host, 'minutes.submit', { meetingId: meeting.id });
    await call(host, 'minutes.approve', { meetingId: meeting.id });
    const next = await schedule(host, s, { ...chaired, date: inDays(1) });
    await holdMeeting(host, s, next.id);
    await call(host, 'actions.review', {
      actionId: action,
      meetingId: next.id,
      outcome: 'carried_over',
      newDueDate: inDays(30),
      note: 'Ori was away; Brannigan was told.',
    });

    const pack = await call(host, 'people.subjectAccess', {
      personId: d,
      recipients: ['Oriel Vantongeren (the data subject)'],
      justification: 'Subject access request SAR-2026-021',
      includeClosedOnly: true,
      exportedAt: EXPORTED_AT,
    });
    const parsed = JSON.parse(pack.json) as { mentions: { kind: string; where: string; text: string }[] };
    expect(parsed.mentions.map((m) => m.kind).sort()).toEqual(['action', 'action_review', 'minutes', 'minutes', 'note']);
    expect(parsed.mentions.find((m) => m.text.includes('Sorrel'))).toMatchObject({
      kind: 'minutes',
      where: "People meeting, Northfield: another case's item",
    });
    expect(parsed.mentions.find((m) => m.text.includes('fence'))).toMatchObject({
      where: 'People meeting, Northfield: Partnership updates',
    });
    // (Each test's temporary folders go when it ends: this one writes to its own.)
    const text = pdfText(pack.pdfBase64, 'mentions.pdf', tempDir('subject-access-mentions-'));
    for (const [name, released] of [
      ['pdf', text],
      ['json', fold(pack.json)],
    ] as const) {
      // What names them outside their own case is there…
      for (const own of [
        'keeps targeting',
        '3 Sorrel Row',
        'write to Oriel Vantongeren about the fence',
        'Tell Oriel Vantongeren (07700 900777)',
        'Ori was away',
        'shouted at Oriel Vantongeren',
        "another case's item",
      ]) {
        expect(released, `${name}: ${own}`).toContain(fold(own));
      }
      // …what does not name them is not, and the other case's subject and reference are redacted.
      expect(released, name).not.toContain(fold('new tenancy officer'));
      expect(released, name).not.toContain(fold('no one else involved'));
      for (const identifier of [
        'Ezekiel',
        'Brannigan',
        'Zeke',
        '41 Tansy Close',
        'B31 9ZZ',
        '07700 900888',
        'HSG-774411',
        othersReference,
      ]) {
        expect(released, `${name}: ${identifier}`).not.toContain(fold(identifier));
      }
      expect(released, name).toContain('third party');
    }
    expect(text).toContain(fold('Other records that mention this person'));
  });
});
