import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests start real brokers and fleets; two cores are shared, so keep files from starving each other.
    maxWorkers: 2,
  },
});
