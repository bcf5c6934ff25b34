// Escalations across the partnership and the link between a Community Trigger and a case, in real Chromium
// against a real store, with the keyboard alone: the list filtered by state and kind (a closed-only case's
// escalation shown to a statutory partner, tagged), a period that ends before it starts refused beside its
// field, a case opened from the list; a Community Trigger logged from the case profile for that case (an
// unknown reference refused first), the trigger linking back to the case and the case listing it. A
// non-statutory member has no Escalations screen. axe on every screen.
import { describe, expect, it } from 'vitest';
import {
  expectNoAxeViolations,
  expectNoProblems,
  type FocusTarget,
  inDays as dayFrom,
  JUSTIFICATION,
  lockWithButton,
  MANAGER,
  NON_STATUTORY,
  openApp,
  type Page,
  pageText,
  type Partnership,
  pickOption,
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
const FAR = { max: 400 };

async function reach(page: Page, target: FocusTarget): Promise<void> {
  try {
    await tabTo(page, target, { max: 150 });
  } catch {
    await tabTo(page, target, { backwards: true, ...FAR });
  }
}

async function press(page: Page, text: string): Promise<void> {
  await reach(page, { text, tag: 'button' });
  await page.keyboard.press('Enter');
}

async function fill(page: Page, id: string, text: string): Promise<void> {
  await reach(page, { id });
  await typeInto(page, { id }, text);
}

async function chooseOption(page: Page, id: string, label: string): Promise<void> {
  await reach(page, { id });
  await pickOption(page, id, label);
}

const tableText = async (page: Page) => (await page.locator('main table').first().textContent()) ?? '';

describe('Escalations and Community Triggers on cases, with the keyboard alone', () => {
  it(
    'lists escalations across cases with filters, opens a case from it, and logs a Community Trigger for that case',
    async () => {
      let seeded: Partnership | undefined;
      const app = await openApp({
        seed: async ({ call }) => {
          seeded = await seedPartnership(call);
          const { jordan, priya, closed } = seeded.cases;
          await call('session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase });
          await call('session.setJustification', { justification: JUSTIFICATION });
          const refer = async (caseId: number, kind: 'disruption_planning_meeting' | 'task_and_finish_group', days: number) =>
            (await call('escalations.refer', { caseId, kind, referredOn: dayFrom(days), shared: 'Case summary', recipients: ['Panel'] }))
              .escalation.id;
          const back = await refer(jordan.id, 'disruption_planning_meeting', -30);
          await call('escalations.recordOutcome', { escalationId: back, outcome: 'Disruption plan agreed', returnedOn: dayFrom(-20) });
          await refer(priya.id, 'task_and_finish_group', -10);
          await refer(closed.id, 'disruption_planning_meeting', -5);
          await call('session.lock', {});
        },
      });
      const { page } = app;
      const { jordan, priya, closed } = seeded!.cases;
      await unlockAs(page, STATUTORY);

      // Awaiting an outcome, by default: the closed-only case's escalation is there, tagged, for a statutory partner.
      await press(page, 'Escalations');
      await page.getByRole('heading', { name: 'Escalations', level: 1 }).waitFor();
      await expect.poll(() => tableText(page)).toContain(priya.reference);
      let rows = await tableText(page);
      expect(rows).toContain(closed.reference);
      expect(rows).toContain('Closed meeting only');
      expect(rows).not.toContain(jordan.reference);
      expect(await pageText(page)).toContain('2 escalations');
      await screenshot(page, 'escalations-01-awaiting');
      await expectNoAxeViolations(page, 'escalations awaiting an outcome');

      // Any state, Disruption Planning Meetings only.
      await chooseOption(page, 'esc-status', 'Any');
      await chooseOption(page, 'esc-kind', 'Disruption Planning Meeting');
      await press(page, 'Show escalations');
      await expect.poll(() => tableText(page)).toContain(jordan.reference);
      rows = await tableText(page);
      expect(rows).toContain('Disruption plan agreed');
      expect(rows).toContain(closed.reference);
      expect(rows).not.toContain(priya.reference);

      // A period that ends before it starts: refused beside its field.
      await fill(page, 'esc-from', dayFrom(0));
      await fill(page, 'esc-to', dayFrom(-1));
      await press(page, 'Show escalations');
      await expect.poll(() => pageText(page)).toContain('There is a problem');
      expect(await page.locator('#esc-to-error').textContent()).toMatch(/end of the period must be on or after its start/);
      await screenshot(page, 'escalations-02-refused');
      await expectNoAxeViolations(page, 'escalations filter refused');
      await fill(page, 'esc-from', '');
      await fill(page, 'esc-to', '');
      await press(page, 'Show escalations');
      await expect.poll(() => pageText(page)).not.toContain('There is a problem');

      // Open Jordan's case from the list.
      await press(page, jordan.reference);
      await page.getByRole('heading', { name: 'Community Triggers', level: 2 }).waitFor();
      await expect.poll(() => pageText(page)).toContain('No Community Trigger application is linked to this case.');
      await press(page, 'Log a Community Trigger for this case');
      await page.getByRole('heading', { name: 'Log a Community Trigger application' }).waitFor();
      expect(await page.locator('#trig-case').inputValue()).toBe(jordan.reference);

      await fill(page, 'trig-applicant', 'Mrs A. Resident');
      await reach(page, { id: 'trig-consent' });
      await page.keyboard.press('Space');
      await fill(page, 'trig-area', 'Northfield');
      await fill(page, 'trig-applicationDate', dayFrom(0));
      await fill(page, 'trig-incidents-0-date', dayFrom(-3));
      await fill(page, 'trig-incidents-0-agency', 'West Midlands Police');
      // A reference the user cannot see (or that does not exist) is refused beside the field.
      await fill(page, 'trig-case', 'LCSP-1999-9999');
      await press(page, 'Log the application');
      await expect.poll(() => pageText(page)).toContain('There is no case LCSP-1999-9999 that you can see');
      expect(await page.locator('#trig-case-error').textContent()).toContain('LCSP-1999-9999');
      await expectNoAxeViolations(page, 'trigger with an unknown case refused');
      await fill(page, 'trig-case', jordan.reference);
      await press(page, 'Log the application');
      await expect.poll(() => pageText(page)).toContain('Application logged');
      await screenshot(page, 'escalations-03-trigger-for-case');
      await expectNoAxeViolations(page, 'trigger linked to a case');

      // The trigger links back to the case, and the case lists it.
      await press(page, jordan.reference);
      await page.getByRole('heading', { name: 'Community Triggers', level: 2 }).waitFor();
      await expect.poll(() => pageText(page)).toContain('Mrs A. Resident');
      const section = (await page.locator('section[aria-labelledby="section-triggers"]').textContent()) ?? '';
      expect(section).toContain('Received');
      await screenshot(page, 'escalations-04-case-triggers');
      await expectNoAxeViolations(page, 'case profile with its Community Triggers');
      const { triggers } = await app.call('triggers.list', { caseId: jordan.id });
      expect(triggers.map((t) => t.applicant)).toEqual(['Mrs A. Resident']);

      // A non-statutory member has no Escalations screen.
      await lockWithButton(page);
      await unlockAs(page, NON_STATUTORY);
      const nav = (await page.locator('header nav').first().textContent()) ?? '';
      expect(nav).toContain('Cases');
      expect(nav).not.toContain('Escalations');
      expectNoProblems(app);
    },
    LONG_FLOW_MS,
  );
});
