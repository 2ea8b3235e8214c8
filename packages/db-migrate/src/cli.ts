#!/usr/bin/env node
import { runCli } from './cli/cli-runner.js';

// The command line entry point (`strata-migrate`); all logic lives in cli/cli-runner.ts.
void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then((code) => {
  process.exitCode = code;
});
