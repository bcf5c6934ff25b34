// Issue 16 in the browser: the preview's access token leaves the address bar and the history once read
// (finding 9), and the working context asked on the unlock screen spares a refusal at every start (finding 8).
import { describe, expect, it } from 'vitest';
import {
  expectNoAxeViolations,
  expectNoProblems,
  JUSTIFICATION,
  MANAGER,
  openPartnership,
  typeInto,
  useRendererHarness,
} from './support/index.js';

useRendererHarness();

describe('the preview token', () => {
  it('is taken out of the address and the history once read, and the page keeps working', async () => {
    const { app } = await openPartnership();
    const { page, transport } = app;
    expect(transport.pageUrl).toContain('#token=');
    await page.getByRole('heading', { name: 'Unlock Concordat' }).waitFor();
    expect(await page.evaluate('location.href')).toBe(`${transport.origin}/`);
    expect(await page.evaluate('location.hash')).toBe('');
    // The transport kept the token in memory: a call still goes through.
    await page.getByLabel('User name').fill('nobody');
    await page.getByLabel('Passphrase').fill('not the passphrase at all');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.locator('#passphrase-error').textContent()).toContain('The user name or passphrase is not right');
    await expectNoAxeViolations(page, 'unlock after the token left the address');
    expectNoProblems(app);
    // The history entry itself was rewritten: no entry of the tab's history holds the token. (Read from the
    // browser's own list rather than by going back to the blank tab and forward, which can detach the page.)
    const cdp = await page.context().newCDPSession(page);
    const { entries } = (await cdp.send('Page.getNavigationHistory')) as { entries: { url: string }[] };
    expect(entries.map((entry) => entry.url)).toContain(`${transport.origin}/`);
    expect(entries.filter((entry) => entry.url.includes('token'))).toEqual([]);
    await cdp.detach();
  });
});

describe('the working context on the unlock screen', () => {
  it('is typed with the keyboard alone, and the case list opens with no dialog and no refusal in the log', async () => {
    const { app } = await openPartnership();
    const { page } = app;
    await page.getByRole('heading', { name: 'Unlock Concordat' }).waitFor();
    await expectNoAxeViolations(page, 'unlock with the working context');
    await typeInto(page, { id: 'username' }, MANAGER.username);
    await typeInto(page, { id: 'passphrase' }, MANAGER.passphrase);
    await typeInto(page, { id: 'unlock-justification' }, JUSTIFICATION);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('result-count').textContent()).toBe('3 cases');
    expect(await page.getByRole('dialog').count()).toBe(0);
    const { entries } = await app.call('audit.query', { filter: { outcome: 'refused' }, limit: 50 });
    expect(entries.filter((e) => e.operation === 'cases.list')).toEqual([]);
    expectNoProblems(app);
  });
});
