// What a renderer spec needs, from one import: the harness (app.ts), the user steps (flows.ts), the seeded
// partnership and its personas (test/support/partnership.ts), and Playwright's Page type.
import { openApp, type App } from './app.js';
import { seedPartnership, type Partnership } from '../../support/partnership.js';

export * from './app.js';
export * from './flows.js';
export * from '../../support/partnership.js';
export type { Page } from 'playwright-core';

/** Opens the app on a store holding the standard seeded partnership (locked, at the unlock screen). */
export async function openPartnership(): Promise<{ app: App; seeded: Partnership }> {
  let seeded: Partnership | undefined;
  const app = await openApp({
    seed: async ({ call }) => {
      seeded = await seedPartnership(call);
    },
  });
  return { app, seeded: seeded! };
}
