import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { packageRoot } from '../../util/package-root.js';
import { parseCycloneDx } from './cyclonedx.js';
import { parseNpmLock } from './npm-lock.js';
import { parseSpdx } from './spdx.js';

const FX = join(packageRoot(), 'test', 'fixtures', 'vuln');
const read = (p: string): string => readFileSync(join(FX, p), 'utf8');

describe('SBOM inputs (made by `npm sbom` from the npm-v3 project)', () => {
  const lock = parseNpmLock(read('npm-v3/package-lock.json'), 'package-lock.json', JSON.parse(read('npm-v3/package.json')) as Record<string, never>);
  const key = (ps: typeof lock): string => ps.map((p) => `${p.ecosystem}:${p.name}@${p.version}:${p.path.join('>')}`).sort().join('\n');

  it('CycloneDX 1.5: components by purl, paths from the dependency graph — same as the lockfile', () => {
    const r = parseCycloneDx(read('sbom/npm-sbom.cdx.json'), 'bom.cdx.json');
    assert.equal(key(r.packages), key(lock));
    assert.deepEqual(r.warnings, []);
    assert.equal(r.packages.find((p) => p.name === '@babel/code-frame')!.purl, 'pkg:npm/%40babel/code-frame@7.10.4');
  });

  it('SPDX 2.3: packages by purl external ref, DEPENDENCY_OF / DEV_DEPENDENCY_OF relationships — same as the lockfile', () => {
    const r = parseSpdx(read('sbom/npm-sbom.spdx.json'), 'bom.spdx.json');
    assert.equal(key(r.packages), key(lock));
    assert.equal(r.packages.find((p) => p.name === 'minimist')!.dev, true);
    assert.equal(r.packages.some((p) => p.name === 'lunch-subsidy-svc'), false, 'the described package is the project');
  });

  it('reads Debian purls (distro qualifier → release, upstream → source package)', () => {
    const bom = { bomFormat: 'CycloneDX', specVersion: '1.5', components: [{ type: 'library', name: 'libssl3', version: '3.0.11-1~deb12u2', purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&upstream=openssl&distro=debian-12', 'bom-ref': 'a' }] };
    const r = parseCycloneDx(JSON.stringify(bom), 'bom.json');
    assert.deepEqual(
      r.packages.map((p) => [p.ecosystem, p.name, p.version, p.sourcePackage, p.relation]),
      [['Debian:12', 'libssl3', '3.0.11-1~deb12u2', { name: 'openssl', version: '3.0.11-1~deb12u2' }, 'unknown']],
    );
  });

  it('counts components it cannot identify instead of dropping them silently', () => {
    const bom = { bomFormat: 'CycloneDX', specVersion: '1.5', components: [{ type: 'library', name: 'mystery', version: '1.0' }] };
    assert.match(parseCycloneDx(JSON.stringify(bom), 'bom.json').warnings[0]!, /1 component\(s\) without a usable purl/);
  });

  it('rejects malformed SBOMs with file and position', () => {
    const text = read('sbom/npm-sbom.cdx.json');
    assert.throws(() => parseCycloneDx(text.slice(0, 500), 'bom.cdx.json'), /bom\.cdx\.json:\d+:\d+: not valid JSON/);
    assert.throws(() => parseCycloneDx('{\n  "bomFormat": "CycloneDX",\n  "components": {}\n}', 'bom.cdx.json'), /bom\.cdx\.json:3: components must be an array/);
    assert.throws(() => parseSpdx('{\n  "spdxVersion": "SPDX-3.0",\n  "packages": []\n}', 'bom.spdx.json'), /bom\.spdx\.json:2: unsupported SPDX-3\.0/);
    assert.throws(() => parseSpdx('{\n  "spdxVersion": "SPDX-2.3",\n  "packages": [{"name": "x"}]\n}', 'bom.spdx.json'), /bom\.spdx\.json:3: packages\[0\] needs "SPDXID" and "name"/);
  });
});
