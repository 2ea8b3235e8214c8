import { sql } from 'kysely';
import { RecordNotFoundError } from '../errors/input-errors.js';
import { constraintName } from '../schema/constraint-names.js';
import {
  fieldLimits,
  optionalDate,
  optionalIpAddress,
  optionalText,
  optionalUuid,
  requireDurationSeconds,
  requireUuid,
} from '../validation/input-validation.js';
import { joinedReader, type AdapterContext } from './adapter-context.js';
import { isForeignKeyViolation } from './database-errors.js';
import { appValues, decodeRow, encodeValues, guardColumns, insertRow, type AppValues, type SqlRecord } from './record-operations.js';
import { generateToken, hashToken, requireToken } from './secret-token.js';
import { toUser } from './user-operations.js';

/**
 * How long sessions live and when reading one extends it.
 *
 * @example
 * createAuthAdapter({ db, sessions: { maxAgeSeconds: 7 * 86_400, updateAgeSeconds: 3_600 } });
 */
export interface SessionPolicy {
  /** Lifetime of a new or extended session, in seconds. Default 30 days. */
  readonly maxAgeSeconds?: number;
  /**
   * Sliding expiry: reading a session extends it to `maxAgeSeconds` from now only when it
   * was last extended more than this many seconds ago, so at most one write per session per
   * interval (not one per request). Default 1 day. `false` turns sliding expiry off.
   */
  readonly updateAgeSeconds?: number | false;
}

/** The session policy with defaults applied and validated. */
export interface ResolvedSessionPolicy {
  readonly maxAgeSeconds: number;
  readonly updateAgeSeconds: number | false;
}

export function resolveSessionPolicy(policy: SessionPolicy = {}): ResolvedSessionPolicy {
  const maxAgeSeconds = requireDurationSeconds('sessions.maxAgeSeconds', policy.maxAgeSeconds ?? 30 * 24 * 3600);
  const updateAgeSeconds =
    policy.updateAgeSeconds === false
      ? false
      : Math.min(requireDurationSeconds('sessions.updateAgeSeconds', policy.updateAgeSeconds ?? 24 * 3600), maxAgeSeconds);
  return { maxAgeSeconds, updateAgeSeconds };
}

const managedSessionColumns = ['id', 'token_hash', 'created_at', 'updated_at'];

function validateSessionValues(values: AppValues, partial: boolean): void {
  if (!partial) requireUuid(values.name('user_id'), values.get('user_id'));
  optionalDate(values.name('expires_at'), values.get('expires_at'));
  optionalIpAddress(values.name('ip_address'), values.get('ip_address'));
  optionalText(values.name('user_agent'), values.get('user_agent'), fieldLimits.userAgent);
  optionalUuid(values.name('active_organization_id'), values.get('active_organization_id'));
}

function mapSessionWriteError(context: AdapterContext, error: unknown, userId: string | undefined): never {
  const table = context.tables.sessions.tableName;
  if (isForeignKeyViolation(error, constraintName(table, ['user_id'], 'fkey'))) {
    throw new RecordNotFoundError('user', userId, { cause: error });
  }
  if (isForeignKeyViolation(error, constraintName(table, ['active_organization_id'], 'fkey'))) {
    throw new RecordNotFoundError('organization', undefined, { cause: error });
  }
  throw error;
}

export async function createSession(
  context: AdapterContext,
  policy: ResolvedSessionPolicy,
  values: unknown,
  token: string = generateToken(),
): Promise<{ token: string; session: unknown }> {
  const input = appValues(context.tables.sessions, values);
  validateSessionValues(input, false);
  const record = encodeValues(context.tables.sessions, input, managedSessionColumns);
  record.token_hash = hashToken(token);
  record.expires_at ??= new Date(Date.now() + policy.maxAgeSeconds * 1000);
  try {
    const row = await insertRow(context, 'sessions', record);
    return { token, session: decodeRow(context, 'sessions', row) };
  } catch (error) {
    mapSessionWriteError(context, error, String(record.user_id));
  }
}

/**
 * Resolves a session token to its session and user in ONE statement (a join on the token
 * hash's unique index, expired sessions excluded). Sliding expiry writes only when the
 * session was last extended more than `updateAgeSeconds` ago.
 */
export async function getSessionAndUser(
  context: AdapterContext,
  policy: ResolvedSessionPolicy,
  token: unknown,
): Promise<{ session: unknown; user: unknown } | null> {
  const tokenHash = hashToken(requireToken('token', token));
  const reader =
    context.joinedReaders.get(sessionWithUserKey) ??
    joinedReader(
      context,
      sessionWithUserKey,
      [
        // The token hash is what we look up by: no need to read it back.
        { alias: 's', codec: context.tables.sessions, omit: ['token_hash'] },
        { alias: 'u', codec: context.tables.users },
      ],
      {
        fromClause: (tables) =>
          `from ${tables.s} as "s" join ${tables.u} as "u" on "u"."id" = "s"."user_id" where "s"."token_hash" = $1 and "s"."expires_at" > now()`,
      },
    );
  const [row] = await reader.read(context.db, [tokenHash]);
  if (!row) return null;
  const [session, user] = row as [SqlRecord, SqlRecord];
  session.token_hash = tokenHash;
  if (isDue(policy, session)) await extend(context, policy, session);
  return { session: decodeRow(context, 'sessions', session), user: toUser(context, user) };
}

const sessionWithUserKey = 'session-with-user';

/** Sliding expiry: whether the session was last extended more than `updateAgeSeconds` ago. */
function isDue(policy: ResolvedSessionPolicy, session: SqlRecord): boolean {
  if (policy.updateAgeSeconds === false) return false;
  const threshold = (policy.maxAgeSeconds - policy.updateAgeSeconds) * 1000;
  return (session.expires_at as Date).getTime() - Date.now() < threshold;
}

/** Sliding expiry: one UPDATE, only for a session that is due for it. */
async function extend(context: AdapterContext, policy: ResolvedSessionPolicy, session: SqlRecord): Promise<void> {
  if (policy.updateAgeSeconds === false) return;
  // The WHERE repeats the check in the database, so concurrent readers extend it once.
  const updated = await context.db
    .updateTable(context.tables.sessions.tableName)
    .set({
      expires_at: sql`now() + make_interval(secs => ${policy.maxAgeSeconds})`,
      updated_at: sql`now()`,
    })
    .where('id', '=', session.id as string)
    .where('expires_at', '<', sql<Date>`now() + make_interval(secs => ${policy.maxAgeSeconds - policy.updateAgeSeconds})`)
    .returning(['expires_at', 'updated_at'])
    .executeTakeFirst();
  if (updated) Object.assign(session, updated);
}

export async function getSession(context: AdapterContext, token: unknown): Promise<unknown> {
  const row = (await context.db
    .selectFrom(context.tables.sessions.tableName)
    .selectAll()
    .where('token_hash', '=', hashToken(requireToken('token', token)))
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst()) as SqlRecord | undefined;
  return row ? decodeRow(context, 'sessions', row) : null;
}

export async function updateSession(context: AdapterContext, token: unknown, values: unknown): Promise<unknown> {
  const tokenHash = hashToken(requireToken('token', token));
  const input = appValues(context.tables.sessions, values);
  validateSessionValues(input, true);
  const record = encodeValues(context.tables.sessions, input, [...managedSessionColumns, 'user_id'], 'update');
  try {
    const row = await guardColumns(
      async () =>
        (await context.db
          .updateTable(context.tables.sessions.tableName)
          .set({ ...record, updated_at: sql`now()` })
          .where('token_hash', '=', tokenHash)
          .where('expires_at', '>', sql<Date>`now()`)
          .returningAll()
          .executeTakeFirst()) as SqlRecord | undefined,
    );
    if (!row) throw new RecordNotFoundError('session');
    return decodeRow(context, 'sessions', row);
  } catch (error) {
    mapSessionWriteError(context, error, undefined);
  }
}

export async function revokeSession(context: AdapterContext, token: unknown): Promise<boolean> {
  const result = await context.db
    .deleteFrom(context.tables.sessions.tableName)
    .where('token_hash', '=', hashToken(requireToken('token', token)))
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function revokeSessionById(context: AdapterContext, id: unknown): Promise<boolean> {
  const result = await context.db
    .deleteFrom(context.tables.sessions.tableName)
    .where('id', '=', requireUuid('id', id))
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function revokeAllSessions(
  context: AdapterContext,
  userId: unknown,
  options: { exceptToken?: unknown } = {},
): Promise<number> {
  let query = context.db.deleteFrom(context.tables.sessions.tableName).where('user_id', '=', requireUuid('userId', userId));
  if (options.exceptToken !== undefined) {
    query = query.where('token_hash', '<>', hashToken(requireToken('exceptToken', options.exceptToken)));
  }
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function listSessions(context: AdapterContext, userId: unknown): Promise<unknown[]> {
  const rows = (await context.db
    .selectFrom(context.tables.sessions.tableName)
    .selectAll()
    .where('user_id', '=', requireUuid('userId', userId))
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('created_at')
    .execute()) as SqlRecord[];
  return rows.map((row) => decodeRow(context, 'sessions', row));
}

export async function deleteExpiredSessions(context: AdapterContext): Promise<number> {
  const result = await context.db
    .deleteFrom(context.tables.sessions.tableName)
    .where('expires_at', '<=', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

