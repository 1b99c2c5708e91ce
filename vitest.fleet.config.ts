import { defineConfig } from 'vitest/config';

// npm run test:fleet: tests that need system servers (redis-server, nginx:
// Debian packages, installed by .ci/run) and take longer.
export default defineConfig({
  test: {
    include: ['test/fleet/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    setupFiles: ['test/support/setup.ts'],
  },
});
