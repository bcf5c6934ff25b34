// Steps several renderer tests share, done the way a user does them.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { tabTo, typeInto } from './app.js';
import { JUSTIFICATION } from '../../support/partnership.js';

/** Unlocks with the mouse and answers the working-context question; waits for the case list. */
export async function unlockAs(page: Page, user: { username: string; passphrase: string }, justification = JUSTIFICATION): Promise<void> {
  await page.getByRole('heading', { name: 'Unlock Concordat' }).waitFor();
  await page.getByLabel('User name').fill(user.username);
  await page.getByLabel('Passphrase').fill(user.passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('dialog', { name: 'Why do you need to see this?' }).waitFor();
  await page.getByLabel('Working context').fill(justification);
  await page.getByRole('button', { name: 'Continue' }).click();
  // Generous: on a loaded machine, the first list after unlock (key derivation, then the query) can take seconds.
  await expect.poll(() => page.getByTestId('result-count').textContent(), { timeout: 20_000 }).toMatch(/^(More than )?\d[\d,]* cases?$/);
}

export async function lockWithButton(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Lock/ }).click();
  await page.getByRole('heading', { name: 'Unlock Concordat' }).waitFor();
}

export async function resultCount(page: Page): Promise<string> {
  return (await page.getByTestId('result-count').textContent()) ?? '';
}

/**
 * Opens a case from the list with the keyboard alone: types the search (when given) and waits for the
 * one result, moves into the grid and onto the first row, then opens it and waits for the profile.
 * `expectRow` checks the selected row before it is opened.
 */
export async function openCaseFromList(page: Page, search?: string, { expectRow }: { expectRow?: string } = {}): Promise<void> {
  if (search !== undefined) {
    await typeInto(page, { id: 'case-search' }, search);
    await expect.poll(() => resultCount(page)).toBe('1 case found');
  }
  await tabTo(page, { text: 'Reference', tag: 'table' });
  await page.keyboard.press('ArrowDown');
  if (expectRow !== undefined) expect(await page.locator('tr[aria-selected="true"]').textContent()).toContain(expectRow);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Lifecycle' }).waitFor();
}

/** Tabs to a button by its text (forwards, or backwards) and presses it with Enter. */
export async function press(page: Page, text: string, backwards = false): Promise<void> {
  await tabTo(page, { text, tag: 'button' }, { backwards });
  await page.keyboard.press('Enter');
}

/**
 * Picks the option starting with `label` in the focused select by arrowing down, then up (a select opened
 * with the keyboard moves its value as the arrows go, as a keyboard user would see it).
 */
export async function pickOption(page: Page, id: string, label: string): Promise<void> {
  const current = () =>
    page.evaluate(`document.getElementById(${JSON.stringify(id)}).selectedOptions[0]?.textContent ?? ''`) as Promise<string>;
  for (const key of ['ArrowDown', 'ArrowUp']) {
    for (let i = 0; i < 30; i++) {
      if ((await current()).startsWith(label)) return;
      const before = await current();
      await page.keyboard.press(key);
      if ((await current()) === before) break;
    }
  }
  throw new Error(`no option "${label}" in #${id}`);
}

/** Tabs to the select `id` (up to `max` stops) and picks the option starting with `label`. */
export async function chooseOption(page: Page, id: string, label: string, { max }: { max?: number } = {}): Promise<void> {
  await tabTo(page, { id }, { max });
  await pickOption(page, id, label);
}
