import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, InvalidInputError } from '../errors.js';
import { packageRoot } from '../util/package-root.js';
import { readInventory } from './inventory/index.js';
import type { DbInfo } from './osv/db.js';
import { packageKey } from './osv/match.js';
import { OsvApi, type Fetcher } from './osv/online.js';
import type { OsvRecord } from './osv/types.js';
import { ecosystemFamily } from './osv/versions/index.js';
import { findingsAtOrAbove, parseSeverityThreshold, scan, type AdvisorySource } from './scan.js';
import type { Finding, Inventory, Package } from './types.js';

const FX = join(packageRoot(), 'test', 'fixtures');
const load = (dir: string): OsvRecord[] => readdirSync(join(FX, 'osv', dir)).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(FX, 'osv', dir, f), 'utf8')) as OsvRecord);
const NPM = load('npm');
const DEBIAN = load('debian');

/** The database port, in memory: tests of matching need no SQLite. */
function memorySource(records: OsvRecord[], importedAt = '2026-11-20T00:00:00.000Z'): AdvisorySource {
  return {
    recordsFor: (eco, name) => records.filter((r) => !r.withdrawn && (r.affected ?? []).some((a) => a.package && ecosystemFamily(a.package.ecosystem) === ecosystemFamily(eco) && packageKey(a.package.ecosystem, a.package.name) === packageKey(eco, name))),
    info: (): DbInfo => ({ path: 'memory', records: records.length, importedAt }),
  };
}
const NOW = (): Date => new Date('2026-11-22T14:00:00Z');
const inventoryOf = (packages: Package[]): Inventory => ({ target: 'test', kind: 'test', packages, files: [], warnings: [] });
const npm = (name: string, version: string): Package => ({ ecosystem: 'npm', name, version, path: [name], relation: 'direct', source: 'test' });
const ids = (fs: Finding[]): string[] => fs.map((f) => `${f.package.name}@${f.package.version} ${f.id}`).sort();

describe('scan', () => {
  it('finds the known vulnerabilities of a real lockfile, with fixes and paths', async () => {
    const inv = await readInventory(join(FX, 'vuln', 'npm-v3'));
    const r = await scan(inv, { db: memorySource(NPM), now: NOW });
    assert.deepEqual(ids(r.findings), [
      'body-parser@1.19.0 CVE-2024-45590', 'cookie@0.4.0 CVE-2024-47764', 'express@4.17.1 CVE-2024-29041', 'express@4.17.1 CVE-2024-43796',
      'lodash@4.17.20 CVE-2020-28500', 'lodash@4.17.20 CVE-2021-23337', 'minimist@1.2.5 CVE-2021-44906', 'qs@6.7.0 CVE-2022-24999',
      'send@0.17.1 CVE-2024-43799', 'serve-static@1.14.1 CVE-2024-43800',
    ]);
    const qs = r.findings.find((f) => f.package.name === 'qs')!;
    assert.deepEqual([qs.fixedIn, qs.advisories, qs.package.path], ['6.7.3', ['GHSA-hrpp-h998-j3pp'], ['express', 'qs']]);
    assert.equal(r.findings[0]!.severity.level, 'critical', 'sorted worst first');
    const express = r.fixes.find((f) => f.name === 'express')!;
    assert.equal(express.upgradeTo, '4.20.0', 'one upgrade clears both express findings');
    assert.equal(r.unevaluated.length, 0);
    assert.deepEqual(r.warnings, []);
  });

  it('merges advisories that are aliases of each other (CVE ↔ GHSA) into one finding', async () => {
    const ghsa = NPM.find((x) => x.id === 'GHSA-35jh-r3h4-6jhm')!;
    const twin: OsvRecord = { ...ghsa, id: 'OSV-TEST-0001', aliases: ['CVE-2021-23337'], summary: 'the same flaw, another database' };
    const r = await scan(inventoryOf([npm('lodash', '4.17.20')]), { db: memorySource([ghsa, twin]), now: NOW });
    assert.equal(r.findings.length, 1);
    assert.deepEqual([r.findings[0]!.id, r.findings[0]!.advisories, r.findings[0]!.aliases], ['CVE-2021-23337', ['GHSA-35jh-r3h4-6jhm', 'OSV-TEST-0001'], ['CVE-2021-23337']]);
  });

  it('suggests the lowest version that is safe from every advisory, not just the nearest fix', async () => {
    const rec = (id: string, events: Array<Record<string, string>>): OsvRecord => ({ id, modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'SEMVER', events }] }] });
    const db = memorySource([rec('A', [{ introduced: '0' }, { fixed: '1.2.0' }]), rec('B', [{ introduced: '1.2.0' }, { fixed: '1.2.5' }]), rec('C', [{ introduced: '2.0.0' }])]);
    const r = await scan(inventoryOf([npm('x', '1.1.0')]), { db, now: NOW });
    assert.deepEqual(ids(r.findings), ['x@1.1.0 A'], 'B starts above the installed version');
    assert.equal(r.fixes[0]!.upgradeTo, '1.2.5', '1.2.0 fixes A but is in B');
  });

  it('reports what it could not evaluate and never calls that clean', async () => {
    const r = await scan(inventoryOf([npm('lodash', 'github:lodash/lodash#abc'), { ...npm('jQuery', '1.0.0'), ecosystem: 'NuGet' }]), { db: memorySource(NPM), now: NOW });
    assert.equal(r.findings.length, 0);
    assert.deepEqual(r.unevaluated.map((u) => u.package.name).sort(), ['jQuery', 'lodash']);
    assert.match(r.unevaluated.find((u) => u.package.name === 'lodash')!.reason, /not a valid semver version/);
  });

  it('matches Debian packages by source package with dpkg ordering', async () => {
    const inv = await readInventory(join(FX, 'vuln', 'rootfs'));
    const r = await scan(inv, { db: memorySource(DEBIAN), now: NOW });
    assert.deepEqual(ids(r.findings), [
      'bash@5.2.15-2+b8 CVE-2099-0007', 'libssl3@3.0.19-1~deb12u2 CVE-2099-0001', 'libssl3@3.0.19-1~deb12u2 CVE-2099-0002',
      'login@1:4.13+dfsg1-1+deb12u1 CVE-2099-0005', 'openssl@3.0.19-1~deb12u2 CVE-2099-0001', 'openssl@3.0.19-1~deb12u2 CVE-2099-0002',
    ]);
    const fix = r.fixes.find((f) => f.name === 'libssl3')!;
    assert.deepEqual([fix.upgradeTo, fix.sourcePackage], ['3.0.19-1', { name: 'openssl', version: '3.0.19-1~deb12u2' }]);
  });

  it('warns when the database is older than the allowed age', async () => {
    const old = await scan(inventoryOf([npm('a', '1.0.0')]), { db: memorySource(NPM, '2026-11-01T00:00:00.000Z'), now: NOW, maxAgeMs: 7 * 86_400_000 });
    assert.equal(old.database.stale, true);
    assert.match(old.warnings[0]!, /database is 21 day\(s\) old/);
    const fresh = await scan(inventoryOf([npm('a', '1.0.0')]), { db: memorySource(NPM, '2026-11-21T00:00:00.000Z'), now: NOW, maxAgeMs: 7 * 86_400_000 });
    assert.equal(fresh.database.stale, false);
  });

  it('refuses to scan with no database, or an empty one', async () => {
    await assert.rejects(scan(inventoryOf([]), {}), ConfigError);
    await assert.rejects(scan(inventoryOf([]), { db: memorySource([]) }), /is empty/);
  });

  it('gates on --fail-on with unknown severity counting as reaching it', () => {
    const f = (level: Finding['severity']['level']): Finding => ({ id: level, advisories: [], aliases: [], summary: '', package: npm('a', '1'), severity: { level, method: 'x' }, references: [] });
    const all = ['low', 'medium', 'high', 'critical', 'unknown'].map((l) => f(l as Finding['severity']['level']));
    assert.deepEqual(findingsAtOrAbove(all, 'high').map((x) => x.id), ['high', 'critical', 'unknown']);
    assert.equal(parseSeverityThreshold('MODERATE'), 'medium');
    assert.throws(() => parseSeverityThreshold('severe'), InvalidInputError);
  });
});

describe('scan with the OSV API (injected fetcher; no network)', () => {
  const api = (answer: Fetcher): OsvApi => new OsvApi({ fetch: answer, baseUrl: 'https://osv.test' });
  const ghsa = NPM.find((x) => x.id === 'GHSA-35jh-r3h4-6jhm')!;

  it('adds records the API knows and the local database does not', async () => {
    const calls: string[] = [];
    const fetch: Fetcher = async (url, init) => {
      calls.push(`${init.method} ${url}`);
      if (url.endsWith('/v1/querybatch')) {
        const body = JSON.parse(init.body!) as { queries: Array<{ package: { name: string }; version: string }> };
        assert.deepEqual(body.queries, [{ package: { ecosystem: 'npm', name: 'lodash' }, version: '4.17.20' }]);
        return { ok: true, status: 200, json: async () => ({ results: [{ vulns: [{ id: ghsa.id, modified: ghsa.modified }] }] }) };
      }
      return { ok: true, status: 200, json: async () => ghsa };
    };
    const r = await scan(inventoryOf([npm('lodash', '4.17.20')]), { db: memorySource(NPM.filter((x) => x.id === 'GHSA-29mw-wpgm-hmr9')), online: api(fetch), now: NOW });
    assert.deepEqual(r.findings.map((f) => f.id).sort(), ['CVE-2020-28500', 'CVE-2021-23337']);
    assert.equal(r.database.online, 'used');
    assert.deepEqual(calls, ['POST https://osv.test/v1/querybatch', `GET https://osv.test/v1/vulns/${ghsa.id}`]);
  });

  it('degrades to the local database with a message when the API is unreachable', async () => {
    const offline: Fetcher = async () => {
      throw new Error('getaddrinfo ENOTFOUND osv.test');
    };
    const r = await scan(inventoryOf([npm('lodash', '4.17.20')]), { db: memorySource(NPM), online: api(offline), now: NOW });
    assert.equal(r.database.online, 'unreachable');
    assert.match(r.warnings[0]!, /OSV API unreachable \(https:\/\/osv\.test\/v1\/querybatch: getaddrinfo ENOTFOUND osv\.test\); results use the local database only/);
    assert.equal(r.findings.length, 2);
    await assert.rejects(scan(inventoryOf([npm('lodash', '4.17.20')]), { online: api(offline), now: NOW }), /unreachable and there is no local database/);
    const http500: Fetcher = async () => ({ ok: false, status: 503, json: async () => ({}) });
    assert.match((await scan(inventoryOf([npm('a', '1.0.0')]), { db: memorySource(NPM), online: api(http500), now: NOW })).warnings[0]!, /HTTP 503/);
  });
});
