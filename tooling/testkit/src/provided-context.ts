/** Values the global setup hands to every test file through vitest's `inject`. */
declare module 'vitest' {
  export interface ProvidedContext {
    strataAdminUrl: string;
    strataTemplateDatabase: string;
    strataRunId: number;
    strataServerKind: 'embedded' | 'external';
  }
}

export {};
