/**
 * Dependency paths: the shortest chain of names from a direct dependency to each package,
 * found by breadth-first search over whatever graph a format gives (lockfile keys, SBOM refs).
 */
import type { Package, Relation } from '../types.js';

/**
 * Shortest name path from any root to every reachable node. Roots get `[name(root)]`. Roots and
 * edges are visited in name order, so ties break the same way whatever order a format lists them.
 */
export function shortestPaths<K>(roots: Iterable<K>, edges: (k: K) => Iterable<K>, name: (k: K) => string): Map<K, string[]> {
  const paths = new Map<K, string[]>();
  const queue: K[] = [];
  const byName = (a: K, b: K): number => {
    const x = name(a);
    const y = name(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
  for (const r of [...roots].sort(byName)) {
    if (paths.has(r)) continue;
    paths.set(r, [name(r)]);
    queue.push(r);
  }
  for (let i = 0; i < queue.length; i++) {
    const k = queue[i]!;
    const base = paths.get(k)!;
    for (const next of [...edges(k)].sort(byName)) {
      if (paths.has(next)) continue;
      paths.set(next, [...base, name(next)]);
      queue.push(next);
    }
  }
  return paths;
}

/** Relation and path for a node: unreachable nodes (no graph, extraneous entries) are `unknown`. */
export function placement(path: string[] | undefined, name: string): { path: string[]; relation: Relation } {
  if (!path) return { path: [name], relation: 'unknown' };
  return { path, relation: path.length === 1 ? 'direct' : 'transitive' };
}

const RELATION_ORDER: Record<Relation, number> = { direct: 0, transitive: 1, unknown: 2 };

/**
 * One package per ecosystem/name/version: the same version installed at several places is one
 * thing to fix. Keeps the closest placement; `dev` only when every copy is dev-only.
 */
export function dedupePackages(pkgs: Package[]): Package[] {
  const byKey = new Map<string, Package>();
  for (const p of pkgs) {
    const key = `${p.ecosystem}\0${p.name}\0${p.version}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { ...p });
      continue;
    }
    const better = RELATION_ORDER[p.relation] < RELATION_ORDER[seen.relation] || (p.relation === seen.relation && p.path.length < seen.path.length);
    const dev = seen.dev === true && p.dev === true;
    const merged = better ? { ...p } : seen;
    if (dev) merged.dev = true;
    else delete merged.dev;
    byKey.set(key, merged);
  }
  return [...byKey.values()].sort((a, b) => a.ecosystem.localeCompare(b.ecosystem) || a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}
