/**
 * package-lock.json and npm-shrinkwrap.json, lockfileVersion 1 (nested `dependencies`),
 * 2 (both shapes; `packages` is read) and 3 (`packages` only).
 */
import type { Package } from '../types.js';
import { inputError, isRecord, lineOf, parseJsonText } from './errors.js';
import { folderName, packagesOfTree, splitAlias, type NpmNode, type NpmTree } from './npm-tree.js';

export interface RootManifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const keysOf = (v: unknown): string[] => (isRecord(v) ? Object.keys(v) : []);

/**
 * @param manifest the package.json beside the lockfile, when there is one: v1 lockfiles do not
 *   record which dependencies are direct.
 */
export function parseNpmLock(text: string, file: string, manifest?: RootManifest): Package[] {
  const doc = parseJsonText(text, file);
  if (!isRecord(doc)) throw inputError(file, 'not an npm lockfile: expected a JSON object', { line: 1 });
  const v = doc.lockfileVersion;
  if (v === 2 || v === 3) return packagesOfTree(treeFromPackages(doc.packages, text, file), file);
  if (v === 1) return packagesOfTree(treeFromV1(doc.dependencies, text, file, manifest), file);
  const where = v === undefined ? { line: 1 } : lineOf(text, '"lockfileVersion"');
  throw inputError(file, v === undefined ? 'not an npm lockfile: no "lockfileVersion"' : `unsupported lockfileVersion ${JSON.stringify(v)} (supported: 1, 2, 3)`, where);
}

function treeFromPackages(packages: unknown, text: string, file: string): NpmTree {
  if (!isRecord(packages)) throw inputError(file, '"packages" must be an object of install locations', lineOf(text, '"packages"'));
  const nodes = new Map<string, NpmNode>();
  for (const [loc, entry] of Object.entries(packages)) {
    if (!isRecord(entry)) throw inputError(file, `packages["${loc}"] must be an object`, lineOf(text, JSON.stringify(loc)));
    if (entry.version !== undefined && typeof entry.version !== 'string') {
      throw inputError(file, `packages["${loc}"].version must be a string`, lineOf(text, JSON.stringify(loc)));
    }
    const node: NpmNode = {
      // `name` is set for aliases (`node_modules/x` holding package `y`) and for workspaces.
      name: typeof entry.name === 'string' ? entry.name : folderName(loc),
      deps: [...keysOf(entry.dependencies), ...keysOf(entry.optionalDependencies), ...keysOf(entry.peerDependencies)],
    };
    if (typeof entry.version === 'string') node.version = entry.version;
    node.dev = entry.dev === true;
    if (entry.link === true && typeof entry.resolved === 'string') node.linkTo = entry.resolved;
    nodes.set(loc, node);
  }
  const root = packages[''];
  const r = isRecord(root) ? root : {};
  return {
    nodes,
    prodDeps: [...keysOf(r.dependencies), ...keysOf(r.optionalDependencies), ...keysOf(r.peerDependencies)],
    devDeps: keysOf(r.devDependencies),
  };
}

function treeFromV1(deps: unknown, text: string, file: string, manifest?: RootManifest): NpmTree {
  const nodes = new Map<string, NpmNode>();
  nodes.set('', { name: '', deps: [] });
  const required = new Set<string>();
  const walk = (tree: unknown, base: string): void => {
    if (tree === undefined) return;
    if (!isRecord(tree)) throw inputError(file, `"dependencies" under ${base || 'the root'} must be an object`, lineOf(text, '"dependencies"'));
    for (const [folder, entry] of Object.entries(tree)) {
      const loc = `${base ? `${base}/` : ''}node_modules/${folder}`;
      if (!isRecord(entry) || typeof entry.version !== 'string') {
        throw inputError(file, `dependency "${folder}" has no "version" string`, lineOf(text, `"${folder}": {`));
      }
      const { name, version } = splitAlias(folder, entry.version);
      const requires = keysOf(entry.requires);
      for (const r of requires) required.add(r);
      nodes.set(loc, { name, version, deps: requires, dev: entry.dev === true });
      walk(entry.dependencies, loc);
    }
  };
  walk(deps, '');
  if (manifest) {
    return {
      nodes,
      prodDeps: [...keysOf(manifest.dependencies), ...keysOf(manifest.optionalDependencies)],
      devDeps: keysOf(manifest.devDependencies),
    };
  }
  // Without package.json the direct dependencies are the top-level entries nothing else requires.
  const top = [...nodes.keys()].filter((l) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(l)).map((l) => l.slice('node_modules/'.length));
  return { nodes, prodDeps: top.filter((n) => !required.has(n)), devDeps: [] };
}
