// The CLI unlocks like the app: the first unlock of a store made by older code upgrades it, and the
// command says so on stderr, step by step, so that a long upgrade does not look like a hang; stdout
// keeps the result alone. The next unlock has nothing to upgrade and prints no such line.
import { beforeAll, describe, expect, it } from 'vitest';
import { CLOSED_MIGRATIONS } from '../../src/store/closed-migrations/index.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { storeMadeAt015 } from '../store/upgrade.js';
import { MANAGER } from '../support/partnership.js';
import { tempDir } from '../support/store.js';
import { assertBuilt, inStore } from './run.js';

beforeAll(assertBuilt);

const asManager = { CONCORDAT_USER: MANAGER.username, CONCORDAT_PASSPHRASE: MANAGER.passphrase };

describe('an unlock through the CLI that upgrades the store', () => {
  it('prints each step of the upgrade to stderr, in order, and nothing the next time', async () => {
    const dataDir = tempDir();
    await storeMadeAt015(dataDir);
    const cli = inStore(dataDir);

    const first = await cli(['unlock-check'], asManager);
    expect(first.code, first.stderr).toBe(0);
    const names = [
      'checking the store file',
      ...MIGRATIONS.filter((m) => m.version > 15).map((m) => m.name),
      ...CLOSED_MIGRATIONS.filter((m) => m.version > 3).map((m) => m.name),
      'moving closed-only content into the closed database',
    ];
    const starts = first.stderr
      .split('\n')
      .filter((line) => /^concordat: Upgrading your store to this version: step \d+ of \d+ \([^)]*\)$/.test(line));
    expect(starts).toEqual(
      names.map((name, i) => `concordat: Upgrading your store to this version: step ${i + 1} of ${names.length} (${name})`),
    );
    // The move of closed-only content can say how far it has got: it ends at 100%.
    expect(first.stderr).toContain(`step ${names.length} of ${names.length} (${names.at(-1)}), 100%`);
    expect(first.stdout).not.toContain('Upgrading');

    const json = await cli(['unlock-check', '--json'], asManager);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).not.toContain('progress');
    const again = await cli(['unlock-check'], asManager);
    expect(again.stderr).not.toContain('Upgrading');
  });
});
