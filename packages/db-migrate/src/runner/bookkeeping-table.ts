import { createHash } from 'node:crypto';
import pg from 'pg';
import { ConfigurationError } from '@strata/db-core';

/** The bookkeeping table's location and the SQL the runner sends to it. */
export interface BookkeepingTable {
  readonly schema: string;
  readonly table: string;
  /** `"schema"."table"`, quoted for SQL. */
  readonly qualifiedName: string;
  /** `schema.table`, for messages. */
  readonly displayName: string;
  /** The advisory lock key for runs against this table (a signed 64-bit integer as text). */
  readonly lockKey: string;
}

/** One row of the bookkeeping table. */
export interface AppliedMigration {
  readonly name: string;
  /** sha256 of the migration's content when it was applied; null for function migrations without a checksum. */
  readonly checksum: string | null;
  readonly appliedAt: Date;
  readonly executionTimeMillis: number;
  /** `run` when the runner applied it, `baseline` when it was stamped as applied without running. */
  readonly method: 'run' | 'baseline';
}

export const defaultBookkeepingSchema = 'public';
export const defaultBookkeepingTable = 'strata_migrations';

const identifierPattern = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/**
 * Validates the configured schema and table names (plain identifiers only, so they can be
 * quoted safely and read back from catalogs unchanged) and derives the lock key from them:
 * runs against the same table serialize, runs against different tables do not.
 */
export function resolveBookkeepingTable(schema = defaultBookkeepingSchema, table = defaultBookkeepingTable): BookkeepingTable {
  for (const [label, value] of [
    ['schema', schema],
    ['table', table],
  ] as const) {
    if (typeof value !== 'string' || !identifierPattern.test(value)) {
      throw new ConfigurationError(`Bookkeeping ${label} name must be a plain identifier (letters, digits, _ and $, at most 63 characters), got ${JSON.stringify(value)}`);
    }
  }
  const digest = createHash('sha256').update(`strata-migrate:${schema}.${table}`).digest();
  return {
    schema,
    table,
    qualifiedName: `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)}`,
    displayName: `${schema}.${table}`,
    lockKey: digest.readBigInt64BE(0).toString(),
  };
}

/** One round trip: is the table there, and is its schema there. */
export function existenceQuery(table: BookkeepingTable): string {
  return `select to_regclass(${pg.escapeLiteral(table.qualifiedName)}) is not null as table_exists, to_regnamespace(${pg.escapeLiteral(
    pg.escapeIdentifier(table.schema),
  )}) is not null as schema_exists`;
}

/** Creates the table (and its schema when missing) in one round trip. */
export function creationStatements(table: BookkeepingTable, createSchema: boolean): string {
  return [
    createSchema ? `create schema if not exists ${pg.escapeIdentifier(table.schema)};` : '',
    `create table if not exists ${table.qualifiedName} (
  id bigint generated always as identity primary key,
  name text not null unique,
  checksum text,
  applied_at timestamptz not null default now(),
  execution_time_ms integer not null default 0,
  applied_by text not null default current_user,
  method text not null default 'run' check (method in ('run', 'baseline'))
);`,
  ].join('\n');
}

/** Reads every row in the order migrations were applied. */
export function selectAppliedQuery(table: BookkeepingTable): string {
  // applied_at travels as integer epoch milliseconds: parsing 500 timestamptz strings costs
  // more than the rest of a status check's client work, and date_part (float8) with an int8
  // result is the cheapest form for the server to compute and print (extract() is numeric).
  return `select name, checksum, (date_part('epoch', applied_at) * 1000)::int8 as applied_at_ms, execution_time_ms, method from ${table.qualifiedName} order by id`;
}

/**
 * The status query: a digest of every bookkeeping row that can change (a row added,
 * removed, re-stamped) in the first row, then the rows themselves only when the digest
 * differs from `$1` (the one the caller already has rows for). One round trip either way;
 * a status check whose rows have not changed receives one short row instead of hundreds.
 */
export function statusQuery(table: BookkeepingTable): string {
  return `with fingerprint as (
  select coalesce(md5(string_agg(id || ':' || name || ':' || coalesce(checksum, '-') || ':' || method, ',' order by id)), '') as value
  from ${table.qualifiedName}
)
select (select value from fingerprint) as fingerprint, null::bigint as id, null::text as name, null::text as checksum,
       null::int8 as applied_at_ms, null::integer as execution_time_ms, null::text as method
union all
select null, id, name, checksum, (date_part('epoch', applied_at) * 1000)::int8, execution_time_ms, method
from ${table.qualifiedName}
where (select value from fingerprint) is distinct from $1
order by id nulls first`;
}

interface AppliedRow {
  name: string;
  checksum: string | null;
  /** int8 arrives as a string from pg. */
  applied_at_ms: string;
  execution_time_ms: number;
  method: string;
}

export function toAppliedMigrations(rows: readonly AppliedRow[]): AppliedMigration[] {
  return rows.map((row) => ({
    name: row.name,
    checksum: row.checksum,
    appliedAt: new Date(Number(row.applied_at_ms)),
    executionTimeMillis: row.execution_time_ms,
    method: row.method === 'baseline' ? 'baseline' : 'run',
  }));
}

function literal(value: string | null): string {
  return value === null ? 'null' : pg.escapeLiteral(value);
}

/**
 * The insert of a bookkeeping row, as SQL text so it can travel in the same round trip as
 * the migration. Without an explicit duration, the server measures it: the time since the
 * round trip's query message arrived (`statement_timestamp()` is per message, not per
 * statement, in the simple query protocol).
 */
export function insertStatement(
  table: BookkeepingTable,
  name: string,
  checksum: string | null,
  method: 'run' | 'baseline',
  executionTimeMillis?: number,
): string {
  const duration =
    executionTimeMillis === undefined
      ? '(extract(epoch from clock_timestamp() - statement_timestamp()) * 1000)::integer'
      : String(Math.max(0, Math.round(executionTimeMillis)));
  return `insert into ${table.qualifiedName} (name, checksum, execution_time_ms, method) values (${literal(name)}, ${literal(checksum)}, ${duration}, ${literal(method)});`;
}

export function deleteStatement(table: BookkeepingTable, name: string): string {
  return `delete from ${table.qualifiedName} where name = ${literal(name)};`;
}

export function restampStatement(table: BookkeepingTable, name: string, checksum: string | null): string {
  return `update ${table.qualifiedName} set checksum = ${literal(checksum)} where name = ${literal(name)};`;
}
