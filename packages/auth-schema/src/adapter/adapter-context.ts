import { ConfigurationError, transaction, type TransactionOptions } from '@strata/db-core';
import type { Kysely } from 'kysely';
import { defaultTableNames } from '../schema/table-names.js';
import { JoinedRowReader, type JoinedStatement, type JoinedTable } from './joined-row-reader.js';
import { TableColumnsCache } from './table-columns-cache.js';
import { isTableCodec, kyselyTableCodec, type TableCodec } from './table-codec.js';

/** A table role the adapters know. */
export type TableRole = keyof typeof defaultTableNames;

/** JSON columns of the mixins, serialized by the Kysely codec. */
const jsonColumnsByRole: Partial<Record<TableRole, readonly string[]>> = {
  organizations: ['metadata'],
  verificationTokens: ['payload'],
};

/** What every adapter method works with: the database, the app's tables, shared caches. */
export interface AdapterContext {
  /** The app's Kysely instance (or a transaction), without its plugins: the adapters use SQL names. */
  readonly db: Kysely<any>;
  readonly tables: Readonly<Record<TableRole, TableCodec>>;
  readonly columnsCache: TableColumnsCache;
  /** Precompiled join statements, shared by the adapter and its transaction-bound copies. */
  readonly joinedReaders: Map<string, JoinedRowReader>;
  readonly mapUser: (row: any) => unknown;
  readonly transactionOptions: TransactionOptions;
  /** Adapter-specific settings (session policy, invitation lifetime, teams on/off). */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** Resolves the app's table configuration (names or codecs) into codecs for every role. */
export function resolveTables(configured: Partial<Record<TableRole, unknown>> | undefined): Record<TableRole, TableCodec> {
  const resolved = {} as Record<TableRole, TableCodec>;
  for (const role of Object.keys(defaultTableNames) as TableRole[]) {
    const source = configured?.[role] ?? defaultTableNames[role];
    if (typeof source === 'string') {
      if (source.length === 0) throw new ConfigurationError(`tables.${role} must not be empty`);
      resolved[role] = kyselyTableCodec(source, jsonColumnsByRole[role]);
    } else if (isTableCodec(source)) {
      resolved[role] = source;
    } else {
      throw new ConfigurationError(`tables.${role} must be a table name or a codec from drizzleAuthTables()`);
    }
  }
  return resolved;
}

/** Creates the context for a root adapter. */
export function createAdapterContext(options: {
  db: Kysely<any>;
  tables?: Partial<Record<TableRole, unknown>> | undefined;
  mapUser?: ((row: any) => unknown) | undefined;
  transactionOptions?: TransactionOptions | undefined;
  settings?: Record<string, unknown>;
}): AdapterContext {
  if (!options.db || typeof options.db.selectFrom !== 'function') {
    throw new ConfigurationError('db must be a Kysely instance (e.g. the result of createDb from @strata/db-core)');
  }
  return {
    db: options.db.withoutPlugins(),
    tables: resolveTables(options.tables),
    columnsCache: new TableColumnsCache(),
    joinedReaders: new Map(),
    mapUser: options.mapUser ?? ((row) => row),
    transactionOptions: options.transactionOptions ?? {},
    settings: options.settings ?? {},
  };
}

/** The same context over another database handle (a transaction). */
export function withDatabase(context: AdapterContext, db: Kysely<any>): AdapterContext {
  return { ...context, db: db.withoutPlugins() };
}

/**
 * Runs `work` in a transaction (db-core's `transaction`: bounded retry on serialization
 * failures and deadlocks), or directly inside the caller's transaction when there is one,
 * so the adapters' multi-step operations compose with the app's own.
 */
export async function inTransaction<T>(context: AdapterContext, work: (context: AdapterContext) => Promise<T>): Promise<T> {
  return await transaction(context.db, async (trx) => await work(withDatabase(context, trx)), context.transactionOptions);
}

/** The adapter's reader for one join statement, built on first use and then reused. */
export function joinedReader(
  context: AdapterContext,
  key: string,
  tables: readonly JoinedTable[],
  statement: JoinedStatement,
): JoinedRowReader {
  let reader = context.joinedReaders.get(key);
  if (!reader) {
    reader = new JoinedRowReader(tables, statement, context.columnsCache);
    context.joinedReaders.set(key, reader);
  }
  return reader;
}

/*
 * The context lives on the adapter under a registered symbol rather than in a module-level
 * WeakMap: each entry point (`.`, `./authjs`, `./drizzle`) is bundled on its own, so a
 * WeakMap would exist once per bundle and the Auth.js adapter could not find the context of
 * an adapter created through the main entry.
 */
const contextKey = Symbol.for('@strata/auth-schema/adapter-context');

/** Attaches a context to an adapter instance (non-enumerable: not part of the public API). */
export function attachContext(adapter: object, context: AdapterContext): void {
  Object.defineProperty(adapter, contextKey, { value: context, enumerable: false, configurable: true });
}

/** The context behind an adapter (for the adapters and the Auth.js adapter in this package). */
export function adapterContextOf(adapter: object): AdapterContext {
  const context = (adapter as Record<symbol, AdapterContext | undefined> | null)?.[contextKey];
  if (!context) throw new TypeError('not a Strata adapter (create it with createAuthAdapter)');
  return context;
}

/** A copy of an adapter whose operations run on another handle (a transaction). */
export function rebindAdapter<T extends object>(adapter: T, db: Kysely<any>): T {
  const bound = Object.create(Object.getPrototypeOf(adapter)) as T;
  attachContext(bound, withDatabase(adapterContextOf(adapter), db));
  return bound;
}
