import { describe, expect, it } from 'vitest';
import { MigrationSourceError } from '../errors/migration-source-error.js';
import { writeMigrationDirectory } from '../test-support/migration-directory.js';
import { calculateChecksum } from './checksum-calculator.js';
import { fromDirectory } from './directory-source.js';
import { fromMigrations } from './programmatic-source.js';

async function listError(directory: string): Promise<MigrationSourceError> {
  const error = await fromDirectory(directory)
    .list()
    .then(async (definitions) => {
      await Promise.all(definitions.map((definition) => definition.prepare()));
      return undefined;
    })
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(MigrationSourceError);
  return error as MigrationSourceError;
}

describe('directory source', () => {
  it('orders by name and pairs .sql files with down sections and sibling .down.sql files', async () => {
    const directory = writeMigrationDirectory({
      '0002_second.sql': 'create table b (id int);\n-- strata:down\ndrop table b;\n',
      '0001_first.sql': 'create table a (id int);',
      '0001_first.down.sql': 'drop table a;',
      '0003_third.ts': 'export async function up() {}\n',
      'README.md': '# notes',
      'nested/0004_ignored.sql': 'select 1;',
    });
    const definitions = await fromDirectory(directory).list();
    expect(definitions.map((definition) => definition.name)).toEqual(['0001_first', '0002_second', '0003_third']);
    const [first, second, third] = await Promise.all(definitions.map((definition) => definition.prepare()));
    expect(first!.down).toMatchObject({ kind: 'sql', sql: 'drop table a;', transaction: true });
    expect(second!.up).toMatchObject({ kind: 'sql', sql: 'create table b (id int);\n' });
    expect(second!.down).toMatchObject({ kind: 'sql', sql: '\ndrop table b;\n' });
    expect(third!.up.kind).toBe('function');
    expect(third!.down).toBeUndefined();
  });

  it('checksums the up section only, ignoring CRLF line endings', async () => {
    const lf = writeMigrationDirectory({ '0001_a.sql': 'create table a (id int);\n-- strata:down\ndrop table a;\n' });
    const crlf = writeMigrationDirectory({ '0001_a.sql': 'create table a (id int);\r\n-- strata:down\r\ndrop table a cascade;\r\n' });
    const [fromLf] = await fromDirectory(lf).list();
    const [fromCrlf] = await fromDirectory(crlf).list();
    expect(fromLf!.checksum).toBe(calculateChecksum('create table a (id int);\n'));
    expect(fromCrlf!.checksum).toBe(fromLf!.checksum);
  });

  it('reads -- strata:no-transaction and rejects unknown directives', async () => {
    const directory = writeMigrationDirectory({ '0001_index.sql': '-- strata:no-transaction\ncreate index concurrently i on t (x);\n' });
    const [definition] = await fromDirectory(directory).list();
    expect((await definition!.prepare()).up.transaction).toBe(false);
    const typo = await listError(writeMigrationDirectory({ '0001_a.sql': '-- strata:no-transactoin\nselect 1;' }));
    expect(typo.message).toMatch(/Unknown directive "-- strata:no-transactoin"/);
  });

  it('refuses transaction control and CONCURRENTLY in a transactional file, naming file and line', async () => {
    const commit = await listError(writeMigrationDirectory({ '0001_a.sql': 'create table a (id int);\ncommit;\n' }));
    expect(commit.message).toMatch(/0001_a\.sql:2: "commit" controls the transaction/);
    const concurrently = await listError(writeMigrationDirectory({ '0001_a.sql': 'select 1;\n\n  create index concurrently i on a (id);' }));
    expect(concurrently.message).toMatch(/0001_a\.sql:3: "create index concurrently i" cannot run inside a transaction block/);
    expect(concurrently.message).toMatch(/-- strata:no-transaction/);
  });

  it('does not mistake semicolons and keywords inside strings, dollar quotes and comments', async () => {
    const directory = writeMigrationDirectory({
      '0001_function.sql': `create function f() returns int language plpgsql as $body$ begin commit; return 1; end; $body$;
select 'commit; vacuum';
/* commit; */ select 1;`,
    });
    const [definition] = await fromDirectory(directory).list();
    await expect(definition!.prepare()).resolves.toMatchObject({ name: '0001_function' });
  });

  it('reports a missing directory, a file instead of a directory, and malformed names', async () => {
    expect((await listError('/nonexistent/strata/migrations')).message).toMatch(/Migration directory \/nonexistent\/strata\/migrations does not exist/);
    const parent = writeMigrationDirectory({ 'file.sql': '' });
    expect((await listError(`${parent}/file.sql`)).message).toMatch(/is not a directory/);
    const malformed = await listError(writeMigrationDirectory({ '0001_ok.sql': '', 'add_users.sql': '' }));
    expect(malformed.message).toMatch(/Malformed migration file name "add_users\.sql"/);
    expect(malformed.file).toMatch(/add_users\.sql$/);
    expect((await listError(writeMigrationDirectory({ '0001 spaces.sql': '' }))).message).toMatch(/Malformed/);
  });

  it('refuses names whose text order and number order disagree, and duplicate names', async () => {
    const unpadded = await listError(writeMigrationDirectory({ '9_nine.sql': '', '10_ten.sql': '' }));
    expect(unpadded.message).toMatch(/zero-pad/);
    const duplicate = await listError(writeMigrationDirectory({ '0001_a.sql': '', '0001_a.ts': 'export function up() {}' }));
    expect(duplicate.message).toMatch(/Two files define migration 0001_a/);
    const orphan = await listError(writeMigrationDirectory({ '0001_a.down.sql': 'drop table a;' }));
    expect(orphan.message).toMatch(/no matching up migration 0001_a\.sql/);
    const both = await listError(writeMigrationDirectory({ '0001_a.sql': 'select 1;\n-- strata:down\nselect 2;', '0001_a.down.sql': 'select 3;' }));
    expect(both.message).toMatch(/both a "-- strata:down" section and a sibling/);
  });

  it('loads TypeScript, .mjs and CommonJS modules and reads their transaction export', async () => {
    const directory = writeMigrationDirectory({
      '0001_ts.ts': "import type { Kysely } from 'kysely';\nexport const transaction = false;\nexport async function up(db: Kysely<any>): Promise<void> {}\nexport async function down(db: Kysely<any>) {}\n",
      '0002_esm.mjs': 'export async function up() {}\n',
      '0003_cjs.cjs': 'module.exports = { up: async () => {}, down: async () => {} };\n',
    });
    const prepared = await Promise.all((await fromDirectory(directory).list()).map((definition) => definition.prepare()));
    expect(prepared.map((migration) => [migration.name, migration.up.kind, migration.up.transaction, migration.down !== undefined])).toEqual([
      ['0001_ts', 'function', false, true],
      ['0002_esm', 'function', true, false],
      ['0003_cjs', 'function', true, true],
    ]);
  });

  it('reports a module without up, and a module that does not compile, naming the file', async () => {
    const noUp = await listError(writeMigrationDirectory({ '0001_a.ts': 'export async function down() {}\n' }));
    expect(noUp.message).toMatch(/0001_a\.ts does not export an up\(db\) function/);
    const broken = await listError(writeMigrationDirectory({ '0001_a.ts': 'export async function up( {\n' }));
    expect(broken.message).toMatch(/Could not load migration module .*0001_a\.ts/);
  });
});

describe('programmatic source', () => {
  it('keeps array order, checksums SQL text, and leaves function checksums to the caller', async () => {
    const definitions = await fromMigrations([
      { name: 'b_first', up: 'create table b (id int)', down: 'drop table b' },
      { name: 'a_second', up: async () => undefined },
      { name: 'c_third', up: async () => undefined, checksum: 'v2', transaction: false },
    ]).list();
    expect(definitions.map((definition) => [definition.name, definition.checksum])).toEqual([
      ['b_first', calculateChecksum('create table b (id int)')],
      ['a_second', null],
      ['c_third', 'v2'],
    ]);
    expect((await definitions[2]!.prepare()).up.transaction).toBe(false);
  });

  it('rejects duplicate names, missing up steps and mixed step kinds', async () => {
    await expect(fromMigrations([{ name: 'a', up: 'select 1' }, { name: 'a', up: 'select 2' }]).list()).rejects.toThrow(/Two migrations are named a/);
    await expect(fromMigrations([{ name: 'a' } as never]).list()).rejects.toBeInstanceOf(MigrationSourceError);
    await expect(fromMigrations([{ name: 'a', up: 'select 1', down: async () => undefined }]).list()).rejects.toThrow(/down must be SQL text too/);
    await expect(fromMigrations([{ name: 'a', up: 'select 1', transaction: false }]).list()).rejects.toThrow(/strata:no-transaction/);
  });
});

describe('source caching', () => {
  it('reads a file again as soon as it changes, also with the same size within the same millisecond', async () => {
    const { writeFileSync } = await import('node:fs');
    const directory = writeMigrationDirectory({ '0001_a.sql': 'create table a (id int);' });
    const source = fromDirectory(directory);
    const [before] = await source.list();
    expect((await source.list())[0]).toBe(before);
    writeFileSync(`${directory}/0001_a.sql`, 'create table b (id int);');
    const [after] = await source.list();
    expect(after!.checksum).toBe(calculateChecksum('create table b (id int);'));
  });
});
