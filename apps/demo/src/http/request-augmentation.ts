import type { MemberTable, SessionTable, UserTable } from '@strata/auth-schema';
import type { Selectable } from 'kysely';
import type { DemoDatabase } from '../database/demo-schema.js';

/** The signed-in user as the app sees it (never the password hash). */
export interface CurrentUser {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
  readonly emailVerified: boolean;
}

declare module '@strata/express-db' {
  interface DatabaseRegistry {
    database: DemoDatabase;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by the authentication middleware when the session cookie is valid. */
      currentUser?: CurrentUser;
      authSession?: Selectable<SessionTable>;
      /** Set by the organization scope: the caller's membership in the route's organization. */
      membership?: Selectable<MemberTable>;
    }
  }
}

export function toCurrentUser(user: Selectable<UserTable>): CurrentUser {
  return { id: user.id, email: user.email, name: user.name, emailVerified: user.email_verified_at !== null };
}
