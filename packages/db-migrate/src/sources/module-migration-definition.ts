import { calculateChecksum } from './checksum-calculator.js';
import type { MigrationDefinition, PreparedMigration } from './migration-definition.js';
import { loadMigrationModule } from './module-loader.js';

/**
 * Builds the definition of a module migration. The checksum is the file's text, so listing
 * (for `getStatus()`) never imports anything; `prepare()` imports the module.
 */
export function createModuleMigrationDefinition(name: string, file: string, text: string): MigrationDefinition {
  const checksum = calculateChecksum(text);
  let prepared: Promise<PreparedMigration> | undefined;
  return {
    name,
    checksum,
    file,
    prepare() {
      prepared ??= loadMigrationModule(file).then((module) => ({
        name,
        checksum,
        file,
        up: { kind: 'function', run: module.up, transaction: module.transaction },
        down: module.down ? { kind: 'function', run: module.down, transaction: module.transaction } : undefined,
      }));
      return prepared;
    },
  };
}
