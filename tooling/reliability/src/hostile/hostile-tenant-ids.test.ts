import { randomUUID } from 'node:crypto';
import {
  ConnectionError,
  createDb,
  executeForTenant,
  InvalidTenantError,
  positiveIntegerTenantId,
  tenantPolicyStatements,
  withTenant,
  type StrataDb,
} from '@strata/db-core';
import { useTestDatabase } from '@strata/testkit';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeServer } from '../load/server-description.js';
import { scaled } from '../load/suite-scale.js';
import { recordSuiteResult } from '../report/suite-result.js';
import { checkProperty, echoesInput, hostileValue } from './hostile-arbitraries.js';

interface Database {
  notes: { id: number; tenant_id: string; body: string };
}

const database = useTestDatabase();
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const seededTenants: string[] = Array.from({ length: 5 }, () => randomUUID());
let real: StrataDb<Database>;
/** Points at a port nothing listens on: if any SQL were attempted, the error would be a ConnectionError. */
let nowhere: StrataDb<Database>;

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: database.adminUrl });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    await admin.query('create table notes (id serial primary key, tenant_id uuid not null, body text not null)');
    for (const statement of tenantPolicyStatements({ table: 'notes' })) await admin.query(statement);
    await admin.query(`grant select, insert on notes to ${pg.escapeIdentifier(database.appRole)}`);
    for (const tenant of seededTenants) await admin.query(`insert into notes (tenant_id, body) values ($1::uuid, $1::text), ($1::uuid, $1::text)`, [tenant]);
  } finally {
    await admin.end();
  }
  real = createDb<Database>({ connectionString: database.directAppUrl, max: 4 });
  nowhere = createDb<Database>({ connectionString: 'postgres://nobody@127.0.0.1:1/nothing', connectionTimeoutMillis: 200, onBackgroundError: () => undefined });
});

afterAll(async () => {
  await real?.close();
  await nowhere?.close();
});

describe('hostile tenant ids', () => {
  it('every value is either a valid tenant or InvalidTenantError before any SQL, never echoed', async ({ task }) => {
    const started = performance.now();
    let tried = 0;
    let accepted = 0;
    let refused = 0;
    const problems: string[] = [];
    await checkProperty(
      fc.asyncProperty(hostileValue, async (value) => {
        const before = problems.length;
        tried += 1;
        const valid = typeof value === 'string' && uuidPattern.test(value);
        for (const attempt of [
          () => executeForTenant(nowhere, value, nowhere.selectFrom('notes').selectAll()),
          () => withTenant(nowhere, value, async (trx) => await trx.selectFrom('notes').selectAll().execute()),
        ]) {
          try {
            await attempt();
            problems.push(`reached nothing yet succeeded for ${JSON.stringify(value)}`);
          } catch (error) {
            if (valid) {
              // Validation passed, so the engine tried to connect (to nowhere): proof that
              // invalid ids below never got that far.
              if (!(error instanceof ConnectionError)) problems.push(`valid id, unexpected ${String(error)}`);
              accepted += 1;
            } else if (error instanceof InvalidTenantError) {
              refused += 1;
              if (echoesInput(error, value)) problems.push(`the error echoed the input: ${error.message}`);
            } else {
              problems.push(`${String(error)} for ${JSON.stringify(value)?.slice(0, 80)}`);
            }
          }
        }
        return problems.length === before;
      }),
      { numRuns: scaled(3_000, 300) },
      problems,
    );

    // Valid ids in any case reach the database and see exactly their own rows.
    let rowsChecked = 0;
    await checkProperty(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...seededTenants), fc.uuid().map(String)).chain((uuid) => fc.mixedCase(fc.constant(uuid))), async (tenantId) => {
        const before = problems.length;
        tried += 1;
        const rows = await executeForTenant(real, tenantId, real.selectFrom('notes').select(['tenant_id', 'body']));
        rowsChecked += rows.length;
        const expected = seededTenants.includes(tenantId.toLowerCase()) ? 2 : 0;
        if (rows.length !== expected || rows.some((row) => row.tenant_id !== tenantId.toLowerCase())) problems.push(`tenant ${tenantId} saw ${rows.length} rows`);
        return problems.length === before;
      }),
      { numRuns: scaled(300, 50) },
      problems,
    );

    // Integer tenant ids: a decimal within bigint range, or InvalidTenantError.
    await checkProperty(
      fc.property(fc.oneof(hostileValue, fc.bigInt(), fc.integer(), fc.double()), (value) => {
        const before = problems.length;
        tried += 1;
        try {
          const text = positiveIntegerTenantId(value);
          if (!/^[1-9][0-9]*$/.test(text) || BigInt(text) > 9_223_372_036_854_775_807n) problems.push(`accepted ${text}`);
        } catch (error) {
          if (!(error instanceof InvalidTenantError)) problems.push(String(error));
        }
        return problems.length === before;
      }),
      { numRuns: scaled(3_000, 300) },
      problems,
    );

    recordSuiteResult(task, {
      suite: 'Hostile input',
      scenario: 'tenant ids (withTenant, executeForTenant, validators)',
      operations: tried,
      concurrency: 1,
      faultsInjected: refused,
      rowsChecked: rowsChecked + tried,
      leaksFound: problems.length,
      durationMillis: performance.now() - started,
      notes: `${refused} hostile values refused with InvalidTenantError before any SQL (a db pointing nowhere proves it), ${accepted} valid ids passed; mixed-case ids saw only their own rows`,
      server: await describeServer(database.adminUrl, database.serverKind),
    });
    expect(problems).toEqual([]);
  });
});
