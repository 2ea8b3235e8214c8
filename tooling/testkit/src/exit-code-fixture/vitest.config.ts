import { defineConfig } from 'vitest/config';

// A vitest project used only by exit-code-guard.test.ts: its one test fails on purpose.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['fails-on-purpose.fixture.ts'],
    globalSetup: ['../global-setup.ts'],
    hookTimeout: 120_000,
  },
});
