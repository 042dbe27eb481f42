import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../errors.js';
import { compileAllowList } from './allow-list.js';
import { parseHost } from './host.js';
import type { HostRef } from './host.js';

const h = (s: string): HostRef => {
  const r = parseHost(s);
  assert.ok(r.ok, s);
  return r.host;
};

describe('allow-list entries', () => {
  it('parses the string and object forms', () => {
    const l = compileAllowList(['irs.gov', 'api.test:8443', '*.corp internal', 'svc.local:* loopback', '10.1.2.3:5432', '[fd00:ec2::254]:80', { host: '*.partner.test', port: [443, 8443] }]);
    const [irs, api, corp, svc, ip4, ip6, partner] = l.entries;
    assert.deepEqual([...(irs!.ports as Set<number>)], [80, 443]);
    assert.equal(irs!.kind, 'exact');
    assert.deepEqual([...(api!.ports as Set<number>)], [8443]);
    assert.equal(corp!.kind, 'wildcard');
    assert.equal(corp!.internal, true);
    assert.equal(svc!.loopback, true);
    assert.equal(svc!.ports, 'any');
    assert.equal(ip4!.kind, 'ip');
    assert.equal(ip6!.host, 'fd00:ec2::254');
    assert.equal(partner!.internal, false);
  });
  for (const [bad, why] of [
    ['metadata.google.internal', /only by IP/], ['*.corp loopback', /exact host/], ['*', /host name|first label|ASCII/], ['a.*.test', /first label/],
    ['api.test fast', /unknown flag/], ['10.0.0.1 internal', /IP entry/], ['*.10.0.0.1', /bad|IP|numeric/], ['0x7f.1', /non-canonical/], ['api.test:0', /port/],
  ] as Array<[string, RegExp]>) {
    it(`refuses ${JSON.stringify(bad)}`, () => assert.throws(() => compileAllowList([bad]), (e: unknown) => e instanceof ConfigError && why.test(e.message)));
  }
});

describe('matching', () => {
  const l = compileAllowList(['api.test', '*.corp.test:8443 internal', '*.test:9000', '10.0.0.1:5432']);
  it('exact host, default ports only', () => {
    assert.equal(l.match(h('api.test'), 443).entry?.source, 'api.test');
    assert.deepEqual(l.match(h('api.test'), 8080), { hostListed: true });
    assert.deepEqual(l.match(h('other.example'), 443), { hostListed: false });
  });
  it('a wildcard covers names below it, not the apex; the longest suffix wins', () => {
    assert.equal(l.match(h('a.b.corp.test'), 8443).entry?.source, '*.corp.test:8443 internal');
    assert.equal(l.match(h('corp.test'), 8443).entry, undefined);
    assert.equal(l.match(h('x.corp.test'), 9000).entry?.source, '*.test:9000');
    assert.deepEqual(l.match(h('x.corp.test'), 1), { hostListed: true });
  });
  it('suffix matching respects label boundaries', () => assert.equal(l.match(h('evilcorp.test'), 8443).entry, undefined));
  it('IP literals match only IP entries, names never match IP entries', () => {
    assert.equal(l.match(h('10.0.0.1'), 5432).entry?.kind, 'ip');
    assert.equal(l.match(h('[::ffff:10.0.0.1]'), 5432).entry, undefined);
  });
});
