import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Argon2id at production strength, real SQLCipher files and real Chromium make some tests take tens of
    // seconds on two shared cores; the limit is a safety net for a hang, not a speed goal (speed is in bench/).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
