import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileAllowList } from './allow-list.js';
import { parseHost, type HostRef } from './host.js';
import { checkTarget, type ResolvedAddress, type Resolver } from './policy.js';

const h = (s: string): HostRef => {
  const r = parseHost(s);
  assert.ok(r.ok, s);
  return r.host;
};
const fixed = (map: Record<string, string[]>): Resolver & { calls: string[] } => {
  const calls: string[] = [];
  const f = async (name: string): Promise<ResolvedAddress[]> => {
    calls.push(name);
    return (map[name] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(f, { calls });
};

describe('checkTarget (no connections: decisions only)', () => {
  const list = compileAllowList(['db.corp.test:5432', '*.corp.test:* internal', '*.saas.test', 'local.test:8080 loopback', '169.254.169.254:80', '0.0.0.0:80']);
  const dns = fixed({
    'db.corp.test': ['10.0.0.7'], 'x.corp.test': ['10.9.9.9', 'fd12::1'], 'a.saas.test': ['10.0.0.1'], 'b.saas.test': ['8.8.4.4'],
    'local.test': ['127.0.0.1'], 'c.saas.test': ['169.254.169.254'], 'd.saas.test': ['8.8.4.4', '127.0.0.1'], 'e.saas.test': ['not-an-ip'],
  });
  const ok = async (host: string, port: number, address: string): Promise<void> => {
    const v = await checkTarget(list, h(host), port, dns);
    assert.ok(v.ok, `${host}: ${!v.ok && v.detail}`);
    assert.equal(v.address, address);
  };
  const no = async (host: string, port: number, reason: string): Promise<void> => {
    const v = await checkTarget(list, h(host), port, dns);
    assert.equal(v.ok, false);
    assert.equal(!v.ok && v.reason, reason, host);
  };
  it('an exact entry may resolve to a private address', () => ok('db.corp.test', 5432, '10.0.0.7'));
  it('an internal wildcard may resolve to private addresses', () => ok('x.corp.test', 22, '10.9.9.9'));
  it('a plain wildcard may not', () => no('a.saas.test', 443, 'resolved-private'));
  it('a plain wildcard resolving publicly is allowed', () => ok('b.saas.test', 443, '8.8.4.4'));
  it('loopback only for an exact entry marked loopback', () => ok('local.test', 8080, '127.0.0.1'));
  it('metadata by name resolution is refused; listed by IP it is allowed', async () => {
    await no('c.saas.test', 443, 'resolved-metadata');
    await ok('169.254.169.254', 80, '169.254.169.254');
  });
  it('one bad answer among good ones refuses the host', () => no('d.saas.test', 443, 'resolved-loopback'));
  it('a resolver answer that is not an address is refused', () => no('e.saas.test', 443, 'dns-failed'));
  it('no answer is refused', () => no('f.saas.test', 443, 'dns-failed'));
  it('0.0.0.0 is refused even when listed', () => no('0.0.0.0', 80, 'address-refused'));
  it('a hanging resolver times out into a refusal', async () => {
    const v = await checkTarget(list, h('b.saas.test'), 443, () => new Promise(() => {}), 30);
    assert.equal(!v.ok && v.reason, 'dns-failed');
  });
  it('resolves once per decision', async () => {
    const before = dns.calls.length;
    await ok('x.corp.test', 1, '10.9.9.9');
    assert.equal(dns.calls.length - before, 1);
  });
});
