import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';

/**
 * Writes `files` (relative path → content) into a new temporary directory, removed when
 * the current test finishes. Returns the directory.
 */
export function writeMigrationDirectory(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'strata-migrate-test-'));
  for (const [name, content] of Object.entries(files)) {
    const file = join(directory, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}
