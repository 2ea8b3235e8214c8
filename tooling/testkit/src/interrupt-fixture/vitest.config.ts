import { defineConfig } from 'vitest/config';

// A vitest project used only by harness-cleanup.test.ts: its one test waits until killed.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['waits-forever.fixture.ts'],
    globalSetup: ['../global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
