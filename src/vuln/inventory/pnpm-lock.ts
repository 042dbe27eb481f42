/**
 * pnpm-lock.yaml, lockfileVersion 5.x (`/name/1.0.0_peer@1`), 6.x (`/name@1.0.0(peer@1)`) and
 * 9.x (`name@1.0.0(peer@1)`, graph under `snapshots`). Nodes are normalised to
 * `name@version(peers)` so one walk serves all three.
 */
import YAML from 'yaml';
import type { Package } from '../types.js';
import { inputError, isRecord, lineOf } from './errors.js';
import { dedupePackages, placement, shortestPaths } from './graph.js';

type Dialect = 5 | 6 | 9;

interface Node {
  id: string;
  name: string;
  version: string;
  deps: string[];
  dev?: boolean;
  registry: boolean;
  detail: string;
}

function dialectOf(v: unknown): Dialect | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number.parseFloat(v) : Number.NaN;
  if (n >= 5 && n < 6) return 5;
  if (n >= 6 && n < 7) return 6;
  if (n >= 9 && n < 10) return 9;
  return undefined;
}

/** `name@ver(peer)` / v5 `name/ver_peer` key (leading `/` removed) → [name, bare version]. */
function splitKey(key: string, d: Dialect): [string, string] | undefined {
  const k = key.startsWith('/') ? key.slice(1) : key;
  if (d === 5) {
    const i = k.lastIndexOf('/');
    if (i <= 0) return undefined;
    return [k.slice(0, i), k.slice(i + 1).replace(/_.*$/, '')];
  }
  const bare = k.replace(/\(.*$/, '');
  const at = bare.indexOf('@', 1);
  if (at === -1) return undefined;
  return [bare.slice(0, at), bare.slice(at + 1)];
}

/** Node id from a package key. */
function idOfKey(key: string, d: Dialect): string {
  const k = key.startsWith('/') ? key.slice(1) : key;
  if (d !== 5) return k;
  const i = k.lastIndexOf('/');
  return `${k.slice(0, i)}@${k.slice(i + 1)}`;
}

/** Node id a dependency reference points at: `1.0.0`, `1.0.0(p@1)`, an alias key, or `link:`. */
function idOfRef(name: string, ref: string, d: Dialect): string | undefined {
  if (ref.startsWith('link:') || ref.startsWith('file:')) return undefined;
  if (ref.startsWith('/')) return idOfKey(ref, d);
  const bare = d === 5 ? ref.replace(/_.*$/, '') : ref.replace(/\(.*$/, '');
  if (bare.includes('@')) return idOfKey(ref, d); // alias: `string-width@4.2.3`
  return `${name}@${ref}`;
}

function refOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (isRecord(v) && (typeof v.version === 'string' || typeof v.version === 'number')) return String(v.version); // v6+ {specifier, version}
  return undefined;
}

function depIds(section: unknown, d: Dialect): string[] {
  if (!isRecord(section)) return [];
  const out: string[] = [];
  for (const [name, v] of Object.entries(section)) {
    const ref = refOf(v);
    const id = ref === undefined ? undefined : idOfRef(name, ref, d);
    if (id) out.push(id);
  }
  return out;
}

export function parsePnpmLock(text: string, file: string): { packages: Package[]; warnings: string[] } {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    const err = e as { message: string; linePos?: Array<{ line: number; col: number }> };
    const p = err.linePos?.[0];
    throw inputError(file, `not valid YAML: ${err.message.split(' at line')[0]}`, p ? { line: p.line, column: p.col } : {});
  }
  if (!isRecord(doc)) throw inputError(file, 'not a pnpm lockfile: expected a mapping', { line: 1 });
  const d = dialectOf(doc.lockfileVersion);
  if (d === undefined) {
    throw inputError(file, doc.lockfileVersion === undefined ? 'not a pnpm lockfile: no lockfileVersion' : `unsupported lockfileVersion ${JSON.stringify(doc.lockfileVersion)} (supported: 5.x, 6.x, 9.x)`, lineOf(text, 'lockfileVersion'));
  }
  const packages = doc.packages ?? {};
  if (!isRecord(packages)) throw inputError(file, '"packages" must be a mapping', lineOf(text, 'packages:'));
  const graph = d === 9 ? doc.snapshots ?? {} : packages;
  if (!isRecord(graph)) throw inputError(file, '"snapshots" must be a mapping', lineOf(text, 'snapshots:'));

  const nodes = new Map<string, Node>();
  for (const [key, entry] of Object.entries(graph)) {
    const nv = splitKey(key, d);
    if (!nv) throw inputError(file, `cannot read package key "${key}"`, lineOf(text, key));
    const e = isRecord(entry) ? entry : {};
    // v9 keeps resolution/version in `packages` under the key without the peer suffix.
    const meta = d === 9 ? packages[key.replace(/\(.*$/, '')] : e;
    const m = isRecord(meta) ? meta : {};
    const res = isRecord(m.resolution) ? m.resolution : {};
    const registry = res.type !== 'git' && res.type !== 'directory' && res.tarball === undefined;
    const node: Node = {
      id: idOfKey(key, d),
      name: typeof m.name === 'string' ? m.name : nv[0],
      version: typeof m.version === 'string' ? m.version : nv[1],
      deps: [...depIds(e.dependencies, d), ...depIds(e.optionalDependencies, d)],
      registry,
      detail: typeof res.tarball === 'string' ? res.tarball : typeof res.repo === 'string' ? res.repo : String(res.type ?? 'unknown source'),
    };
    if (typeof m.dev === 'boolean') node.dev = m.dev;
    nodes.set(node.id, node);
  }

  // Roots: each importer's dependencies (workspaces), or the top-level sections before v9.
  const importers = isRecord(doc.importers) ? Object.values(doc.importers).filter(isRecord) : [doc];
  const prod = importers.flatMap((imp) => [...depIds(imp.dependencies, d), ...depIds(imp.optionalDependencies, d)]);
  const dev = importers.flatMap((imp) => depIds(imp.devDependencies, d));
  const edges = (n: Node): Node[] => n.deps.map((id) => nodes.get(id)).filter((x): x is Node => x !== undefined);
  const toNodes = (ids: string[]): Node[] => ids.map((id) => nodes.get(id)).filter((x): x is Node => x !== undefined);
  const paths = shortestPaths([...toNodes(prod), ...toNodes(dev)], edges, (n) => n.name);
  const prodReach = shortestPaths(toNodes(prod), edges, (n) => n.name);

  const out: Package[] = [];
  const warnings: string[] = [];
  for (const n of nodes.values()) {
    if (!n.registry) {
      warnings.push(`${file}: ${n.name}@${n.version} comes from ${n.detail}, not the npm registry; not matched against npm advisories`);
      continue;
    }
    const pkg: Package = { ecosystem: 'npm', name: n.name, version: n.version, ...placement(paths.get(n), n.name), source: file };
    if (n.dev ?? (paths.has(n) && !prodReach.has(n))) pkg.dev = true;
    out.push(pkg);
  }
  return { packages: dedupePackages(out), warnings };
}
