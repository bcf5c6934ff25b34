// The backup screen in real Chromium against a real store, by keyboard alone: the overdue reminder, making a
// backup with its progress and manifest, checking the file, a refusal beside its field, the settings; axe 0.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  expectNoAxeViolations,
  expectNoProblems,
  MANAGER,
  openPartnership,
  type Page,
  pageText,
  screenshot,
  tabTo,
  typeInto,
  unlockAs,
  useRendererHarness,
} from './support/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { restoreBackupFile } from '../../src/services/backup.js';

useRendererHarness();

const folders: string[] = [];
afterEach(() => {
  while (folders.length) rmSync(folders.pop()!, { recursive: true, force: true });
});

const FAR = { max: 200 };

async function press(page: Page, text: string, backwards = false): Promise<void> {
  await tabTo(page, { text, tag: 'button' }, { backwards, ...FAR });
  await page.keyboard.press('Enter');
}

describe('backups', () => {
  it('a manager is reminded, backs up while working, sees the manifest, checks the file and sets the folder, by keyboard alone', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'concordat-e2e-backups-'));
    folders.push(folder);
    const out = join(folder, 'monday.cbak');
    const { app } = await openPartnership();
    const { page } = app;
    await unlockAs(page, MANAGER);

    // The reminder: no backup yet.
    await page.locator('#backup-reminder').waitFor();
    expect(await page.locator('#backup-reminder').textContent()).toContain('No backup of this store has been made yet');
    await expectNoAxeViolations(page, 'workspace with the backup reminder');

    await press(page, 'Backups');
    await page.getByRole('heading', { name: 'Backups', level: 1 }).waitFor();
    await expect.poll(() => pageText(page)).toContain('Never');
    // The restore guidance says how to check the restored log against a head taken from an export.
    expect(await pageText(page)).toContain('--anchor SEQ:HASH');
    await expectNoAxeViolations(page, 'backups');

    await typeInto(page, { label: 'Save the backup as' }, out);
    await press(page, 'Back up now');
    await page.locator('#backup-done').waitFor({ timeout: 30_000 });
    expect(await page.locator('#backup-done').textContent()).toContain('The backup has been made');
    expect(existsSync(out)).toBe(true);
    const text = await pageText(page);
    expect(text).toContain('Manifest');
    expect(text).toContain('Rows per table in the backup');
    expect(text).toMatch(/Audit head\s+Entry \d+/);
    expect(text).toContain(MANAGER.username);
    await screenshot(page, '40-backup-made');
    await expectNoAxeViolations(page, 'backup made, with its manifest');
    // The last backup is shown, and it restores (with the manager's passphrase) into a new folder.
    await expect.poll(() => pageText(page)).toContain(out);
    const restored = await restoreBackupFile(out, join(folder, 'restored'), { username: MANAGER.username, passphrase: MANAGER.passphrase });
    expect(restored.manifest.tables.users).toBeGreaterThan(0);

    // The same file again is refused beside the field.
    await typeInto(page, { label: 'Save the backup as' }, out);
    await press(page, 'Back up now');
    await expect.poll(() => page.locator('#backup-out-error').textContent()).toContain('already exists');
    await expectNoAxeViolations(page, 'backup refused');

    await typeInto(page, { label: 'Backup file' }, out);
    await press(page, 'Check backup');
    await expect.poll(() => page.locator('#backup-done').textContent(), { timeout: 30_000 }).toContain('The backup file is intact');

    await typeInto(page, { label: 'Backup folder' }, folder);
    await typeInto(page, { label: 'Remind me when the last backup is older than (days)' }, '3');
    await press(page, 'Save settings');
    await page.locator('#settings-saved').waitFor();
    expect(await app.call('backup.settings', {})).toMatchObject({ folder, reminderDays: 3, overdue: false });
    await expectNoAxeViolations(page, 'backup settings saved');

    // Back on another screen, the reminder is gone.
    await press(page, 'Cases', true);
    await page.getByRole('heading', { name: 'Cases', level: 1 }).waitFor();
    // The screen asks for the backup status as it opens: wait for that answer.
    await expect.poll(() => page.locator('#backup-reminder').count()).toBe(0);
    expectNoProblems(app);
  }, 180_000);
});
