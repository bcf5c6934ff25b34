// First run, unlock and lock in real Chromium against a real store: each flow with the mouse and again
// with the keyboard alone.
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/dispatch/dispatcher.js';
import {
  expectNoAxeViolations,
  expectNoProblems,
  JUSTIFICATION,
  MANAGER,
  openApp,
  openCaseFromList,
  openPartnership,
  pageHtml,
  screenshot,
  tabTo,
  typeInto,
  useRendererHarness,
} from './support/index.js';

useRendererHarness();

describe('first run', () => {
  it('creates the store, shows the rules and strength, and insists the recovery key is stored', async () => {
    const app = await openApp();
    const { page } = app;
    await page.getByRole('heading', { name: 'Set up Concordat' }).waitFor();
    await screenshot(page, '01-first-run');
    await expectNoAxeViolations(page, 'first run');

    // Nothing filled in: every problem listed, linked and beside its field.
    await page.getByRole('button', { name: 'Create the store' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect.poll(() => summary.locator('li').count()).toBe(4);
    expect(await page.locator('#passphrase').getAttribute('aria-describedby')).toContain('passphrase-error');
    await summary.getByRole('link', { name: /Passphrase/ }).click();
    expect(await page.evaluate('document.activeElement.id')).toBe('passphrase');
    await screenshot(page, '01-first-run-errors');

    await page.getByLabel('Your full name').fill(MANAGER.displayName);
    await page.getByLabel('User name').fill(MANAGER.username);
    await page.getByLabel('Your organisation').fill(MANAGER.organisation);
    await page.locator('#passphrase').fill('aaaaaaaaaaaa');
    expect(await page.locator('.app-rules__item--met').count()).toBe(1);
    await page.locator('#passphrase').fill(MANAGER.passphrase);
    expect(await page.locator('.app-rules__item--met').count()).toBe(2);
    expect(await page.locator('#passphrase-strength').textContent()).toMatch(/Strength: (Good|Strong)/);
    await page.locator('#confirm').fill('something else entirely');
    await page.getByRole('button', { name: 'Create the store' }).click();
    await expect.poll(() => page.locator('#confirm-error').textContent()).toContain('Enter the same passphrase again');
    await page.locator('#confirm').fill(MANAGER.passphrase);
    await page.getByRole('button', { name: 'Create the store' }).click();

    await page.getByRole('heading', { name: 'Store your recovery key' }).waitFor();
    const key = (await page.getByTestId('recovery-key').textContent()) ?? '';
    expect(key.length).toBeGreaterThan(20);
    await screenshot(page, '02-recovery-key');
    await expectNoAxeViolations(page, 'recovery key');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('Confirm that you have stored the recovery key');
    await page.getByLabel(/I have stored the recovery key/).check();
    await page.getByRole('button', { name: 'Continue' }).click();

    // In, as the manager, and the first consultation asks for the working context.
    await page.getByRole('dialog', { name: 'Why do you need to see this?' }).waitFor();
    expect(await page.getByTestId('header-user').textContent()).toBe(MANAGER.displayName);
    expect(app.host.session?.user.username).toBe(MANAGER.username);
    expect(await pageHtml(page)).not.toContain(key);
    expectNoProblems(app);
  });

  it('can be done with the keyboard alone', async () => {
    const app = await openApp();
    const { page } = app;
    await page.getByRole('heading', { name: 'Set up Concordat' }).waitFor();
    await typeInto(page, { id: 'displayName' }, MANAGER.displayName);
    await typeInto(page, { id: 'username' }, MANAGER.username);
    await typeInto(page, { id: 'organisation' }, MANAGER.organisation);
    await typeInto(page, { id: 'passphrase' }, MANAGER.passphrase);
    await typeInto(page, { id: 'confirm' }, MANAGER.passphrase);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Store your recovery key' }).waitFor();
    await tabTo(page, { id: 'recovery-stored' });
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Why do you need to see this?' }).waitFor();
    expect(await page.evaluate('document.activeElement.id')).toBe('justification');
    await page.keyboard.type(JUSTIFICATION);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('0 cases');
    expect(await page.getByTestId('working-context').textContent()).toContain(JUSTIFICATION);
    expect(app.host.session?.justification).toBe(JUSTIFICATION);
    expectNoProblems(app);
  });
});

describe('unlock and lock', () => {
  it('refuses a wrong passphrase, counts down the delay, unlocks, and locks with the button', async () => {
    const { app } = await openPartnership();
    const { page } = app;
    await page.getByRole('heading', { name: 'Unlock Concordat' }).waitFor();
    await screenshot(page, '03-unlock');
    await expectNoAxeViolations(page, 'unlock');

    for (let attempt = 1; attempt <= 3; attempt++) {
      await page.getByLabel('User name').fill(MANAGER.username);
      await page.getByLabel('Passphrase').fill(`wrong passphrase ${attempt}`);
      await page.getByRole('button', { name: 'Unlock' }).click();
      await expect.poll(() => page.locator('#passphrase-error').textContent()).toContain('The user name or passphrase is not right');
    }
    // The third failure starts the store's delay: shown as a countdown, and the button waits with it.
    await page.getByTestId('unlock-countdown').waitFor();
    expect(await page.getByTestId('unlock-countdown').textContent()).toMatch(/try again in \d+ seconds?/);
    expect(await page.getByRole('button', { name: 'Unlock' }).isDisabled()).toBe(true);
    await screenshot(page, '03-unlock-wrong-passphrase');
    await expectNoAxeViolations(page, 'unlock with errors');
    await page.getByText('You can try again now.').waitFor({ timeout: 12_000 });

    await page.getByLabel('Passphrase').fill(MANAGER.passphrase);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('dialog', { name: 'Why do you need to see this?' }).waitFor();
    expect(await page.getByTestId('failed-attempts').textContent()).toContain('3 failed attempts');
    await screenshot(page, '03-working-context');
    await expectNoAxeViolations(page, 'working-context dialog');
    await page.getByLabel('Working context').fill(JUSTIFICATION);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('3 cases');

    await page.getByRole('button', { name: /^Lock/ }).click();
    await page.getByRole('heading', { name: 'Unlock Concordat' }).waitFor();
    expect(await page.getByTestId('lock-reason').textContent()).toContain('You locked Concordat');
    expect(app.host.session).toBeNull();
    expect(await pageHtml(page)).not.toContain('Ellis');
    expect(await pageHtml(page)).not.toContain('LCSP-');
    expectNoProblems(app);
  });

  it("waits out the store's delay, unlocks, shows a case, and locks with Ctrl+L, all from the keyboard", async () => {
    const { app } = await openPartnership();
    const { page } = app;
    await page.getByRole('heading', { name: 'Unlock Concordat' }).waitFor();
    // Someone has been guessing: six failures, so the store refuses every attempt for the next 8 s (long
    // enough for a busy machine to type into the form before it ends; the delays are 1, 2 and 4 s before).
    const guess = () => dispatch(app.host, 'session.unlock', { username: MANAGER.username, passphrase: 'a guessed passphrase' });
    for (let i = 0; i < 3; i++) await guess();
    for (const delay of [1, 2, 4]) {
      await new Promise((resolve) => setTimeout(resolve, delay * 1000 + 100));
      expect((await guess()).ok).toBe(false);
    }
    await typeInto(page, { id: 'username' }, MANAGER.username);
    await typeInto(page, { id: 'passphrase' }, MANAGER.passphrase);
    await page.keyboard.press('Enter');
    await page.getByTestId('unlock-countdown').waitFor();
    expect(await page.locator('#passphrase-error').textContent()).toContain('Too many failed attempts');
    expect(await page.getByTestId('unlock-countdown').textContent()).toMatch(/try again in [1-8] seconds?/);
    // The error summary took focus; its link leads back to the field.
    expect(await page.evaluate('document.activeElement.classList.contains("govuk-error-summary")')).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('passphrase');
    await page.getByText('You can try again now.').waitFor({ timeout: 12_000 });
    await page.keyboard.type(MANAGER.passphrase);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Why do you need to see this?' }).waitFor();
    await page.keyboard.type(JUSTIFICATION);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('3 cases');
    await tabTo(page, { id: 'case-search' });
    await openCaseFromList(page);

    await page.keyboard.press('Control+l');
    await page.getByRole('heading', { name: 'Unlock Concordat' }).waitFor();
    expect(app.host.session).toBeNull();
    const html = await pageHtml(page);
    for (const shown of ['Ellis', 'Shah', 'LCSP-', JUSTIFICATION]) expect(html).not.toContain(shown);
    expectNoProblems(app);
  });

  it('clears the screen when the store locks from elsewhere (idle lock)', async () => {
    const { app } = await openPartnership();
    const { page } = app;
    await page.getByLabel('User name').fill(MANAGER.username);
    await page.getByLabel('Passphrase').fill(MANAGER.passphrase);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByLabel('Working context').fill(JUSTIFICATION);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('3 cases');
    await app.host.lock('idle');
    await page.getByRole('heading', { name: 'Unlock Concordat' }).waitFor();
    expect(await page.getByTestId('lock-reason').textContent()).toContain('nobody used it');
    expect(await pageHtml(page)).not.toContain('LCSP-');
    expectNoProblems(app);
  });
});
