import { createAuthAdapter, createTeamAdapter } from '@strata/auth-schema';
import type { StrataDb } from '@strata/db-core';
import type { ScryptParameters } from '../auth/password-hasher.js';
import type { DemoDatabase } from '../database/demo-schema.js';
import type { Mailer } from '../mail/mail-outbox.js';

function createAdapters(db: StrataDb<DemoDatabase>) {
  return {
    // The demo uses auth-schema's default table names, so `tables` can stay empty.
    auth: createAuthAdapter({ db, sessions: { maxAgeSeconds: 7 * 86_400, updateAgeSeconds: 3_600 } }),
    organizations: createTeamAdapter({ db, invitationExpiresInSeconds: 7 * 86_400 }),
  };
}

/** Everything the routes share. */
export interface DemoServices extends ReturnType<typeof createAdapters> {
  readonly db: StrataDb<DemoDatabase>;
  readonly mailer: Mailer;
  /** Base URL of the links in mail: configured, never taken from the Host header. */
  readonly publicUrl: string;
  readonly csrfSecret: Buffer;
  readonly scrypt: ScryptParameters;
  readonly secureCookies: boolean;
  readonly sessionMaxAgeMillis: number;
}

export function createDemoServices(
  settings: Omit<DemoServices, 'auth' | 'organizations' | 'sessionMaxAgeMillis'>,
): DemoServices {
  return { ...settings, ...createAdapters(settings.db), sessionMaxAgeMillis: 7 * 86_400_000 };
}
