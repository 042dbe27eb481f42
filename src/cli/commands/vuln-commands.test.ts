/**
 * `esq scan`, `esq vulndb` and `esq sbom` as a user runs them: real processes, exit codes,
 * one-line errors. (They run through vuln/cli-harness until main.ts registers them.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { packageRoot } from '../../util/package-root.js';

const HARNESS = fileURLToPath(new URL(`../../vuln/cli-harness${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
const FX = join(packageRoot(), 'test', 'fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'esq-vulncli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const home = join(tmp, '.esq');

function esq(args: string[], env: Record<string, string> = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [...process.execArgv.filter((a) => !a.startsWith('--test')), HARNESS, ...args], {
    cwd: packageRoot(), // where --import tsx resolves when run from source
    encoding: 'utf8',
    env: { ...process.env, ESQ_HOME: home, NO_COLOR: '1', ...env },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('esq vulndb / scan / sbom', () => {
  it('refuses to scan before a database exists (exit 2, one line)', () => {
    const r = esq(['scan', join(FX, 'vuln', 'npm-v3')]);
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err.trim(), 'esq: no vulnerability database: run `esq vulndb import <dir|zip>` first, or pass --online');
  });

  it('imports OSV records and reports the database status', () => {
    const r = esq(['vulndb', 'import', join(FX, 'osv')]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /imported 55 records \(55 new or updated, 3 withdrawn\)/);
    const s = esq(['vulndb', 'status', '--json']);
    assert.equal(s.code, 0, s.err);
    const st = JSON.parse(s.out) as { records: number; stale: boolean; ecosystems: Record<string, number> };
    assert.deepEqual([st.records, st.stale, st.ecosystems.npm], [55, false, 45], '45 active npm records: 3 are withdrawn');
    const bad = esq(['vulndb', 'import', join(FX, 'osv-zips', 'broken.zip')]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /^esq: .*broken\.zip:GHSA-broken\.json:6:\d+: not valid JSON/);
  });

  it('scans a lockfile: table by default, exit 3 at --fail-on, 0 below it', () => {
    const table = esq(['scan', join(FX, 'vuln', 'npm-v3')]);
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, /^minimist \(dev\)\s+1\.2\.5\s+1\.2\.6\s+CVE-2021-44906\s+Critical 9\.8\s+minimist$/m);
    const gate = esq(['scan', join(FX, 'vuln', 'npm-v3'), '--json', '--fail-on', 'high']);
    assert.equal(gate.code, 3);
    const j = JSON.parse(gate.out) as { summary: { failing: number; findings: number } };
    assert.deepEqual([j.summary.findings, j.summary.failing], [10, 4]);
    const clean = esq(['scan', join(FX, 'vuln', 'watch', 'package-lock.lodash-4.17.21.json'), '--fail-on', 'low']);
    assert.equal(clean.code, 0, clean.err);
    assert.match(clean.out, /CLEAN — no known vulnerabilities in 1 packages/);
  });

  it('writes SARIF and CycloneDX VEX, and scans images against their digest', () => {
    const sarifFile = join(tmp, 'out.sarif');
    const s = esq(['scan', join(FX, 'vuln', 'image', 'docker-save.tar'), '--sarif', '-o', sarifFile]);
    assert.equal(s.code, 0, s.err);
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; properties?: { imageDigest: string } }> }> };
    assert.deepEqual(sarif.runs[0]!.results.map((r) => r.ruleId).sort(), ['CVE-2020-28500', 'CVE-2021-23337', 'CVE-2099-0001', 'CVE-2099-0001', 'CVE-2099-0002', 'CVE-2099-0002', 'CVE-2099-0005', 'CVE-2099-0007']);
    assert.equal(sarif.runs[0]!.results[0]!.properties!.imageDigest, 'sha256:601d6f2667cde40dee94114a96f9bf2b1b64ec165831781995e6938b40bdf7b5');
    const vex = esq(['scan', join(FX, 'vuln', 'rootfs'), '--cyclonedx-vex']);
    assert.equal(vex.code, 0, vex.err);
    assert.equal((JSON.parse(vex.out) as { vulnerabilities: unknown[] }).vulnerabilities.length, 6);
  });

  it('fails with one line on bad input, and points at the service hook for names', () => {
    const both = esq(['scan', '.', '--sarif', '--cyclonedx-vex']);
    assert.deepEqual([both.code, both.err.trim()], [2, 'esq: choose one of --json, --sarif, --cyclonedx-vex']);
    const asJson = esq(['scan', join(tmp, 'nope'), '--json']);
    assert.equal(asJson.code, 2);
    assert.equal((JSON.parse(asJson.err) as { error: { code: string } }).error.code, 'ESQ_INVALID_INPUT', 'errors are JSON under --json');
    const name = esq(['scan', 'lunch-subsidy-svc']);
    assert.equal(name.code, 2);
    assert.match(name.err, /cannot read lunch-subsidy-svc: no such file or folder \(scanning a service by name needs its envelope, not wired yet/);
    const resolved = esq(['scan', 'lunch-subsidy-svc', '--json'], { ESQ_TEST_SERVICE_DIR: join(FX, 'vuln', 'rootfs') });
    assert.equal(resolved.code, 0, resolved.err);
    assert.equal((JSON.parse(resolved.out) as { kind: string }).kind, 'rootfs');
    const broken = esq(['scan', join(FX, 'osv-zips', 'broken.zip')]);
    assert.equal(broken.code, 2);
    assert.match(broken.err, /unsupported input/);
  });

  it('writes a CycloneDX SBOM, and only CycloneDX', () => {
    const file = join(tmp, 'bom.json');
    const r = esq(['sbom', join(FX, 'vuln', 'pnpm-v9'), '--format', 'cyclonedx', '-o', file]);
    assert.equal(r.code, 0, r.err);
    const bom = JSON.parse(readFileSync(file, 'utf8')) as { specVersion: string; components: unknown[] };
    assert.deepEqual([bom.specVersion, bom.components.length], ['1.5', 75]);
    const spdx = esq(['sbom', '.', '--format', 'spdx']);
    assert.deepEqual([spdx.code, spdx.err.trim()], [2, 'esq: --format "spdx" is not supported; use cyclonedx']);
  });
});
