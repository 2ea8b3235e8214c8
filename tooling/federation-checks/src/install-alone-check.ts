import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCheckResult, type CheckResult } from './check-result.js';
import { cleanEnvironment } from './child-process-environment.js';
import { listInstalledPackages } from './installed-package-lister.js';
import { listEntryPoints, type EntryPoint } from './package-entry-points.js';
import { readPackedManifest } from './package-packer.js';
import { optionalPeerNames, packageNameOfSpecifier, type PackageManifest } from './workspace-packages.js';

/** Options of {@link checkInstallAlone}. */
export interface InstallAloneOptions {
  /** The package to install alone. */
  readonly packageName: string;
  /** Every published sibling's packed tarball, by name. Only the needed ones are installed. */
  readonly tarballs: ReadonlyMap<string, string>;
  /** Extra names that must not be installed (see closed-box-rules.ts). */
  readonly forbiddenPackages?: readonly string[];
  /** An ESM script run in the project after the imports succeed, with `STRATA_SMOKE_DATABASE_URL`. */
  readonly smokeScenarioFile?: string;
  /** A database the smoke scenario may use (created for it; the check does not drop it). */
  readonly databaseUrl?: string;
  /** npm's cache folder; the default is the user's (~/.npm), so repeated runs install offline. */
  readonly npmCacheDirectory?: string;
  /** Keep the temporary project for inspection. */
  readonly keepProject?: boolean;
}

interface ProbeOutcome {
  readonly ok: boolean;
  readonly names?: string[];
  readonly message?: string;
}

const esmProbe = `
const specifier = process.argv[2];
try {
  const namespace = await import(specifier);
  const names = Object.keys(namespace).filter((name) => !['default', '__esModule', 'module.exports'].includes(name)).sort();
  console.log(JSON.stringify({ ok: true, names }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, message: String(error && error.message) }));
}
`;

const cjsProbe = `
const specifier = process.argv[2];
try {
  const exported = require(specifier);
  const names = Object.keys(exported).filter((name) => !['default', '__esModule'].includes(name)).sort();
  console.log(JSON.stringify({ ok: true, names }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, message: String(error && error.message) }));
}
`;

function runNode(projectDirectory: string, args: string[], extraEnvironment: Record<string, string> = {}) {
  return spawnSync(process.execPath, args, {
    cwd: projectDirectory,
    encoding: 'utf8',
    timeout: 120_000,
    env: cleanEnvironment(extraEnvironment),
  });
}

function runNpm(projectDirectory: string, args: string[], cacheDirectory: string) {
  return spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline', '--no-package-lock', '--loglevel=error', '--cache', cacheDirectory, ...args],
    { cwd: projectDirectory, encoding: 'utf8', timeout: 300_000, env: cleanEnvironment() },
  );
}

function probe(projectDirectory: string, file: 'probe.mjs' | 'probe.cjs', specifier: string): ProbeOutcome {
  const run = runNode(projectDirectory, [file, specifier]);
  const lastLine = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(lastLine) as ProbeOutcome;
  } catch {
    return { ok: false, message: (run.stderr || run.stdout || 'no output').trim().split('\n').slice(0, 3).join(' ') };
  }
}

/** The package a "Cannot find package/module 'x'" error is about, if any. */
function missingPackageOf(message: string): string | undefined {
  const match = /Cannot find (?:package|module) '([^']+)'/.exec(message);
  if (!match?.[1] || match[1].startsWith('.') || match[1].startsWith('/')) return undefined;
  return packageNameOfSpecifier(match[1]);
}

/** Siblings to install with the package: its dependencies and required peers, transitively. */
function siblingClosure(packageName: string, tarballs: ReadonlyMap<string, string>): Map<string, PackageManifest> {
  const closure = new Map<string, PackageManifest>();
  const pending = [packageName];
  while (pending.length > 0) {
    const name = pending.pop()!;
    const tarball = tarballs.get(name);
    if (closure.has(name) || !tarball) continue;
    const manifest = readPackedManifest(tarball);
    closure.set(name, manifest);
    const optional = new Set(optionalPeerNames(manifest));
    const required = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {}).filter((peer) => !optional.has(peer))];
    pending.push(...required.filter((dependency) => tarballs.has(dependency)));
  }
  return closure;
}

function declaredNames(manifest: PackageManifest): Set<string> {
  return new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
  ]);
}

/**
 * Installs one packed package into an empty temporary project outside the workspace,
 * with npm, together with only the packed siblings it declares (dependencies and required
 * peers) and nothing else from the workspace. Then, with `NODE_PATH` cleared so only the
 * project's node_modules resolve:
 *
 * - every entry point must load with `import` and with `require`, exporting the same names;
 *   an entry point that needs an optional peer may fail alone, and is retried after that
 *   peer is installed;
 * - the install must not contain a sibling it does not declare, one of its optional
 *   peers, or a package from `forbiddenPackages`;
 * - the smoke scenario, if any, runs against `databaseUrl`.
 *
 * @example
 * const result = checkInstallAlone({ packageName: '@strata/db-core', tarballs, forbiddenPackages: ['express'] });
 */
export function checkInstallAlone(options: InstallAloneOptions): CheckResult {
  const result = createCheckResult();
  const name = options.packageName;
  const closure = siblingClosure(name, options.tarballs);
  const manifest = closure.get(name);
  if (!manifest) {
    result.problems.push(`${name}: no packed tarball to install`);
    return result;
  }
  const project = mkdtempSync(join(tmpdir(), 'strata-install-alone-'));
  const cacheDirectory = options.npmCacheDirectory ?? join(homedir(), '.npm');
  try {
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'install-alone-probe', version: '0.0.0', private: true }, null, 2));
    writeFileSync(join(project, 'probe.mjs'), esmProbe);
    writeFileSync(join(project, 'probe.cjs'), cjsProbe);
    const installed = [...closure.keys()];
    const install = runNpm(project, installed.map((sibling) => options.tarballs.get(sibling)!), cacheDirectory);
    if (install.status !== 0) {
      result.problems.push(`${name}: npm install of ${installed.join(', ')} failed: ${(install.stderr || install.stdout).trim().split('\n').slice(-5).join(' | ')}`);
      return result;
    }
    result.notes.push(`${name}: installed alone with ${installed.length > 1 ? installed.slice(1).join(', ') : 'no siblings'}`);

    const present = listInstalledPackages(project);
    const optional = optionalPeerNames(manifest);
    const forbidden = new Set([...optional, ...(options.forbiddenPackages ?? [])]);
    for (const installedName of present) {
      if (options.tarballs.has(installedName) && !closure.has(installedName)) {
        result.problems.push(`${name}: installing it alone pulled in the sibling ${installedName}, which it does not declare`);
      } else if (forbidden.has(installedName)) {
        result.problems.push(`${name}: installing it alone pulled in ${installedName}, which must stay out of its install (optional peer or closed-box rule)`);
      }
    }

    const deferred: EntryPoint[] = [];
    const neededPeers = new Set<string>();
    const declared = declaredNames(manifest);
    for (const entryPoint of listEntryPoints(manifest)) {
      const esm = probe(project, 'probe.mjs', entryPoint.specifier);
      const cjs = probe(project, 'probe.cjs', entryPoint.specifier);
      const failures = [esm, cjs].filter((outcome) => !outcome.ok);
      const missingOptional = failures.map((outcome) => missingPackageOf(outcome.message ?? '')).filter((missing) => missing && optional.includes(missing));
      if (failures.length > 0 && missingOptional.length === failures.length) {
        missingOptional.forEach((peer) => neededPeers.add(peer!));
        deferred.push(entryPoint);
        continue;
      }
      reportProbe(result, entryPoint, esm, cjs, declared);
    }

    if (deferred.length > 0) {
      const peerSpecs = [...neededPeers].map((peer) => options.tarballs.get(peer) ?? `${peer}@${manifest.peerDependencies?.[peer] ?? 'latest'}`);
      const peerInstall = runNpm(project, peerSpecs, cacheDirectory);
      if (peerInstall.status !== 0) {
        result.problems.push(`${name}: installing optional peers ${[...neededPeers].join(', ')} failed: ${peerInstall.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      }
      result.notes.push(`${name}: ${deferred.map((entryPoint) => entryPoint.specifier).join(', ')} need(s) the optional peer(s) ${[...neededPeers].join(', ')}; loaded after installing them`);
      for (const entryPoint of deferred) {
        reportProbe(result, entryPoint, probe(project, 'probe.mjs', entryPoint.specifier), probe(project, 'probe.cjs', entryPoint.specifier), declared);
      }
    }

    if (options.smokeScenarioFile && options.databaseUrl && result.problems.length === 0) {
      copyFileSync(options.smokeScenarioFile, join(project, 'smoke.mjs'));
      const smoke = runNode(project, ['smoke.mjs'], { STRATA_SMOKE_DATABASE_URL: options.databaseUrl });
      const output = smoke.stdout.trim();
      if (smoke.status !== 0) {
        result.problems.push(`${name}: smoke scenario failed (exit ${smoke.status}): ${(smoke.stderr || output).trim().split('\n').slice(0, 6).join(' | ')}`);
      } else if (output) {
        for (const line of output.split('\n')) result.notes.push(`${name}: smoke: ${line}`);
      }
    }
  } finally {
    if (options.keepProject) result.notes.push(`${name}: project kept at ${project}`);
    else rmSync(project, { recursive: true, force: true });
  }
  return result;
}

function reportProbe(result: CheckResult, entryPoint: EntryPoint, esm: ProbeOutcome, cjs: ProbeOutcome, declared: Set<string>): void {
  for (const [format, outcome] of [['import (ESM)', esm], ['require (CJS)', cjs]] as const) {
    if (outcome.ok) continue;
    const message = outcome.message ?? 'unknown error';
    const missing = missingPackageOf(message);
    const hint =
      missing && !declared.has(missing) && !missing.startsWith('node:')
        ? `; it reaches for ${missing}, which it does not declare in dependencies or peerDependencies`
        : '';
    result.problems.push(`${entryPoint.specifier}: ${format} fails when installed alone: ${message.split('\n')[0]}${hint}`);
  }
  if (esm.ok && cjs.ok) {
    const esmNames = esm.names ?? [];
    const cjsNames = cjs.names ?? [];
    const onlyEsm = esmNames.filter((exported) => !cjsNames.includes(exported));
    const onlyCjs = cjsNames.filter((exported) => !esmNames.includes(exported));
    if (onlyEsm.length > 0 || onlyCjs.length > 0) {
      result.problems.push(
        `${entryPoint.specifier}: ESM and CJS builds export different names (only ESM: ${onlyEsm.join(', ') || '-'}; only CJS: ${onlyCjs.join(', ') || '-'})`,
      );
    } else {
      result.notes.push(`${entryPoint.specifier}: loads from ESM and CJS (${esmNames.length} names)`);
    }
  }
}
