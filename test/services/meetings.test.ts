// Meetings through the dispatcher, on a real SQLCipher store: the whole cycle from scheduling to the
// review of actions at the next meeting, and every illegal step refused with a typed error that changes
// nothing (the store digest of every table but the audit log).
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import type { Host } from '../../src/host/host.js';
import type { OperationName } from '../../src/contract/operations.js';
import type { MeetingDetail } from '../../src/contract/ops/meetings.js';
import { containsClosedOnly } from '../../src/domain/access.js';
import { REDACTED_TEXT } from '../../src/domain/meetings.js';
import { storeDigest } from '../support/proving-store.js';
import { actAs, call, createCase, createPerson, holdMeeting, inDays, meetingsStore, schedule } from '../support/partnership.js';
import { newHost } from '../support/store.js';

/** The call is refused with `code` on `field`, and not one row of any table (but the audit log) changed. */
async function expectRefused(host: Host, name: OperationName, input: unknown, code: string, field?: string): Promise<void> {
  const before = await storeDigest(host);
  const result = await dispatch(host, name, input);
  expect(result, `${name} ${JSON.stringify(input).slice(0, 200)}`).toMatchObject({
    ok: false,
    error: { code, ...(field === undefined ? {} : { field }) },
  });
  expect(await storeDigest(host), `${name} was refused but changed the store`).toBe(await Promise.resolve(before));
}

describe('meetings: the full cycle', () => {
  it('schedule → agenda proposed → attendance and acknowledgements → minutes with a case status change → submitted → approved → addendum → next agenda carries the actions → each reviewed', async () => {
    const s = await meetingsStore(newHost());
    const { host } = s;
    const ellis = await createPerson(host);
    const shaw = await createPerson(host, {
      givenName: 'Riley',
      familyName: 'Shaw',
      dateOfBirth: '2006-02-02',
      addresses: [],
      identifiers: [],
    });
    const moss = await createPerson(host, {
      givenName: 'Jo',
      familyName: 'Moss',
      dateOfBirth: '1990-03-03',
      addresses: [],
      identifiers: [],
    });
    const newReferral = await createCase(host, [ellis]);
    const active = await createCase(host, [shaw]);
    await call(host, 'cases.transition', { caseId: active, to: 'accepted', reason: 'Meets the threshold' });
    await call(host, 'cases.transition', { caseId: active, to: 'active', reason: 'Plan agreed' });
    const supported = await createCase(host, [moss], { alreadySupported: { service: 'CAMHS', decision: 'do_not_discuss' } });
    await call(host, 'cases.transition', { caseId: supported, to: 'accepted', reason: 'Meets the threshold' });
    const elsewhere = await createCase(host, [moss], { area: 'Kings Norton' });

    // Schedule: a closed People meeting in three weeks (high-risk reviews fall due in two).
    const meeting = await schedule(host, s);
    expect(meeting).toMatchObject({
      status: 'scheduled',
      minutesStatus: 'not_started',
      closed: true,
      closedOnly: true,
      agenda: [],
      quorum: { required: 3, met: false },
    });
    expect(meeting.confidentialityStatement).toContain('confidential');

    // The agenda is proposed from the area's cases; the one supported elsewhere is shown, not proposed by default.
    const { proposals } = await call(host, 'meetings.proposeAgenda', { meetingId: meeting.id });
    const byCase = new Map(proposals.map((p) => [p.case.id, p]));
    expect(byCase.get(newReferral)).toMatchObject({
      reasons: ['new_referral'],
      proposedByDefault: true,
      case: { subjects: ['Jordan Ellis'] },
    });
    expect(byCase.get(active)).toMatchObject({ reasons: ['review_due'], proposedByDefault: true });
    expect(byCase.get(supported)).toMatchObject({
      reasons: ['review_due'],
      proposedByDefault: false,
      case: { alreadySupported: { service: 'CAMHS', decision: 'do_not_discuss' } },
    });
    expect(byCase.has(elsewhere)).toBe(false);
    for (const p of proposals.filter((x) => x.proposedByDefault)) {
      await call(host, 'meetings.addAgendaItem', {
        meetingId: meeting.id,
        caseId: p.case.id,
        reason: 'Proposed',
        proposalReasons: p.reasons,
      });
    }
    await expectRefused(host, 'meetings.addAgendaItem', { meetingId: meeting.id, caseId: active, reason: 'Again' }, 'CONFLICT', 'caseId');
    const other = await call(host, 'meetings.addAgendaItem', {
      meetingId: meeting.id,
      kind: 'other',
      title: 'Partnership updates',
      reason: 'Chair asked',
    });
    const removed = await call(host, 'meetings.removeAgendaItem', {
      meetingId: meeting.id,
      agendaItemId: other.item.id,
      reason: 'Nothing to report',
    });
    expect(removed.agenda.find((i) => i.id === other.item.id)?.removed).toMatchObject({ reason: 'Nothing to report' });
    const order = removed.agenda.map((i) => i.id).reverse();
    const reordered = await call(host, 'meetings.reorderAgenda', {
      meetingId: meeting.id,
      agendaItemIds: order,
      reason: 'Highest risk first',
    });
    expect(reordered.agenda.map((i) => i.id)).toEqual(order);
    const items = new Map(reordered.agenda.flatMap((i) => (i.case ? [[i.case.id, i.id] as const] : [])));
    expect(await call(host, 'meetings.proposeAgenda', { meetingId: meeting.id })).toMatchObject({
      proposals: expect.arrayContaining([
        expect.objectContaining({ case: expect.objectContaining({ id: active }), alreadyOnAgenda: true }),
      ]),
    });

    // A closed meeting admits statutory partners only.
    await expectRefused(
      host,
      'meetings.addAttendee',
      { meetingId: meeting.id, name: 'Sam Charity', organisationId: s.organisations.charity },
      'FORBIDDEN',
      'organisationId',
    );

    // Attendance, then the minutes wait for every acknowledgement.
    const chair = (
      await call(host, 'meetings.addAttendee', {
        meetingId: meeting.id,
        name: 'Insp. Kaur',
        organisationId: s.organisations.police,
        userId: s.users.statutory,
      })
    ).attendee;
    expect(chair.isChair).toBe(true);
    const me = (
      await call(host, 'meetings.addAttendee', {
        meetingId: meeting.id,
        name: 'Alex Manager',
        organisationId: s.organisations.cst,
        userId: s.users.manager,
      })
    ).attendee;
    const housing = (
      await call(host, 'meetings.addAttendee', {
        meetingId: meeting.id,
        name: 'Pat Lowe',
        organisationId: s.organisations.housing,
        role: 'Housing',
      })
    ).attendee;
    await expectRefused(
      host,
      'meetings.acknowledgeConfidentiality',
      { meetingId: meeting.id, attendeeId: chair.id },
      'INVALID_TRANSITION',
      'attendeeId',
    );
    for (const a of [chair, me, housing])
      await call(host, 'meetings.setAttendance', { meetingId: meeting.id, attendeeId: a.id, attendance: 'present', arrivedAt: '10:00' });
    const left = await call(host, 'meetings.setAttendance', {
      meetingId: meeting.id,
      attendeeId: housing.id,
      attendance: 'present',
      leftAt: '11:15',
    });
    expect(left).toMatchObject({
      attendee: { arrivedAt: '10:00', leftAt: '11:15' },
      quorum: { met: true, presentOrganisations: 3, chairPresent: true },
    });
    await expectRefused(
      host,
      'meetings.setAttendance',
      { meetingId: meeting.id, attendeeId: housing.id, attendance: 'present', leftAt: '09:00' },
      'VALIDATION',
      'leftAt',
    );
    await call(host, 'meetings.acknowledgeConfidentiality', { meetingId: meeting.id, attendeeId: chair.id });
    await call(host, 'meetings.acknowledgeConfidentiality', { meetingId: meeting.id, attendeeId: me.id });
    await expectRefused(host, 'minutes.start', { meetingId: meeting.id }, 'INVALID_TRANSITION', 'attendees');
    await expectRefused(
      host,
      'minutes.saveItem',
      { meetingId: meeting.id, agendaItemId: items.get(active)!, revision: 0, paragraphs: [{ text: 'Too early' }] },
      'INVALID_TRANSITION',
      'meetingId',
    );
    const ack = await call(host, 'meetings.acknowledgeConfidentiality', { meetingId: meeting.id, attendeeId: housing.id });
    expect(ack).toMatchObject({ allPresentAcknowledged: true, attendee: { acknowledgement: { recordedBy: { id: s.users.manager } } } });
    const started = await call(host, 'minutes.start', { meetingId: meeting.id });
    expect(started).toMatchObject({ minutes: { status: 'draft', startedBy: { id: s.users.manager } }, quorum: { met: true } });
    await expectRefused(host, 'minutes.start', { meetingId: meeting.id }, 'INVALID_TRANSITION', 'meetingId');

    // Minutes per item: paragraphs with a closed-only paragraph and a closed-only span; autosave semantics.
    const text = 'Police report intelligence from the PPU about an older associate. Housing to visit.';
    const span = { start: text.indexOf('intelligence'), end: text.indexOf(' about') };
    const first = await call(host, 'minutes.saveItem', {
      meetingId: meeting.id,
      agendaItemId: items.get(active)!,
      revision: 0,
      paragraphs: [
        { text, closedOnlySpans: [span] },
        { text: 'Whole paragraph for the closed meeting.', closedOnly: true },
      ],
    });
    expect(first.item).toMatchObject({
      revision: 1,
      paragraphs: [
        { closedOnly: false, closedOnlySpans: [{ ...span, closedOnly: true }] },
        { closedOnly: true, closedOnlySpans: [] },
      ],
    });
    const again = await call(host, 'minutes.saveItem', {
      meetingId: meeting.id,
      agendaItemId: items.get(active)!,
      revision: 0,
      paragraphs: [
        { text, closedOnlySpans: [span] },
        { text: 'Whole paragraph for the closed meeting.', closedOnly: true },
      ],
    });
    expect(again.item.revision).toBe(1);
    await expectRefused(
      host,
      'minutes.saveItem',
      { meetingId: meeting.id, agendaItemId: items.get(active)!, revision: 0, paragraphs: [{ text: 'Stale copy' }] },
      'CONFLICT',
      'revision',
    );
    await expectRefused(
      host,
      'minutes.saveItem',
      {
        meetingId: meeting.id,
        agendaItemId: items.get(active)!,
        revision: 1,
        paragraphs: [{ text: 'short', closedOnlySpans: [{ start: 2, end: 9 }] }],
      },
      'VALIDATION',
      'paragraphs.0.closedOnlySpans.0.end',
    );
    await expectRefused(
      host,
      'minutes.saveItem',
      {
        meetingId: meeting.id,
        agendaItemId: items.get(active)!,
        revision: 1,
        paragraphs: [
          {
            text: 'overlapping spans here',
            closedOnlySpans: [
              { start: 0, end: 5 },
              { start: 3, end: 8 },
            ],
          },
        ],
      },
      'VALIDATION',
      'paragraphs.0.closedOnlySpans.1.start',
    );
    const second = await call(host, 'minutes.saveItem', {
      meetingId: meeting.id,
      agendaItemId: items.get(active)!,
      revision: 1,
      paragraphs: [{ text, closedOnlySpans: [span] }],
    });
    expect(second.item.revision).toBe(2);

    // Decisions: a case status change through the lifecycle; an illegal one is refused and changes nothing.
    await expectRefused(
      host,
      'minutes.recordDecision',
      { meetingId: meeting.id, agendaItemId: items.get(active)!, text: 'Close it', caseStatus: { to: 'closed', outcome: 'resolved' } },
      'INVALID_TRANSITION',
      'caseStatus.to',
    );
    const accepted = await call(host, 'minutes.recordDecision', {
      meetingId: meeting.id,
      agendaItemId: items.get(newReferral)!,
      text: 'Accepted: meets the threshold for the group.',
      caseStatus: { to: 'accepted' },
    });
    expect(accepted.decision).toMatchObject({ kind: 'case_status', caseStatus: { from: 'referred', to: 'accepted', outcome: null } });
    const referralCase = (await call(host, 'cases.get', { caseId: newReferral })).case;
    expect(referralCase.status).toBe('accepted');
    expect(referralCase.transitions.at(-1)).toMatchObject({
      from: 'referred',
      to: 'accepted',
      reason: 'Accepted: meets the threshold for the group.',
    });
    const riskDown = await call(host, 'minutes.recordDecision', {
      meetingId: meeting.id,
      agendaItemId: items.get(active)!,
      text: 'Risk lowered after engagement.',
      risk: { personalHarm: 'medium', communityHarm: 'low', environmentalHarm: 'low' },
    });
    expect(riskDown.decision).toMatchObject({ kind: 'risk_change', risk: { from: 'high', to: 'medium' } });
    expect((await call(host, 'cases.get', { caseId: active })).case.risk.overall).toBe('medium');

    // Actions: on a case (owner organisation, named officer, due date) and on the meeting.
    const visit = (
      await call(host, 'actions.create', {
        meetingId: meeting.id,
        agendaItemId: items.get(active)!,
        description: 'Home visit',
        ownerOrganisationId: s.organisations.housing,
        officer: 'Pat Lowe',
        dueDate: inDays(28),
      })
    ).action;
    expect(visit).toMatchObject({
      case: { id: active },
      status: 'open',
      ownerOrganisation: { name: 'Birmingham City Council Housing' },
      closedOnly: true,
    });
    const patrol = (
      await call(host, 'actions.create', {
        meetingId: meeting.id,
        description: 'Extra patrols at the parade',
        ownerOrganisationId: s.organisations.police,
        officer: 'PC Jones',
        dueDate: inDays(35),
      })
    ).action;
    const letter = (
      await call(host, 'actions.create', {
        meetingId: meeting.id,
        caseId: newReferral,
        description: 'Letter to the family',
        ownerOrganisationId: s.organisations.cst,
        officer: 'Alex Manager',
        dueDate: inDays(25),
      })
    ).action;
    await expectRefused(
      host,
      'actions.create',
      { meetingId: meeting.id, description: 'x', ownerOrganisationId: s.organisations.charity, officer: 'Sam', dueDate: inDays(30) },
      'FORBIDDEN',
      'ownerOrganisationId',
    );
    await expectRefused(
      host,
      'actions.create',
      { meetingId: meeting.id, description: 'x', ownerOrganisationId: s.organisations.police, officer: 'PC Jones', dueDate: inDays(1) },
      'VALIDATION',
      'dueDate',
    );

    // Submitted, then approved by the chair only (name and time).
    await call(host, 'minutes.submit', { meetingId: meeting.id });
    await expectRefused(
      host,
      'minutes.saveItem',
      { meetingId: meeting.id, agendaItemId: items.get(active)!, revision: 2, paragraphs: [] },
      'INVALID_TRANSITION',
      'meetingId',
    );
    await expectRefused(host, 'minutes.approve', { meetingId: meeting.id }, 'FORBIDDEN', 'meetingId');
    await actAs(host, 'statutory');
    const approved = await call(host, 'minutes.approve', { meetingId: meeting.id });
    expect(approved.minutes).toMatchObject({
      status: 'approved',
      approvedBy: { id: s.users.statutory, displayName: 'PC Jones' },
      approvedAt: expect.any(String),
    });
    await actAs(host, 'manager');

    // Approved minutes refuse every edit, through the dispatcher and by direct SQL (the triggers).
    const activeItem = items.get(active)!;
    await expectRefused(
      host,
      'minutes.saveItem',
      { meetingId: meeting.id, agendaItemId: activeItem, revision: 2, paragraphs: [] },
      'INVALID_TRANSITION',
      'meetingId',
    );
    await expectRefused(
      host,
      'minutes.recordDecision',
      { meetingId: meeting.id, agendaItemId: activeItem, text: 'Late decision' },
      'INVALID_TRANSITION',
      'meetingId',
    );
    await expectRefused(
      host,
      'actions.create',
      { meetingId: meeting.id, description: 'Late', ownerOrganisationId: s.organisations.police, officer: 'PC Jones', dueDate: inDays(40) },
      'INVALID_TRANSITION',
      'meetingId',
    );
    await expectRefused(host, 'minutes.submit', { meetingId: meeting.id }, 'INVALID_TRANSITION', 'meetingId');
    await expectRefused(host, 'meetings.update', { meetingId: meeting.id, place: 'Elsewhere' }, 'INVALID_TRANSITION', 'meetingId');
    await expectRefused(
      host,
      'meetings.addAgendaItem',
      { meetingId: meeting.id, kind: 'other', title: 'Late item', reason: 'x' },
      'INVALID_TRANSITION',
      'meetingId',
    );
    await expectRefused(
      host,
      'meetings.setAttendance',
      { meetingId: meeting.id, attendeeId: housing.id, attendance: 'absent' },
      'INVALID_TRANSITION',
      'meetingId',
    );
    const db = host.vault!.db;
    const frozen = /approved minutes never change/;
    // The meeting is closed, so its decisions and actions are sealed: either guard refuses the change.
    const frozenOrSealed = /approved minutes never change|closed-only content is sealed/;
    const before = await storeDigest(host);
    await expect(db.run('UPDATE main.minute_paragraphs SET text = ? WHERE meeting_id = ?', ['rewritten', meeting.id])).rejects.toThrow(
      frozen,
    );
    await expect(db.run('DELETE FROM main.minute_paragraphs WHERE meeting_id = ?', [meeting.id])).rejects.toThrow(frozen);
    await expect(
      db.run('INSERT INTO main.minute_paragraphs (meeting_id, agenda_item_id, position, text, closed_only) VALUES (?, ?, 9, ?, 0)', [
        meeting.id,
        activeItem,
        'slipped in',
      ]),
    ).rejects.toThrow(frozen);
    await expect(db.run('DELETE FROM minute_spans WHERE meeting_id = ?', [meeting.id])).rejects.toThrow(frozen);
    await expect(db.run('UPDATE main.minute_decisions SET text = ? WHERE meeting_id = ?', ['other', meeting.id])).rejects.toThrow(
      frozenOrSealed,
    );
    await expect(db.run('UPDATE minute_items SET revision = 99 WHERE meeting_id = ?', [meeting.id])).rejects.toThrow(frozen);
    await expect(db.run('UPDATE main.agenda_items SET title = ? WHERE meeting_id = ?', ['renamed', meeting.id])).rejects.toThrow(
      frozenOrSealed,
    );
    await expect(
      db.run("UPDATE main.meetings SET minutes_status = 'draft', minutes_approved_at = NULL WHERE id = ?", [meeting.id]),
    ).rejects.toThrow(frozen);
    await expect(db.run('UPDATE main.actions SET description = ? WHERE id = ?', ['reworded', visit.id])).rejects.toThrow(frozenOrSealed);
    await expect(db.run('DELETE FROM main.meetings WHERE id = ?', [meeting.id])).rejects.toThrow(/never deleted|cancel one/);
    expect(await storeDigest(host)).toBe(before);

    // An addendum: author, time, reason, after the item it corrects.
    await expectRefused(
      host,
      'minutes.addAddendum',
      { meetingId: 999_999, agendaItemId: activeItem, text: 'x', reason: 'y' },
      'NOT_FOUND',
      'meetingId',
    );
    const addendum = await call(host, 'minutes.addAddendum', {
      meetingId: meeting.id,
      agendaItemId: activeItem,
      text: 'The visit is by the tenancy officer, not the housing manager.',
      reason: 'Correction from Housing',
    });
    expect(addendum.addendum).toMatchObject({ author: { id: s.users.manager }, reason: 'Correction from Housing', at: expect.any(String) });
    expect(addendum.item.addenda).toHaveLength(1);
    await expect(db.run('UPDATE main.minute_addenda SET text = ?', ['changed'])).rejects.toThrow(
      /never changed|closed-only content is sealed/,
    );
    const page = (await call(host, 'meetings.get', { meetingId: meeting.id })).meeting;
    const activeMinutes = page.minutes.items.find((i) => i.agendaItemId === activeItem)!;
    expect(activeMinutes).toMatchObject({
      revision: 2,
      paragraphs: [{ text }],
      decisions: [{ kind: 'risk_change' }],
      addenda: [{ reason: 'Correction from Housing' }],
    });
    expect(page.actions.map((a) => a.id).sort()).toEqual([visit.id, patrol.id, letter.id].sort());

    // The next meeting of the area: standing items, and the incomplete actions carried for review.
    const next = await schedule(host, s, { date: inDays(49) });
    expect(next.previousMeeting).toMatchObject({ id: meeting.id, minutesStatus: 'approved' });
    expect(next.agenda.map((i) => i.kind)).toEqual(['previous_minutes', 'actions_review']);
    // Before the cases are on its agenda, the page reviews the meeting's own action and counts the others.
    expect(next.actionsToReview.map((a) => a.id)).toEqual([patrol.id]);
    expect(next.actionsToReviewNotOnAgenda).toBe(2);
    expect((await call(host, 'actions.list', { toReviewAt: next.id })).actions.map((a) => a.id).sort()).toEqual(
      [visit.id, patrol.id, letter.id].sort(),
    );
    const nextProposals = (await call(host, 'meetings.proposeAgenda', { meetingId: next.id })).proposals;
    const carried = nextProposals.find((p) => p.case.id === active)!;
    expect(carried.reasons).toEqual(expect.arrayContaining(['incomplete_actions', 'overdue_actions']));
    expect(carried).toMatchObject({ incompleteActions: 1, overdueActions: 1 });
    expect(nextProposals.find((p) => p.case.id === newReferral)).toMatchObject({ incompleteActions: 1 });
    for (const p of nextProposals.filter((x) => x.incompleteActions > 0)) {
      await call(host, 'meetings.addAgendaItem', {
        meetingId: next.id,
        caseId: p.case.id,
        reason: 'Actions to review',
        proposalReasons: p.reasons,
      });
    }
    const carriedOver = (await call(host, 'meetings.get', { meetingId: next.id })).meeting;
    expect(carriedOver.actionsToReview.map((a) => a.id).sort()).toEqual([visit.id, patrol.id, letter.id].sort());
    expect(carriedOver.actionsToReviewNotOnAgenda).toBe(0);

    // Each reviewed: done, carried over with a new date, failed with the reason.
    await expectRefused(
      host,
      'actions.review',
      { actionId: visit.id, meetingId: next.id, outcome: 'done' },
      'INVALID_TRANSITION',
      'meetingId',
    );
    await holdMeeting(host, s, next.id);
    await expectRefused(
      host,
      'actions.review',
      { actionId: visit.id, meetingId: meeting.id, outcome: 'done' },
      'INVALID_TRANSITION',
      'meetingId',
    );
    await expectRefused(
      host,
      'actions.review',
      { actionId: patrol.id, meetingId: next.id, outcome: 'carried_over' },
      'VALIDATION',
      'newDueDate',
    );
    await expectRefused(
      host,
      'actions.review',
      { actionId: letter.id, meetingId: next.id, outcome: 'failed', failureReason: 'other' },
      'VALIDATION',
      'note',
    );
    await expectRefused(
      host,
      'actions.review',
      { actionId: letter.id, meetingId: next.id, outcome: 'failed' },
      'VALIDATION',
      'failureReason',
    );
    expect((await call(host, 'actions.review', { actionId: visit.id, meetingId: next.id, outcome: 'done' })).action).toMatchObject({
      status: 'done',
      overdue: false,
    });
    const patrolled = (
      await call(host, 'actions.review', {
        actionId: patrol.id,
        meetingId: next.id,
        outcome: 'carried_over',
        newDueDate: inDays(70),
        note: 'Summer',
      })
    ).action;
    expect(patrolled).toMatchObject({
      status: 'carried_over',
      dueDate: inDays(70),
      reviews: [{ meetingId: next.id, outcome: 'carried_over', newDueDate: inDays(70) }],
    });
    const failed = (
      await call(host, 'actions.review', {
        actionId: letter.id,
        meetingId: next.id,
        outcome: 'failed',
        failureReason: 'agency_did_not_act',
      })
    ).action;
    expect(failed).toMatchObject({ status: 'failed', failureReason: 'agency_did_not_act' });
    await expectRefused(
      host,
      'actions.review',
      { actionId: visit.id, meetingId: next.id, outcome: 'done' },
      'INVALID_TRANSITION',
      'actionId',
    );
    const reviewed = (await call(host, 'meetings.get', { meetingId: next.id })).meeting.actionsToReview;
    expect(reviewed.map((a) => [a.id, a.status]).sort()).toEqual(
      [
        [visit.id, 'done'],
        [patrol.id, 'carried_over'],
        [letter.id, 'failed'],
      ].sort(),
    );

    // Lists: my organisation's, a case's, overdue; and the case profile's meetings.
    expect((await call(host, 'actions.list', { mine: true })).actions.map((a) => a.id)).toEqual([letter.id]);
    expect((await call(host, 'actions.list', { organisationId: s.organisations.police })).actions.map((a) => a.id)).toEqual([patrol.id]);
    expect((await call(host, 'actions.list', { overdue: true })).total).toBe(0);
    const forCase = await call(host, 'meetings.forCase', { caseId: active });
    expect(forCase.meetings.map((m) => m.id)).toEqual([next.id, meeting.id]);
    expect(forCase.actions.map((a) => a.id)).toEqual([visit.id]);
    const listed = await call(host, 'meetings.list', { when: 'upcoming', area: 'northfield' });
    expect(listed.meetings.map((m) => m.id)).toEqual([meeting.id, next.id]);
  });
});

describe('meetings: rules', () => {
  it('quorum not met is flagged (and does not stop the meeting)', async () => {
    const s = await meetingsStore(newHost());
    const meeting = await schedule(s.host, s, { quorum: { minimumOrganisations: 2, chairPresent: true } });
    const { attendee } = await call(s.host, 'meetings.addAttendee', {
      meetingId: meeting.id,
      name: 'Alex Manager',
      organisationId: s.organisations.cst,
      userId: s.users.manager,
    });
    const { quorum } = await call(s.host, 'meetings.setAttendance', {
      meetingId: meeting.id,
      attendeeId: attendee.id,
      attendance: 'present',
    });
    expect(quorum).toMatchObject({ required: 2, presentOrganisations: 1, chairPresent: false, met: false });
    expect(quorum.shortfall).toHaveLength(2);
    await call(s.host, 'meetings.acknowledgeConfidentiality', { meetingId: meeting.id, attendeeId: attendee.id });
    expect(await call(s.host, 'minutes.start', { meetingId: meeting.id })).toMatchObject({
      minutes: { status: 'draft' },
      quorum: { met: false },
    });
    const dflt = await schedule(s.host, s, { area: 'Kings Norton' });
    expect(dflt.quorum).toMatchObject({ required: 3, chairRequired: true, met: false });
  });

  it('a closed meeting refuses a non-statutory attendee, invitee or action owner; an open one admits them', async () => {
    const s = await meetingsStore(newHost());
    await expectRefused(
      s.host,
      'meetings.schedule',
      {
        kind: 'people',
        area: 'Northfield',
        date: inDays(3),
        startTime: '10:00',
        place: 'Hall',
        chairId: s.users.statutory,
        minuteTakerId: s.users.manager,
        invitedOrganisationIds: [s.organisations.police, s.organisations.charity],
      },
      'FORBIDDEN',
      'invitedOrganisationIds.1',
    );
    await expectRefused(
      s.host,
      'meetings.schedule',
      {
        kind: 'people',
        area: 'Northfield',
        date: inDays(3),
        startTime: '10:00',
        place: 'Hall',
        chairId: s.users.non_statutory,
        minuteTakerId: s.users.manager,
      },
      'VALIDATION',
      'chairId',
    );
    const closed = await schedule(s.host, s);
    const refused = await dispatch(s.host, 'meetings.addAttendee', {
      meetingId: closed.id,
      name: 'Sam Charity',
      organisationId: s.organisations.charity,
      userId: s.users.non_statutory,
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', field: 'organisationId', details: { rule: 'statutory_only' } },
    });
    if (!refused.ok) expect(refused.error.message).toMatch(/Northfield Residents Trust is not a statutory partner/);
    const open = await schedule(s.host, s, { closed: false });
    expect(
      (
        await call(s.host, 'meetings.addAttendee', {
          meetingId: open.id,
          name: 'Sam Charity',
          organisationId: s.organisations.charity,
          userId: s.users.non_statutory,
        })
      ).attendee.organisation.statutory,
    ).toBe(false);
    await expectRefused(s.host, 'meetings.update', { meetingId: open.id, closed: true }, 'FORBIDDEN', 'closed');
  });

  it('a non-statutory member reads an open meeting without any closed-only paragraph, span, decision, addendum or action, and never sees a closed one', async () => {
    const s = await meetingsStore(newHost());
    const { host } = s;
    const SECRET = 'Xyloquent';
    const person = await createPerson(host);
    const openCase = await createCase(host, [person]);
    const hiddenCase = await createCase(host, [person], { closedOnly: true, summary: SECRET });
    const open = await schedule(host, s, { closed: false, date: inDays(-1) });
    const closed = await schedule(host, s, { date: inDays(-2) });
    const item = (await call(host, 'meetings.addAgendaItem', { meetingId: open.id, caseId: openCase, reason: 'Review' })).item;
    await expectRefused(
      host,
      'meetings.addAgendaItem',
      { meetingId: open.id, caseId: hiddenCase, reason: 'Review' },
      'VALIDATION',
      'caseId',
    );
    await call(host, 'meetings.addAgendaItem', { meetingId: closed.id, caseId: hiddenCase, reason: `Review ${SECRET}` });
    await holdMeeting(host, s, open.id, [{ organisationId: s.organisations.charity, name: 'Sam Charity' }]);
    const text = `Open part. ${SECRET} from the PPU. Open again.`;
    await call(host, 'minutes.saveItem', {
      meetingId: open.id,
      agendaItemId: item.id,
      revision: 0,
      paragraphs: [
        { text, closedOnlySpans: [{ start: text.indexOf(SECRET), end: text.indexOf(' Open again') }] },
        { text: `${SECRET} said after Sam Charity left.`, closedOnly: true },
        { text: 'Agreed to keep monitoring.' },
      ],
    });
    await call(host, 'minutes.recordDecision', { meetingId: open.id, agendaItemId: item.id, text: `${SECRET} decision`, closedOnly: true });
    await call(host, 'minutes.recordDecision', { meetingId: open.id, agendaItemId: item.id, text: 'Open decision' });
    await call(host, 'actions.create', {
      meetingId: open.id,
      agendaItemId: item.id,
      description: `${SECRET} action`,
      ownerOrganisationId: s.organisations.charity,
      officer: 'Sam',
      dueDate: inDays(10),
      closedOnly: true,
    });
    const openAction = (
      await call(host, 'actions.create', {
        meetingId: open.id,
        agendaItemId: item.id,
        description: 'Leaflet drop',
        ownerOrganisationId: s.organisations.charity,
        officer: 'Sam',
        dueDate: inDays(10),
      })
    ).action;
    await call(host, 'actions.create', {
      meetingId: open.id,
      description: 'Police patrols',
      ownerOrganisationId: s.organisations.police,
      officer: 'PC Jones',
      dueDate: inDays(10),
    });
    await call(host, 'minutes.submit', { meetingId: open.id });
    await actAs(host, 'statutory');
    await call(host, 'minutes.approve', { meetingId: open.id });
    await call(host, 'minutes.addAddendum', {
      meetingId: open.id,
      agendaItemId: item.id,
      text: `${SECRET} addendum`,
      reason: 'Closed correction',
      closedOnly: true,
    });
    await call(host, 'minutes.addAddendum', {
      meetingId: open.id,
      agendaItemId: item.id,
      text: 'Open addendum',
      reason: 'Open correction',
    });
    // The statutory view carries everything (so the checks below can fail).
    const full = await call(host, 'meetings.get', { meetingId: open.id });
    expect(JSON.stringify(full)).toContain(SECRET);
    expect(containsClosedOnly(full)).toBe(true);

    await actAs(host, 'non_statutory');
    const responses = [
      await dispatch(host, 'meetings.get', { meetingId: open.id }),
      await dispatch(host, 'meetings.get', { meetingId: closed.id }),
      await dispatch(host, 'meetings.list', {}),
      await dispatch(host, 'meetings.forCase', { caseId: openCase }),
      await dispatch(host, 'actions.list', {}),
      await dispatch(host, 'actions.list', { meetingId: open.id }),
    ];
    for (const r of responses) {
      expect(JSON.stringify(r)).not.toContain(SECRET);
      expect(containsClosedOnly(r)).toBe(false);
    }
    const [page, hidden, list, , mine] = responses as { ok: true; value: never }[];
    expect(hidden).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'meetingId' } });
    const meeting = (page as unknown as { value: { meeting: MeetingDetail } }).value.meeting;
    const minutes = meeting.minutes.items.find((i) => i.agendaItemId === item.id)!;
    expect(minutes.paragraphs.map((p) => p.text)).toEqual([`Open part. ${REDACTED_TEXT} Open again.`, 'Agreed to keep monitoring.']);
    expect(minutes.decisions.map((d) => d.text)).toEqual(['Open decision']);
    expect(minutes.addenda.map((a) => a.text)).toEqual(['Open addendum']);
    expect((list as unknown as { value: { meetings: { id: number }[] } }).value.meetings.map((m) => m.id)).toEqual([open.id]);
    expect((mine as unknown as { value: { actions: { id: number }[] } }).value.actions.map((a) => a.id)).toEqual([openAction.id]);
    await expectRefused(host, 'actions.list', { organisationId: s.organisations.police }, 'FORBIDDEN', 'organisationId');
    await expectRefused(host, 'meetings.raiseCase', { meetingId: closed.id, caseId: openCase, reason: 'Please' }, 'NOT_FOUND', 'meetingId');
    for (const name of ['meetings.schedule', 'minutes.saveItem', 'actions.create', 'minutes.approve'] as const) {
      expect(await dispatch(host, name, {}), name).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });
});

describe('meetings: bad input is a typed error naming the field, and changes nothing', () => {
  it('refuses each illegal step', async () => {
    const s = await meetingsStore(newHost());
    const { host } = s;
    const person = await createPerson(host);
    const kase = await createCase(host, [person]);
    const m = await schedule(host, s);
    const item = (await call(host, 'meetings.addAgendaItem', { meetingId: m.id, caseId: kase, reason: 'Review' })).item;
    const table: [OperationName, unknown, string, string | undefined][] = [
      [
        'meetings.schedule',
        {
          ...{
            kind: 'people',
            area: 'N',
            date: inDays(3),
            startTime: '25:00',
            place: 'Hall',
            chairId: s.users.statutory,
            minuteTakerId: s.users.manager,
          },
        },
        'VALIDATION',
        'startTime',
      ],
      [
        'meetings.schedule',
        {
          kind: 'people',
          area: 'N',
          date: inDays(3),
          startTime: '10:00',
          endTime: '09:00',
          place: 'Hall',
          chairId: s.users.statutory,
          minuteTakerId: s.users.manager,
        },
        'VALIDATION',
        'endTime',
      ],
      [
        'meetings.schedule',
        { kind: 'people', area: 'N', date: inDays(3), startTime: '10:00', chairId: s.users.statutory, minuteTakerId: s.users.manager },
        'VALIDATION',
        'place',
      ],
      [
        'meetings.schedule',
        {
          kind: 'people',
          area: 'N',
          date: '2026-02-30',
          startTime: '10:00',
          place: 'Hall',
          chairId: s.users.statutory,
          minuteTakerId: s.users.manager,
        },
        'VALIDATION',
        'date',
      ],
      [
        'meetings.schedule',
        { kind: 'people', area: 'N', date: inDays(3), startTime: '10:00', place: 'Hall', chairId: 999_999, minuteTakerId: s.users.manager },
        'NOT_FOUND',
        'chairId',
      ],
      ['meetings.update', { meetingId: m.id }, 'VALIDATION', undefined],
      ['meetings.update', { meetingId: 999_999, area: 'X' }, 'NOT_FOUND', 'meetingId'],
      ['meetings.addAttendee', { meetingId: m.id, name: '', organisationId: s.organisations.police }, 'VALIDATION', 'name'],
      ['meetings.addAttendee', { meetingId: m.id, name: 'X', organisationId: 999_999 }, 'NOT_FOUND', 'organisationId'],
      [
        'meetings.addAttendee',
        { meetingId: m.id, name: 'X', organisationId: s.organisations.housing, userId: s.users.statutory },
        'VALIDATION',
        'userId',
      ],
      ['meetings.setAttendance', { meetingId: m.id, attendeeId: 999_999, attendance: 'present' }, 'NOT_FOUND', 'attendeeId'],
      ['meetings.setAttendance', { meetingId: m.id, attendeeId: 1, attendance: 'here' }, 'VALIDATION', 'attendance'],
      ['meetings.addAgendaItem', { meetingId: m.id, kind: 'case', reason: 'x' }, 'VALIDATION', 'caseId'],
      ['meetings.addAgendaItem', { meetingId: m.id, kind: 'other', reason: 'x' }, 'VALIDATION', 'title'],
      ['meetings.addAgendaItem', { meetingId: m.id, caseId: kase }, 'VALIDATION', 'reason'],
      ['meetings.addAgendaItem', { meetingId: m.id, caseId: 999_999, reason: 'x' }, 'NOT_FOUND', 'caseId'],
      ['meetings.removeAgendaItem', { meetingId: m.id, agendaItemId: item.id, reason: '' }, 'VALIDATION', 'reason'],
      ['meetings.removeAgendaItem', { meetingId: m.id, agendaItemId: 999_999, reason: 'x' }, 'NOT_FOUND', 'agendaItemId'],
      ['meetings.reorderAgenda', { meetingId: m.id, agendaItemIds: [item.id, 999_999] }, 'VALIDATION', 'agendaItemIds'],
      ['meetings.reorderAgenda', { meetingId: m.id, agendaItemIds: [item.id, item.id] }, 'VALIDATION', 'agendaItemIds'],
      ['minutes.start', { meetingId: m.id }, 'INVALID_TRANSITION', 'attendees'],
      ['minutes.submit', { meetingId: m.id }, 'INVALID_TRANSITION', 'meetingId'],
      ['minutes.return', { meetingId: m.id, reason: 'x' }, 'FORBIDDEN', 'meetingId'],
      ['minutes.addAddendum', { meetingId: m.id, agendaItemId: item.id, text: 'x', reason: 'y' }, 'INVALID_TRANSITION', 'meetingId'],
      ['minutes.saveItem', { meetingId: m.id, agendaItemId: item.id, revision: -1, paragraphs: [] }, 'VALIDATION', 'revision'],
      [
        'actions.create',
        { meetingId: m.id, description: 'x', ownerOrganisationId: s.organisations.police, officer: 'x', dueDate: inDays(30) },
        'INVALID_TRANSITION',
        'meetingId',
      ],
      ['actions.review', { actionId: 999_999, meetingId: m.id, outcome: 'done' }, 'NOT_FOUND', 'actionId'],
      ['actions.review', { actionId: 1, meetingId: m.id, outcome: 'maybe' }, 'VALIDATION', 'outcome'],
      ['actions.list', { status: [] }, 'VALIDATION', 'status'],
      ['meetings.get', { meetingId: 'one' }, 'VALIDATION', 'meetingId'],
      ['meetings.get', { meetingId: 999_999 }, 'NOT_FOUND', 'meetingId'],
      ['meetings.forCase', { caseId: 999_999 }, 'NOT_FOUND', 'caseId'],
      ['meetings.proposeAgenda', { meetingId: m.id, extra: 1 }, 'VALIDATION', 'extra'],
    ];
    for (const [name, input, code, field] of table) await expectRefused(host, name, input, code, field);
  });
});
