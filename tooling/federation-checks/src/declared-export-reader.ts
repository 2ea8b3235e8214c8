import ts from 'typescript';

/** What a declaration file says one exported name is. */
export interface DeclaredExport {
  readonly name: string;
  /** Every kind the name has: a name can be both an interface and a const. */
  readonly kinds: Set<string>;
}

/** Maps a symbol's flags to the kinds PUBLIC_API.md uses. */
function kindsOfSymbol(symbol: ts.Symbol, checker: ts.TypeChecker): Set<string> {
  const kinds = new Set<string>();
  const flags = symbol.flags;
  if (flags & ts.SymbolFlags.Class) kinds.add('class');
  if (flags & ts.SymbolFlags.Function) kinds.add('function');
  if (flags & ts.SymbolFlags.Variable) {
    kinds.add('const');
    const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (declaration) {
      const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
      // `export const handler = () => ...` is a function to its users.
      if (type.getCallSignatures().length > 0) kinds.add('function');
    }
  }
  if (flags & ts.SymbolFlags.Interface) kinds.add('interface');
  if (flags & ts.SymbolFlags.TypeAlias) kinds.add('type');
  if (flags & ts.SymbolFlags.Enum) kinds.add('enum');
  if (flags & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule)) kinds.add('namespace');
  return kinds;
}

/**
 * Reads the exported names of declaration files (`.d.ts`, `.d.cts`) with the TypeScript
 * compiler API, type-only names included. One program is built for all files, so shared
 * dependencies (kysely, pg types) are loaded once.
 *
 * @example
 * const byFile = readDeclaredExports(['/repo/packages/db-core/dist/index.d.ts']);
 * byFile.get('/repo/packages/db-core/dist/index.d.ts')?.map((entry) => entry.name);
 */
export function readDeclaredExports(declarationFiles: readonly string[]): Map<string, DeclaredExport[]> {
  const program = ts.createProgram(declarationFiles, {
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
  });
  const checker = program.getTypeChecker();
  const result = new Map<string, DeclaredExport[]>();
  for (const file of declarationFiles) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`cannot read declaration file ${file}`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    const exported = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
    result.set(
      file,
      exported
        .filter((symbol) => symbol.name !== 'default')
        .map((symbol) => {
          const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
          return { name: symbol.name, kinds: kindsOfSymbol(target, checker) };
        })
        .sort((left, right) => left.name.localeCompare(right.name)),
    );
  }
  return result;
}
