import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Argon2id at production strength, real SQLCipher files and real Chromium make some tests take tens of
    // seconds on two shared cores; the limit is a safety net for a hang, not a speed goal (speed is in bench/).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // expect.poll waits for what a screen shows after a call; its 1 s default is shorter than one Argon2id
    // derivation or a re-key on a busy machine. Waiting longer hides no failure: a wrong value still fails.
    expect: { poll: { timeout: 30_000 } },
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
