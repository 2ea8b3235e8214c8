import { defineConfig } from 'vitest/config';

// These tests exercise packaging (pack, npm install, imports, git, changesets) on a fixture
// federation; they need no database, so there is no testkit global setup here. The real
// packages' smoke scenarios run against PostgreSQL in `pnpm check:install`.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
