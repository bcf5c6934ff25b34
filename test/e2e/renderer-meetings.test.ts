// Meetings in real Chromium against a real store, with the keyboard alone: a meeting from scheduling to
// approved minutes (register and acknowledgements, quorum, agenda proposals and reordering, minutes with
// autosave and closed-only marks, a decision that changes the case's status, an action, approval, an
// addendum); the review of earlier actions at the next meeting; "My organisation's actions"; and a
// non-statutory member's view of the same meeting, which shows no closed-only span. axe on every screen.
import { describe, expect, it } from 'vitest';
import {
  type App,
  chooseOption,
  CLOSED_MINUTES,
  expectNoAxeViolations,
  expectNoProblems,
  focusedId,
  HOUSING,
  inDays,
  MANAGER,
  type MeetingsSeed,
  NON_STATUTORY,
  openApp,
  type Page,
  pageHtml,
  pageText,
  type Partnership,
  press,
  screenshot,
  seedMeetings,
  seedPartnership,
  STATUTORY,
  tabTo,
  typeInto,
  unlockAs,
  useRendererHarness,
} from './support/index.js';

useRendererHarness();

/** Whole meetings, typed key by key on a shared two-core machine. */
const LONG_FLOW_MS = 300_000;
const OPEN_TEXT = 'PC Jones reported Jordan seen at the parade with older males. ';
const LONG_TEXT =
  'Residents described groups gathering after dark, music from cars and bins set alight; the councillor asked for a visible patrol.';

/** Moves a closed select to the option whose text starts with `label`, with the arrow keys. */
async function openTab(page: Page, from: string, to: string): Promise<void> {
  await tabTo(page, { id: `meeting-tab-${from}` }, { backwards: true });
  const order = ['details', 'agenda', 'minutes', 'actions'];
  const steps = order.indexOf(to) - order.indexOf(from);
  for (let i = 0; i < Math.abs(steps); i++) await page.keyboard.press(steps > 0 ? 'ArrowRight' : 'ArrowLeft');
  expect(await focusedId(page)).toBe(`meeting-tab-${to}`);
  await page.locator(`#meeting-panel-${to}`).waitFor();
}

async function idIn(page: Page, selector: string): Promise<string> {
  const id = await page.locator(selector).first().getAttribute('id');
  if (!id) throw new Error(`no id on ${selector}`);
  return id;
}

async function meetingOf(app: App, meetingId: number) {
  return (await app.call('meetings.get', { meetingId })).meeting;
}

describe('a meeting from scheduling to approved minutes', () => {
  it(
    'is run with the keyboard alone, and a non-statutory member sees no closed-only part of it',
    async () => {
      let seeded: Partnership | undefined;
      const app = await openApp({
        seed: async ({ call }) => {
          seeded = await seedPartnership(call);
          await call('session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase });
          await call('organisations.add', { name: HOUSING, statutory: true });
          await call('session.lock', {});
        },
      });
      const { page } = app;
      const jordan = seeded!.cases.jordan;
      await unlockAs(page, MANAGER);

      // ── schedule ──
      await press(page, 'Meetings', true);
      await page.getByRole('heading', { name: 'Meetings' }).waitFor();
      await expect.poll(() => page.getByTestId('meeting-count').textContent()).toBe('0 meetings');
      await press(page, 'Schedule a meeting');
      await page.getByRole('heading', { name: 'Schedule a meeting' }).waitFor();
      await screenshot(page, 'meetings-01-schedule');
      await expectNoAxeViolations(page, 'schedule a meeting');
      const date = inDays(7);
      await typeInto(page, { id: 'area' }, 'Northfield');
      await typeInto(page, { id: 'date' }, date);
      await typeInto(page, { id: 'endTime' }, '12:00');
      await typeInto(page, { id: 'place' }, 'Northfield police station');
      // Open, so that the non-statutory member can attend and later read the minutes.
      await tabTo(page, { id: 'closed' });
      await page.keyboard.press('Space');
      await press(page, 'Schedule meeting');
      await page.locator('#meeting-tab-details').waitFor();
      const meetingId = (await app.call('meetings.list', { when: 'upcoming' })).meetings[0]!.id;
      expect((await meetingOf(app, meetingId)).closed).toBe(false);
      expect(await page.getByTestId('quorum').textContent()).toContain('quorum not met');

      // ── register, quorum, acknowledgements ──
      const attendees: [string, string, string | null][] = [
        [MANAGER.displayName, MANAGER.organisation, MANAGER.displayName],
        [STATUTORY.displayName, 'West Midlands Police', STATUTORY.displayName],
        ['Dana Hughes', HOUSING, null],
        [NON_STATUTORY.displayName, 'Northfield Residents Trust', NON_STATUTORY.displayName],
      ];
      for (const [i, [name, organisation, user]] of attendees.entries()) {
        await typeInto(page, { id: 'attendee-name' }, name);
        await chooseOption(page, 'attendee-organisationId', organisation);
        if (user) await chooseOption(page, 'attendee-userId', user);
        await press(page, 'Add to register');
        await page.locator(`[data-attendee="${name}"]`).waitFor();
        if (i === 1) {
          expect(await page.getByTestId('quorum').textContent()).toContain('Warning: quorum not met');
          await screenshot(page, 'meetings-02-quorum-not-met');
        }
      }
      await expect.poll(() => page.getByTestId('quorum').textContent()).toContain('Quorum met');
      await expectNoAxeViolations(page, 'details and attendance');
      for (const [name] of attendees) {
        const box = await idIn(page, `[data-attendee="${name}"] input[type=checkbox]`);
        await tabTo(page, { id: box });
        await page.keyboard.press('Space');
        await expect.poll(() => page.locator(`#${box}`).isChecked()).toBe(true);
        expect(await focusedId(page)).toBe(box);
      }
      expect(await page.getByTestId('acknowledged-count').textContent()).toBe(
        '4 of 4 present have acknowledged the confidentiality statement.',
      );
      expect((await meetingOf(app, meetingId)).allPresentAcknowledged).toBe(true);
      await screenshot(page, 'meetings-03-register');

      // ── agenda: proposals, other items, reorder, remove ──
      await openTab(page, 'details', 'agenda');
      await press(page, 'Propose items');
      await page.locator(`#propose-${jordan.id}`).waitFor();
      expect(await page.locator(`#propose-${jordan.id}`).isChecked()).toBe(true);
      await screenshot(page, 'meetings-04-agenda-proposals');
      await expectNoAxeViolations(page, 'agenda proposals');
      await press(page, 'Add chosen cases to the agenda');
      await expect.poll(() => page.locator('.app-agenda__item').count()).toBe(1);
      await chooseOption(page, 'item-kind', 'Another matter');
      await typeInto(page, { id: 'item-title' }, 'Tensions at the parade');
      await typeInto(page, { id: 'item-reason' }, 'Raised by the ward councillor');
      await press(page, 'Add to agenda');
      await expect.poll(() => page.locator('.app-agenda__item').count()).toBe(2);
      await chooseOption(page, 'item-kind', 'Approve the last minutes');
      await typeInto(page, { id: 'item-reason' }, 'Standing item');
      await press(page, 'Add to agenda');
      await expect.poll(() => page.locator('.app-agenda__item').count()).toBe(3);
      const titles = () => page.locator('.app-agenda__item h3').allTextContents();
      const [first, second, third] = await titles();
      // Move the second item up: focus follows it (to Move down, as it has no Move up at the top).
      await press(page, `Move up: ${second}`);
      await expect.poll(titles).toEqual([second, first, third]);
      expect(await page.evaluate('document.activeElement?.textContent')).toBe(`Move down: ${second}`);
      await typeInto(page, { id: 'agenda-order-reason' }, 'Councillor has to leave early');
      await press(page, `Remove: ${third}`);
      expect(await focusedId(page)).toMatch(/^remove-reason-/);
      await page.keyboard.type('No earlier meeting in this area');
      await press(page, 'Remove item');
      await expect.poll(titles).toEqual([second, first]);
      expect(await page.getByTestId('removed-items').textContent()).toContain('No earlier meeting in this area');
      await screenshot(page, 'meetings-05-agenda');
      await expectNoAxeViolations(page, 'agenda');
      const agenda = (await meetingOf(app, meetingId)).agenda;
      const jordanItem = agenda.find((i) => i.case?.id === jordan.id)!;
      const tensionsItem = agenda.find((i) => i.title === 'Tensions at the parade')!;
      expect(
        agenda
          .filter((i) => !i.removed)
          .sort((a, b) => a.position - b.position)
          .map((i) => i.id),
      ).toEqual([tensionsItem.id, jordanItem.id]);

      // ── minutes ──
      await openTab(page, 'agenda', 'minutes');
      await expectNoAxeViolations(page, 'minutes not started');
      await press(page, 'Start the minutes');
      const jordanSection = `[aria-labelledby="minutes-item-${jordanItem.id}"]`;
      const jordanText = await idIn(page, `${jordanSection} textarea`);
      await tabTo(page, { id: jordanText });
      await page.keyboard.type(OPEN_TEXT + CLOSED_MINUTES.span);
      // Select the last sentence with Shift and the arrow keys, then mark it closed-only.
      for (let i = 0; i < CLOSED_MINUTES.span.length; i++) await page.keyboard.press('Shift+ArrowLeft');
      await press(page, 'Mark selected words closed-only');
      await expect
        .poll(() => page.locator(`${jordanSection} mark.app-closed-span`).textContent())
        .toBe(`Closed only:${CLOSED_MINUTES.span}`);
      await press(page, 'Add a paragraph');
      expect(await page.evaluate('document.activeElement?.tagName')).toBe('TEXTAREA');
      await page.keyboard.type(CLOSED_MINUTES.paragraph);
      await tabTo(page, { label: 'Whole paragraph closed meeting only' });
      await page.keyboard.press('Space');
      await expect
        .poll(() => page.getByTestId(`autosave-${jordanItem.id}`).textContent(), { timeout: 10_000 })
        .toMatch(/^Saved at \d\d:\d\d$/);
      await screenshot(page, 'meetings-06-minutes-closed-only');
      await expectNoAxeViolations(page, 'minutes draft with closed-only marks');

      // Typing on without a pause for longer than the autosave's longest wait: a save goes mid-sentence,
      // and not one keystroke is lost.
      const tensionsText = await idIn(page, `[aria-labelledby="minutes-item-${tensionsItem.id}"] textarea`);
      await tabTo(page, { id: tensionsText }, { backwards: true });
      await page.keyboard.type(LONG_TEXT, { delay: 60 });
      await expect.poll(() => page.getByTestId(`autosave-${tensionsItem.id}`).textContent(), { timeout: 10_000 }).toMatch(/^Saved at/);
      await expect
        .poll(
          async () =>
            (await meetingOf(app, meetingId)).minutes.items.find((i) => i.agendaItemId === tensionsItem.id)?.paragraphs.map((p) => p.text),
          { timeout: 10_000 },
        )
        .toEqual([LONG_TEXT]);
      expect((await meetingOf(app, meetingId)).minutes.items.find((i) => i.agendaItemId === tensionsItem.id)!.revision).toBeGreaterThan(1);

      const saved = (await meetingOf(app, meetingId)).minutes.items.find((i) => i.agendaItemId === jordanItem.id)!;
      expect(saved.paragraphs.map((p) => [p.text, p.closedOnly, p.closedOnlySpans.map((s) => [s.start, s.end])])).toEqual([
        [OPEN_TEXT + CLOSED_MINUTES.span, false, [[OPEN_TEXT.length, OPEN_TEXT.length + CLOSED_MINUTES.span.length]]],
        [CLOSED_MINUTES.paragraph, true, []],
      ]);

      // A decision that moves the case on, through the case's own lifecycle.
      await typeInto(page, { id: `decision-${jordanItem.id}-text` }, 'Accepted for partnership support.');
      await chooseOption(page, `decision-${jordanItem.id}-to`, 'Accepted');
      await press(page, 'Record decision');
      await expect.poll(() => page.getByTestId(`decisions-${jordanItem.id}`).textContent()).toContain('Referred to Accepted');
      expect((await app.call('cases.get', { caseId: jordan.id })).case.status).toBe('accepted');

      // ── an action ──
      await openTab(page, 'minutes', 'actions');
      await chooseOption(page, 'action-agendaItemId', '2. ');
      await typeInto(page, { id: 'action-description' }, 'Visit the family with the youth service');
      await chooseOption(page, 'action-ownerOrganisationId', 'West Midlands Police');
      await typeInto(page, { id: 'action-officer' }, 'PC Jones');
      await typeInto(page, { id: 'action-dueDate' }, inDays(21));
      await press(page, 'Agree action');
      await expect.poll(() => pageText(page)).toContain('Visit the family with the youth service');
      await screenshot(page, 'meetings-07-actions');
      await expectNoAxeViolations(page, 'actions');

      // ── submit, approve, addendum ──
      await openTab(page, 'actions', 'minutes');
      await press(page, 'Submit for approval');
      await press(page, 'Approve minutes');
      await page.getByTestId('minutes-final').waitFor();
      const approved = (await meetingOf(app, meetingId)).minutes;
      expect(approved.status).toBe('approved');
      expect(approved.approvedBy?.displayName).toBe(MANAGER.displayName);
      expect(await page.getByTestId('minutes-facts').textContent()).toContain(`by ${MANAGER.displayName} (chair)`);
      expect(await page.locator('textarea[id^="minutes-"]').count()).toBe(0);
      await press(page, `Add an addendum to ${first}`);
      await page.keyboard.type('The family were visited on the Monday, not the Tuesday.');
      await typeInto(page, { id: `addendum-${jordanItem.id}-reason` }, 'Date corrected by the police');
      await press(page, 'Add addendum');
      await expect.poll(() => page.locator(`${jordanSection} .app-addenda`).textContent()).toContain('visited on the Monday');
      await screenshot(page, 'meetings-08-minutes-approved');
      await expectNoAxeViolations(page, 'approved minutes with an addendum');
      expectNoProblems(app);

      await page.keyboard.press('Control+L');
      await page.getByRole('heading', { name: 'Unlock Concordat' }).waitFor();

      // ── the non-statutory member's view of the same meeting ──
      await unlockAs(page, NON_STATUTORY);
      await press(page, 'Meetings', true);
      await expect.poll(() => page.getByTestId('meeting-count').textContent()).toBe('1 meeting');
      await tabTo(page, {
        text: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
          new Date(`${date}T00:00:00Z`),
        ),
        tag: 'button',
      });
      await page.keyboard.press('Enter');
      await page.locator('#meeting-tab-details').waitFor();
      await openTab(page, 'details', 'minutes');
      await expect.poll(() => pageText(page)).toContain(OPEN_TEXT.trim());
      const html = await pageHtml(page);
      for (const marker of [CLOSED_MINUTES.span, 'Marlowspan', CLOSED_MINUTES.paragraph, 'Grebeparagraph'])
        expect(html).not.toContain(marker);
      expect(await page.locator('mark.app-closed-span, [data-closed-paragraph]').count()).toBe(0);
      expect(await page.getByRole('button', { name: /Mark selected words/ }).count()).toBe(0);
      await screenshot(page, 'meetings-09-minutes-non-statutory');
      await expectNoAxeViolations(page, 'minutes as a non-statutory member');
      for (const tab of ['details', 'agenda', 'actions'] as const) {
        await openTab(page, 'minutes', tab);
        const text = await pageHtml(page);
        for (const marker of ['Marlowspan', 'Grebeparagraph']) expect(text).not.toContain(marker);
        await expectNoAxeViolations(page, `${tab} as a non-statutory member`);
        await openTab(page, tab, 'minutes');
      }
      expectNoProblems(app);
    },
    LONG_FLOW_MS,
  );
});

describe('actions from meeting to meeting', () => {
  it(
    "reviews the earlier meeting's actions at the next one as done, carried over and failed, with the keyboard alone",
    async () => {
      let seeded: MeetingsSeed | undefined;
      const app = await openApp({
        seed: async ({ call }) => {
          seeded = await seedMeetings(call);
        },
      });
      const { page } = app;
      const { actions, nextMeetingId } = seeded!;
      await unlockAs(page, STATUTORY);

      // My organisation's actions: the police own all three; one is overdue.
      await press(page, "My organisation's actions", true);
      await page.getByRole('heading', { name: "My organisation's actions" }).waitFor();
      await expect.poll(() => page.getByTestId('action-count').textContent()).toBe('3 actions');
      expect(await pageText(page)).toContain(actions.failed);
      await tabTo(page, { id: 'my-actions-overdue' });
      await page.keyboard.press('Space');
      await expect.poll(() => page.getByTestId('action-count').textContent()).toBe('2 actions');
      expect(await pageText(page)).not.toContain(actions.carried);
      await screenshot(page, 'meetings-10-my-actions');
      await expectNoAxeViolations(page, "my organisation's actions");

      await press(page, 'Meetings', true);
      await expect.poll(() => page.getByTestId('meeting-count').textContent()).toBe('1 meeting');
      await screenshot(page, 'meetings-11-list');
      await expectNoAxeViolations(page, 'meetings list');
      await tabTo(page, {
        text: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
          new Date(`${inDays(7)}T00:00:00Z`),
        ),
        tag: 'button',
      });
      await page.keyboard.press('Enter');
      await page.locator('#meeting-tab-details').waitFor();
      await openTab(page, 'details', 'actions');
      for (const description of Object.values(actions)) expect(await pageText(page)).toContain(description);

      const review = async (
        description: string,
        outcome: 'review-outcome' | 'review-outcome-carried_over' | 'review-outcome-failed',
        fill?: () => Promise<void>,
      ) => {
        await press(page, `Review: ${description}`);
        expect(await focusedId(page)).toBe('review-title');
        await tabTo(page, { id: 'review-outcome' });
        if (outcome !== 'review-outcome') {
          await page.keyboard.press(outcome === 'review-outcome-carried_over' ? 'ArrowDown' : 'ArrowUp');
        } else {
          await page.keyboard.press('Space');
        }
        expect(await page.locator(`#${outcome}`).isChecked()).toBe(true);
        await fill?.();
        await press(page, 'Record review');
        await expect.poll(() => page.locator('#meeting-done').textContent()).toContain('Action reviewed');
      };
      const reviewedCount = () => page.getByText('Reviewed at this meeting').count();
      await review(actions.done, 'review-outcome');
      await expect.poll(reviewedCount).toBe(1);
      await review(actions.carried, 'review-outcome-carried_over', async () => {
        await typeInto(page, { id: 'review-newDueDate' }, inDays(35));
      });
      await expect.poll(reviewedCount).toBe(2);
      // Failed, without a reason first: the form says what is missing, beside the field.
      await press(page, `Review: ${actions.failed}`);
      await tabTo(page, { id: 'review-outcome' });
      await page.keyboard.press('ArrowUp');
      await press(page, 'Record review');
      await expect.poll(() => page.locator('#review-failureReason-error').textContent()).toContain('Choose why the action failed');
      await screenshot(page, 'meetings-12-review-error');
      await expectNoAxeViolations(page, 'action review with an error');
      await chooseOption(page, 'review-failureReason', 'The agency did not act');
      await typeInto(page, { id: 'review-note' }, 'Housing could not attend the visit');
      await press(page, 'Record review');
      await expect.poll(reviewedCount).toBe(3);
      await screenshot(page, 'meetings-13-actions-reviewed');
      await expectNoAxeViolations(page, 'actions reviewed');

      const reviewed = (await app.call('actions.list', { mine: true })).actions;
      const byDescription = (d: string) => reviewed.find((a) => a.description === d)!;
      expect(byDescription(actions.done).status).toBe('done');
      expect([byDescription(actions.carried).status, byDescription(actions.carried).dueDate]).toEqual(['carried_over', inDays(35)]);
      expect([byDescription(actions.failed).status, byDescription(actions.failed).failureReason]).toEqual(['failed', 'agency_did_not_act']);
      expect(byDescription(actions.done).reviews.map((r) => r.meetingId)).toEqual([nextMeetingId]);

      // The case profile lists both meetings and the actions about the case.
      await press(page, 'Cases', true);
      await typeInto(page, { id: 'case-search' }, seeded!.partnership.cases.jordan.reference);
      await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('1 case found');
      await tabTo(page, { text: 'Reference', tag: 'table' });
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Meetings and actions' }).waitFor();
      await expect.poll(() => page.locator('#section-meetings-and-actions').locator('..').textContent()).toContain(actions.carried);
      await screenshot(page, 'meetings-14-case-profile');
      await expectNoAxeViolations(page, 'case profile with meetings');
      expectNoProblems(app);
    },
    LONG_FLOW_MS,
  );
});

describe('the agenda by pointer', () => {
  it(
    'reorders by dragging an item onto another',
    async () => {
      let seeded: MeetingsSeed | undefined;
      const app = await openApp({
        seed: async ({ call }) => {
          seeded = await seedMeetings(call);
        },
      });
      const { page } = app;
      await unlockAs(page, MANAGER);
      await page.getByRole('button', { name: 'Meetings', exact: true }).click();
      await page
        .getByRole('button', { name: /People meeting, Northfield/ })
        .first()
        .click();
      await page.getByRole('tab', { name: 'Agenda' }).click();
      const titles = () => page.locator('.app-agenda__item h3').allTextContents();
      await expect.poll(titles).toHaveLength(3);
      const [first, second, third] = await titles();
      await page.locator('.app-agenda__item').nth(2).dragTo(page.locator('.app-agenda__item').nth(0));
      await expect.poll(titles).toEqual([third, first, second]);
      const agenda = (await app.call('meetings.get', { meetingId: seeded!.nextMeetingId })).meeting.agenda;
      expect([...agenda].sort((a, b) => a.position - b.position).map((i) => i.title)).toEqual([third, first, second]);
      expect(await page.locator('[role="status"]').allTextContents()).toContain(`${third} moved to position 1 of 3.`);
      expectNoProblems(app);
    },
    LONG_FLOW_MS,
  );
});
