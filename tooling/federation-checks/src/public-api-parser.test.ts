import { describe, expect, it } from 'vitest';
import { namesReplacement, parsePublicApi } from './public-api-parser.js';

const document = `# Public API

Intro text with a | pipe.

## \`@strata/db-core\`

| name | kind | tier | description |
| --- | --- | --- | --- |
| \`createDb\` | function | stable | Creates the engine. |
| \`Pipe\` | type | experimental | A \\| union. |

## \`@strata/db-core/drizzle\`

| name | kind | tier | description |
| --- | --- | --- | --- |
| unquoted | function | stable | Oops. |
| \`short\` | function | stable |
| \`createDb\` | function | stable | Same name, other entry point: fine. |
| \`createDb\` | function | stable | Twice in one section. |

## Notes

| \`ignored\` | function | stable | Not in an entry point section. |
`;

describe('parsePublicApi', () => {
  const parsed = parsePublicApi(document);

  it('reads one section per entry point with its rows', () => {
    expect([...parsed.sections.keys()]).toEqual(['@strata/db-core', '@strata/db-core/drizzle']);
    const rows = parsed.sections.get('@strata/db-core')!.rows;
    expect(rows.map((row) => [row.name, row.kind, row.tier, row.description])).toEqual([
      ['createDb', 'function', 'stable', 'Creates the engine.'],
      ['Pipe', 'type', 'experimental', 'A | union.'],
    ]);
    expect(rows[0]!.line).toBe(9);
  });

  it('reports rows that break the format, with line numbers', () => {
    expect(parsed.formatProblems).toEqual([
      expect.stringMatching(/PUBLIC_API.md:16: name "unquoted" .* must be in backticks/),
      expect.stringMatching(/PUBLIC_API.md:17: row .* has 3 cells, expected 4/),
      expect.stringMatching(/PUBLIC_API.md:19: `createDb` is listed twice/),
    ]);
  });

  it('recognizes a deprecated description that names its replacement', () => {
    expect(namesReplacement('Deprecated: use `createDb` instead.')).toBe(true);
    expect(namesReplacement('Replaced by `withTenant`.')).toBe(true);
    expect(namesReplacement('Old; do not use.')).toBe(false);
  });
});
