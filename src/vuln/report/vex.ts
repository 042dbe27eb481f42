/**
 * `--cyclonedx-vex`: the findings as CycloneDX vulnerabilities (VEX) over the affected
 * components. A scanner knows a vulnerable version is installed, not whether it is exploitable,
 * so each starts `in_triage`.
 */
import * as CDX from '@cyclonedx/cyclonedx-library';
import { inventoryBom, serializeBom, type SbomSpec } from '../sbom.js';
import type { Inventory, ScanResult, Severity } from '../types.js';

const SEVERITY: Record<Severity, CDX.Enums.Vulnerability.Severity> = {
  critical: CDX.Enums.Vulnerability.Severity.Critical,
  high: CDX.Enums.Vulnerability.Severity.High,
  medium: CDX.Enums.Vulnerability.Severity.Medium,
  low: CDX.Enums.Vulnerability.Severity.Low,
  none: CDX.Enums.Vulnerability.Severity.None,
  unknown: CDX.Enums.Vulnerability.Severity.Unknown,
};

function method(m: string, vector?: string): CDX.Enums.Vulnerability.RatingMethod {
  if (m === 'CVSS_V4') return CDX.Enums.Vulnerability.RatingMethod.CVSSv4;
  if (m === 'CVSS_V3') return vector?.startsWith('CVSS:3.1') ? CDX.Enums.Vulnerability.RatingMethod.CVSSv31 : CDX.Enums.Vulnerability.RatingMethod.CVSSv3;
  if (m === 'CVSS_V2') return CDX.Enums.Vulnerability.RatingMethod.CVSSv2;
  return CDX.Enums.Vulnerability.RatingMethod.Other;
}

function sourceOf(id: string): CDX.Models.Vulnerability.Source {
  if (id.startsWith('CVE-')) return new CDX.Models.Vulnerability.Source({ name: 'NVD', url: new URL(`https://nvd.nist.gov/vuln/detail/${id}`) });
  if (id.startsWith('GHSA-')) return new CDX.Models.Vulnerability.Source({ name: 'GitHub', url: new URL(`https://github.com/advisories/${id}`) });
  return new CDX.Models.Vulnerability.Source({ name: 'OSV', url: new URL(`https://osv.dev/vulnerability/${id}`) });
}

export function scanVex(inv: Inventory, r: ScanResult, o: { toolVersion: string; spec?: SbomSpec }): string {
  const affected = [...new Set(r.findings.map((f) => f.package))];
  const { bom, components } = inventoryBom(inv, { toolVersion: o.toolVersion, now: new Date(r.scannedAt), packages: affected });
  for (const f of r.findings) {
    const c = components.get(f.package);
    if (!c) continue;
    const v = new CDX.Models.Vulnerability.Vulnerability({
      bomRef: `${f.id}/${c.bomRef.value}`,
      id: f.id,
      source: sourceOf(f.id),
      description: f.summary,
      ...(f.fixedIn ? { recommendation: `Upgrade ${f.package.name} to ${f.fixedIn} or later.` } : {}),
      ...(f.published ? { published: new Date(f.published) } : {}),
      ...(f.modified ? { updated: new Date(f.modified) } : {}),
    });
    for (const id of [...f.advisories, ...f.aliases].filter((x) => x !== f.id)) v.references.add(new CDX.Models.Vulnerability.Reference(id, sourceOf(id)));
    v.ratings.add(
      new CDX.Models.Vulnerability.Rating({
        severity: SEVERITY[f.severity.level],
        ...(f.severity.score !== undefined ? { score: f.severity.score } : {}),
        ...(f.severity.vector ? { vector: f.severity.vector } : {}),
        method: method(f.severity.method, f.severity.vector),
      }),
    );
    const versions = new CDX.Models.Vulnerability.AffectedVersionRepository([new CDX.Models.Vulnerability.AffectedSingleVersion(f.package.version, { status: CDX.Enums.Vulnerability.AffectStatus.Affected })]);
    v.affects.add(new CDX.Models.Vulnerability.Affect(c.bomRef, { versions }));
    v.analysis = new CDX.Models.Vulnerability.Analysis({ state: CDX.Enums.Vulnerability.AnalysisState.InTriage, detail: `Installed version ${f.package.version} is in an affected range (esq scan, ${r.scannedAt}).` });
    bom.vulnerabilities.add(v);
  }
  return serializeBom(bom, o.spec ?? '1.5');
}
