import type { CompiledQuery } from 'kysely';

/** Names of compiled queries that run as named (server-side prepared) statements. */
const statementNames = new WeakMap<CompiledQuery, string>();

/**
 * Marks a compiled query to run as a named prepared statement: parsed and planned once per
 * connection, then only bound and executed (for a hot lookup that is most of the server's
 * work). Honoured on direct connections (`sessionSettings: 'startup-parameters'`, the
 * default); behind a transaction pooler (`'transaction-local'`) it runs unnamed, since the
 * next statement may reach a server that never saw the Parse. The name must identify the
 * SQL text (same name, same text). Returns the query itself.
 *
 * @example
 * const lookup = asPreparedStatement(CompiledQuery.raw('select * from sessions where token_hash = $1', [hash]), 'app_session_lookup');
 * const { rows } = await db.executeQuery(lookup);
 */
export function asPreparedStatement<R>(query: CompiledQuery<R>, name: string): CompiledQuery<R> {
  statementNames.set(query, name);
  return query;
}

/** The statement name a compiled query was marked with, if any. */
export function preparedStatementName(query: CompiledQuery): string | undefined {
  return statementNames.get(query);
}
