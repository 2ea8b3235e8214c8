#!/usr/bin/env node
// A committed shim, so package managers can link the `strata-migrate` bin before dist/ exists
// (a fresh workspace clone installs before it builds). The CLI itself is dist/cli.js.
import '../dist/cli.js';
