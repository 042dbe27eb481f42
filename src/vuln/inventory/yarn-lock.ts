/**
 * yarn.lock, classic (`# yarn lockfile v1`) and berry (YAML with `__metadata`), both read with
 * yarn's own parser (@yarnpkg/parsers). Keys are descriptors (`lodash@^4.17.20`,
 * `lodash@npm:^4.17.20`); several descriptors may share one entry (`a@^1, a@^1.2`).
 */
import { parseSyml } from '@yarnpkg/parsers';
import type { Package } from '../types.js';
import { inputError, isRecord, lineOf, type Position } from './errors.js';
import { dedupePackages, placement, shortestPaths } from './graph.js';
import type { RootManifest } from './npm-lock.js';

interface Entry {
  key: string;
  name: string;
  version: string;
  /** Descriptors this entry depends on (`name@range`). */
  deps: string[];
  /**
   * `registry`; `workspace` (the project itself, berry); `local` (file:/link:/portal: folders,
   * the project's own code); `other` (git, tarball URLs: third-party code we cannot version).
   */
  origin: 'registry' | 'workspace' | 'local' | 'other';
  originDetail: string;
}

/** `@scope/name@range` → [`@scope/name`, `range`]. */
export function splitDescriptor(d: string): [string, string] {
  const at = d.indexOf('@', 1);
  return at === -1 ? [d, ''] : [d.slice(0, at), d.slice(at + 1)];
}

function syntaxError(e: unknown, file: string): Error {
  const err = e as { message?: string; location?: { start?: { line: number; column: number } }; mark?: { line: number; column: number }; reason?: string };
  let pos: Position = {};
  if (err.location?.start) pos = { line: err.location.start.line, column: err.location.start.column };
  else if (err.mark) pos = { line: err.mark.line + 1, column: err.mark.column + 1 };
  const msg = (err.reason ?? err.message ?? String(e)).split('\n')[0]!.replace(/\s*\(\d+:\d+\)$/, '');
  return inputError(file, `not a valid yarn.lock: ${msg}`, pos);
}

export function parseYarnLock(text: string, file: string, manifest?: RootManifest): { packages: Package[]; warnings: string[] } {
  let doc: Record<string, unknown>;
  try {
    doc = parseSyml(text) as Record<string, unknown>;
  } catch (e) {
    throw syntaxError(e, file);
  }
  const berry = isRecord(doc.__metadata);
  const entries = new Map<string, Entry>(); // descriptor → entry
  const all: Entry[] = [];
  for (const [key, value] of Object.entries(doc)) {
    if (key === '__metadata') continue;
    const where = lineOf(text, key.split(/ *, */)[0]!);
    if (!isRecord(value) || typeof value.version !== 'string') throw inputError(file, `entry "${key}" has no version`, where);
    const entry = berry ? berryEntry(key, value, file, where) : classicEntry(key, value);
    all.push(entry);
    for (const d of key.split(/ *, */)) entries.set(d, entry);
  }

  const resolve = (d: string): Entry | undefined => {
    const hit = entries.get(d);
    if (hit) return hit;
    // Older berry lockfiles leave the default `npm:` protocol out of dependency ranges.
    const [n, r] = splitDescriptor(d);
    return entries.get(`${n}@npm:${r}`);
  };
  const edges = (e: Entry): Entry[] => e.deps.map(resolve).filter((x): x is Entry => x !== undefined);

  let roots: Entry[];
  const workspaces = all.filter((e) => e.origin === 'workspace');
  if (workspaces.length > 0) roots = workspaces.flatMap(edges);
  else if (manifest) {
    const direct = { ...manifest.dependencies, ...manifest.optionalDependencies, ...manifest.devDependencies };
    roots = Object.entries(direct).map(([n, r]) => resolve(`${n}@${r}`)).filter((x): x is Entry => x !== undefined);
  } else {
    const required = new Set(all.flatMap(edges));
    roots = all.filter((e) => !required.has(e));
  }
  const hasGraph = workspaces.length > 0 || manifest !== undefined;
  const devOnly = new Set(manifest ? Object.keys(manifest.devDependencies ?? {}) : []);
  const paths = shortestPaths(roots, edges, (e) => e.name);

  const packages: Package[] = [];
  const warnings: string[] = [];
  for (const e of all) {
    if (e.origin === 'workspace' || e.origin === 'local') continue;
    if (e.origin === 'other') {
      warnings.push(`${file}: ${e.name}@${e.version} comes from ${e.originDetail}, not the npm registry; not matched against npm advisories`);
      continue;
    }
    const pkg: Package = { ecosystem: 'npm', name: e.name, version: e.version, ...placement(hasGraph ? paths.get(e) : undefined, e.name), source: file };
    const first = pkg.path[0];
    if (pkg.relation === 'direct' && first !== undefined && devOnly.has(first)) pkg.dev = true;
    packages.push(pkg);
  }
  return { packages: dedupePackages(packages), warnings };
}

function classicEntry(key: string, v: Record<string, unknown>): Entry {
  const [folder, range] = splitDescriptor(key.split(/ *, */)[0]!);
  const deps = [v.dependencies, v.optionalDependencies].flatMap((m) => (isRecord(m) ? Object.entries(m).map(([n, r]) => `${n}@${String(r)}`) : []));
  const resolved = typeof v.resolved === 'string' ? v.resolved : '';
  // `x@npm:real@1.2.3` installs the package `real`.
  const name = range.startsWith('npm:') ? splitDescriptor(range.slice(4))[0] : folder;
  let origin: Entry['origin'] = 'registry';
  if (/^(file|link|portal):/.test(range)) origin = 'local';
  else if (/^(git|github:|git\+|https?:\/\/github\.com)/.test(range) || /^git/.test(resolved) || resolved.includes('codeload.github.com')) origin = 'other';
  return { key, name, version: v.version as string, deps, origin, originDetail: range || resolved };
}

function berryEntry(key: string, v: Record<string, unknown>, file: string, where: Position): Entry {
  if (typeof v.resolution !== 'string') throw inputError(file, `entry "${key}" has no resolution`, where);
  const [name, locator] = splitDescriptor(v.resolution);
  const deps = [v.dependencies, v.optionalDependencies].flatMap((m) => (isRecord(m) ? Object.entries(m).map(([n, r]) => `${n}@${String(r)}`) : []));
  let origin: Entry['origin'] = 'other';
  // patch: wraps another locator (`patch:resolve@npm%3A1.22.1#…`): the patched code is still that npm package.
  if (locator.startsWith('npm:') || (locator.startsWith('patch:') && /@npm%3A/.test(locator))) origin = 'registry';
  else if (locator.startsWith('workspace:')) origin = 'workspace';
  else if (/^(link|portal|file):/.test(locator)) origin = 'local';
  return { key, name, version: v.version as string, deps, origin, originDetail: locator };
}
