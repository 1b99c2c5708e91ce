import { defineConfig } from 'vitest/config';

// RAXE_TEST_REPORT=path adds vitest's JSON report (failed tests by name):
// scripts/stress.js (npm run test:stress) sets it.
const report = process.env.RAXE_TEST_REPORT;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    setupFiles: ['test/support/setup.ts'],
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
});
