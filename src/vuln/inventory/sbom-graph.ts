/** What CycloneDX and SPDX documents share once read: components with purls and a dependency graph. */
import type { Package } from '../types.js';
import { dedupePackages, placement, shortestPaths } from './graph.js';
import { osvPackageOf, parsePurl } from './purl.js';

export interface SbomComponent {
  ref: string;
  name: string;
  version?: string;
  purl?: string;
  dev?: boolean;
}

export function packagesOfSbom(
  components: SbomComponent[],
  edges: Map<string, string[]>,
  graph: { direct?: string[]; described: Set<string> },
  file: string,
): { packages: Package[]; warnings: string[] } {
  const byRef = new Map(components.map((c) => [c.ref, c]));
  const nameOf = (r: string): string => {
    const c = byRef.get(r);
    const p = c?.purl ? parsePurl(c.purl) : undefined;
    const o = p ? osvPackageOf(p) : undefined;
    return o?.name ?? c?.name ?? r;
  };
  const paths = graph.direct ? shortestPaths(graph.direct, (r) => (edges.get(r) ?? []).filter((x) => byRef.has(x)), nameOf) : undefined;
  const packages: Package[] = [];
  const warnings: string[] = [];
  let unidentified = 0;
  for (const c of components) {
    const purl = c.purl ? parsePurl(c.purl) : undefined;
    const osv = purl ? osvPackageOf(purl) : undefined;
    const version = purl?.version ?? c.version;
    if (!osv || !version) {
      unidentified++;
      continue;
    }
    // The application an SBOM describes is the project, not one of its packages.
    if (graph.described.has(c.ref)) continue;
    const where = placement(paths?.get(c.ref), osv.name);
    const pkg: Package = { ecosystem: osv.ecosystem, name: osv.name, version, ...where, source: file, purl: c.purl! };
    if (osv.source) pkg.sourcePackage = { name: osv.source.name, version: osv.source.version ?? version };
    if (c.dev) pkg.dev = true;
    packages.push(pkg);
  }
  if (unidentified > 0) warnings.push(`${file}: ${unidentified} component(s) without a usable purl and version were not scanned`);
  return { packages: dedupePackages(packages), warnings };
}
