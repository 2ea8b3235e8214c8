/** Values the global setup hands to every test file through vitest's `inject`. */
declare module 'vitest' {
  export interface ProvidedContext {
    strataAdminUrl: string;
    strataTemplateDatabase: string;
    strataRunId: number;
    strataServerKind: 'embedded' | 'external';
    /** Port of the run's PgBouncer (STRATA_TEST_PGBOUNCER=1), or 0 when clients connect directly. */
    strataPgBouncerPort: number;
  }
}

export {};
