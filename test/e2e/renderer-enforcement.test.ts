// Enforcement in real Chromium against a real store, with the keyboard alone: a CPW recorded on a case,
// escalated to a CPN that names it, a breach of the CPN; the enforcement list showing what is breached and
// what expires soon; the outcome indicators as a table. axe on every screen.
import { describe, expect, it } from 'vitest';
import {
  chooseOption,
  expectNoAxeViolations,
  expectNoProblems,
  inDays as dayFrom,
  MANAGER,
  openCaseFromList,
  openPartnership,
  type Page,
  pageText,
  screenshot,
  tabTo,
  typeInto,
  unlockAs,
  useRendererHarness,
} from './support/index.js';

useRendererHarness();

const LONG_FLOW_MS = 300_000;
const FAR = { max: 400 };

async function press(page: Page, text: string, backwards = false): Promise<void> {
  await tabTo(page, { text, tag: 'button' }, { backwards, ...FAR });
  await page.keyboard.press('Enter');
}

describe('enforcement with the keyboard alone', () => {
  it(
    'a CPW escalated to a CPN with a breach, the enforcement list and the outcome indicators',
    async () => {
      const { app, seeded } = await openPartnership();
      const { page } = app;
      await unlockAs(page, MANAGER);
      await openCaseFromList(page, seeded.cases.jordan.reference);
      await page.getByRole('heading', { name: 'Enforcement', exact: true }).waitFor();
      await expect.poll(() => pageText(page)).toContain('No enforcement recorded.');

      // A CPN refused without its CPW, then the CPW, then the CPN naming it.
      await chooseOption(page, 'enf-type', 'Community Protection Notice', FAR);
      await typeInto(page, { id: 'enf-issued' }, dayFrom(-30));
      await press(page, 'Record enforcement');
      await expect.poll(() => pageText(page)).toContain('There is a problem');
      await screenshot(page, 'enforcement-01-cpn-refused');
      await expectNoAxeViolations(page, 'enforcement refused');

      await chooseOption(page, 'enf-type', 'Community Protection Warning', FAR);
      await typeInto(page, { id: 'enf-issued' }, dayFrom(-30));
      await press(page, 'Record enforcement', true);
      await expect.poll(() => pageText(page)).toContain('Community Protection Warning recorded');

      await chooseOption(page, 'enf-type', 'Community Protection Notice', FAR);
      await chooseOption(page, 'enf-priorId', 'Community Protection Warning', FAR);
      await typeInto(page, { id: 'enf-issued' }, dayFrom(-10));
      await typeInto(page, { id: 'enf-served' }, dayFrom(-10));
      await typeInto(page, { id: 'enf-expiry' }, dayFrom(20));
      await typeInto(page, { id: 'enf-conditions' }, 'Not to play amplified music after 23:00');
      await press(page, 'Record enforcement');
      await expect.poll(() => pageText(page)).toContain('Community Protection Notice recorded');

      // A breach of the CPN.
      await chooseOption(page, 'breach-enforcementId', 'Community Protection Notice', FAR);
      await typeInto(page, { id: 'breach-date' }, dayFrom(-2));
      await typeInto(page, { id: 'breach-reportedBy' }, 'Neighbour at no. 12');
      await typeInto(page, { id: 'breach-actionTaken' }, 'Fixed penalty notice issued');
      await press(page, 'Record breach');
      await expect.poll(() => pageText(page)).toContain('Breach of the Community Protection Notice recorded');
      await expect.poll(() => pageText(page)).toContain('Fixed penalty notice issued');
      await screenshot(page, 'enforcement-02-case');
      await expectNoAxeViolations(page, 'case enforcement');

      // The list: the CPN expires within 30 days and is breached.
      await press(page, 'Enforcement', true);
      await page.getByRole('heading', { name: 'Enforcement', level: 1 }).waitFor();
      await expect.poll(() => pageText(page)).toContain('1 record');
      expect(await pageText(page)).toContain(seeded.cases.jordan.reference);
      await tabTo(page, { id: 'enf-breached' });
      await page.keyboard.press('Space');
      await press(page, 'Show enforcement');
      await expect.poll(() => pageText(page)).toContain('Fixed penalty notice issued');
      await screenshot(page, 'enforcement-03-list');
      await expectNoAxeViolations(page, 'enforcement list');

      // The outcome indicators as a table.
      await press(page, 'Outcomes', true);
      await page.getByRole('heading', { name: 'Outcome indicators' }).waitFor();
      await typeInto(page, { id: 'outcomes-from' }, dayFrom(-60));
      await typeInto(page, { id: 'outcomes-to' }, dayFrom(0));
      await chooseOption(page, 'outcomes-granularity', 'The whole period', FAR);
      await press(page, 'Show the indicators');
      await page.getByRole('table', { name: 'Outcome indicators' }).waitFor();
      const total = page.locator('tr', { hasText: 'Total' });
      await expect.poll(async () => (await total.textContent()) ?? '').toMatch(/^Total2/);
      expect(await pageText(page)).toContain('Download the figures as CSV');
      await screenshot(page, 'enforcement-04-outcomes');
      await expectNoAxeViolations(page, 'outcome indicators');
      expectNoProblems(app);
    },
    LONG_FLOW_MS,
  );
});
