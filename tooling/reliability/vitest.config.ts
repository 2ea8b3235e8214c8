import { defineConfig } from 'vitest/config';
import { ReliabilityReporter } from './src/report/reliability-reporter.js';

export default defineConfig({
  test: {
    globalSetup: ['../../tooling/testkit/src/global-setup.ts'],
    // One scenario at a time: each one loads the machine on purpose, and their figures
    // (throughput, recovery times) would mean nothing if they competed with each other.
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 180_000,
    reporters: ['default', new ReliabilityReporter()],
  },
});
