/** The stability tiers a name can have (see docs/versioning.md). */
export const apiTiers = ['experimental', 'stable', 'deprecated'] as const;
export type ApiTier = (typeof apiTiers)[number];

/** The kinds a row can declare. */
export const apiKinds = ['function', 'class', 'const', 'type', 'interface', 'enum', 'namespace'] as const;
export type ApiKind = (typeof apiKinds)[number];

/** One row of a PUBLIC_API.md section. */
export interface ApiRow {
  readonly name: string;
  readonly kind: string;
  readonly tier: string;
  readonly description: string;
  /** 1-based line number in PUBLIC_API.md, for messages. */
  readonly line: number;
}

/** One `## \`@strata/pkg[/subpath]\`` section: the contract of one entry point. */
export interface ApiSection {
  readonly specifier: string;
  readonly line: number;
  readonly rows: ApiRow[];
}

/** The parsed contract, and whatever in the file does not follow the format. */
export interface PublicApiDocument {
  readonly sections: Map<string, ApiSection>;
  readonly formatProblems: string[];
}

const sectionHeading = /^##\s+`([^`]+)`\s*$/;
const separatorRow = /^\|\s*:?-{3,}/;

/** Splits a markdown table row into trimmed cells, honouring `\|` escapes. */
function splitCells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/** `\`createDb\`` → `createDb`; a name must be backticked. */
function unquoteName(cell: string): string | undefined {
  const match = /^`([^`]+)`$/.exec(cell);
  return match?.[1];
}

/**
 * Parses PUBLIC_API.md: each `## \`specifier\`` heading opens the section of one entry
 * point, and each table row under it is `| \`name\` | kind | tier | description |`.
 * The header row (`| name | kind | tier | description |`) and separator are skipped.
 * Problems with the format itself (a duplicate section or name, a row that is not four
 * cells, a name that is not backticked) are collected, not thrown.
 *
 * @example
 * const document = parsePublicApi(readFileSync('PUBLIC_API.md', 'utf8'));
 * document.sections.get('@strata/db-core')?.rows.map((row) => row.name);
 */
export function parsePublicApi(markdown: string): PublicApiDocument {
  const sections = new Map<string, ApiSection>();
  const formatProblems: string[] = [];
  let current: ApiSection | undefined;
  const lines = markdown.split(/\r?\n/);
  lines.forEach((text, index) => {
    const lineNumber = index + 1;
    const heading = sectionHeading.exec(text);
    if (heading) {
      const specifier = heading[1]!;
      if (sections.has(specifier)) {
        formatProblems.push(`PUBLIC_API.md:${lineNumber}: section \`${specifier}\` appears twice`);
      }
      current = { specifier, line: lineNumber, rows: [] };
      sections.set(specifier, current);
      return;
    }
    if (/^#{1,2}\s/.test(text)) {
      // Any other heading of level 1 or 2 closes the current section.
      current = undefined;
      return;
    }
    if (!current || !text.trim().startsWith('|') || separatorRow.test(text.trim())) return;
    const cells = splitCells(text);
    if (cells[0]?.toLowerCase() === 'name' && cells[1]?.toLowerCase() === 'kind') return;
    if (cells.length !== 4) {
      formatProblems.push(
        `PUBLIC_API.md:${lineNumber}: row in \`${current.specifier}\` has ${cells.length} cells, expected 4 (name | kind | tier | description)`,
      );
      return;
    }
    const [nameCell, kind, tier, description] = cells as [string, string, string, string];
    const name = unquoteName(nameCell);
    if (!name) {
      formatProblems.push(`PUBLIC_API.md:${lineNumber}: name ${JSON.stringify(nameCell)} in \`${current.specifier}\` must be in backticks`);
      return;
    }
    if (current.rows.some((row) => row.name === name)) {
      formatProblems.push(`PUBLIC_API.md:${lineNumber}: \`${name}\` is listed twice in \`${current.specifier}\``);
      return;
    }
    current.rows.push({ name, kind, tier, description, line: lineNumber });
  });
  return { sections, formatProblems };
}

/**
 * Whether a deprecated row's description names its replacement: it must mention
 * "use", "replaced by" or "replacement" followed by a backticked name, e.g.
 * "Deprecated: use `createDb` instead."
 *
 * @example
 * namesReplacement('Deprecated: use `createDb` instead.'); // true
 */
export function namesReplacement(description: string): boolean {
  return /\b(use|replaced by|replacement)\b[^`]*`[^`]+`/i.test(description);
}
