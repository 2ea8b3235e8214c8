import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runBuiltCli } from '../test-support/built-cli.js';
import { freshDatabase, tableNames } from '../test-support/database-helpers.js';
import { writeMigrationDirectory } from '../test-support/migration-directory.js';
import { runCli } from './cli-runner.js';

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, tty = false): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture(tty);
  const stderr = new Capture(tty);
  const code = await runCli(args, { stdout, stderr, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const files = {
  '0001_users.sql': 'create table users (id int primary key);\n-- strata:down\ndrop table users;\n',
  '0002_posts.sql': 'create table posts (id int primary key);\n-- strata:down\ndrop table posts;\n',
};

describe('strata-migrate', () => {
  it('up, status and down print a line per migration with its duration, and exit 0', async () => {
    const database = await freshDatabase();
    const directory = writeMigrationDirectory(files);
    const env = { DATABASE_URL: database.ownerUrl };
    const up = await cli(['up', '--dir', directory], env);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/^ {2}✓ applied 0001_users {2}\d+ ms\n {2}✓ applied 0002_posts {2}\d+ ms\n2 migration\(s\) applied in \d+ ms\.\n$/);
    const status = await cli(['status', '--dir', directory, '--fail-on-pending'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('State:    up_to_date');
    expect(status.stdout).toContain(`Database: ${database.ownerUrl.replace(/:[^:@/]+@/, ':***@')}`);
    const down = await cli(['down', '--steps', '2', '--dir', directory], env);
    expect(down.stdout).toMatch(/reverted 0002_posts.*\n.*reverted 0001_users/);
    expect(await tableNames(database.ownerUrl)).toEqual(['strata_migrations']);
  });

  it('status --fail-on-pending exits 3 while migrations are pending; --json prints one JSON document', async () => {
    const database = await freshDatabase();
    const directory = writeMigrationDirectory(files);
    const result = await cli(['status', '--json', '--fail-on-pending', '--dir', directory, '--url', database.ownerUrl]);
    expect(result.code).toBe(3);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ state: 'uninitialized', pending: ['0001_users', '0002_posts'], table: 'public.strata_migrations' });
    expect(document.target).not.toContain(new URL(database.ownerUrl).password);
    expect((await cli(['status', '--dir', directory, '--url', database.ownerUrl])).code).toBe(0);
  });

  it('exits 1 when a migration fails, naming the file and line on stderr', async () => {
    const database = await freshDatabase();
    const directory = writeMigrationDirectory({ ...files, '0003_broken.sql': 'create table broken (id int);\nselect * from nowhere;\n' });
    const result = await cli(['up', '--dir', directory, '--json', '--url', database.ownerUrl]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Error: Migration 0003_broken (up) failed at ${directory}/0003_broken.sql:2:15: relation "nowhere" does not exist`);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ success: false, error: { name: 'MigrationExecutionError', sqlState: '42P01', location: { line: 2, column: 15 } } });
    expect(document.migrations.map((migration: { status: string }) => migration.status)).toEqual(['applied', 'applied', 'failed']);
  });

  it('exits 2 on usage errors: unknown command or flag, a flag of another command, a missing URL or name', async () => {
    expect(await cli(['launch'])).toMatchObject({ code: 2, stderr: expect.stringContaining('Unknown command "launch"') });
    expect(await cli(['up', '--steps', '2'])).toMatchObject({ code: 2, stderr: expect.stringContaining('Option --steps does not apply to "up"') });
    expect(await cli(['up', '--frobnicate'])).toMatchObject({ code: 2 });
    expect(await cli(['status', '--dir', '.'])).toMatchObject({ code: 2, stderr: expect.stringContaining('pass --url or set DATABASE_URL') });
    expect(await cli(['down', '--steps', 'two'], { DATABASE_URL: 'postgres://u@h/d' })).toMatchObject({ code: 2 });
    expect(await cli(['baseline'], { DATABASE_URL: 'postgres://u@h/d' })).toMatchObject({ code: 2, stderr: expect.stringContaining('needs exactly one migration NAME') });
    const badUrl = await cli(['status'], { DATABASE_URL: 'mysql://user:sup3rsecret@h/d' });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).not.toContain('sup3rsecret');
    expect(await cli(['up', '--table', 'bad name'], { DATABASE_URL: 'postgres://u@h/d' })).toMatchObject({ code: 2 });
  });

  it('never prints the password, even when the server is unreachable', async () => {
    for (const json of [[], ['--json']]) {
      const result = await cli(['up', '--dir', writeMigrationDirectory(files), ...json], { DATABASE_URL: 'postgres://admin:pa55-w0rd%21@127.0.0.1:1/app' });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Cannot connect to postgres://admin:***@127.0.0.1:1/app');
      expect(result.stdout + result.stderr).not.toMatch(/pa55-w0rd/);
    }
  });

  it('prints help for every command and colours only on a terminal', async () => {
    const general = await cli(['--help']);
    expect(general.code).toBe(0);
    expect(general.stdout).toContain('Exit codes: 0 success, 1 a migration or the run failed, 2 usage error, 3 pending migrations');
    for (const command of ['up', 'down', 'status', 'create', 'baseline', 'sync']) {
      const help = await cli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: strata-migrate ${command}`);
    }
    const database = await freshDatabase();
    const directory = writeMigrationDirectory(files);
    const plain = await cli(['up', '--dir', directory, '--url', database.ownerUrl], {}, false);
    expect(plain.stdout).not.toContain('\u001b[');
    await cli(['down', '--steps', '2', '--dir', directory, '--url', database.ownerUrl]);
    const coloured = await cli(['up', '--dir', directory, '--url', database.ownerUrl], {}, true);
    expect(coloured.stdout).toContain('\u001b[');
    await cli(['down', '--steps', '2', '--dir', directory, '--url', database.ownerUrl]);
    const noColor = await cli(['up', '--dir', directory, '--url', database.ownerUrl], { NO_COLOR: '1' }, true);
    expect(noColor.stdout).not.toContain('\u001b[');
  });

  it('create writes numbered SQL and TypeScript files from templates', async () => {
    const directory = writeMigrationDirectory({ '0001_first.sql': 'select 1;' });
    expect((await cli(['create', 'Add Orders', '--dir', directory])).code).toBe(0);
    expect((await cli(['create', 'seed data', '--ts', '--dir', directory])).code).toBe(0);
    expect(readdirSync(directory).sort()).toEqual(['0001_first.sql', '0002_add_orders.sql', '0003_seed_data.ts']);
    expect(readFileSync(`${directory}/0002_add_orders.sql`, 'utf8')).toContain('-- strata:down');
    expect(readFileSync(`${directory}/0003_seed_data.ts`, 'utf8')).toContain('export async function up(db: Kysely<any>)');
    const empty = writeMigrationDirectory({});
    const result = await cli(['create', 'init', '--dir', empty, '--json']);
    expect(JSON.parse(result.stdout).file).toMatch(/\/\d{14}_init\.sql$/);
  });

  it('baseline, dry runs and up --to through the CLI', async () => {
    const database = await freshDatabase();
    const directory = writeMigrationDirectory(files);
    const url = ['--url', database.ownerUrl, '--dir', directory];
    const dry = await cli(['up', '--dry-run', ...url]);
    expect(dry.stdout).toContain('Dry run: up would process 2 migration(s); nothing was changed.');
    expect(dry.stdout).toContain('create table users (id int primary key);');
    expect(await tableNames(database.ownerUrl)).toEqual([]);
    expect((await cli(['baseline', '0001_users', ...url])).stdout).toContain('1 migration(s) baselined');
    expect((await cli(['up', '--to', '0002_posts', ...url])).stdout).toContain('applied 0002_posts');
    writeFileSync(`${directory}/0002_posts.sql`, 'create table posts (id bigint primary key);');
    const drift = await cli(['up', ...url]);
    expect(drift.code).toBe(1);
    expect(drift.stderr).toMatch(/changed after they were applied: 0002_posts/);
    expect((await cli(['status', '--fail-on-pending', ...url])).code).toBe(1);
    expect((await cli(['up', '--restamp-drift', ...url])).stdout).toContain('restamped 0002_posts');
  });
});

describe('the built bin', () => {
  it('runs as a separate process with the documented exit codes', async () => {
    const database = await freshDatabase();
    const directory = writeMigrationDirectory(files);
    expect((await runBuiltCli(['--help'])).exitCode).toBe(0);
    expect((await runBuiltCli(['nope'])).exitCode).toBe(2);
    expect((await runBuiltCli(['status', '--fail-on-pending', '--dir', directory], { DATABASE_URL: database.ownerUrl })).exitCode).toBe(3);
    const sync = await runBuiltCli(['sync', '--dir', directory], { DATABASE_URL: database.ownerUrl });
    expect(sync).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('Database upgraded.') });
    expect((await runBuiltCli(['status', '--fail-on-pending', '--dir', directory], { DATABASE_URL: database.ownerUrl })).exitCode).toBe(0);
    expect((await runBuiltCli(['up', '--dir', directory], { DATABASE_URL: 'postgres://u:p@127.0.0.1:1/x' })).exitCode).toBe(1);
  });
});
