// The retention review in real Chromium against a real store, by keyboard alone: the queue with each
// case's reason and its people, a keep refused without its date then recorded, a pseudonymisation (the
// case then holds no name the store knew), and the schedule saved; axe 0 on each state.
import {
  type Call,
  expectNoAxeViolations,
  expectNoProblems,
  JUSTIFICATION,
  MANAGER,
  openApp,
  type Page,
  pageText,
  screenshot,
  seedPartnership,
  tabTo,
  typeInto,
  unlockAs,
  useRendererHarness,
} from './support/index.js';
import { describe, expect, it } from 'vitest';
import { addDays, localToday } from '../../src/domain/risk.js';

useRendererHarness();

const FAR = { max: 200 };

async function press(page: Page, text: string, backwards = false): Promise<void> {
  await tabTo(page, { text, tag: 'button' }, { backwards, ...FAR });
  await page.keyboard.press('Enter');
}

async function close(call: Call, caseId: number, outcome: 'resolved' | 'not_resolved'): Promise<void> {
  for (const to of ['accepted', 'active', 'under_review'] as const) await call('cases.transition', { caseId, to, reason: `Agreed: ${to}` });
  await call('cases.transition', { caseId, to: 'closed', reason: 'Agreed at the People meeting', outcome });
}

describe('retention review', () => {
  it('a manager keeps one case and pseudonymises another from the queue, and edits the schedule, by keyboard alone', async () => {
    let refs = { jordan: '', priya: '' };
    const app = await openApp({
      seed: async ({ call }) => {
        const { cases } = await seedPartnership(call);
        refs = { jordan: cases.jordan.reference, priya: cases.priya.reference };
        await call('session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase });
        await call('session.setJustification', { justification: JUSTIFICATION });
        await close(call, cases.jordan.id, 'resolved');
        await close(call, cases.priya.id, 'not_resolved');
        // Due on the day they closed: the queue has something to show today.
        await call('retention.updateSchedule', {
          rules: [
            { ending: 'resolved', months: 0 },
            { ending: 'not_resolved', months: 0 },
          ],
        });
        await call('session.lock', {});
      },
    });
    const { page } = app;
    await unlockAs(page, MANAGER);

    await press(page, 'Retention review');
    await page.getByRole('heading', { name: 'Retention review', level: 1 }).waitFor();
    await page.getByRole('heading', { name: `${refs.jordan}: Closed: resolved` }).waitFor();
    const queue = await pageText(page);
    expect(queue).toContain(`${refs.priya}: Closed: not resolved`);
    expect(queue).toContain(`the schedule reviews these 0 months after: due`);
    expect(queue).toContain('Jordan Ellis: follows this case');
    await screenshot(page, '50-retention-queue');
    await expectNoAxeViolations(page, 'retention queue');

    // Keep: refused without the next review date, beside its field; then recorded.
    await press(page, `Decide on ${refs.priya}`);
    await page.getByRole('heading', { name: `Decide on ${refs.priya}` }).waitFor();
    await tabTo(page, { id: 'decision' });
    await page.keyboard.press('Space');
    await typeInto(page, { label: 'Reason for keeping it' }, 'Civil injunction still in force');
    await press(page, 'Record decision');
    await expect.poll(() => page.locator('#decision-review-on-error').textContent()).toContain('Give the next review date');
    await expectNoAxeViolations(page, 'keep refused without a date');
    const reviewOn = addDays(localToday(), 90);
    await typeInto(page, { id: 'decision-review-on' }, reviewOn);
    await press(page, 'Record decision');
    await expect.poll(() => page.locator('#retention-decided').textContent()).toContain(`${refs.priya} is kept until`);
    expect(await pageText(page)).not.toContain(`Decide on ${refs.priya}`);
    await expectNoAxeViolations(page, 'case kept');

    // Pseudonymise: the case's subject follows it (on no other case), so is replaced where they stand.
    await press(page, `Decide on ${refs.jordan}`, true);
    await page.getByRole('heading', { name: `Decide on ${refs.jordan}` }).waitFor();
    await tabTo(page, { id: 'decision' });
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#decision-pseudonymise').isChecked()).toBe(true);
    await expectNoAxeViolations(page, 'decision form');
    await press(page, 'Record decision');
    await expect.poll(() => page.locator('#retention-decided').textContent()).toContain(`${refs.jordan} has been pseudonymised`);
    await expect.poll(() => pageText(page)).toContain('Nothing is due for review');
    await screenshot(page, '51-retention-pseudonymised');
    await expectNoAxeViolations(page, 'case pseudonymised');
    const { cases } = await app.call('cases.list', { limit: 100 });
    const jordan = cases.find((c) => c.reference === refs.jordan)!;
    expect(JSON.stringify(jordan.subjects)).not.toContain('Ellis');
    expect(jordan).toMatchObject({ status: 'closed', outcome: 'resolved' });

    // The schedule: back to 12 months for resolved cases.
    await typeInto(page, { label: 'Closed: resolved: months' }, '12');
    await press(page, 'Save schedule');
    await page.locator('#schedule-saved').waitFor();
    expect((await app.call('retention.schedule', {})).rules.find((r) => r.ending === 'resolved')!.months).toBe(12);
    await expectNoAxeViolations(page, 'schedule saved');
    expectNoProblems(app);
  }, 180_000);

  it('a manager decides to erase a case from the queue, then erases it and the person who follows it, by keyboard alone', async () => {
    let refs = { jordan: '', priya: '' };
    const app = await openApp({
      seed: async ({ call }) => {
        const { cases } = await seedPartnership(call);
        refs = { jordan: cases.jordan.reference, priya: cases.priya.reference };
        await call('session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase });
        await call('session.setJustification', { justification: JUSTIFICATION });
        await close(call, cases.jordan.id, 'resolved');
        await call('retention.updateSchedule', { rules: [{ ending: 'resolved', months: 0 }] });
        await call('session.lock', {});
      },
    });
    const { page } = app;
    await unlockAs(page, MANAGER);

    await press(page, 'Retention review');
    await page.getByRole('heading', { name: `${refs.jordan}: Closed: resolved` }).waitFor();
    await press(page, `Decide on ${refs.jordan}`);
    await page.getByRole('heading', { name: `Decide on ${refs.jordan}` }).waitFor();
    await tabTo(page, { id: 'decision' });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#decision-erase').isChecked()).toBe(true);
    await typeInto(page, { label: 'Reason (optional)' }, 'Closed and past the agreed period');
    await press(page, 'Record decision');
    await expect.poll(() => page.locator('#retention-decided').textContent()).toContain(`Erasure of ${refs.jordan} recorded: pending`);
    // The queue now offers the erasure itself beside the case.
    await page.getByRole('heading', { name: `${refs.jordan}: Closed: resolved (erasure pending)` }).waitFor();
    await screenshot(page, '52-retention-erasure-pending');
    await expectNoAxeViolations(page, 'retention queue with an erasure pending');

    await press(page, `Erase ${refs.jordan}`);
    await page.getByRole('heading', { name: `Erase ${refs.jordan}`, level: 1 }).waitFor();
    const confirmation = await pageText(page);
    // The confirmation names what goes: the case, and the person who follows it.
    expect(confirmation).toMatch(/People\s+Jordan Ellis/);
    expect(confirmation).toMatch(new RegExp(`Cases\\s+${refs.jordan}`));
    expect(confirmation).toContain('Copies in earlier backups are not erased');
    await expectNoAxeViolations(page, 'erasure confirmation from the queue');
    await typeInto(page, { label: 'Why this is being erased' }, 'Retention review: erasure decided');
    await typeInto(page, { id: 'erase-confirmation' }, refs.jordan);
    await press(page, `Erase ${refs.jordan}`);
    await page.getByRole('heading', { name: 'Erased', level: 1 }).waitFor();
    await screenshot(page, '53-retention-erased');
    await expectNoAxeViolations(page, 'erased from the queue');

    // Gone from the queue, the case list and the people.
    await press(page, 'Retention review', true);
    await expect.poll(() => pageText(page)).toContain('Nothing is due for review');
    const { cases } = await app.call('cases.list', { limit: 100 });
    expect(cases.map((c) => c.reference)).not.toContain(refs.jordan);
    expect(cases.map((c) => c.reference)).toContain(refs.priya);
    expect(JSON.stringify(cases)).not.toContain('Ellis');
    expectNoProblems(app);
  }, 180_000);
});
