// Secrets at rest, after a whole working session: a script makes one successful call of every operation
// in the contract with identifiers planted for this run (a person's names, date of birth, address,
// police reference and contact details, note text, passphrases), rotates both keys, and locks. Then every
// byte of the data folder, and of every file in the system temp folder written since the test began, is
// searched for each planted identifier (UTF-8, UTF-16LE/BE, lower-cased too), each passphrase, each
// recovery key, and each master key (hex and raw bytes), old and new. The goal is none found.
// The store has its closed database (issue 15): a second set of values is planted only in closed-only
// content (a closed-only case, its notes, step, link, location, and a closed-only minute paragraph). Every
// page and WAL frame of concordat.db, decrypted with the open store's key as any slot holder could, must
// hold none of them, while the unlocked session is running and after it; the closed database, decrypted
// with its own key, holds every one (so that check can fail).
// (test/vault/at-rest.test.ts covers the data folder after a short admin session; this covers the case
// operations, the key rotations and the temp folder.)
import { randomInt } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import { backupJob } from '../../src/services/backup.js';
import { OPERATION_NAMES, type InputOf, type OperationName, type OutputOf } from '../../src/contract/operations.js';
import type { Host } from '../../src/host/host.js';
import { encodings, regularFiles, scan, type Needles } from '../support/proving-scan.js';
import { decryptedPages, looksDecrypted } from '../support/decrypted-pages.js';
import { Vault } from '../../src/vault/vault.js';
import { newHost, tempDir } from '../support/store.js';
import { drawn, typed } from '../support/signatures.js';
import { rawKeyHex } from '../vault/raw.js';

const letters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + randomInt(26))).join('');
const digits = (n: number) => Array.from({ length: n }, () => String(randomInt(10))).join('');
const upper = (n: number) => letters(n).toUpperCase();
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const passphrase = () => `${letters(6)} ${letters(7)} ${letters(5)} ${digits(3)}`;

/** Made up for this run, so nothing else on the machine can hold them by chance. */
function plantedIdentifiers() {
  const year = 1950 + randomInt(50);
  return {
    givenName: cap(`ysolde${letters(6)}`),
    familyName: cap(`marchbank${letters(6)}`),
    alias: cap(`tinker${letters(6)}`),
    newAlias: cap(`wrenna${letters(6)}`),
    dateOfBirth: `${year}-${String(1 + randomInt(12)).padStart(2, '0')}-${String(1 + randomInt(28)).padStart(2, '0')}`,
    addressLine: `${randomInt(10, 300)} ${cap(letters(9))} Crescent`,
    postcode: `ZE${digits(2)} ${digits(1)}${upper(2)}`,
    policeReference: `WMP/${year}/${digits(7)}`,
    phone: `07700 9${digits(5)}`,
    email: `${letters(10)}@example.org`,
    householdName: `${cap(letters(8))} ${cap(letters(9))}`,
    noteText: `Seen entering flat ${randomInt(10, 99)} with ${cap(letters(10))} after dark`,
    summary: `Intimidation near the ${cap(letters(10))} parade`,
    referralReason: `Reports from ${cap(letters(10))} School`,
    vulnerability: `Missing from ${cap(letters(10))} House`,
    riskReasons: `Associates with ${cap(letters(10))} group`,
    locationAddress: `${randomInt(1, 99)} ${cap(letters(9))} Road`,
    supportService: `${cap(letters(10))} CAMHS team`,
    transitionReason: `Accepted at the ${cap(letters(9))} meeting`,
    linkReason: `Same household as ${cap(letters(9))}`,
    justification: `Preparing for the ${cap(letters(9))} People meeting`,
    managerName: `${cap(letters(8))} ${cap(letters(10))}`,
    partnerName: `${cap(letters(8))} ${cap(letters(10))}`,
    organisation: `${cap(letters(10))} Community Safety Team`,
    partnerOrganisation: `${cap(letters(10))} Police`,
    tamperNote: `Checked with ${cap(letters(10))} from IT`,
    recipient: `${cap(letters(10))} Information Governance`,
  };
}

/** Made up for this run, and written only into closed-only content. */
function plantedClosedOnly() {
  const m = (what: string) => `Zq${what}${letters(9)}`;
  return {
    closedSummary: m('summary'),
    closedReferralOrg: m('referralorg'),
    closedReferralOfficer: m('officer'),
    closedReferralReason: m('reason'),
    closedVulnerability: m('vulnerability'),
    closedRiskReasons: m('risk'),
    closedSupportService: m('camhs'),
    closedLocationLabel: m('flats'),
    closedLocationAddress: m('road'),
    closedNoteOnClosedCase: m('notebody'),
    closedNoteOnOpenCase: m('closednote'),
    closedTransitionReason: m('transition'),
    closedLinkReason: m('linkreason'),
    closedParagraph: m('paragraph'),
  };
}

/** The names of the `markers` found in any page, as written or lower-cased (search tokens are). */
function foundIn(pages: readonly Buffer[], markers: Record<string, string>): string[] {
  return Object.entries(markers).flatMap(([name, text]) =>
    [text, text.toLowerCase()].some((form) => pages.some((page) => page.includes(form))) ? [name] : [],
  );
}

describe('secrets at rest', () => {
  it('after a session touching every operation, no planted identifier, passphrase or key is in the data folder or the temp folder', async () => {
    const startedAt = Date.now() - 1000;
    const id = plantedIdentifiers();
    const closed = plantedClosedOnly();
    const secrets = {
      managerPassphrase: passphrase(),
      managerNewPassphrase: passphrase(),
      partnerPassphrase: passphrase(),
      tempPassphrase: passphrase(),
      tempResetPassphrase: passphrase(),
    };
    const recoveryKeys: string[] = [];
    const masterKeys: string[] = [];
    const dataDir = tempDir('concordat-proving-secrets-');
    const host: Host = newHost(dataDir);
    const succeeded = new Set<string>();
    const ok = async <N extends OperationName>(
      name: N,
      input: InputOf<N> | Record<string, never> = {},
      meta?: { justification: string },
    ): Promise<OutputOf<N>> => {
      const result = await dispatch(host, name, input, meta);
      // The refusal is printed by code only: its message could echo a planted value into the test output.
      if (!result.ok) throw new Error(`${name} was refused: ${result.error.code} (${result.error.field ?? ''})`);
      succeeded.add(name);
      return result.value as OutputOf<N>;
    };

    // ── a working session ──
    expect((await ok('store.status')).state).toBe('uninitialised');
    const init = await ok('store.init', {
      username: 'proving.manager',
      displayName: id.managerName,
      organisation: id.organisation,
      passphrase: secrets.managerPassphrase,
    });
    recoveryKeys.push(init.recoveryKey);
    masterKeys.push(...host.vault!.rawKeyPragmas().map((k) => rawKeyHex(k.pragma)));
    await ok('session.setJustification', { justification: id.justification });
    const police = (await ok('organisations.add', { name: id.partnerOrganisation, statutory: true })).organisation;
    await ok('organisations.list');
    await ok('users.add', {
      username: 'proving.partner',
      displayName: id.partnerName,
      role: 'statutory',
      organisationId: police.id,
      passphrase: secrets.partnerPassphrase,
    });
    await ok('users.add', {
      username: 'proving.temp',
      displayName: 'Temporary Account',
      role: 'non_statutory',
      organisationId: police.id,
      passphrase: secrets.tempPassphrase,
    });
    await ok('users.resetPassphrase', { username: 'proving.temp', newPassphrase: secrets.tempResetPassphrase });
    await ok('users.remove', { username: 'proving.temp' });
    await ok('users.list', { includeRemoved: true });

    const created = await ok('people.create', {
      givenName: id.givenName,
      familyName: id.familyName,
      aliases: [id.alias],
      dateOfBirth: id.dateOfBirth,
      gender: 'female',
      addresses: [{ line1: id.addressLine, postcode: id.postcode, town: 'Northfield' }],
      contacts: [
        { kind: 'phone', value: id.phone },
        { kind: 'email', value: id.email },
      ],
      identifiers: [{ scheme: 'police', value: id.policeReference }],
      household: [{ name: id.householdName, relationship: 'parent', dateOfBirth: null }],
    });
    const personId = created.person!.id;
    await ok('people.get', { personId });
    await ok('people.update', { personId, aliases: [id.alias, id.newAlias] });
    const caseInput: InputOf<'cases.create'> = {
      subjectIds: [personId],
      area: 'Northfield',
      summary: id.summary,
      referral: {
        organisation: id.partnerOrganisation,
        officer: id.partnerName,
        date: '2025-10-01',
        reason: id.referralReason,
        consent: 'not_required',
      },
      concerns: ['youth_offending', 'exploitation_risk'],
      risk: {
        personalHarm: 'high',
        communityHarm: 'medium',
        environmentalHarm: 'low',
        vulnerabilityFactors: [id.vulnerability],
        reasons: id.riskReasons,
      },
      locations: [{ label: 'Parade', address: id.locationAddress, postcode: id.postcode }],
      alreadySupported: { service: id.supportService, decision: 'discuss' },
      closedOnly: true,
    };
    const first = (await ok('cases.create', caseInput)).case.id;
    const second = (await ok('cases.create', { ...caseInput, closedOnly: false })).case.id;
    await ok('cases.get', { caseId: first });
    await ok('cases.update', { caseId: first, summary: `${id.summary} (updated)` });
    await ok('cases.transition', { caseId: first, to: 'accepted', reason: id.transitionReason });
    await ok('cases.addNote', { caseId: first, body: id.noteText, classification: 'special_category', closedOnly: true });
    await ok('cases.link', { caseId: first, otherCaseId: second, reason: id.linkReason });
    expect((await ok('cases.search', { query: id.familyName })).total).toBe(2);
    expect((await ok('cases.search', { query: id.noteText.split(' ').slice(0, 3).join(' ') })).total).toBeGreaterThan(0);
    await ok('cases.list', { area: 'Northfield' });
    await ok('concerns.list');
    // Clearing a closed-only mark: the manager reviews each item, and this one stays closed.
    const releasing = (await ok('cases.create', caseInput)).case.id;
    await ok('cases.addNote', { caseId: releasing, body: id.noteText, classification: 'special_category', closedOnly: true });
    const review = await ok('cases.releaseReview', { caseId: releasing });
    await ok('cases.releaseClosedOnly', {
      caseId: releasing,
      reason: id.transitionReason,
      decisions: review.items.map((item) => ({ kind: item.kind, id: item.id, release: false })),
    });
    // Retention: a declined case due at once, kept with a planted reason, then pseudonymised (its subject is
    // still on live cases, so a stand-in takes their place on it).
    const retained = (await ok('cases.create', { ...caseInput, closedOnly: false })).case.id;
    await ok('cases.transition', { caseId: retained, to: 'declined', reason: id.transitionReason });
    await ok('retention.schedule');
    await ok('retention.updateSchedule', { rules: [{ ending: 'declined', months: 0 }] });
    expect((await ok('retention.queue', {})).items.map((item) => item.caseId)).toContain(retained);
    const later = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    await ok('retention.decide', { caseId: retained, decision: 'keep', reason: id.riskReasons, reviewOn: later });
    await ok('retention.decide', { caseId: retained, decision: 'pseudonymise' });
    // Erasure: the released case goes (its subject stays, on the other cases), then a person of their own.
    const releasingReference = (await ok('cases.erasurePreview', { caseId: releasing })).confirmation;
    await ok('cases.erase', { caseId: releasing, reason: 'Opened in error', confirmation: releasingReference });
    const erasable = (await ok('people.create', { givenName: 'Erin', familyName: 'Rasmussen', createDespiteDuplicates: true })).person!.id;
    const erasableName = (await ok('people.erasurePreview', { personId: erasable })).confirmation;
    await ok('people.erase', { personId: erasable, reason: 'Recorded in error', confirmation: erasableName });

    // Closed-only content, each piece with a value of its own, sealed into the closed database.
    const closedOnlyCase = (
      await ok('cases.create', {
        ...caseInput,
        summary: `${closed.closedSummary} summary`,
        referral: {
          ...caseInput.referral!,
          organisation: closed.closedReferralOrg,
          officer: `DS ${closed.closedReferralOfficer}`,
          reason: `${closed.closedReferralReason} reason`,
        },
        risk: { ...caseInput.risk!, vulnerabilityFactors: [closed.closedVulnerability], reasons: `${closed.closedRiskReasons} risk` },
        locations: [
          { label: `${closed.closedLocationLabel} flats`, address: `1 ${closed.closedLocationAddress} Road`, postcode: id.postcode },
        ],
        alreadySupported: { service: closed.closedSupportService, decision: 'discuss' },
        closedOnly: true,
      })
    ).case.id;
    await ok('cases.addNote', { caseId: closedOnlyCase, body: `Seen with ${closed.closedNoteOnClosedCase} after dark` });
    await ok('cases.addNote', { caseId: second, body: `PPU: ${closed.closedNoteOnOpenCase}`, closedOnly: true });
    await ok('cases.transition', { caseId: closedOnlyCase, to: 'accepted', reason: `${closed.closedTransitionReason} at the meeting` });
    await ok('cases.link', { caseId: second, otherCaseId: closedOnlyCase, reason: `${closed.closedLinkReason} household` });

    // Meetings: a whole cycle, with identifiers in the place, attendees, minutes (a closed-only span),
    // decisions, actions, reviews and an addendum.
    const me = (await ok('users.list', {})).users.find((u) => u.username === 'proving.manager')!.id;
    const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const meetingInput: InputOf<'meetings.schedule'> = {
      kind: 'people',
      area: 'Northfield',
      date: future(14),
      startTime: '10:00',
      endTime: '12:00',
      place: 'Northfield Police Station',
      closed: true,
      chairId: me,
      minuteTakerId: me,
    };
    const held = async (meetingId: number) => {
      const { attendee } = await ok('meetings.addAttendee', {
        meetingId,
        name: id.partnerName,
        organisationId: police.id,
        role: 'Inspector',
      });
      await ok('meetings.setAttendance', { meetingId, attendeeId: attendee.id, attendance: 'present', arrivedAt: '10:00' });
      await ok('meetings.acknowledgeConfidentiality', { meetingId, attendeeId: attendee.id });
      await ok('minutes.start', { meetingId });
    };
    const meetingId = (await ok('meetings.schedule', meetingInput)).meeting.id;
    await ok('meetings.update', { meetingId, place: id.locationAddress });
    await ok('meetings.proposeAgenda', { meetingId });
    await ok('meetings.raiseCase', { meetingId, caseId: second, reason: id.referralReason });
    const itemA = (await ok('meetings.addAgendaItem', { meetingId, caseId: first, reason: id.transitionReason })).item.id;
    const itemB = (await ok('meetings.addAgendaItem', { meetingId, kind: 'other', title: 'Partnership updates', reason: 'Chair asked' }))
      .item.id;
    await ok('meetings.reorderAgenda', { meetingId, agendaItemIds: [itemB, itemA], reason: 'Updates first' });
    const itemC = (await ok('meetings.addAgendaItem', { meetingId, kind: 'other', title: 'Any other business', reason: 'Standing item' }))
      .item.id;
    await ok('meetings.removeAgendaItem', { meetingId, agendaItemId: itemC, reason: 'Nothing to report' });
    await held(meetingId);
    const minuteText = `${id.noteText} ${id.familyName}`;
    await ok('minutes.saveItem', {
      meetingId,
      agendaItemId: itemA,
      revision: 0,
      paragraphs: [
        { text: minuteText, closedOnlySpans: [{ start: 0, end: id.noteText.length }] },
        { text: `${closed.closedParagraph} was discussed`, closedOnly: true },
      ],
    });
    await ok('minutes.recordDecision', { meetingId, agendaItemId: itemA, text: id.riskReasons });
    const actionId = (
      await ok('actions.create', {
        meetingId,
        agendaItemId: itemA,
        description: id.summary,
        ownerOrganisationId: police.id,
        officer: id.partnerName,
        dueDate: future(28),
      })
    ).action.id;
    await ok('minutes.submit', { meetingId });
    await ok('minutes.return', { meetingId, reason: id.transitionReason });
    await ok('minutes.submit', { meetingId });
    await ok('minutes.approve', { meetingId });
    await ok('minutes.addAddendum', { meetingId, agendaItemId: itemA, text: id.linkReason, reason: 'Correction' });
    await ok('minutes.redactions', { meetingId, audience: 'open' });
    await ok('minutes.export', { meetingId, audience: 'open', recipients: [id.recipient] });
    expect((await ok('minutes.exportStatus')).state).toBe('done');
    const nextId = (await ok('meetings.schedule', { ...meetingInput, date: future(42) })).meeting.id;
    await held(nextId);
    await ok('actions.review', { actionId, meetingId: nextId, outcome: 'done' });
    await ok('actions.list', {});
    await ok('meetings.list', {});
    await ok('meetings.get', { meetingId });
    await ok('meetings.forCase', { caseId: first });

    // Enforcement, escalation, Community Triggers and the outcome indicators.
    const tool = { organisationId: police.id, issued: '2026-01-05' };
    const cpw = (
      await ok('enforcement.record', { ...tool, type: 'community_protection_warning', caseId: first, conditions: id.riskReasons })
    ).enforcement.id;
    const cpn = (
      await ok('enforcement.record', {
        ...tool,
        type: 'community_protection_notice',
        caseId: first,
        priorId: cpw,
        served: '2026-01-06',
        expiry: '2030-01-01',
      })
    ).enforcement.id;
    await ok('enforcement.update', { enforcementId: cpn, stage: 'served' });
    await ok('enforcement.addBreach', {
      enforcementId: cpn,
      date: '2026-02-01',
      reportedBy: id.partnerName,
      actionTaken: id.transitionReason,
    });
    await ok('enforcement.get', { enforcementId: cpn });
    await ok('enforcement.list', {});
    const breachId = (await ok('enforcement.get', { enforcementId: cpn })).enforcement.breaches[0]!.id;
    await ok('enforcement.updateBreach', { enforcementId: cpn, breachId, reportedBy: id.householdName, actionTaken: id.noteText });
    const escalationId = (
      await ok('escalations.refer', {
        caseId: first,
        kind: 'disruption_planning_meeting',
        referredOn: '2026-01-10',
        shared: id.noteText,
        recipients: [id.recipient],
      })
    ).escalation.id;
    await ok('escalations.recordOutcome', { escalationId, outcome: id.linkReason, returnedOn: '2026-01-12' });
    await ok('escalations.list', { caseId: first });
    await ok('people.subjectAccess', { personId, recipients: [id.recipient], justification: 'Subject access request' });
    await ok('escalations.list', {
      status: 'returned',
      kind: 'disruption_planning_meeting',
      area: 'Northfield',
      from: '2026-01-01',
      to: '2026-12-31',
    });
    const triggerId = (
      await ok('triggers.apply', {
        area: 'Northfield',
        applicant: id.householdName,
        consent: true,
        applicationDate: '2026-01-20',
        persistentHarm: true,
      })
    ).trigger.id;
    await ok('triggers.decide', { triggerId, met: true, decidedOn: '2026-01-25' });
    await ok('triggers.recordReview', { triggerId, reviewDate: '2026-02-01' });
    await ok('triggers.addRecommendation', { triggerId, text: id.riskReasons, owner: 'Housing', due: '2026-03-01' });
    await ok('triggers.close', { triggerId, outcome: 'Recommendations accepted' });
    await ok('triggers.get', { triggerId });
    await ok('triggers.list', {});
    await ok('triggers.list', { caseId: first });
    await ok('activities.record', { kind: 'face_the_public', date: '2026-01-15', area: 'Northfield' });
    await ok('outcomes.indicators', { from: '2026-01-01', to: '2026-12-31', granularity: 'quarter' });

    // Agreements: names of the signatory and the witness, and their signatures, only ever inside the store.
    await ok('agreements.templates.list', {});
    const { template } = await ok('agreements.templates.get', { kind: 'membership' });
    await ok('agreements.templates.edit', {
      kind: 'membership',
      basedOnVersion: template.version,
      content: { ...template.content, statement: `${template.content.statement} ${id.summary}` },
    });
    const draft = (
      await ok('agreements.draft', {
        organisationId: police.id,
        kind: 'membership',
        groupName: 'Northfield group',
        partnerType: 'police_neighbourhoods',
      })
    ).agreement;
    await ok('agreements.updateDraft', { agreementId: draft.id, groupName: `${id.organisation} group` });
    await ok('agreements.get', { agreementId: draft.id });
    const signed = (
      await ok('agreements.sign', {
        agreementId: draft.id,
        signatory: { name: id.partnerName, role: 'Inspector', signature: drawn() },
        witness: { name: id.managerName, role: 'Partnership manager', signature: typed(id.managerName) },
      })
    ).agreement;
    await ok('agreements.newVersion', { agreementId: signed.id });
    await ok('agreements.list', {});
    await ok('agreements.overview', {});
    await ok('agreements.setEnforcement', { enabled: false });
    const pdf = await ok('agreements.exportPdf', { agreementId: signed.id, recipients: [id.recipient] });
    expect((await ok('documents.verify', { sha256: pdf.sha256 })).matches).toHaveLength(1);
    await ok('agreements.terminate', { agreementId: signed.id, reason: id.transitionReason });

    await ok('audit.query', { filter: { kind: 'collection' } });
    await ok('audit.verify');
    const exported = await ok('audit.exportCsv', { recipients: [id.recipient] });
    expect(exported.rows).toBeGreaterThan(20);
    await ok('audit.acknowledgeTamper', { note: id.tamperNote });
    await ok('store.info');
    // A backup in the temp folder (scanned with it), made and checked while the session goes on.
    const backupFolder = tempDir('concordat-proving-backup-');
    await ok('backup.configure', { folder: backupFolder, reminderDays: 7 });
    await ok('backup.settings');
    await ok('backup.create', { out: join(backupFolder, 'session.cbak') });
    await backupJob(host, 'create')!.finished;
    await ok('backup.verify', { file: join(backupFolder, 'session.cbak') });
    await backupJob(host, 'verify')!.finished;
    expect((await ok('backup.status')).state).toBe('done');
    recoveryKeys.push((await ok('store.rotateRecoveryKey')).recoveryKey);
    await ok('store.rotateMasterKey');
    masterKeys.push(...host.vault!.rawKeyPragmas().map((k) => rawKeyHex(k.pragma)));
    const paths = Vault.paths(dataDir);
    const keyOf = (file: string) => rawKeyHex(host.vault!.rawKeyPragmas().find((k) => k.file === file)!.pragma);
    const [openKey, closedKey] = [keyOf(paths.database), keyOf(paths.closedDatabase)];
    await ok('users.changePassphrase', { currentPassphrase: secrets.managerPassphrase, newPassphrase: secrets.managerNewPassphrase });
    await ok('session.lock');
    await ok('session.unlock', { username: 'proving.manager', passphrase: secrets.managerNewPassphrase });
    // The data really is in there, behind the key.
    expect((await ok('cases.get', { caseId: first }, { justification: id.justification })).case.notes[0]!.body === id.noteText).toBe(true);

    // Every operation was called, and succeeded: a new operation must be added to this script.
    expect(OPERATION_NAMES.filter((n) => !succeeded.has(n))).toEqual([]);

    const needles: Needles = {
      ...Object.fromEntries(Object.entries(id).map(([name, text]) => [name, encodings(text)])),
      ...Object.fromEntries(Object.entries(closed).map(([name, text]) => [name, encodings(text)])),
      ...Object.fromEntries(Object.entries(secrets).map(([name, text]) => [name, encodings(text)])),
      ...Object.fromEntries(recoveryKeys.map((key, i) => [`recoveryKey${i}`, [...encodings(key), ...encodings(key.replace(/-/g, ''))]])),
      ...Object.fromEntries(
        masterKeys.flatMap((hex, i) => [
          [`masterKeyHex${i}`, encodings(hex).concat(encodings(hex.toUpperCase()))],
          [`masterKeyBytes${i}`, [Buffer.from(hex, 'hex')]],
        ]),
      ),
    };
    // The scan can find things: a file holding the exported CSV (which carries the justification) and a
    // UTF-16 copy of a name is caught, then removed before the real scan.
    const control = tempDir('concordat-proving-control-');
    writeFileSync(join(control, 'export.csv'), exported.csv);
    writeFileSync(join(control, 'name.txt'), Buffer.from(`x ${id.familyName} x`, 'utf16le'));
    expect(scan(regularFiles(control), needles).found.map((f) => f.slice(control.length + 1))).toEqual(
      expect.arrayContaining(['export.csv: justification', 'name.txt: familyName']),
    );
    rmSync(control, { recursive: true, force: true });

    // Unlocked, with the WAL and SHM beside the database.
    const unlocked = scan(regularFiles(dataDir), needles);
    expect(unlocked.files).toBeGreaterThanOrEqual(3);
    expect(unlocked.found).toEqual([]);
    // The open store as a non-statutory slot holder reads it with their key: no closed-only value in any
    // page or WAL frame, though the open values are there (so the pages really were decrypted).
    const openPages = decryptedPages(paths.database, openKey);
    expect(looksDecrypted(openPages)).toBe(true);
    expect(foundIn(openPages, { familyName: id.familyName, policeReference: id.policeReference })).toEqual([
      'familyName',
      'policeReference',
    ]);
    expect(foundIn(openPages, closed)).toEqual([]);

    await ok('session.lock');
    await host.close();
    expect(foundIn(decryptedPages(paths.database, openKey), closed), 'open store, locked').toEqual([]);
    // The same search over the closed database, with its own key, finds every one of them: it can fail.
    const closedPages = decryptedPages(paths.closedDatabase, closedKey);
    expect(looksDecrypted(closedPages)).toBe(true);
    expect(foundIn(closedPages, closed).sort()).toEqual(Object.keys(closed).sort());
    const dataFolder = scan(regularFiles(dataDir), needles);
    const temp = scan(regularFiles(tmpdir(), startedAt), needles);
    const needleCount = Object.keys(needles).length;
    const forms = Object.values(needles).reduce((n, f) => n + f.length, 0);
    console.log(
      `secrets at rest: ${needleCount} planted values (${Object.keys(id).length} identifiers, ${Object.keys(secrets).length} passphrases, ` +
        `${recoveryKeys.length} recovery keys, ${masterKeys.length} master keys; ${forms} byte patterns) scanned in ${dataFolder.files} data-folder files ` +
        `and ${temp.files} temp files written since the test began (${(temp.bytes / 2 ** 20).toFixed(1)} MiB): found ${dataFolder.found.length + temp.found.length}`,
    );
    expect(dataFolder.found).toEqual([]);
    expect(temp.found).toEqual([]);
    expect(temp.files).toBeGreaterThan(0);
    // A whole working session plus a byte scan of every file other tests wrote to the temp folder meanwhile
    // (over 100 MiB on a busy CI machine) takes minutes, not the default minute.
  }, 600_000);
});
