// The audit log (filter, page, verify, export, tamper warning) and people administration, in real
// Chromium against a real store.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  expectNoAxeViolations,
  expectNoProblems,
  JUSTIFICATION,
  MANAGER,
  openApp,
  openPartnership,
  pageText,
  screenshot,
  seedPartnership,
  STATUTORY,
  tabTo,
  typeInto,
  unlockAs,
  useRendererHarness,
} from './support/index.js';
import { alterLatestCheckpoint, readKeyFileJson, writeKeyFileJson } from '../vault/raw.js';

useRendererHarness();

describe('audit log', () => {
  it('filters, pages, verifies and exports the log', async () => {
    const app = await openApp({
      seed: async ({ call }) => {
        await seedPartnership(call);
        await call('session.unlock', { username: MANAGER.username, passphrase: MANAGER.passphrase });
        // Enough entries for a second page.
        for (let i = 0; i < 40; i++) await call('organisations.list', {});
        await call('session.lock', {});
      },
    });
    const { page } = app;
    await unlockAs(page, MANAGER);
    await page.getByRole('button', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toMatch(/^Entries 1 to 50 of \d+, newest first$/);
    const total = Number((await page.getByTestId('audit-count').textContent())!.match(/of (\d+)/)![1]);
    expect(total).toBeGreaterThan(60);
    // Newest first: the case list this session opened, under the working context (above it, at most the
    // log's own reading, if the screen's query was logged before a busy machine showed its result).
    const newest = (await page.locator('tbody tr').allTextContents()).filter((row) => !row.includes('audit.query'));
    expect(newest[0]).toContain('cases.list');
    expect(await pageText(page)).toContain(JUSTIFICATION);
    await screenshot(page, '09-audit-log');
    await expectNoAxeViolations(page, 'audit log');

    await page.getByRole('button', { name: 'Older entries' }).click();
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toMatch(/^Entries 51 to /);
    await page.getByRole('button', { name: 'Newer entries' }).click();
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toMatch(/^Entries 1 to 50 /);

    await page.getByLabel('Kind').selectOption('lock');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toMatch(/^Entries 1 to 2 of 2,/);
    expect(await page.locator('tbody tr').allTextContents()).toEqual([expect.stringContaining('Lock'), expect.stringContaining('Lock')]);
    await page.getByLabel('From').fill('not a date');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.locator('#audit-from-error').textContent()).toContain('YYYY-MM-DD');
    await page.getByLabel('From').fill('');
    await page.getByRole('button', { name: 'Apply filters' }).click();

    await page.getByRole('button', { name: 'Verify the audit log' }).click();
    await page.getByTestId('verify-result').waitFor();
    expect(await page.locator('#verify-result').textContent()).toContain('The audit log is intact');
    await screenshot(page, '10-audit-verified');

    await page.getByRole('button', { name: 'Export as CSV' }).click();
    await expect.poll(() => page.locator('#export-recipients-error').textContent()).toContain('Enter who the export is for');
    await page.getByLabel('Who it is for').fill('Information governance lead');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^concordat-audit-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^seq,at,user_id,username/);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(4);
    // The last line carries the audit head: pasted back, the audit screen proves it is still in the chain.
    const printed = /audit log head at export: (\d+:[0-9a-f]{64})$/.exec(csv.split('\r\n').filter(Boolean).at(-1)!)![1]!;
    await typeInto(page, { id: 'anchor' }, printed);
    await page.keyboard.press('Enter');
    await page.getByTestId('anchor-result').waitFor();
    expect(await page.evaluate('document.activeElement.id')).toBe('anchor-result');
    expect(await page.locator('#anchor-result').textContent()).toContain('That head is in the chain');
    await expectNoAxeViolations(page, 'audit log, head checked');
    await typeInto(page, { id: 'anchor' }, `${printed.split(':')[0]}:${'0'.repeat(64)}`);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#anchor-result').textContent()).toContain('That head is not in the chain');
    await typeInto(page, { id: 'anchor' }, 'not a head');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#anchor-error').textContent()).toContain('its number, a colon');
    await expectNoAxeViolations(page, 'audit log, head refused');
    const shown = await page.getByTestId('export-sha256').textContent();
    expect(shown).toBe(createHash('sha256').update(csv, 'utf8').digest('hex'));
    const disclosure = (await app.call('audit.query', { filter: { kind: 'disclosure' } })).entries[0]!;
    expect(disclosure.recipients).toEqual(['Information governance lead']);
    expectNoProblems(app);
  });

  it('is reached, filtered and verified with the keyboard alone', async () => {
    const { app } = await openPartnership();
    const { page } = app;
    await page.getByRole('heading', { name: 'Unlock Concordat' }).waitFor();
    // One mistyped passphrase first: the refusal the filter below looks for, logged at the next unlock.
    await typeInto(page, { id: 'username' }, MANAGER.username);
    await typeInto(page, { id: 'passphrase' }, `${MANAGER.passphrase}x`);
    await page.keyboard.press('Enter');
    await page.getByText('The user name or passphrase is not right').first().waitFor();
    await typeInto(page, { id: 'passphrase' }, MANAGER.passphrase);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.type(JUSTIFICATION);
    await page.keyboard.press('Enter');
    await page.getByTestId('result-count').waitFor();
    await tabTo(page, { text: 'Audit log', tag: 'button' }, { backwards: true });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toMatch(/^Entries 1 to /);
    await tabTo(page, { text: 'Verify the audit log', tag: 'button' });
    await page.keyboard.press('Enter');
    await page.getByTestId('verify-result').waitFor();
    // The result banner takes focus, so it is read out at once.
    expect(await page.evaluate('document.activeElement.id')).toBe('verify-result');
    await tabTo(page, { id: 'audit-outcome' });
    // Any outcome → Done → Refused.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    // The one refusal so far: the mistyped passphrase (the working context is asked before any call needs it).
    const refused = (await app.call('audit.query', { filter: { outcome: 'refused' } })).total;
    expect(refused).toBe(1);
    await tabTo(page, { text: 'Apply filters', tag: 'button' });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('Entries 1 to 1 of 1, newest first');
    expect(await page.locator('tbody tr').first().textContent()).toContain('AUTH_FAILED');
    expectNoProblems(app);
  });

  it('shows a tamper warning prominently on every screen until the manager acknowledges it', async () => {
    const app = await openApp({
      seed: ({ call }) => seedPartnership(call).then(() => undefined),
      // A forged checkpoint in the key file, as in test/audit/tamper.test.ts.
      tamper: (dir) => {
        const keyFile = readKeyFileJson(dir);
        alterLatestCheckpoint(keyFile, { seq: 2 });
        writeKeyFileJson(dir, keyFile);
      },
    });
    const { page } = app;
    await unlockAs(page, MANAGER);
    const banner = page.locator('#tamper');
    expect(await banner.textContent()).toMatch(/forged or altered/);
    await screenshot(page, '11-tamper-warning');
    await expectNoAxeViolations(page, 'tamper warning');
    await page.getByRole('button', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    expect(await banner.count()).toBe(1);
    await page.getByRole('button', { name: 'Verify the audit log' }).click();
    await page.getByTestId('verify-result').waitFor();
    expect(await page.locator('#verify-result').textContent()).toContain('The audit log has been altered');
    await page.getByLabel('What the investigation found').fill('Key file restored from an old backup by IT; no entries lost.');
    await page.getByRole('button', { name: 'Acknowledge and re-baseline' }).click();
    await expect.poll(() => banner.count()).toBe(0);
    expect(app.host.tamperWarning).toBeNull();
    expectNoProblems(app);
  });
});

describe('people administration', () => {
  it('adds an organisation and a user, removes a user, changes a passphrase and replaces the recovery key', async () => {
    const { app } = await openPartnership();
    const { page } = app;
    await unlockAs(page, MANAGER);
    await page.getByRole('button', { name: 'People administration' }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    expect(await pageText(page)).toContain(STATUTORY.username);
    await screenshot(page, '12-people-administration');
    await expectNoAxeViolations(page, 'people administration');

    await page.getByLabel('Add an organisation').fill('Birmingham Mind');
    await page.locator('#org-statutory-no').check();
    await page.getByRole('button', { name: 'Add organisation' }).click();
    await expect.poll(() => page.locator('#admin-done').textContent()).toContain('Birmingham Mind added');

    await page.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary li').count()).toBeGreaterThanOrEqual(4);
    await page.getByLabel('Full name', { exact: true }).fill('Robin Mind');
    await page.locator('#user-username').fill('robin.mind');
    await page.locator('#user-role-non_statutory').check();
    await page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Birmingham Mind (non-statutory)' });
    await page.locator('#user-passphrase').fill('lantern meadow copper swift');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => page.locator('#admin-done').textContent()).toContain('Robin Mind can now unlock Concordat as robin.mind');
    const users = (await app.call('users.list', {})).users;
    expect(users.find((u) => u.username === 'robin.mind')).toMatchObject({ role: 'non_statutory', organisation: 'Birmingham Mind' });

    await page.getByRole('button', { name: 'Remove Robin Mind' }).click();
    await page.getByRole('dialog', { name: 'Remove Robin Mind?' }).getByRole('button', { name: 'Remove Robin Mind' }).click();
    await expect.poll(() => page.locator('#admin-done').textContent()).toContain('Robin Mind has been removed');
    expect((await app.call('users.list', {})).users.some((u) => u.username === 'robin.mind')).toBe(false);

    await page.getByRole('button', { name: 'Replace the recovery key' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Replace it' }).click();
    const key = await page.getByTestId('recovery-key').textContent();
    expect(key?.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.locator('#new-recovery-stored-error').textContent()).toContain('Confirm that you have stored');
    await page.getByLabel('I have stored the new recovery key somewhere safe').check();
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByTestId('recovery-key').count()).toBe(0);

    await page.getByRole('button', { name: 'Your account' }).click();
    await page.getByLabel('Current passphrase').fill('not my passphrase');
    await page.locator('#new-passphrase').fill('orchard violin kettle marsh');
    await page.getByLabel('Confirm new passphrase').fill('orchard violin kettle marsh');
    await page.getByRole('button', { name: 'Change passphrase' }).click();
    await expect.poll(() => page.locator('#current-passphrase-error').textContent()).toContain('not right');
    await screenshot(page, '13-your-account');
    await expectNoAxeViolations(page, 'your account');
    await page.getByLabel('Current passphrase').fill(MANAGER.passphrase);
    await page.locator('#new-passphrase').fill('orchard violin kettle marsh');
    await page.getByLabel('Confirm new passphrase').fill('orchard violin kettle marsh');
    await page.getByRole('button', { name: 'Change passphrase' }).click();
    await expect.poll(() => page.locator('#passphrase-done').count()).toBe(1);

    // The new passphrase opens the store.
    await page.keyboard.press('Control+l');
    await unlockAs(page, { username: MANAGER.username, passphrase: 'orchard violin kettle marsh' });
    expectNoProblems(app);
  });
});
