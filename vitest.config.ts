import { defineConfig } from 'vitest/config';

/** CRIER_TEST_SLOWDOWN scales every deadline of the tests (tests/helpers/wait.ts), these included. */
const slowdown = Math.max(1, Number(process.env.CRIER_TEST_SLOWDOWN) || 1);

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    // Redis-backed suites use their own key prefix each; files can run in parallel on 2 cores.
    maxWorkers: 2,
    testTimeout: 30_000 * slowdown,
    hookTimeout: 30_000 * slowdown,
    // `npm run coverage` (and CI) measure the library and the job processors against these floors, a few
    // points under what the suite reaches, so a change that leaves new code untested fails.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'jobs/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: '.vitest/coverage',
      thresholds: { statements: 82, branches: 75, functions: 83, lines: 84 },
    },
  },
});
