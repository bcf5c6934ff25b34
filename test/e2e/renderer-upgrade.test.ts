// The first unlock after an update upgrades a store made by older code, which on a large store takes
// minutes: the unlock screen shows which step is running, of how many, with a progress bar, announced
// politely, and nothing on it fails axe. Here the store is one the code of schema 015 made; the closed
// database's last migration is held until the test has seen its step on screen, since on a small store
// the whole upgrade would finish before the first poll.
import { describe, expect, it } from 'vitest';
import { CLOSED_MIGRATIONS } from '../../src/store/closed-migrations/index.js';
import { CLOSED_STORE } from '../../src/store/closed-store.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import type { Migration } from '../../src/vault/migrate.js';
import { storeMadeAt015 } from '../store/upgrade.js';
import {
  expectNoAxeViolations,
  expectNoProblems,
  JUSTIFICATION,
  MANAGER,
  openApp,
  screenshot,
  typeInto,
  useRendererHarness,
} from './support/index.js';

useRendererHarness();

describe('the unlock that upgrades an older store', () => {
  it('shows the step running, of how many, with a progress bar and a polite announcement; keyboard alone, axe 0', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const last = CLOSED_MIGRATIONS.at(-1)!;
    const held: Migration = {
      ...last,
      up: async (sql, context) => {
        await released;
        await last.up(sql, context);
      },
    };
    const app = await openApp({
      seed: ({ host }) => storeMadeAt015(host.dataDir),
      host: { closed: { ...CLOSED_STORE, migrations: [...CLOSED_MIGRATIONS.slice(0, -1), held] } },
    });
    const { page } = app;
    try {
      await page.getByRole('heading', { name: 'Unlock Concordat' }).waitFor();
      await typeInto(page, { id: 'username' }, MANAGER.username);
      await typeInto(page, { id: 'passphrase' }, MANAGER.passphrase);
      await typeInto(page, { id: 'unlock-justification' }, JUSTIFICATION);
      await page.keyboard.press('Enter');

      // The check, 016–018, the closed database's 004 and 005, and the move of closed-only content: 7 steps.
      const steps = 1 + MIGRATIONS.filter((m) => m.version > 15).length + CLOSED_MIGRATIONS.filter((m) => m.version > 3).length + 1;
      const expected = `Upgrading your store to this version: step ${steps - 1} of ${steps} (${last.name})`;
      await expect.poll(() => page.locator('label[for="upgrade-progress"]').textContent(), { timeout: 20_000 }).toBe(expected);
      expect(await page.getByTestId('unlock-upgrade-announcement').textContent()).toBe(expected);
      expect(await page.getByTestId('unlock-upgrade-announcement').getAttribute('aria-live')).toBe('polite');
      // The bar is named by its label; this step cannot say how far it has got, so it has no value.
      const bar = page.getByRole('progressbar', { name: expected });
      expect(await bar.count()).toBe(1);
      expect(await bar.getAttribute('value')).toBeNull();
      await screenshot(page, 'unlock-upgrade');
      await expectNoAxeViolations(page, 'unlock while upgrading');
    } finally {
      release();
    }
    await expect.poll(() => page.getByTestId('result-count').textContent(), { timeout: 20_000 }).toMatch(/^\d+ cases?$/);
    expect(await page.locator('#upgrade-progress').count()).toBe(0);
    const status = await app.call('store.status', {});
    expect(status.upgrade).toBeNull();
    expectNoProblems(app);
  });
});
