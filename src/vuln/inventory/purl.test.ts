import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { debEcosystem, osvPackageOf, parsePurl, purlOf } from './purl.js';

describe('package URLs', () => {
  it('parses scoped npm, qualifiers and percent-encoding', () => {
    assert.deepEqual(parsePurl('pkg:npm/%40babel/code-frame@7.10.4'), { type: 'npm', namespace: '@babel', name: 'code-frame', version: '7.10.4', qualifiers: {} });
    assert.deepEqual(parsePurl('pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12#sub'), { type: 'deb', namespace: 'debian', name: 'libssl3', version: '3.0.11-1~deb12u2', qualifiers: { arch: 'amd64', distro: 'debian-12' } });
    assert.equal(parsePurl('not-a-purl'), undefined);
  });

  it('maps purl types to OSV ecosystems and back', () => {
    assert.deepEqual(osvPackageOf(parsePurl('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1')!), { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core' });
    assert.deepEqual(osvPackageOf(parsePurl('pkg:pypi/jinja2@3.1.3')!), { ecosystem: 'PyPI', name: 'jinja2' });
    assert.equal(osvPackageOf(parsePurl('pkg:generic/thing@1')!), undefined);
    assert.equal(debEcosystem('debian', 'bookworm'), 'Debian:12');
    assert.equal(debEcosystem('ubuntu', 'ubuntu-22.04'), 'Ubuntu:22.04:LTS');
    assert.equal(debEcosystem('ubuntu', 'ubuntu-23.10'), 'Ubuntu:23.10');
    assert.equal(purlOf('npm', '@babel/code-frame', '7.10.4'), 'pkg:npm/%40babel/code-frame@7.10.4');
    assert.equal(purlOf('Debian:12', 'openssl', '3.0.11-1~deb12u2'), 'pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12');
  });
});
