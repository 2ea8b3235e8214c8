import { checkTenantIsolation, type TenantIsolationReport } from '@strata/db-core';
import type { Kysely } from 'kysely';
import { tenantRegistryTables } from './demo-schema.js';

/** The tenant isolation of the demo's connection is not guaranteed: the app must not serve. */
export class TenantIsolationRefusal extends Error {
  constructor(readonly report: TenantIsolationReport) {
    super(`refusing to start: tenant isolation is not guaranteed\n${report.problems.map((problem) => `  - ${problem.message}`).join('\n')}`);
    this.name = 'TenantIsolationRefusal';
  }
}

/**
 * db-core's isolation check for the demo's schema (organization_id is the tenant column):
 * throws `TenantIsolationRefusal` when RLS would silently not apply to this connection
 * (superuser, BYPASSRLS, a role owning a tenant table, a table without FORCE or policy…).
 */
export async function verifyTenantIsolation(db: Kysely<any>): Promise<TenantIsolationReport> {
  const report = await checkTenantIsolation(db, { tenantColumn: 'organization_id', ignoreTables: [...tenantRegistryTables] });
  if (!report.ok) throw new TenantIsolationRefusal(report);
  return report;
}
