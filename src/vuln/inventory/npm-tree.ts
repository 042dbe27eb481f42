/**
 * npm's folder tree, shared by package-lock v1–v3, npm-shrinkwrap.json and an installed
 * node_modules: nodes keyed by location (`node_modules/a/node_modules/b`), dependencies resolved
 * the way Node does (nearest `node_modules` up the tree), then shortest paths from the root.
 */
import type { Package } from '../types.js';
import { dedupePackages, placement, shortestPaths } from './graph.js';

export interface NpmNode {
  /** Real package name (an alias's target for `npm:` aliases). */
  name: string;
  version?: string;
  /** Names this package depends on (dependencies, optional and peer). */
  deps: string[];
  dev?: boolean;
  /** A symlink to another location (workspaces, `file:` folders). */
  linkTo?: string;
}

export interface NpmTree {
  /** Locations relative to the project root; `''` is the project itself. */
  nodes: Map<string, NpmNode>;
  /** Direct dependencies of the project, by name. */
  prodDeps: string[];
  devDeps: string[];
}

const NM = 'node_modules/';

/** The folder Node looks in next: `a/node_modules/b` → `a`, `node_modules/@s/x` → `node_modules/@s`. */
function parentOf(loc: string): string | undefined {
  if (loc === '') return undefined;
  const i = loc.lastIndexOf('/');
  let up = i === -1 ? '' : loc.slice(0, i);
  if (up === 'node_modules' || up.endsWith('/node_modules')) up = up.slice(0, -'node_modules'.length).replace(/\/$/, '');
  return up;
}

export function resolveFrom(nodes: Map<string, NpmNode>, from: string, dep: string): string | undefined {
  for (let base: string | undefined = from; base !== undefined; base = parentOf(base)) {
    const cand = base === '' ? `${NM}${dep}` : `${base}/${NM}${dep}`;
    if (nodes.has(cand)) return cand;
  }
  return undefined;
}

/** The folder name a location installs under: `node_modules/@s/x` → `@s/x`. */
export function folderName(loc: string): string {
  const i = loc.lastIndexOf(NM);
  return i === -1 ? loc.slice(loc.lastIndexOf('/') + 1) : loc.slice(i + NM.length);
}

/** Packages of the tree, with their paths. Links and workspace folders are the project, not packages. */
export function packagesOfTree(tree: NpmTree, source: string): Package[] {
  const { nodes } = tree;
  const target = (loc: string): string => nodes.get(loc)?.linkTo ?? loc;
  const edges = (loc: string): string[] => {
    const node = nodes.get(target(loc));
    if (!node) return [];
    const out: string[] = [];
    for (const d of node.deps) {
      const r = resolveFrom(nodes, target(loc), d);
      if (r !== undefined) out.push(r);
    }
    return out;
  };
  const rootsOf = (names: string[], from = ''): string[] => names.map((d) => resolveFrom(nodes, from, d)).filter((x): x is string => x !== undefined);
  // Workspace folders are part of the project: their dependencies are direct ones too.
  const workspaces = [...nodes.keys()].filter((l) => l !== '' && !l.includes(NM));
  const prodRoots = [...rootsOf(tree.prodDeps), ...workspaces.flatMap((w) => edges(w))];
  const devRoots = rootsOf(tree.devDeps);
  const name = (loc: string): string => nodes.get(target(loc))?.name ?? folderName(loc);
  const paths = shortestPaths([...prodRoots, ...devRoots], edges, name);
  const prodReach = shortestPaths(prodRoots, edges, name);
  const hasGraph = tree.prodDeps.length + tree.devDeps.length + workspaces.length > 0;

  const out: Package[] = [];
  for (const [loc, node] of nodes) {
    if (loc === '' || node.linkTo !== undefined || !loc.includes(NM) || node.version === undefined) continue;
    const where = placement(hasGraph ? paths.get(loc) : undefined, node.name);
    const pkg: Package = { ecosystem: 'npm', name: node.name, version: node.version, ...where, source };
    const dev = node.dev ?? (hasGraph && paths.has(loc) ? !prodReach.has(loc) : undefined);
    if (dev) pkg.dev = true;
    out.push(pkg);
  }
  return dedupePackages(out);
}

/** `npm:string-width@4.2.3` → the alias target; anything else unchanged. */
export function splitAlias(folder: string, version: string): { name: string; version: string } {
  if (!version.startsWith('npm:')) return { name: folder, version };
  const spec = version.slice(4);
  const at = spec.lastIndexOf('@');
  return at > 0 ? { name: spec.slice(0, at), version: spec.slice(at + 1) } : { name: spec, version: '' };
}
