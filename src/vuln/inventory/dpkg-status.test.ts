import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { packageRoot } from '../../util/package-root.js';
import { ecosystemOfOsRelease, parseDpkgStatus } from './dpkg-status.js';

const ROOT = join(packageRoot(), 'test', 'fixtures', 'vuln', 'rootfs');
const status = readFileSync(join(ROOT, 'var', 'lib', 'dpkg', 'status'), 'utf8');

describe('dpkg status', () => {
  it('reads installed packages from a real Debian 12 status file, skipping config-files leftovers', () => {
    const pkgs = parseDpkgStatus(status, 'status', 'Debian:12');
    assert.deepEqual(pkgs.map((p) => p.name).sort(), ['base-files', 'bash', 'gzip', 'libc6', 'libssl3', 'login', 'openssl', 'tar', 'zlib1g']);
    assert.equal(pkgs.some((p) => p.name === 'libssl1.1'), false, '"deinstall ok config-files" leaves no code behind');
  });

  it('records the source package: named with a version, named alone, or the package itself', () => {
    const by = new Map(parseDpkgStatus(status, 'status', 'Debian:12').map((p) => [p.name, p]));
    assert.deepEqual(by.get('bash')!.sourcePackage, { name: 'bash', version: '5.2.15-2' });
    assert.equal(by.get('bash')!.version, '5.2.15-2+b8');
    assert.deepEqual(by.get('libssl3')!.sourcePackage, { name: 'openssl', version: '3.0.19-1~deb12u2' });
    assert.deepEqual(by.get('login')!.sourcePackage, { name: 'shadow', version: '1:4.13+dfsg1-1+deb12u1' });
    assert.deepEqual(by.get('tar')!.sourcePackage, { name: 'tar', version: '1.34+dfsg-1.2+deb12u1' });
    assert.equal(by.get('tar')!.ecosystem, 'Debian:12');
  });

  it('maps os-release to OSV ecosystems', () => {
    assert.equal(ecosystemOfOsRelease(readFileSync(join(ROOT, 'etc', 'os-release'), 'utf8')), 'Debian:12');
    assert.equal(ecosystemOfOsRelease('ID=ubuntu\nVERSION_ID="22.04"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"\n'), 'Ubuntu:22.04:LTS');
    assert.equal(ecosystemOfOsRelease('PRETTY_NAME="Debian GNU/Linux trixie/sid"\nID=debian\n'), 'Debian:sid');
    assert.equal(ecosystemOfOsRelease(undefined), 'Debian');
  });

  it('rejects malformed status files with file and line', () => {
    assert.throws(() => parseDpkgStatus('Package: a\nStatus: install ok installed\nthis is not a field\n', 'var/lib/dpkg/status', 'Debian:12'), /var\/lib\/dpkg\/status:3:1: expected "Field: value"/);
    assert.throws(() => parseDpkgStatus('Package: a\nVersion: 1.0\n\n continued\n', 'status', 'Debian'), /status:4:1: continuation line outside a field/);
    assert.throws(() => parseDpkgStatus('Package: a\nVersion: 1.0\n\nPackage: b\nStatus: install ok installed\n', 'status', 'Debian'), /status:4: package "b" has no "Version" field/);
  });
});
