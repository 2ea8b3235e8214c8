import {
  checkTenantIsolation,
  ConfigurationError,
  createDb,
  lintTenantKeys,
  quoteIdentifier,
  tenantPolicyStatements,
  validateSettingName,
  type StrataDb,
  type TenantPolicyOptions,
} from '@strata/db-core';
import { useTestDatabase } from '@strata/testkit';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeServer } from '../load/server-description.js';
import { scaled } from '../load/suite-scale.js';
import { recordSuiteResult } from '../report/suite-result.js';
import { checkProperty, echoesInput, hostileString, hostileValue } from './hostile-arbitraries.js';

const database = useTestDatabase();
const safeIdentifier = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;
let admin: pg.Client;
let db: StrataDb<unknown>;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: database.adminUrl });
  admin.on('error', () => undefined);
  await admin.connect();
  db = createDb({ connectionString: database.directOwnerUrl, max: 2 });
});

afterAll(async () => {
  await admin?.end();
  await db?.close();
});

// Mostly valid values, so that many option sets pass validation and their SQL gets executed.
const identifierOrHostile = fc.oneof({ weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_$]{0,20}$/) }, { weight: 1, arbitrary: hostileString });
const policyOptions: fc.Arbitrary<TenantPolicyOptions> = fc.record(
  {
    table: identifierOrHostile,
    schema: identifierOrHostile,
    tenantColumn: identifierOrHostile,
    columnType: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('uuid', 'text', 'bigint', 'integer') }, { weight: 1, arbitrary: hostileString }),
    settingName: fc.oneof({ weight: 6, arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}\.[a-z_][a-z0-9_]{0,10}$/) }, { weight: 1, arbitrary: hostileString }),
    policyName: identifierOrHostile,
    role: identifierOrHostile,
  },
  { requiredKeys: ['table'] },
) as fc.Arbitrary<TenantPolicyOptions>;

describe('hostile identifiers', () => {
  it('quoteIdentifier, setting names and policy helpers accept only safe names, and what they produce runs', async ({ task }) => {
    const started = performance.now();
    const problems: string[] = [];
    let tried = 0;
    let refused = 0;
    let executed = 0;
    const refuse = (error: unknown, input: unknown) => {
      if (!(error instanceof ConfigurationError)) {
        problems.push(`${String(error)} for ${JSON.stringify(input)?.slice(0, 80)}`);
        return;
      }
      refused += 1;
      if (echoesInput(error, input)) problems.push(`the error echoed the input: ${error.message}`);
    };

    await checkProperty(
      fc.property(hostileValue, (name) => {
        const before = problems.length;
        tried += 2;
        try {
          const quoted = quoteIdentifier(name as string);
          if (typeof name !== 'string' || !safeIdentifier.test(name) || quoted !== `"${name}"`) problems.push(`quoteIdentifier accepted ${JSON.stringify(name)}`);
        } catch (error) {
          refuse(error, name);
        }
        try {
          validateSettingName(name as string);
          if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/.test(name)) problems.push(`setting name ${JSON.stringify(name)} accepted`);
        } catch (error) {
          refuse(error, name);
        }
        return problems.length === before;
      }),
      { numRuns: scaled(5_000, 500) },
      problems,
    );

    // Policy statements: refused, or valid SQL that PostgreSQL runs (in a rolled-back transaction).
    const executionBudget = scaled(300, 40);
    await checkProperty(
      fc.asyncProperty(policyOptions, async (options) => {
        const before = problems.length;
        tried += 1;
        let statements: string[];
        try {
          statements = tenantPolicyStatements(options);
        } catch (error) {
          refuse(error, options.table);
          return problems.length === before;
        }
        if (executed >= executionBudget) return problems.length === before;
        executed += 1;
        const schema = quoteIdentifier(options.schema ?? 'public');
        const table = `${schema}.${quoteIdentifier(options.table)}`;
        await admin.query('begin');
        try {
          await admin.query(`create schema if not exists ${schema}`);
          await admin.query(`create table ${table} (${quoteIdentifier(options.tenantColumn ?? 'tenant_id')} ${options.columnType ?? 'uuid'} not null)`);
          if (options.role !== undefined && options.role !== 'public') {
            const { rows: existing } = await admin.query('select 1 from pg_roles where rolname = $1', [options.role]);
            if (existing.length === 0) await admin.query(`create role ${quoteIdentifier(options.role)}`);
          }
          for (const statement of statements) await admin.query(statement);
          const { rows } = await admin.query<{ forced: boolean }>(`select relforcerowsecurity as forced from pg_class where oid = $1::regclass`, [table]);
          if (!rows[0]?.forced) problems.push(`policy for ${table} did not force RLS`);
        } catch (error) {
          problems.push(`generated SQL failed: ${String(error)} (${JSON.stringify(options)})`);
        } finally {
          await admin.query('rollback');
        }
        return problems.length === before;
      }),
      { numRuns: scaled(2_000, 200) },
      problems,
    );

    // The catalog checks take names too: refused before SQL, or a report.
    await checkProperty(
      fc.asyncProperty(hostileValue, fc.array(hostileString, { maxLength: 3 }), async (tenantColumn, schemas) => {
        const before = problems.length;
        tried += 2;
        for (const check of [
          () => lintTenantKeys(db, { tenantColumn: tenantColumn as string, schemas }),
          () => checkTenantIsolation(db, { tenantColumn: tenantColumn as string, schemas }),
        ]) {
          try {
            const report = await check();
            if (typeof report.ok !== 'boolean') problems.push('a check returned no report');
          } catch (error) {
            refuse(error, tenantColumn);
          }
        }
        return problems.length === before;
      }),
      { numRuns: scaled(200, 30) },
      problems,
    );

    recordSuiteResult(task, {
      suite: 'Hostile input',
      scenario: 'identifiers, setting names, policy SQL, catalog checks',
      operations: tried,
      concurrency: 1,
      faultsInjected: refused,
      rowsChecked: tried,
      leaksFound: problems.length,
      durationMillis: performance.now() - started,
      notes: `${refused} refused with ConfigurationError (input never echoed); ${executed} accepted policy option sets executed on PostgreSQL without a single SQL error, each forcing RLS`,
      server: await describeServer(database.adminUrl, database.serverKind),
    });
    expect(problems).toEqual([]);
  });
});
