import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/drizzle.ts', 'src/authjs.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: false,
  external: ['@strata/db-core', 'kysely', 'drizzle-orm', '@auth/core'],
});
