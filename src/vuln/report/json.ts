/** `--json`: the scan result with a summary, stable for CI scripts. */
import { isClean, type ScanResult } from '../types.js';

export const SCAN_JSON_SCHEMA = 'esq.scan/1';

export function scanJson(r: ScanResult, gate?: { failOn: string; failing: number }): Record<string, unknown> {
  const bySeverity: Record<string, number> = {};
  for (const f of r.findings) bySeverity[f.severity.level] = (bySeverity[f.severity.level] ?? 0) + 1;
  return {
    schema: SCAN_JSON_SCHEMA,
    clean: isClean(r),
    summary: { packages: r.packages, findings: r.findings.length, bySeverity, unevaluated: r.unevaluated.length, ...(gate ? { failOn: gate.failOn, failing: gate.failing } : {}) },
    ...r,
  };
}
