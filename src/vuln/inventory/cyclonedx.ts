/** CycloneDX JSON SBOMs (1.2–1.6): components (nested ones too) by purl, paths from `dependencies`. */
import type { Package } from '../types.js';
import { inputError, isRecord, lineOf, parseJsonText } from './errors.js';
import { packagesOfSbom, type SbomComponent } from './sbom-graph.js';

export function isCycloneDx(doc: unknown): boolean {
  return isRecord(doc) && doc.bomFormat === 'CycloneDX';
}

export function parseCycloneDx(text: string, file: string, doc: unknown = parseJsonText(text, file)): { packages: Package[]; warnings: string[] } {
  if (!isCycloneDx(doc)) throw inputError(file, 'not a CycloneDX SBOM: "bomFormat" is not "CycloneDX"', { line: 1 });
  const bom = doc as Record<string, unknown>;
  const components: SbomComponent[] = [];
  const walk = (list: unknown, where: string): void => {
    if (list === undefined) return;
    if (!Array.isArray(list)) throw inputError(file, `${where} must be an array`, lineOf(text, '"components"'));
    list.forEach((c, i) => {
      if (!isRecord(c) || typeof c.name !== 'string') throw inputError(file, `${where}[${i}] has no "name"`, lineOf(text, '"components"'));
      const ref = typeof c['bom-ref'] === 'string' ? c['bom-ref'] : `#${components.length}`;
      const comp: SbomComponent = { ref, name: c.name };
      if (typeof c.version === 'string') comp.version = c.version;
      if (typeof c.purl === 'string') comp.purl = c.purl;
      if (c.scope === 'excluded') comp.dev = true;
      components.push(comp);
      walk(c.components, `${where}[${i}].components`);
    });
  };
  walk(bom.components ?? [], 'components');

  const edges = new Map<string, string[]>();
  if (bom.dependencies !== undefined && !Array.isArray(bom.dependencies)) throw inputError(file, '"dependencies" must be an array', lineOf(text, '"dependencies"'));
  for (const d of (bom.dependencies as unknown[] | undefined) ?? []) {
    if (isRecord(d) && typeof d.ref === 'string') edges.set(d.ref, Array.isArray(d.dependsOn) ? d.dependsOn.filter((x): x is string => typeof x === 'string') : []);
  }
  const meta = isRecord(bom.metadata) && isRecord(bom.metadata.component) ? bom.metadata.component : undefined;
  const rootRef = meta && typeof meta['bom-ref'] === 'string' ? meta['bom-ref'] : undefined;
  const direct = rootRef !== undefined && edges.has(rootRef) ? edges.get(rootRef) : undefined;
  return packagesOfSbom(components, edges, { ...(direct ? { direct } : {}), described: new Set(rootRef ? [rootRef] : []) }, file);
}
