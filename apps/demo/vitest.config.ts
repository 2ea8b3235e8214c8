import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['../../tooling/testkit/src/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
