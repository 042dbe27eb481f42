/**
 * `esq sbom`: the inventory as a CycloneDX JSON SBOM, built and serialised with the CycloneDX
 * project's own library. Dependency edges come from the paths found (parent → child).
 */
import * as CDX from '@cyclonedx/cyclonedx-library';
import { purlOf } from './inventory/purl.js';
import type { Inventory, Package } from './types.js';

export type SbomSpec = '1.4' | '1.5' | '1.6';
const SPECS: Record<SbomSpec, CDX.Serialize.JSON.Normalize.Factory['spec']> = { '1.4': CDX.Spec.Spec1dot4, '1.5': CDX.Spec.Spec1dot5, '1.6': CDX.Spec.Spec1dot6 };
export const SBOM_SPEC_VERSIONS = Object.keys(SPECS) as SbomSpec[];

export interface InventoryBom {
  bom: CDX.Models.Bom;
  /** The component each package became. */
  components: Map<Package, CDX.Models.Component>;
}

export function refOf(p: Package): string {
  return p.purl ?? purlOf(p.ecosystem, p.name, p.version) ?? `${p.ecosystem}:${p.name}@${p.version}`;
}

export function inventoryBom(inv: Inventory, o: { toolVersion: string; now?: Date; packages?: Package[] }): InventoryBom {
  const bom = new CDX.Models.Bom();
  bom.metadata.timestamp = o.now ?? new Date();
  bom.metadata.tools.components.add(new CDX.Models.Component(CDX.Enums.ComponentType.Application, 'esq', { version: o.toolVersion }));
  const rootType = inv.kind === 'image' ? CDX.Enums.ComponentType.Container : CDX.Enums.ComponentType.Application;
  const root = new CDX.Models.Component(rootType, inv.target, { bomRef: inv.imageDigest ?? 'root', ...(inv.imageDigest ? { version: inv.imageDigest } : {}) });
  bom.metadata.component = root;

  const components = new Map<Package, CDX.Models.Component>();
  const byName = new Map<string, CDX.Models.Component>();
  const ref = new Set<string>();
  for (const p of o.packages ?? inv.packages) {
    let bomRef = refOf(p);
    while (ref.has(bomRef)) bomRef += '#';
    ref.add(bomRef);
    const props = new CDX.Models.PropertyRepository();
    props.add(new CDX.Models.Property('esq:source', p.source));
    if (p.sourcePackage && p.sourcePackage.name !== p.name) props.add(new CDX.Models.Property('esq:sourcePackage', `${p.sourcePackage.name}@${p.sourcePackage.version}`));
    const purl = p.purl ?? purlOf(p.ecosystem, p.name, p.version);
    const c = new CDX.Models.Component(CDX.Enums.ComponentType.Library, p.name, {
      bomRef,
      version: p.version,
      ...(purl ? { purl } : {}),
      ...(p.dev ? { scope: CDX.Enums.ComponentScope.Excluded } : {}),
      properties: props,
    });
    bom.components.add(c);
    components.set(p, c);
    if (!byName.has(p.name)) byName.set(p.name, c);
  }
  // Edges from the paths we know: each package depends on nothing we did not see, and its parent
  // on the path (by name) depends on it.
  for (const [p, c] of components) {
    if (p.relation === 'direct') root.dependencies.add(c.bomRef);
    const parent = p.path.length >= 2 ? byName.get(p.path[p.path.length - 2]!) : undefined;
    if (parent && parent !== c) parent.dependencies.add(c.bomRef);
  }
  return { bom, components };
}

export function serializeBom(bom: CDX.Models.Bom, spec: SbomSpec = '1.5'): string {
  const serializer = new CDX.Serialize.JsonSerializer(new CDX.Serialize.JSON.Normalize.Factory(SPECS[spec]));
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}
