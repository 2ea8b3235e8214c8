import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MigrationSourceError } from '../errors/migration-source-error.js';
import { createMigrationFile } from './migration-file-creator.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function scratchDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'strata-migrate-create-'));
  directories.push(directory);
  return directory;
}

describe('createMigrationFile', () => {
  it('names the file from a timestamp and the normalised description', async () => {
    const directory = scratchDirectory();
    const file = await createMigrationFile({ directory, name: 'Add Orders!', now: new Date('2025-01-01T12:00:00Z') });
    expect(file).toBe(join(directory, '20250101120000_add_orders.sql'));
    expect(existsSync(file)).toBe(true);
  });

  it('refuses a name too long for a file system with a typed error and writes nothing', async () => {
    const directory = scratchDirectory();
    const error = await createMigrationFile({ directory, name: 'a'.repeat(300) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MigrationSourceError);
    expect((error as Error).message).toMatch(/too long/);
    expect(readdirSync(directory)).toEqual([]);
  });
});
