/** SPDX 2.x JSON SBOMs: packages identified by their purl external reference, paths from relationships. */
import type { Package } from '../types.js';
import { inputError, isRecord, lineOf, parseJsonText } from './errors.js';
import { packagesOfSbom, type SbomComponent } from './sbom-graph.js';

export function isSpdx(doc: unknown): boolean {
  return isRecord(doc) && typeof doc.spdxVersion === 'string' && doc.spdxVersion.startsWith('SPDX-');
}

/** Relationship types that mean "A needs B" when read as written (A → B) or reversed. */
const FORWARD = new Set(['DEPENDS_ON', 'CONTAINS', 'HAS_PREREQUISITE']);
const REVERSED = new Set(['DEPENDENCY_OF', 'DEV_DEPENDENCY_OF', 'OPTIONAL_DEPENDENCY_OF', 'BUILD_DEPENDENCY_OF', 'RUNTIME_DEPENDENCY_OF', 'CONTAINED_BY', 'PREREQUISITE_FOR']);

export function parseSpdx(text: string, file: string, doc: unknown = parseJsonText(text, file)): { packages: Package[]; warnings: string[] } {
  if (!isSpdx(doc)) throw inputError(file, 'not an SPDX JSON document: no "spdxVersion"', { line: 1 });
  const d = doc as Record<string, unknown>;
  if (!/^SPDX-2\./.test(d.spdxVersion as string)) throw inputError(file, `unsupported ${String(d.spdxVersion)} (supported: SPDX-2.x JSON)`, lineOf(text, '"spdxVersion"'));
  if (d.packages !== undefined && !Array.isArray(d.packages)) throw inputError(file, '"packages" must be an array', lineOf(text, '"packages"'));
  const devRefs = new Set<string>();
  const edges = new Map<string, string[]>();
  const add = (from: string, to: string): void => {
    const l = edges.get(from);
    if (l) l.push(to);
    else edges.set(from, [to]);
  };
  const described = new Set<string>(Array.isArray(d.documentDescribes) ? d.documentDescribes.filter((x): x is string => typeof x === 'string') : []);
  for (const r of Array.isArray(d.relationships) ? d.relationships : []) {
    if (!isRecord(r) || typeof r.spdxElementId !== 'string' || typeof r.relatedSpdxElement !== 'string' || typeof r.relationshipType !== 'string') continue;
    const type = r.relationshipType;
    if (type === 'DESCRIBES' && r.spdxElementId === d.SPDXID) described.add(r.relatedSpdxElement);
    else if (type === 'DESCRIBED_BY') described.add(r.spdxElementId);
    else if (FORWARD.has(type)) add(r.spdxElementId, r.relatedSpdxElement);
    else if (REVERSED.has(type)) {
      add(r.relatedSpdxElement, r.spdxElementId);
      if (type === 'DEV_DEPENDENCY_OF') devRefs.add(r.spdxElementId);
    }
  }
  const components: SbomComponent[] = [];
  ((d.packages as unknown[] | undefined) ?? []).forEach((p, i) => {
    if (!isRecord(p) || typeof p.SPDXID !== 'string' || typeof p.name !== 'string') {
      throw inputError(file, `packages[${i}] needs "SPDXID" and "name"`, lineOf(text, '"packages"'));
    }
    const c: SbomComponent = { ref: p.SPDXID, name: p.name };
    if (typeof p.versionInfo === 'string') c.version = p.versionInfo;
    for (const ref of Array.isArray(p.externalRefs) ? p.externalRefs : []) {
      if (isRecord(ref) && ref.referenceType === 'purl' && typeof ref.referenceLocator === 'string') c.purl = ref.referenceLocator;
    }
    if (devRefs.has(p.SPDXID)) c.dev = true;
    components.push(c);
  });
  const direct = described.size > 0 ? [...described].flatMap((r) => edges.get(r) ?? []) : undefined;
  return packagesOfSbom(components, edges, { ...(direct ? { direct } : {}), described }, file);
}
