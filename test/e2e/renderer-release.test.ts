// Clearing a case's closed-only mark through the review (issue 16, finding 4), in real Chromium against a
// real store, with the keyboard alone: the manager reviews what was said while the case was closed, releases
// one note, keeps another note and the lifecycle step closed, gives a reason; axe finds nothing. Then a
// non-statutory member opens the case and sees the released note, and not the kept one.
import { describe, expect, it } from 'vitest';
import {
  credentials,
  expectNoAxeViolations,
  expectNoProblems,
  focusedId,
  JUSTIFICATION,
  lockWithButton,
  MANAGER,
  NON_STATUTORY,
  openApp,
  openCaseFromList,
  pageHtml,
  pageText,
  type Partnership,
  screenshot,
  seedPartnership,
  tabTo,
  typeInto,
  unlockAs,
  useRendererHarness,
} from './support/index.js';

useRendererHarness();

const RELEASED = 'Wagtail: the housing visit is agreed and can be shared with the open meeting.';
const KEPT = 'Nightjar: public protection unit intelligence, for the closed meeting only.';
const FAR = { max: 300 };

describe('clearing the closed-only mark', () => {
  it('a manager releases one note and keeps the rest closed, with the keyboard alone; a non-statutory member sees only what was released', async () => {
    let seeded: Partnership | undefined;
    const notes: { released?: number; kept?: number } = {};
    const app = await openApp({
      seed: async ({ call }) => {
        seeded = await seedPartnership(call);
        await call('session.unlock', credentials(MANAGER));
        await call('session.setJustification', { justification: JUSTIFICATION });
        const caseId = seeded.cases.closed.id;
        notes.released = (await call('cases.addNote', { caseId, body: RELEASED })).note.id;
        notes.kept = (await call('cases.addNote', { caseId, body: KEPT })).note.id;
        await call('session.lock', {});
      },
    });
    const { page } = app;
    const closed = seeded!.cases.closed;

    await unlockAs(page, MANAGER);
    await openCaseFromList(page, closed.reference);
    await tabTo(page, { text: 'Review what clearing the mark would release', tag: 'button' }, FAR);
    await page.keyboard.press('Enter');
    await page.getByRole('form', { name: 'Clear the closed-only mark' }).waitFor();
    // Every item is listed, each kept closed until the manager says otherwise: two notes and the referral step.
    const text = await pageText(page);
    expect(text).toContain(RELEASED);
    expect(text).toContain(KEPT);
    expect(text).toContain('Lifecycle step');
    expect(await page.locator('input[type="radio"][value="keep"]:checked').count()).toBe(3);
    await expectNoAxeViolations(page, 'release review');

    // A reason is required: the error is shown beside the field.
    await tabTo(page, { text: 'Clear the closed-only mark', tag: 'button' }, FAR);
    await page.keyboard.press('Enter');
    await expect.poll(() => pageText(page)).toContain('There is a problem');
    expect(await page.locator('#release-reason-error').count()).toBe(1);
    await expectNoAxeViolations(page, 'release refused');

    // Release the one note: on its "Keep closed" radio, the arrow key moves to "Release".
    await tabTo(page, { id: `release-note-${notes.released}` }, FAR);
    await page.keyboard.press('ArrowRight');
    expect(await focusedId(page)).toBe(`release-note-${notes.released}-release`);
    expect(await page.locator(`#release-note-${notes.released}-release`).isChecked()).toBe(true);
    expect(await page.locator(`#release-note-${notes.kept}`).isChecked()).toBe(true);
    await typeInto(page, { id: 'release-reason' }, 'Agreed at the 3 Dec closed meeting: the housing visit can be shared.');
    await screenshot(page, 'release-01-review');
    await tabTo(page, { text: 'Clear the closed-only mark', tag: 'button' }, FAR);
    await page.keyboard.press('Enter');
    await expect.poll(() => pageText(page)).toContain('The closed-only mark was cleared: 1 released, 2 kept closed');
    expect(await page.getByRole('form', { name: 'Clear the closed-only mark' }).count()).toBe(0);
    await screenshot(page, 'release-02-cleared');
    await expectNoAxeViolations(page, 'case released');

    // The non-statutory member now finds the case, with the released note and nothing that was kept closed.
    await lockWithButton(page);
    await unlockAs(page, NON_STATUTORY);
    await openCaseFromList(page, closed.reference);
    await expect.poll(() => pageText(page)).toContain(RELEASED);
    expect(await pageHtml(page)).not.toContain('Nightjar');
    await expectNoAxeViolations(page, 'released case, non-statutory');
    expectNoProblems(app);
  }, 300_000);
});
