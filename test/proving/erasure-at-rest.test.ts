// Erasure leaves no bytes behind (issue 19: 3). A person is planted with identifiers made up for this run
// (names, an alias, an address, a date of birth written several ways, a phone number, a police reference,
// a household member, a note) on their own case and on a case they share, and written into draft and
// approved minutes, actions, enforcement and a Community Trigger's notes, and then into every other place a
// user can type them on records that stay (plantMentions: another person's household list, another case's
// location, summary, steps, release and retention reasons, an approved meeting's register, place, other
// agenda items, decisions, actions and reviews, a returned draft's reason, enforcement, escalations, a
// Community Trigger, a partnership activity, and the erasure's own reason). They are erased through the
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
  inDays,
  JUSTIFICATION,
  meetingsStore,
  MANAGER,
  credentials,
  type MeetingsStore,
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

type Planted = ReturnType<typeof planted>;

/**
 * The person named on records that are not theirs and stay after the erasure: every free-text column a user
 * can reach (test/store/erasure-coverage.test.ts holds the list). Returns the cases that must survive.
 */
async function plantMentions(host: Host, store: MeetingsStore, id: Planted, ids: { other: number; shared: number; openCase: number }) {
  const name = `${id.givenName} ${id.familyName}`;
  const police = store.organisations.police;
  // Another person's household lists them.
  const relative = await createPerson(host, {
    givenName: 'Kenver',
    familyName: 'Pascoe',
    aliases: [],
    household: [{ name, relationship: 'child', dateOfBirth: id.dateOfBirth }],
  });
  const relativesCase = await createCase(host, [relative], {
    summary: `Pascoe family; ${id.alias} visits`,
    locations: [{ label: `${id.familyName}'s garage`, address: id.addressLine, postcode: id.postcode, ward: null }],
  });
  // Another case's summary, location and steps; a closed-only release and a retention decision naming them.
  await call(host, 'cases.update', {
    caseId: ids.openCase,
    summary: `Complaints by ${name} (${id.phone})`,
    locations: [{ label: `Lock-up behind ${id.addressLine}`, address: '', postcode: id.postcode, ward: null }],
  });
  await call(host, 'cases.transition', { caseId: ids.shared, to: 'accepted', reason: `${name} is a victim as well` });
  const releasable = await createCase(host, [ids.other], { closedOnly: true });
  await call(host, 'cases.addNote', { caseId: releasable, body: 'Nothing about anyone else.' });
  const review = await call(host, 'cases.releaseReview', { caseId: releasable });
  await call(host, 'cases.releaseClosedOnly', {
    caseId: releasable,
    reason: `${id.alias} has moved away, so nothing here is sensitive now`,
    decisions: review.items.map((item) => ({ kind: item.kind, id: item.id, release: true })),
  });
  const ended = await createCase(host, [ids.other]);
  await call(host, 'cases.transition', { caseId: ended, to: 'declined', reason: `Declined: ${name} withdrew the complaint` });
  await call(host, 'retention.updateSchedule', { rules: [{ ending: 'declined', months: 0 }] });
  await call(host, 'retention.decide', {
    caseId: ended,
    decision: 'keep',
    reason: `Kept while ${name} (${id.policeReference}) is a witness`,
    reviewOn: inDays(40),
  });

  // An approved meeting they attended, held at their address, where they are named under another case's
  // item, in an "other" item, a decision, an action and a raise.
  const meeting = await schedule(host, store, {
    chairId: store.users.manager,
    minuteTakerId: store.users.statutory,
    date: '2026-01-12',
    place: `${id.addressLine}, ${id.postcode}`,
  });
  await call(host, 'meetings.raiseCase', { meetingId: meeting.id, caseId: ids.openCase, reason: `${name} rang the chair` });
  const openItem = (await call(host, 'meetings.addAgendaItem', { meetingId: meeting.id, caseId: ids.openCase, reason: 'Review' })).item.id;
  const withOther = await call(host, 'meetings.addAgendaItem', {
    meetingId: meeting.id,
    kind: 'other',
    title: `Letter from ${name}`,
    reason: 'Chair asked',
  });
  const otherItem = withOther.item.id;
  await call(host, 'meetings.reorderAgenda', {
    meetingId: meeting.id,
    agendaItemIds: [otherItem, ...withOther.agenda.map((item) => item.id).filter((itemId) => itemId !== otherItem)],
    reason: `${id.alias}'s letter first`,
  });
  await holdMeeting(host, store, meeting.id, [{ organisationId: police, name }]);
  await call(host, 'minutes.saveItem', {
    meetingId: meeting.id,
    agendaItemId: openItem,
    revision: 0,
    paragraphs: [{ text: `Neighbour ${name} (born ${id.dobSlashes}) gave a statement; ${id.phone}.` }],
  });
  await call(host, 'minutes.saveItem', {
    meetingId: meeting.id,
    agendaItemId: otherItem,
    revision: 0,
    paragraphs: [{ text: `The letter from ${id.alias} was read out.`, closedOnly: true }],
  });
  await call(host, 'minutes.recordDecision', { meetingId: meeting.id, agendaItemId: openItem, text: `Write to ${name}` });
  const action = (
    await call(host, 'actions.create', {
      meetingId: meeting.id,
      agendaItemId: openItem,
      description: `Call ${name} on ${id.phone}`,
      ownerOrganisationId: police,
      officer: 'PC Jones',
      dueDate: '2026-02-01',
    })
  ).action.id;
  await call(host, 'minutes.submit', { meetingId: meeting.id });
  await call(host, 'minutes.approve', { meetingId: meeting.id });
  // A later meeting reviews the action, and its draft is returned with a reason naming them.
  const later = await schedule(host, store, { chairId: store.users.manager, minuteTakerId: store.users.statutory, date: '2026-02-09' });
  await holdMeeting(host, store, later.id);
  await call(host, 'actions.review', { actionId: action, meetingId: later.id, outcome: 'done', note: `${name} was called` });
  await call(host, 'minutes.submit', { meetingId: later.id });
  await call(host, 'minutes.return', { meetingId: later.id, reason: `Say why ${id.alias} was not called back` });

  // Enforcement, a breach, a PSPO at their street, an escalation.
  const cpw = (
    await call(host, 'enforcement.record', {
      type: 'community_protection_warning',
      caseId: ids.shared,
      organisationId: police,
      issued: '2026-01-05',
      prohibitions: [`Not to approach ${name}`],
      conditions: `Keep away from ${id.addressLine}`,
    })
  ).enforcement.id;
  await call(host, 'enforcement.addBreach', { enforcementId: cpw, date: '2026-02-02', reportedBy: name, actionTaken: `Told ${id.alias}` });
  await call(host, 'enforcement.record', {
    type: 'public_spaces_protection_order',
    caseId: null,
    area: 'Northfield',
    location: `The alley beside ${id.addressLine}`,
    prohibitions: ['No drinking in the alley'],
    organisationId: police,
    issued: '2026-01-05',
  });
  const escalation = (
    await call(host, 'escalations.refer', {
      caseId: ids.shared,
      kind: 'task_and_finish_group',
      referredOn: '2026-01-10',
      shared: `Statement of ${name}`,
      // Recipients go into the audit log's disclosure entry too, which no erasure reaches (docs/erasure.md):
      // a recipient is an organisation or a role, so none is planted here.
      recipients: ['Task and Finish Group'],
    })
  ).escalation.id;
  await call(host, 'escalations.recordOutcome', { escalationId: escalation, outcome: `${id.alias} rehoused`, returnedOn: '2026-01-20' });

  // A Community Trigger they applied for, and a partnership activity where they spoke.
  const trigger = (
    await call(host, 'triggers.apply', {
      area: 'Northfield',
      applicant: name,
      consent: true,
      onBehalfOf: id.alias,
      applicationDate: '2026-01-20',
      incidents: [{ date: '2026-01-02', agency: `${name}'s household`, reference: id.policeReference }],
      persistentHarm: true,
    })
  ).trigger.id;
  await call(host, 'triggers.decide', {
    triggerId: trigger,
    met: true,
    reasons: `${name} reported persistent harm`,
    decidedOn: '2026-01-25',
  });
  await call(host, 'triggers.recordReview', { triggerId: trigger, reviewDate: '2026-02-01', notes: `${name} attended` });
  await call(host, 'triggers.addRecommendation', {
    triggerId: trigger,
    text: `Support ${name}`,
    owner: `${id.alias}'s GP`,
    due: '2026-03-01',
  });
  await call(host, 'triggers.close', { triggerId: trigger, outcome: `${name} satisfied`, appeal: `${id.alias} may appeal` });
  await call(host, 'activities.record', {
    kind: 'face_the_public',
    date: '2026-01-15',
    area: 'Northfield',
    description: `${name} spoke about the parade`,
  });
  return { relative, relativesCase, releasable, ended, meeting: meeting.id, later: later.id };
}

/** Every TEXT column of every table (not the search index's own tables) whose value holds one of the texts. */
async function columnsHolding(host: Host, texts: readonly string[]): Promise<string[]> {
  const db = host.vault!.db;
  const found = new Set<string>();
  const tables = await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  for (const { name: table } of tables) {
    // Types from the table itself (a sealed table's bare name is its merged view, whose columns have no type);
    // values through the bare name, so a sealed row's content is read from the closed database.
    for (const { name: column, type } of await db.all<{ name: string; type: string }>(
      "SELECT name, type FROM pragma_table_info(?, 'main')",
      [table],
    )) {
      if (type.toUpperCase() !== 'TEXT' && !/_fts$/.test(table)) continue;
      for (const text of texts) {
        const row = await db.get(`SELECT 1 FROM "${table}" WHERE instr(lower("${column}"), lower(?)) > 0 LIMIT 1`, [text]);
        if (row) found.add(`${table}.${column}`);
      }
    }
  }
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
    const mentions = await plantMentions(host, store, id, { other, shared, openCase });
    const typed = [`${id.givenName} ${id.familyName}`, id.alias, id.addressLine, id.postcode, id.phone, id.policeReference, id.dobSlashes];
    // The walk can fail: before the erasure these columns hold the person (among others).
    expect(await columnsHolding(host, typed)).toEqual(
      expect.arrayContaining([
        'people.household',
        'case_locations.label',
        'meeting_attendees.name',
        'retention_decisions.reason',
        'case_releases.reason',
        'meetings.minutes_returned',
        'community_trigger_incidents.agency',
        'community_trigger_recommendations.owner',
        'partnership_activities.description',
      ]),
    );

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
      reason: `Retention review of ${name}: no further action`,
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
    // No column of any table holds what was typed about them; the records that named them stay.
    expect(await columnsHolding(host, typed)).toEqual([]);
    const relative = await call(host, 'people.get', { personId: mentions.relative });
    expect(relative.person.household).toEqual([{ name: result.pseudonym, relationship: 'child', dateOfBirth: null }]);
    const register = (await call(host, 'meetings.get', { meetingId: mentions.meeting })).meeting;
    expect(register.attendees.map((a) => a.name)).toContain(result.pseudonym);
    expect(register.minutes.items.flatMap((i) => i.addenda.map((a) => a.text))).toEqual([expect.stringContaining(result.pseudonym)]);
    const location = (await call(host, 'cases.get', { caseId: mentions.relativesCase })).case.locations[0]!;
    expect(location).toMatchObject({ label: `${result.pseudonym} garage`, postcode: null });

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
