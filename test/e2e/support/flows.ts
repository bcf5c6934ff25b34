// Steps several renderer tests share, done the way a user does them.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
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
  await expect.poll(() => page.getByTestId('result-count').textContent()).toMatch(/^\d[\d,]* cases?$/);
}

export async function lockWithButton(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Lock/ }).click();
  await page.getByRole('heading', { name: 'Unlock Concordat' }).waitFor();
}

export async function resultCount(page: Page): Promise<string> {
  return (await page.getByTestId('result-count').textContent()) ?? '';
}
