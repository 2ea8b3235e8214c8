import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCheckResult, type CheckResult } from './check-result.js';
import { readDeclaredExports } from './declared-export-reader.js';
import { probeDeprecationWarning } from './deprecation-warning-probe.js';
import { absoluteEntryFile, listEntryPoints, type EntryPoint } from './package-entry-points.js';
import { apiKinds, apiTiers, namesReplacement, parsePublicApi, type ApiKind, type ApiSection } from './public-api-parser.js';
import { readRuntimeExports } from './runtime-export-reader.js';
import { findPublishedPackages, type WorkspacePackage } from './workspace-packages.js';

/** Options of {@link checkApiContract}. */
export interface ApiContractOptions {
  /** The workspace root (holds `packages/` and, by default, `PUBLIC_API.md`). */
  readonly rootDirectory: string;
  readonly publicApiFile?: string;
}

/** Which actual kinds (from the declaration files) satisfy the kind a row declares. */
const acceptedKinds: Record<ApiKind, readonly string[]> = {
  function: ['function'],
  class: ['class'],
  const: ['const'],
  type: ['type', 'interface'],
  interface: ['interface'],
  enum: ['enum'],
  namespace: ['namespace'],
};

interface ActualExports {
  readonly entryPoint: EntryPoint;
  readonly workspacePackage: WorkspacePackage;
  /** Name → kinds, from the ESM declaration file plus the runtime module. */
  readonly names: Map<string, Set<string>>;
}

function isTier(value: string): boolean {
  return (apiTiers as readonly string[]).includes(value);
}

function isKind(value: string): value is ApiKind {
  return (apiKinds as readonly string[]).includes(value);
}

/** Reads what one built entry point really exports, reporting broken builds as problems. */
async function readActualExports(
  workspacePackage: WorkspacePackage,
  entryPoint: EntryPoint,
  declared: Map<string, { name: string; kinds: Set<string> }[]>,
  result: CheckResult,
): Promise<ActualExports | undefined> {
  const label = `${entryPoint.specifier}`;
  const files = {
    import: entryPoint.importFile,
    'import types': entryPoint.importTypesFile,
    require: entryPoint.requireFile,
    'require types': entryPoint.requireTypesFile,
  };
  for (const [condition, file] of Object.entries(files)) {
    if (!file) {
      result.problems.push(`${label}: the exports map has no "${condition}" target for ${entryPoint.subpath}`);
      return undefined;
    }
    if (!existsSync(absoluteEntryFile(workspacePackage.directory, file))) {
      result.problems.push(`${label}: ${file} does not exist; build the package first (pnpm build)`);
      return undefined;
    }
  }
  const esmFile = absoluteEntryFile(workspacePackage.directory, entryPoint.importFile!);
  let runtimeNames: string[];
  try {
    runtimeNames = await readRuntimeExports(esmFile);
  } catch (error) {
    result.problems.push(`${label}: importing ${entryPoint.importFile} failed: ${(error as Error).message}`);
    return undefined;
  }
  const esmDeclared = declared.get(absoluteEntryFile(workspacePackage.directory, entryPoint.importTypesFile!)) ?? [];
  const cjsDeclared = declared.get(absoluteEntryFile(workspacePackage.directory, entryPoint.requireTypesFile!)) ?? [];
  const esmNames = esmDeclared.map((entry) => entry.name);
  const cjsNames = new Set(cjsDeclared.map((entry) => entry.name));
  for (const name of esmNames) {
    if (!cjsNames.has(name)) result.problems.push(`${label}: \`${name}\` is in ${entryPoint.importTypesFile} but not in ${entryPoint.requireTypesFile}`);
  }
  for (const name of cjsNames) {
    if (!esmNames.includes(name)) result.problems.push(`${label}: \`${name}\` is in ${entryPoint.requireTypesFile} but not in ${entryPoint.importTypesFile}`);
  }
  const names = new Map<string, Set<string>>(esmDeclared.map((entry) => [entry.name, entry.kinds]));
  for (const name of runtimeNames) {
    if (!names.has(name)) {
      result.problems.push(`${label}: \`${name}\` is exported at runtime but missing from ${entryPoint.importTypesFile}`);
      names.set(name, new Set());
    }
  }
  return { entryPoint, workspacePackage, names };
}

/** Compares one section of PUBLIC_API.md with what its entry point exports. */
function compareSection(section: ApiSection, actual: ActualExports, result: CheckResult): void {
  const label = actual.entryPoint.specifier;
  const documented = new Set(section.rows.map((row) => row.name));
  for (const name of actual.names.keys()) {
    if (!documented.has(name)) {
      result.problems.push(`${label}: \`${name}\` is exported but not documented; add a row under ## \`${label}\` in PUBLIC_API.md`);
    }
  }
  for (const row of section.rows) {
    const where = `PUBLIC_API.md:${row.line}`;
    const actualKinds = actual.names.get(row.name);
    if (!actualKinds) {
      result.problems.push(`${label}: \`${row.name}\` is documented (${where}) but not exported`);
    }
    if (!isTier(row.tier)) {
      result.problems.push(`${label}: \`${row.name}\` has invalid tier "${row.tier}" (${where}); use one of ${apiTiers.join(', ')}`);
    }
    if (!isKind(row.kind)) {
      result.problems.push(`${label}: \`${row.name}\` has invalid kind "${row.kind}" (${where}); use one of ${apiKinds.join(', ')}`);
    } else if (actualKinds && actualKinds.size > 0 && !acceptedKinds[row.kind].some((kind) => actualKinds.has(kind))) {
      result.problems.push(
        `${label}: \`${row.name}\` is documented as ${row.kind} (${where}) but is exported as ${[...actualKinds].join('/')}`,
      );
    }
    if (row.description.trim() === '') {
      result.problems.push(`${label}: \`${row.name}\` has an empty description (${where})`);
    }
    if (row.tier === 'deprecated' && !namesReplacement(row.description)) {
      result.problems.push(
        `${label}: deprecated \`${row.name}\` must name its replacement in the description, e.g. "use \`newName\` instead" (${where})`,
      );
    }
  }
}

/** Deprecated functions and classes must warn once per process (docs/versioning.md). */
function verifyDeprecationWarnings(section: ApiSection, actual: ActualExports, result: CheckResult): void {
  const esmFile = absoluteEntryFile(actual.workspacePackage.directory, actual.entryPoint.importFile!);
  for (const row of section.rows) {
    if (row.tier !== 'deprecated' || (row.kind !== 'function' && row.kind !== 'class') || !actual.names.has(row.name)) continue;
    const outcome = probeDeprecationWarning(esmFile, row.name, row.kind);
    const label = `${actual.entryPoint.specifier}: deprecated \`${row.name}\``;
    if ('error' in outcome) {
      result.problems.push(`${label}: could not probe its deprecation warning: ${outcome.error}`);
    } else if (outcome.count !== 1) {
      result.problems.push(
        `${label} emitted ${outcome.count} DeprecationWarning(s) naming it over two calls; it must emit exactly one (use the deprecation-warning helper from docs/versioning.md)`,
      );
    }
  }
}

/**
 * Compares PUBLIC_API.md with the real exports of every built entry point of every
 * published package (runtime names by importing the ESM build, type-only names from the
 * `.d.ts` through the TypeScript compiler API). Fails on a missing or extra name, an entry
 * point without a section, a section without an entry point, an invalid tier or kind, an
 * empty description, a deprecated name that does not name its replacement or does not
 * warn exactly once.
 *
 * @example
 * const result = await checkApiContract({ rootDirectory: process.cwd() });
 * if (result.problems.length > 0) process.exitCode = 1;
 */
export async function checkApiContract(options: ApiContractOptions): Promise<CheckResult> {
  const result = createCheckResult();
  const publicApiFile = options.publicApiFile ?? join(options.rootDirectory, 'PUBLIC_API.md');
  if (!existsSync(publicApiFile)) {
    result.problems.push(`${publicApiFile} does not exist`);
    return result;
  }
  const document = parsePublicApi(readFileSync(publicApiFile, 'utf8'));
  result.problems.push(...document.formatProblems);

  const packages = findPublishedPackages(options.rootDirectory);
  const entries = packages.flatMap((workspacePackage) =>
    listEntryPoints(workspacePackage.manifest).map((entryPoint) => ({ workspacePackage, entryPoint })),
  );
  const declarationFiles = entries
    .flatMap(({ workspacePackage, entryPoint }) =>
      [entryPoint.importTypesFile, entryPoint.requireTypesFile]
        .filter((file): file is string => file !== undefined)
        .map((file) => absoluteEntryFile(workspacePackage.directory, file)),
    )
    .filter((file) => existsSync(file));
  const declared = readDeclaredExports(declarationFiles);

  const covered = new Set<string>();
  for (const { workspacePackage, entryPoint } of entries) {
    covered.add(entryPoint.specifier);
    const section = document.sections.get(entryPoint.specifier);
    if (!section) {
      result.problems.push(`${entryPoint.specifier}: entry point has no section in PUBLIC_API.md; add "## \`${entryPoint.specifier}\`" with a table`);
    }
    const actual = await readActualExports(workspacePackage, entryPoint, declared, result);
    if (!actual || !section) continue;
    compareSection(section, actual, result);
    verifyDeprecationWarnings(section, actual, result);
    result.notes.push(`${entryPoint.specifier}: ${actual.names.size} exported names, ${section.rows.length} documented`);
  }
  for (const [specifier, section] of document.sections) {
    if (!covered.has(specifier)) {
      result.problems.push(
        `PUBLIC_API.md:${section.line}: section \`${specifier}\` matches no entry point of a published package (check the exports map)`,
      );
    }
  }
  return result;
}
