import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { packageRoot } from '../../util/package-root.js';
import { parseCycloneDx } from '../inventory/cyclonedx.js';
import { readInventory } from '../inventory/index.js';
import type { DbInfo } from '../osv/db.js';
import type { OsvRecord } from '../osv/types.js';
import { inventoryBom, serializeBom } from '../sbom.js';
import { scan } from '../scan.js';
import type { ScanResult } from '../types.js';
import { scanJson } from './json.js';
import { scanSarif } from './sarif.js';
import { renderTable } from './table.js';
import { scanVex } from './vex.js';

const FX = join(packageRoot(), 'test', 'fixtures');
const NPM = readdirSync(join(FX, 'osv', 'npm')).map((f) => JSON.parse(readFileSync(join(FX, 'osv', 'npm', f), 'utf8')) as OsvRecord);
const db = {
  recordsFor: (_eco: string, name: string) => NPM.filter((r) => !r.withdrawn && (r.affected ?? []).some((a) => a.package?.ecosystem === 'npm' && a.package.name === name)),
  info: (): DbInfo => ({ path: 'memory', records: NPM.length, importedAt: '2026-11-22T12:00:00.000Z' }),
};
const now = (): Date => new Date('2026-11-22T14:00:00Z');
const inv = await readInventory(join(FX, 'vuln', 'npm-v3'));
const result = await scan(inv, { db, now });

/** The CycloneDX 1.5 JSON schema shipped with the CycloneDX library, compiled with ajv. */
function cdxSchema(): (doc: unknown) => string[] {
  const res = join(dirname(createRequire(import.meta.url).resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
  const ajv = new Ajv({ strict: false, allErrors: true });
  ((addFormatsModule as unknown as { default?: (a: Ajv) => void }).default ?? (addFormatsModule as unknown as (a: Ajv) => void))(ajv);
  for (const f of ['iri-reference', 'idn-email']) ajv.addFormat(f, true); // formats ajv-formats lacks; the rest are checked
  // The BOM schema refers to its neighbours relative to its $id.
  for (const f of ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json']) {
    ajv.addSchema({ ...(JSON.parse(readFileSync(join(res, f), 'utf8')) as object), $id: `http://cyclonedx.org/schema/${f}` });
  }
  const v = ajv.compile(JSON.parse(readFileSync(join(res, 'bom-1.5.SNAPSHOT.schema.json'), 'utf8')) as object);
  return (doc) => (v(doc) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

describe('reports', () => {
  it('table: one row per finding, fix suggestions, and CLEAN only when nothing was found or left unevaluated', () => {
    const text = renderTable(result, { color: false });
    assert.match(text, /^PACKAGE\s+INSTALLED\s+FIXED IN\s+ADVISORY\s+SEVERITY\s+PATH$/m);
    assert.match(text, /^qs\s+6\.7\.0\s+6\.7\.3\s+CVE-2022-24999\s+High 7\.5\s+express > qs$/m);
    assert.match(text, /^ {2}upgrade express 4\.17\.1 → 4\.20\.0 \(fixes CVE-2024-43796, CVE-2024-29041\)$/m);
    assert.match(text, /10 findings \(1 critical, 3 high, 5 medium, 1 low\) in 8 of 73 packages/);
    assert.doesNotMatch(text, /CLEAN/);
    const clean: ScanResult = { ...result, findings: [], fixes: [] };
    assert.match(renderTable(clean, { color: false }), /CLEAN — no known vulnerabilities in 73 packages/);
    const partial: ScanResult = { ...clean, unevaluated: [{ package: inv.packages[0]!, reason: 'no ordering' }] };
    assert.doesNotMatch(renderTable(partial, { color: false }), /CLEAN —/);
    assert.match(renderTable(partial, { color: false }), /1 package\(s\) could not be evaluated, so this is not a CLEAN result/);
  });

  it('json: the result plus a summary for CI', () => {
    const j = scanJson(result, { failOn: 'high', failing: 4 }) as { schema: string; clean: boolean; summary: Record<string, unknown>; findings: unknown[] };
    assert.equal(j.schema, 'esq.scan/1');
    assert.equal(j.clean, false);
    assert.deepEqual(j.summary, { packages: 73, findings: 10, bySeverity: { critical: 1, high: 3, medium: 5, low: 1 }, unevaluated: 0, failOn: 'high', failing: 4 });
    assert.equal(JSON.parse(JSON.stringify(j)).findings.length, 10);
  });

  it('sarif: SARIF 2.1.0 with one rule per vulnerability and results located at the lockfile', () => {
    const s = scanSarif(result, { version: '0.1.0', cwd: join(FX, 'vuln') }) as { version: string; runs: Array<{ tool: { driver: { rules: Array<{ id: string; properties: Record<string, unknown> }> } }; results: Array<Record<string, unknown>> }> };
    assert.equal(s.version, '2.1.0');
    const run = s.runs[0]!;
    assert.equal(run.results.length, 10);
    assert.equal(new Set(run.tool.driver.rules.map((r) => r.id)).size, run.tool.driver.rules.length);
    const r = run.results.find((x) => x.ruleId === 'CVE-2021-44906') as { level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>; ruleIndex: number };
    assert.equal(r.level, 'error');
    assert.equal(r.locations[0]!.physicalLocation.artifactLocation.uri, 'npm-v3/package-lock.json');
    assert.equal(run.tool.driver.rules[r.ruleIndex]!.id, 'CVE-2021-44906');
    assert.equal(run.tool.driver.rules[r.ruleIndex]!.properties['security-severity'], '9.8');
  });

  it('cyclonedx-vex: valid CycloneDX 1.5 with one vulnerability per finding, affecting the package component', () => {
    const text = scanVex(inv, result, { toolVersion: '0.1.0' });
    const doc = JSON.parse(text) as { vulnerabilities: Array<{ id: string; affects: Array<{ ref: string; versions: unknown[] }>; analysis: { state: string }; ratings: Array<{ severity: string }> }>; components: Array<{ 'bom-ref': string; name: string }> };
    assert.deepEqual(cdxSchema()(doc), []);
    assert.equal(doc.vulnerabilities.length, 10);
    const v = doc.vulnerabilities.find((x) => x.id === 'CVE-2022-24999')!;
    const comp = doc.components.find((c) => c['bom-ref'] === v.affects[0]!.ref)!;
    assert.equal(comp.name, 'qs');
    assert.deepEqual([v.analysis.state, v.ratings[0]!.severity, v.affects[0]!.versions], ['in_triage', 'high', [{ version: '6.7.0', status: 'affected' }]]);
  });

  it('sbom: a valid CycloneDX 1.5 SBOM that reads back to the same packages', async () => {
    for (const target of ['npm-v3', 'image/oci-layout']) {
      const source = await readInventory(join(FX, 'vuln', target));
      const text = serializeBom(inventoryBom(source, { toolVersion: '0.1.0', now: now() }).bom, '1.5');
      assert.deepEqual(cdxSchema()(JSON.parse(text)), [], target);
      const back = parseCycloneDx(text, 'bom.json').packages;
      const key = (ps: typeof back): string => ps.map((p) => `${p.ecosystem}:${p.name}@${p.version}:${p.relation}`).sort().join('\n');
      assert.equal(key(back), key(source.packages), target);
    }
  });
});
