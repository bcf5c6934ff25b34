// Erasure in real Chromium against a real store, by keyboard alone (issue 19: 3): a manager opens a case,
// chooses to erase it, sees what will be erased and that earlier backups keep their copies, is refused
// beside the field for a wrong reference, then erases it with the right one; then erases a person from
// another case's people. axe finds nothing on any of these pages.
import {
  expectNoAxeViolations,
  expectNoProblems,
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
import { describe, expect, it } from 'vitest';

useRendererHarness();

const FAR = { max: 200 };

async function press(page: Page, text: string, tag = 'button'): Promise<void> {
  await tabTo(page, { text, tag }, FAR);
  await page.keyboard.press('Enter');
}

describe('erasure', () => {
  it('a manager erases a case and a person after a confirmation that names them, by keyboard alone', async () => {
    const { app, seeded } = await openPartnership();
    const { page } = app;
    const priya = seeded.cases.priya;
    await unlockAs(page, MANAGER);

    await openCaseFromList(page, 'Shah');
    await press(page, 'Erase case');
    await page.getByRole('heading', { name: `Erase ${priya.reference}`, level: 1 }).waitFor();
    let text = await pageText(page);
    expect(text).toContain('Copies in earlier backups are not erased');
    expect(text).toContain('Priya Shah');
    expect(text).toMatch(/Cases\s+1/);
    await screenshot(page, '60-erase-case-confirmation');
    await expectNoAxeViolations(page, 'erase a case: confirmation');

    await typeInto(page, { label: 'Why this is being erased' }, 'Retention review: closed over 12 months');
    await typeInto(page, { id: 'erase-confirmation' }, 'LCSP-1999-0001');
    await press(page, `Erase ${priya.reference}`);
    await expect.poll(() => page.locator('#erase-confirmation-error').textContent()).toContain('onfirmation must repeat');
    await expectNoAxeViolations(page, 'erase a case: wrong reference');

    await typeInto(page, { id: 'erase-confirmation' }, priya.reference);
    await press(page, `Erase ${priya.reference}`);
    await page.getByRole('heading', { name: 'Erased', level: 1 }).waitFor();
    expect(await pageText(page)).toMatch(/Case erased \d{4}-\d{2}-\d{2} \(E-\d+\)/);
    await expectNoAxeViolations(page, 'erase a case: done');

    await press(page, 'Back to cases');
    await typeInto(page, { id: 'case-search' }, 'Shah');
    await expect.poll(() => pageText(page)).toContain('No cases');

    // A person, from the people on Jordan's case: their only case goes with them.
    await typeInto(page, { id: 'case-search' }, '');
    await openCaseFromList(page, 'Ellis');
    await press(page, 'Erase Jordan Ellis');
    await page.getByRole('heading', { name: 'Erase Jordan Ellis', level: 1 }).waitFor();
    text = await pageText(page);
    expect(text).toContain(seeded.cases.jordan.reference);
    expect(text).toMatch(/Notes\s+2/);
    await expectNoAxeViolations(page, 'erase a person: confirmation');
    await typeInto(page, { label: 'Why this is being erased' }, 'Subject asked for erasure; approved by the partnership');
    await typeInto(page, { id: 'erase-confirmation' }, 'jordan ellis');
    await press(page, 'Erase Jordan Ellis');
    await page.getByRole('heading', { name: 'Erased', level: 1 }).waitFor();
    expect(await pageText(page)).toMatch(/Person erased \d{4}-\d{2}-\d{2} \(E-\d+\)/);
    expectNoProblems(app);
  }, 180_000);
});
