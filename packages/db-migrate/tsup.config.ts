import { defineConfig } from 'tsup';

export default defineConfig({
  // cli.ts is the `strata-migrate` bin (dist/cli.js); its CommonJS twin is unused but harmless.
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: false,
});
