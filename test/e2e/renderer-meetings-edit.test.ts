// Editing a scheduled meeting and raising a case for its agenda, in real Chromium against a real store,
// with the keyboard alone: the edit form on the meeting's details tab (meetings.update) refuses a bad
// time beside its field, then saves and the page shows the change; a partner raises a case from its
// profile (meetings.raiseCase) and the chair sees it proposed, with the reason. axe on every screen.
import { describe, expect, it } from 'vitest';
import {
  expectNoAxeViolations,
  expectNoProblems,
  focusedId,
  HOUSING,
  inDays,
  lockWithButton,
  MANAGER,
  openApp,
  pageText,
  type Partnership,
  press,
  screenshot,
  seedPartnership,
  STATUTORY,
  tabTo,
  typeInto,
  unlockAs,
  useRendererHarness,
} from './support/index.js';

useRendererHarness();

const LONG_FLOW_MS = 300_000;
const RAISE_REASON = 'Neighbours report the family moved out last week';

const shortDate = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );

describe('editing a meeting and raising a case for its agenda', () => {
  it(
    'edits the meeting and raises a case with the keyboard alone, and shows a bad time beside its field',
    async () => {
      let seeded: Partnership | undefined;
      let meetingId = 0;
      const date = inDays(7);
      const app = await openApp({
        seed: async ({ call }) => {
          seeded = await seedPartnership(call);
          await call('session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase });
          await call('organisations.add', { name: HOUSING, statutory: true });
          const users = (await call('users.list', {})).users;
          const manager = users.find((u) => u.username === MANAGER.username)!;
          const meeting = await call('meetings.schedule', {
            kind: 'people',
            area: 'Northfield',
            date,
            startTime: '10:00',
            endTime: '12:00',
            place: 'Northfield police station',
            closed: true,
            chairId: manager.id,
            minuteTakerId: manager.id,
          });
          meetingId = meeting.meeting.id;
          await call('session.lock', {});
        },
      });
      const { page } = app;
      const jordan = seeded!.cases.jordan;

      // ── a partner raises a case from its profile ──
      await unlockAs(page, STATUTORY);
      await press(page, 'Cases', true);
      await typeInto(page, { id: 'case-search' }, jordan.reference);
      await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('1 case found');
      await tabTo(page, { text: 'Reference', tag: 'table' });
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Raise this case at a meeting' }).waitFor();
      // No reason: the form refuses it beside the field and sends nothing.
      await press(page, 'Raise at the meeting');
      await expect.poll(() => page.locator('#raise-reason-error').textContent()).toContain('Why the meeting should discuss this case');
      await screenshot(page, 'meetings-edit-01-raise-error');
      await expectNoAxeViolations(page, 'raise a case with an error');
      await typeInto(page, { id: 'raise-reason' }, RAISE_REASON);
      await press(page, 'Raise at the meeting');
      await expect.poll(() => page.locator('#raise-done').textContent()).toContain(`Raised for the meeting on`);
      expect(await page.locator('#raise-reason-error').count()).toBe(0);
      await screenshot(page, 'meetings-edit-02-raised');
      await expectNoAxeViolations(page, 'case raised');
      // Switching users is the harness's doing, as in every e2e; the screens under test are used by keyboard.
      await lockWithButton(page);

      // ── the chair edits the meeting ──
      await unlockAs(page, MANAGER);
      await press(page, 'Meetings', true);
      await expect.poll(() => page.getByTestId('meeting-count').textContent()).toBe('1 meeting');
      await tabTo(page, { text: shortDate(date), tag: 'button' });
      await page.keyboard.press('Enter');
      await page.locator('#meeting-tab-details').waitFor();
      await press(page, 'Edit the meeting');
      expect(await focusedId(page)).toBe('edit-meeting-heading');
      await screenshot(page, 'meetings-edit-03-form');
      await expectNoAxeViolations(page, 'edit the meeting');

      // A time the contract refuses: shown beside its field, nothing saved.
      await typeInto(page, { id: 'endTime' }, '25:99');
      await press(page, 'Save changes');
      await expect.poll(() => page.locator('#endTime-error').textContent()).toContain('End time');
      await screenshot(page, 'meetings-edit-04-error');
      await expectNoAxeViolations(page, 'edit the meeting with an error');
      expect((await app.call('meetings.get', { meetingId })).meeting.endTime).toBe('12:00');

      const newDate = inDays(9);
      await typeInto(page, { id: 'endTime' }, '12:30');
      await typeInto(page, { id: 'date' }, newDate);
      await typeInto(page, { id: 'place' }, 'Northfield library, meeting room');
      await press(page, 'Save changes');
      await expect.poll(() => page.locator('#meeting-done').textContent()).toContain('Meeting updated');
      expect(await focusedId(page)).toBe('edit-meeting');
      const text = await pageText(page);
      expect(text).toContain('Northfield library, meeting room');
      expect(text).toContain('12:30');
      const saved = (await app.call('meetings.get', { meetingId })).meeting;
      expect([saved.date, saved.endTime, saved.place, saved.startTime, saved.closed]).toEqual([
        newDate,
        '12:30',
        'Northfield library, meeting room',
        '10:00',
        true,
      ]);
      await screenshot(page, 'meetings-edit-05-saved');
      await expectNoAxeViolations(page, 'meeting updated');

      // ── the raised case is proposed for the agenda, with who raised it and why ──
      await tabTo(page, { id: 'meeting-tab-details' }, { backwards: true });
      await page.keyboard.press('ArrowRight');
      await page.locator('#meeting-panel-agenda').waitFor();
      await press(page, 'Propose items');
      await expect.poll(() => page.locator(`#propose-${jordan.id}-hint`).textContent()).toContain(RAISE_REASON);
      expect(await page.locator(`#propose-${jordan.id}-hint`).textContent()).toContain('raised by West Midlands Police');
      await screenshot(page, 'meetings-edit-06-proposed');
      await expectNoAxeViolations(page, 'agenda with the raised case proposed');
      expectNoProblems(app);
    },
    LONG_FLOW_MS,
  );
});
