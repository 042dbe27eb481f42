/**
 * `esq scan`, `esq vulndb` and `esq sbom` as a user runs them: the real `esq` in a child process,
 * exit codes, one-line errors.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { openStore } from '../../store/open.js';
import { packageRoot } from '../../util/package-root.js';

// Built tests run the built CLI; tests run from source run the TypeScript one through tsx (by
// absolute URL, so the child may run in any folder). No -e/--eval from our own execArgv is passed on.
const built = fileURLToPath(new URL('../main.js', import.meta.url));
const CLI = existsSync(built) ? [built] : ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('../main.ts', import.meta.url))];
const FX = join(packageRoot(), 'test', 'fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'esq-vulncli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const home = join(tmp, '.esq');

function esq(args: string[], env: Record<string, string> = {}, cwd = packageRoot()): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [...CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ESQ_HOME: home, NO_COLOR: '1', ESQ_LOG_LEVEL: 'warn', ...env, ESQ_URL: env.ESQ_URL ?? '' },
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

  it('fails with one line on bad input', () => {
    const both = esq(['scan', '.', '--sarif', '--cyclonedx-vex']);
    assert.deepEqual([both.code, both.err.trim()], [2, 'esq: choose one of --json, --sarif, --cyclonedx-vex']);
    const asJson = esq(['scan', join(tmp, 'nope'), '--json']);
    assert.equal(asJson.code, 2);
    assert.equal((JSON.parse(asJson.err) as { error: { code: string } }).error.code, 'ESQ_INVALID_INPUT', 'errors are JSON under --json');
    const broken = esq(['scan', join(FX, 'osv-zips', 'broken.zip')]);
    assert.equal(broken.code, 2);
    assert.match(broken.err, /unsupported input/);
  });

  it('scans a SERVICE by name: the folder of the envelope file naming it, and records the last scan', () => {
    const project = join(tmp, 'lunch');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'esq-sec.yml'), 'service: lunch-subsidy-svc\nclassification: pii-high\nscannerInterval: 15m\n');
    copyFileSync(join(FX, 'vuln', 'npm-v3', 'package-lock.json'), join(project, 'package-lock.json'));

    const unknown = esq(['scan', 'lunch-subsidy-svc']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /^esq: cannot read lunch-subsidy-svc: no such file or folder and no envelope file names a service of that name \(looked at \.\/esq-sec\.yml; pass the service's envelope file with --config\)/);

    const local = esq(['scan', 'lunch-subsidy-svc', '--json'], {}, project);
    assert.equal(local.code, 0, local.err);
    assert.equal((JSON.parse(local.out) as { summary: { findings: number } }).summary.findings, 10);
    const last = JSON.parse(readFileSync(join(home, 'scanner', 'last-scan', 'lunch-subsidy-svc.json'), 'utf8')) as { status: string; total: number; quarantined: boolean };
    assert.deepEqual([last.status, last.total, last.quarantined], ['findings', 10, false], 'a one-off scan records, it does not cordon');

    const other = esq(['scan', 'payroll-svc'], {}, project);
    assert.equal(other.code, 2);
    assert.match(other.err, /no envelope file names service payroll-svc \(.*esq-sec\.yml is for lunch-subsidy-svc\)/);
    const viaConfig = esq(['scan', 'lunch-subsidy-svc', '--config', join(project, 'esq-sec.yml'), '--json', '--fail-on', 'critical']);
    assert.equal(viaConfig.code, 3, viaConfig.err);
  });

  it('--lift: an operator asks to lift a quarantine; it lifts once approved', async () => {
    const svc = ['scan', 'lunch-subsidy-svc', '--config', join(tmp, 'lunch', 'esq-sec.yml')];
    const none = esq([...svc, '--lift']);
    assert.deepEqual([none.code, none.out.trim()], [0, 'lunch-subsidy-svc is not quarantined']);
    writeFileSync(join(home, 'scanner', 'quarantine.json'), JSON.stringify({ version: 1, services: { 'lunch-subsidy-svc': { since: '2026-11-22T12:00:00Z', reason: 'CVE-2021-44906 (Critical)', findings: [{ id: 'CVE-2021-44906', package: 'minimist', version: '1.2.5', severity: 'critical' }] } } }));
    const asked = esq([...svc, '--lift']);
    assert.equal(asked.code, 4, asked.err);
    assert.match(asked.out, /^lunch-subsidy-svc stays cordoned until the lift is approved: approval APR-\w+ needs 1 approver; run this again once it is approved/);
    const again = esq([...svc, '--lift']);
    assert.equal(again.code, 4, 'still waiting: the same request, not a new one');
    const id = /APR-\w+/.exec(asked.out)![0];
    assert.equal(/APR-\w+/.exec(again.out)?.[0], id);
    // A privacy officer approves (the console writes the same store); the next --lift uses it.
    const store = await openStore({ home });
    const vote = await store.voteApproval(id, { approver: 'privacy-officer', decision: 'approve', reason: 'minimist upgraded', at: new Date().toISOString() }, new Date());
    await store.close();
    assert.ok(vote.ok);
    const lifted = esq([...svc, '--lift']);
    assert.equal(lifted.code, 0, lifted.err);
    assert.match(lifted.out, new RegExp(`^lunch-subsidy-svc quarantine lifted \\(Approved \\(${id} by privacy-officer\\)`));
    assert.deepEqual(JSON.parse(readFileSync(join(home, 'scanner', 'quarantine.json'), 'utf8')).services, {});
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
