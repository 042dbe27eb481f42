/**
 * SARIF 2.1.0 for code-scanning upload: one rule per vulnerability, one result per affected
 * package, located at the file the package was read from.
 */
import { relative, sep } from 'node:path';
import { existsSync } from 'node:fs';
import { severityLabel, type Finding, type ScanResult, type Severity } from '../types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', none: 'note', unknown: 'warning' };
/** GitHub reads `security-severity` as a CVSS-like number; labels without a score get a midpoint. */
const MIDPOINT: Record<Severity, number> = { critical: 9.5, high: 8.0, medium: 5.5, low: 2.0, none: 0, unknown: 5.5 };

function uriOf(f: Finding, r: ScanResult, cwd: string): string {
  const src = f.package.source;
  const file = existsSync(src) ? src : r.target;
  const rel = relative(cwd, file);
  return (rel.startsWith('..') ? file : rel).split(sep).join('/');
}

export function scanSarif(r: ScanResult, o: { version: string; cwd?: string }): Record<string, unknown> {
  const cwd = o.cwd ?? process.cwd();
  const rules: Array<Record<string, unknown>> = [];
  const ruleIndex = new Map<string, number>();
  for (const f of r.findings) {
    if (ruleIndex.has(f.id)) continue;
    ruleIndex.set(f.id, rules.length);
    rules.push({
      id: f.id,
      name: f.id.replace(/[^A-Za-z0-9]/g, ''),
      shortDescription: { text: f.summary || f.id },
      fullDescription: { text: `${f.summary || f.id} (${[...f.advisories, ...f.aliases].join(', ')})` },
      helpUri: f.references[0] ?? `https://osv.dev/vulnerability/${f.advisories[0]}`,
      help: { text: `Advisories: ${f.advisories.join(', ')}. ${f.fixedIn ? `Fixed in ${f.fixedIn}.` : 'No fixed version is known.'}` },
      defaultConfiguration: { level: LEVEL[f.severity.level] },
      properties: { tags: ['security', 'vulnerability', f.package.ecosystem], 'security-severity': (f.severity.score ?? MIDPOINT[f.severity.level]).toFixed(1) },
    });
  }
  const results = r.findings.map((f) => ({
    ruleId: f.id,
    ruleIndex: ruleIndex.get(f.id),
    level: LEVEL[f.severity.level],
    message: {
      text: `${f.package.name} ${f.package.version} is affected by ${f.id} (${severityLabel(f.severity.level)})${f.fixedIn ? `; fixed in ${f.fixedIn}` : ''}. Introduced via ${f.package.path.join(' > ')}.`,
    },
    locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(f, r, cwd) }, region: { startLine: 1 } }, logicalLocations: [{ name: `${f.package.name}@${f.package.version}`, kind: 'package' }] }],
    partialFingerprints: { 'esqVulnerability/v1': `${f.package.ecosystem}:${f.package.name}@${f.package.version}:${f.id}` },
    ...(r.imageDigest ? { properties: { imageDigest: r.imageDigest } } : {}),
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'esq', informationUri: 'https://osv.dev', version: o.version, semanticVersion: o.version, rules } },
        results,
        invocations: [{ executionSuccessful: true, endTimeUtc: r.scannedAt, toolExecutionNotifications: r.warnings.map((w) => ({ level: 'warning', message: { text: w } })) }],
      },
    ],
  };
}
