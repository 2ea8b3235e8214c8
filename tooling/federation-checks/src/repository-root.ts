import { fileURLToPath } from 'node:url';

/**
 * The workspace root this tooling package lives in (`tooling/federation-checks/src` is
 * three levels below it).
 *
 * @example
 * const root = repositoryRoot(); // '/work/main'
 */
export function repositoryRoot(): string {
  return fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
}
