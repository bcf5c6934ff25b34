// Erasure leaves no bytes behind (issue 19: 3). A person is planted with identifiers made up for this run
// (names, an alias, an address, a date of birth written several ways, a phone number, a police reference,
// a household member, a note) on their own case and on a case they share, and written into draft and
// approved minutes, actions, enforcement and a Community Trigger's notes. They are erased through the
// dispatcher, the store is locked, and then every page of the database and every frame of its WAL is
// decrypted with the raw key (free pages too: that is where a deleted row would linger) and searched, as
// are the raw bytes of every file in the data folder. Before the erasure the same search finds them, so it
// can fail. The audit chain still verifies.
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import type { Host } from '../../src/host/host.js';
import {
  actAs,
  call,
  createCase,
  createPerson,
  holdMeeting,
  JUSTIFICATION,
  meetingsStore,
  MANAGER,
  credentials,
  plantMeetings,
  schedule,
} from '../support/partnership.js';
import { plantEnforcement } from '../services/enforcement-fixtures.js';
import { decryptedPages, looksDecrypted } from '../support/decrypted-pages.js';
import { encodings, regularFiles, scan, type Needles } from '../support/proving-scan.js';
import { newHost } from '../support/store.js';
import { dbFile, paths, rawKeyHex } from '../vault/raw.js';

const letters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + randomInt(26))).join('');
const digits = (n: number) => Array.from({ length: n }, () => String(randomInt(10))).join('');
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function planted() {
  const year = 1960 + randomInt(40);
  const month = 1 + randomInt(12);
  const day = 10 + randomInt(18);
  const mm = String(month).padStart(2, '0');
  return {
    givenName: cap(`ysolde${letters(5)}`),
    familyName: cap(`marchbank${letters(5)}`),
    alias: cap(`tinker${letters(5)}`),
    addressLine: `${randomInt(10, 300)} ${cap(letters(9))} Crescent`,
    postcode: `ZE${digits(1)} ${digits(1)}QX`,
    dateOfBirth: `${year}-${mm}-${day}`,
    dobSlashes: `${day}/${mm}/${year}`,
    dobWords: `${day} ${MONTHS[month - 1]} ${year}`,
    dobShort: `${day}.${month}.${String(year).slice(2)}`,
    phone: `07700 9${digits(5)}`,
    policeReference: `WMP/${year}/${digits(7)}`,
    householdName: `${cap(letters(8))} ${cap(letters(9))}`,
    noteSentence: `Seen at the ${cap(letters(10))} lock-up with a ${letters(8)} moped`,
  };
}

/** Every planted identifier as it could sit in a page: UTF-8 and UTF-16, as written and lower-cased. */
function needlesOf(id: ReturnType<typeof planted>, caseReference: string): Needles {
  const out: Needles = {};
  for (const [name, value] of Object.entries({ ...id, caseReference })) out[name] = encodings(value);
  return out;
}

const isLetter = (byte: number | undefined) => byte !== undefined && ((byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122));

/**
 * Whether a one-word name occurs as a word of its own: the fixtures also make places of it
 * ("Marchbankville"), which are not the person. (A record's header byte before a phrase can be any byte,
 * so phrases are matched anywhere.)
 */
function holds(page: Buffer, form: Buffer, oneWord: boolean): boolean {
  for (let i = page.indexOf(form); i >= 0; i = page.indexOf(form, i + 1)) {
    if (!oneWord || (!isLetter(page[i - 1]) && !isLetter(page[i + form.length]))) return true;
  }
  return false;
}

const ONE_WORD = new Set(['givenName', 'familyName', 'alias']);

function foundInPages(pages: readonly Buffer[], needles: Needles): string[] {
  const found = new Set<string>();
  for (const page of pages)
    for (const [name, forms] of Object.entries(needles)) if (forms.some((f) => holds(page, f, ONE_WORD.has(name)))) found.add(name);
  return [...found].sort();
}

/** Every page of both files: the store's, and the closed database's (closed-only content is kept there). */
async function lockedPages(host: Host, key: string, closedKey: string): Promise<Buffer[]> {
  await call(host, 'session.lock');
  return [...decryptedPages(dbFile(host.dataDir), key), ...decryptedPages(paths(host.dataDir).closedDatabase, closedKey)];
}

describe('erasure at rest', () => {
  it('after people.erase no planted identifier is on any decrypted page or frame, nor in any file, and the audit chain verifies', async () => {
    const id = planted();
    const host = newHost();
    const store = await meetingsStore(host);
    const key = rawKeyHex(host.vault!.rawKeyPragma());
    const closedKey = rawKeyHex(host.vault!.rawKeyPragmas()[1]!.pragma);

    const person = await createPerson(host, {
      givenName: id.givenName,
      familyName: id.familyName,
      aliases: [id.alias],
      dateOfBirth: id.dateOfBirth,
      addresses: [{ line1: id.addressLine, town: 'Northfield', postcode: id.postcode }],
      contacts: [{ kind: 'phone', value: id.phone }],
      identifiers: [{ scheme: 'police', value: id.policeReference }],
      household: [{ name: id.householdName, relationship: 'parent', dateOfBirth: null }],
    });
    const other = await createPerson(host, { givenName: 'Morwenna', familyName: 'Trelawney', aliases: [], household: [] });
    const own = await createCase(host, [person], {
      closedOnly: true,
      summary: `${id.givenName} ${id.familyName} at the parade`,
      referral: { organisation: 'West Midlands Police', date: '2025-10-01', reason: `Calls about ${id.alias}`, consent: 'not_required' },
    });
    const shared = await createCase(host, [other, person]);
    const openCase = await createCase(host, [other]);
    const ownReference = (await call(host, 'cases.get', { caseId: own })).case.reference;
    await call(host, 'cases.addNote', { caseId: own, body: `${id.noteSentence}.` });
    await call(host, 'cases.addNote', {
      caseId: shared,
      body: `Spoke to ${id.givenName} ${id.familyName} (born ${id.dobSlashes}, phone ${id.phone}) outside ${id.addressLine}, ${id.postcode}.`,
    });
    await call(host, 'cases.addNote', {
      caseId: shared,
      body: `${id.alias} again; DOB ${id.dobWords}; ref ${id.policeReference}; ${id.dobShort}.`,
    });
    await call(host, 'cases.transition', { caseId: own, to: 'accepted', reason: `${id.familyName} meets the threshold` });
    await call(host, 'cases.link', { caseId: own, otherCaseId: shared, reason: `Both about ${id.givenName}` });

    // Draft and approved minutes, actions, an addendum, enforcement and escalations naming them.
    await plantMeetings(host, id.familyName, { openCase, spareCase: shared, closedCase: own });
    await plantEnforcement(host, id.familyName, { openCase, closedCase: own, organisationId: store.organisations.police });
    const approved = await schedule(host, store, {
      chairId: store.users.manager,
      minuteTakerId: store.users.statutory,
      date: '2026-01-05',
    });
    const item = (await call(host, 'meetings.addAgendaItem', { meetingId: approved.id, caseId: own, reason: 'Review' })).item;
    await holdMeeting(host, store, approved.id);
    const paragraph = `Agreed: ${id.givenName} (${id.alias}) to be visited at ${id.addressLine}. Police hold more.`;
    await call(host, 'minutes.saveItem', {
      meetingId: approved.id,
      agendaItemId: item.id,
      revision: 0,
      paragraphs: [
        { text: paragraph, closedOnlySpans: [{ start: paragraph.indexOf('Police'), end: paragraph.length }] },
        { text: `${id.familyName} born ${id.dobWords}.`, closedOnly: true },
      ],
    });
    await call(host, 'actions.create', {
      meetingId: approved.id,
      agendaItemId: item.id,
      description: `Visit ${id.givenName} ${id.familyName}`,
      ownerOrganisationId: store.organisations.police,
      officer: 'PC Jones',
      dueDate: '2026-02-01',
    });
    await call(host, 'minutes.submit', { meetingId: approved.id });
    await call(host, 'minutes.approve', { meetingId: approved.id });

    const needles = needlesOf(id, ownReference);
    // The search can fail: before the erasure the decrypted pages hold every planted identifier.
    const before = await lockedPages(host, key, closedKey);
    expect(looksDecrypted(before)).toBe(true);
    expect(foundInPages(before, needles)).toEqual(Object.keys(needles).sort());

    await call(host, 'session.unlock', credentials(MANAGER));
    await call(host, 'session.setJustification', { justification: JUSTIFICATION });
    const name = `${id.givenName} ${id.familyName}`;
    const result = await call(host, 'people.erase', {
      personId: person,
      reason: 'Retention review: no further action',
      confirmation: name,
    });
    expect(result.casesErased).toEqual([own]);
    expect(result.peopleErased).toEqual([person]);
    expect(result.counts.approvedMeetings).toBeGreaterThanOrEqual(2);
    const verify = await call(host, 'audit.verify', {});
    expect(verify).toMatchObject({ intact: true });
    // The shared case stays, without them.
    const kept = await call(host, 'cases.get', { caseId: shared });
    expect(kept.case.subjects.map((s) => s.id)).toEqual([other]);
    expect(kept.case.notes.some((n) => n.body.includes(result.pseudonym))).toBe(true);

    const after = await lockedPages(host, key, closedKey);
    expect(looksDecrypted(after)).toBe(true);
    expect(foundInPages(after, needles)).toEqual([]);
    const raw = scan(regularFiles(host.dataDir), needles);
    expect(raw.files).toBeGreaterThanOrEqual(2);
    expect(raw.found).toEqual([]);

    // The chain verifies after the lock too (what `concordat audit verify` runs).
    await actAs(host, 'manager');
    expect(await dispatch(host, 'audit.verify', {})).toMatchObject({ ok: true, value: { intact: true } });
  }, 120_000);
});
