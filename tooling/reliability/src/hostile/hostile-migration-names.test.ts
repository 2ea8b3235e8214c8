import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createMigrationFile, createMigrator, fromDirectory, fromMigrations, MigrationSourceError } from '@strata/db-migrate';
import { useTestDatabase } from '@strata/testkit';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeServer } from '../load/server-description.js';
import { scaled } from '../load/suite-scale.js';
import { recordSuiteResult } from '../report/suite-result.js';
import { checkProperty, echoesInput, hostileString } from './hostile-arbitraries.js';

const database = useTestDatabase();
const workDirectory = mkdtempSync(join(tmpdir(), 'strata-reliability-names-'));
let admin: pg.Client;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: database.adminUrl });
  admin.on('error', () => undefined);
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
  rmSync(workDirectory, { recursive: true, force: true });
});

/** A file name a filesystem accepts (no slash, no NUL, at most 255 bytes), otherwise hostile. */
const fileSystemName = hostileString
  .map((name) => name.replace(/[/\u0000]/g, '_'))
  .filter((name) => name !== '' && name !== '.' && name !== '..' && Buffer.byteLength(`${name}.sql`) <= 255);

describe('hostile migration names', () => {
  it('creating, listing and applying migrations with hostile names works or fails with MigrationSourceError', async ({ task }) => {
    const started = performance.now();
    const problems: string[] = [];
    let tried = 0;
    let refused = 0;
    let applied = 0;
    const refuse = (error: unknown, input: unknown) => {
      if (!(error instanceof MigrationSourceError)) {
        problems.push(`${error instanceof Error ? error.constructor.name : typeof error}: ${String(error)} for ${JSON.stringify(input)?.slice(0, 80)}`);
        return;
      }
      refused += 1;
      // Source errors may quote a file name (that is their point); they must not carry raw SQL errors.
      if (error.message.includes('syntax error')) problems.push(`raw SQL error text: ${error.message}`);
    };

    // `strata-migrate create NAME`: a safe file name, or MigrationSourceError.
    let round = 0;
    await checkProperty(
      fc.asyncProperty(hostileString, async (name) => {
        const before = problems.length;
        tried += 1;
        const directory = join(workDirectory, `create-${(round += 1)}`);
        try {
          const file = await createMigrationFile({ directory, name });
          const listed = await fromDirectory(directory).list();
          if (listed.length !== 1 || `${listed[0]!.name}.sql` !== basename(file)) problems.push(`created ${basename(file)} but listed ${listed.map((entry) => entry.name).join(',')}`);
          if (!/^[0-9]+_[a-z0-9_]+\.sql$/.test(basename(file))) problems.push(`unsafe file name ${basename(file)}`);
        } catch (error) {
          refuse(error, name);
        } finally {
          rmSync(directory, { recursive: true, force: true });
        }
        return problems.length === before;
      }),
      { numRuns: scaled(1_000, 100) },
      problems,
    );

    // A directory holding a file with a hostile name: listed, ignored, or MigrationSourceError.
    await checkProperty(
      fc.asyncProperty(fileSystemName, fc.constantFrom('.sql', '.down.sql', '.ts', '.txt', ''), async (name, extension) => {
        const before = problems.length;
        tried += 1;
        const folder = join(workDirectory, `list-${(round += 1)}`);
        mkdirSync(folder);
        try {
          writeFileSync(join(folder, `${name}${extension}`), 'select 1;\n');
          const listed = await fromDirectory(folder).list();
          if (listed.length > 1) problems.push(`one file listed as ${listed.length} migrations`);
        } catch (error) {
          refuse(error, name);
        } finally {
          rmSync(folder, { recursive: true, force: true });
        }
        return problems.length === before;
      }),
      { numRuns: scaled(1_000, 100) },
      problems,
    );

    // Programmatic migrations: a hostile name is applied and recorded verbatim, or refused
    // before anything runs. Each run is applied for real, then its record removed.
    await checkProperty(
      fc.asyncProperty(hostileString, async (name) => {
        const before = problems.length;
        tried += 1;
        const migrator = createMigrator({ connectionString: database.directOwnerUrl, source: fromMigrations([{ name, up: 'select 1' }]), lockTimeoutMillis: 10_000 });
        try {
          const result = await migrator.up();
          if (result.success) {
            const { rows } = await admin.query<{ name: string }>('select name from strata_migrations');
            if (rows.length !== 1 || rows[0]!.name !== name) problems.push(`recorded ${JSON.stringify(rows.map((row) => row.name))} for ${JSON.stringify(name)}`);
            applied += 1;
            await admin.query('delete from strata_migrations');
          } else {
            refuse(result.error, name);
            if (echoesInput(result.error, name) && /select|syntax/i.test(String(result.error?.message))) problems.push('SQL text in the error');
          }
        } catch (error) {
          problems.push(`up() threw instead of reporting: ${String(error)}`);
        } finally {
          await migrator.close();
        }
        return problems.length === before;
      }),
      { numRuns: scaled(200, 30) },
      problems,
    );

    recordSuiteResult(task, {
      suite: 'Hostile input',
      scenario: 'migration names (create, directory listing, programmatic, applied for real)',
      operations: tried,
      concurrency: 1,
      faultsInjected: refused,
      rowsChecked: tried + applied,
      leaksFound: problems.length,
      durationMillis: performance.now() - started,
      notes: `${refused} refused with MigrationSourceError; ${applied} hostile programmatic names applied and recorded byte for byte`,
      server: await describeServer(database.adminUrl, database.serverKind),
    });
    expect(problems).toEqual([]);
  });
});
