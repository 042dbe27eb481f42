import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAuthority, parseHost } from './host.js';
import { canonicalIPv6, classifyAddress, parseIPv4 } from './ip.js';

describe('IPv4 literals (WHATWG spellings)', () => {
  const same127 = ['2130706433', '0177.0.0.1', '0x7f.1', '127.1', '0x7f000001', '0x7F.0.0.1', '017700000001', '127.0.1', '127.0.0.1.'];
  for (const h of same127) it(`${h} means 127.0.0.1`, () => assert.equal(parseIPv4(h), '127.0.0.1'));
  for (const h of ['1.2.3.4.5', '256.1', '1.2.3.256', '08.1', '0x7g.1', '', '4294967296']) it(`${JSON.stringify(h)} is not IPv4`, () => assert.equal(parseIPv4(h), undefined));
});

describe('parseHost refuses what a URL library might read differently', () => {
  const cases: Array<[string, string]> = [
    ['2130706433', 'ip-obfuscated'], ['0177.0.0.1', 'ip-obfuscated'], ['0x7f.1', 'ip-obfuscated'], ['127.1', 'ip-obfuscated'],
    ['api%2eallowed%2etest', 'bad-host'], ['allowed.com@evil.com', 'userinfo'], ['évil.test', 'bad-host'], ['a..b', 'bad-host'],
    ['a.b..', 'bad-host'], ['1.2.3.4.5', 'bad-host'], ['foo.123', 'bad-host'], ['[::1', 'bad-host'], ['[fe80::1%25eth0]', 'bad-host'], ['a b', 'bad-host'],
  ];
  for (const [raw, reason] of cases) {
    it(`${raw} → ${reason}`, () => {
      const r = parseHost(raw);
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.reason, reason);
    });
  }
  it('normalises case and one trailing dot', () => {
    assert.deepEqual(parseHost('API.Allowed.TEST.'), { ok: true, host: { kind: 'name', name: 'api.allowed.test' } });
    assert.deepEqual(parseHost('[::FFFF:127.0.0.1]'), { ok: true, host: { kind: 'ip', address: '::ffff:7f00:1', family: 6 } });
  });
  it('parseAuthority: ports, brackets, backslashes', () => {
    assert.deepEqual(parseAuthority('a.test', 80), { ok: true, host: { kind: 'name', name: 'a.test' }, port: 80 });
    assert.deepEqual(parseAuthority('[::1]:8443'), { ok: true, host: { kind: 'ip', address: '::1', family: 6 }, port: 8443 });
    for (const bad of ['a.test', 'a.test:0', 'a.test:65536', 'a.test:8x', '::1:80', 'a.test\\@b.test:80', '[::1]x']) assert.equal(parseAuthority(bad).ok, false, bad);
  });
});

describe('address classes', () => {
  const table: Array<[string, string]> = [
    ['8.8.8.8', 'public'], ['10.1.2.3', 'private'], ['172.31.255.255', 'private'], ['172.32.0.1', 'public'], ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'], ['127.0.0.1', 'loopback'], ['127.255.255.254', 'loopback'], ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'], ['169.254.170.2', 'metadata'], ['100.100.100.200', 'metadata'], ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'reserved'], ['255.255.255.255', 'reserved'], ['::', 'unspecified'], ['::1', 'loopback'], ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'metadata'], ['64:ff9b::a00:1', 'private'], ['2002:7f00:1::', 'loopback'], ['fd00:ec2::254', 'metadata'],
    ['fc00::1', 'private'], ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local'], ['ff02::1', 'reserved'], ['2001::1', 'reserved'],
    ['2606:4700::1111', 'public'],
  ];
  for (const [a, cls] of table) it(`${a} is ${cls}`, () => assert.equal(classifyAddress(a.includes(':') && !a.includes('%') ? canonicalIPv6(a)! : a), cls));
});
