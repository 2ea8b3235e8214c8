import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';

/**
 * The SQL drizzle-kit generates for a schema module, from an empty database: exactly what
 * `drizzle-kit generate` would write into the first migration file.
 */
export async function generateDrizzleMigrationSql(schema: Record<string, unknown>): Promise<string[]> {
  const empty = generateDrizzleJson({});
  const current = generateDrizzleJson(schema, empty.id);
  return await generateMigration(empty, current);
}
