import { pathToFileURL } from 'node:url';
import type { Jiti } from 'jiti';
import { MigrationSourceError } from '../errors/migration-source-error.js';
import type { MigrationFunction } from './migration-definition.js';

/** The exports a module migration may have. */
export interface MigrationModule {
  readonly up: MigrationFunction;
  readonly down: MigrationFunction | undefined;
  /** `export const transaction = false` opts out of the per-migration transaction. */
  readonly transaction: boolean;
}

let jitiInstance: Promise<Jiti> | undefined;

/**
 * Module migrations are imported with jiti rather than tsx: jiti is pure JavaScript with no
 * dependencies (tsx needs esbuild's native binary), it transpiles TypeScript per instance
 * without registering process-wide loader hooks, and it works the same from this package's
 * ESM and CommonJS builds. `moduleCache: false` so a file edited between two runs in one
 * process is read again. jiti is imported lazily: SQL-only projects never load it.
 */
async function getJiti(): Promise<Jiti> {
  jitiInstance ??= import('jiti').then(({ createJiti }) =>
    createJiti(pathToFileURL(`${process.cwd()}/`).href, { moduleCache: false, interopDefault: true }),
  );
  return await jitiInstance;
}

function pick(module: Record<string, unknown>, key: string): unknown {
  if (key in module) return module[key];
  const fallback = module.default;
  return fallback && typeof fallback === 'object' ? (fallback as Record<string, unknown>)[key] : undefined;
}

/**
 * Imports a `.ts`/`.mts`/`.cts`/`.js`/`.mjs`/`.cjs` migration and checks its exports:
 * `up(db)` (required), `down(db)` (optional), `transaction` (optional boolean).
 * Throws `MigrationSourceError` naming the file when the module cannot be loaded or lacks `up`.
 */
export async function loadMigrationModule(file: string): Promise<MigrationModule> {
  let loaded: Record<string, unknown>;
  try {
    const jiti = await getJiti();
    loaded = (await jiti.import(file)) as Record<string, unknown>;
  } catch (error) {
    throw new MigrationSourceError(`Could not load migration module ${file}: ${(error as Error).message}`, { file, cause: error });
  }
  if (!loaded || typeof loaded !== 'object') {
    throw new MigrationSourceError(`Migration module ${file} exports nothing; it must export an up(db) function.`, { file });
  }
  const up = pick(loaded, 'up');
  const down = pick(loaded, 'down');
  const transaction = pick(loaded, 'transaction');
  if (typeof up !== 'function') {
    throw new MigrationSourceError(`Migration module ${file} does not export an up(db) function.`, { file });
  }
  if (down !== undefined && typeof down !== 'function') {
    throw new MigrationSourceError(`Migration module ${file} exports "down", but it is not a function.`, { file });
  }
  if (transaction !== undefined && typeof transaction !== 'boolean') {
    throw new MigrationSourceError(`Migration module ${file} exports "transaction", but it is not a boolean.`, { file });
  }
  return { up: up as MigrationFunction, down: down as MigrationFunction | undefined, transaction: transaction !== false };
}
