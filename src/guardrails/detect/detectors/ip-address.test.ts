import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { ipAddress, SCORE_VERSION_LIKE, withPrefixLength } from './ip-address.js';

const analyzer = new Analyzer([ipAddress]);
const found = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('IP address detector', () => {
  it('finds IPv4 and IPv6 in their written forms at 0.6', () => {
    for (const ip of ['192.168.1.20', '10.0.0.1', '2001:db8::42', 'fe80::1%eth0', '::ffff:192.0.2.1', '64:ff9b::192.0.2.1', '2001:0db8:0000:0000:0000:ff00:0042:8329', '::1']) {
      assert.deepEqual(found(`host ${ip} up`), [[ip, 0.6]], ip);
    }
  });

  it('takes a valid CIDR prefix length along, and only a valid one', () => {
    assert.deepEqual(found('net 10.0.0.0/8.'), [['10.0.0.0/8', 0.6]]);
    assert.deepEqual(found('net 2001:db8::/32'), [['2001:db8::/32', 0.6]]);
    assert.deepEqual(found('net 10.0.0.0/33'), [['10.0.0.0', 0.6]]);
    assert.equal(withPrefixLength('::/129', 2, 128), 2);
    assert.equal(withPrefixLength('::/128', 2, 128), 6);
  });

  it('scores the bare unspecified address low', () => {
    assert.deepEqual(found('bind to ::'), [['::', 0.1]]);
  });

  it('rejects near misses and other colon or dot runs', () => {
    for (const text of ['std::cout', 'Foo::Bar', 'at 12:34:56', 'ratio 1:2:3:4', 'mac aa:bb:cc:dd:ee:ff', 'v 1.2.3', '256.1.1.1', '1.2.3', '2001::db8::1', 'fe80::1text', 'text2001:db8::1', '12345:db8::1', ':::', 'IP192.168.1.1x']) {
      assert.deepEqual(found(text), [], text);
    }
  });

  it('scores version numbers shaped like IPv4 low', () => {
    assert.deepEqual(found('firmware 3.8.9.221'), [['3.8.9.221', SCORE_VERSION_LIKE]]);
    assert.deepEqual(found('Chrome/124.0.6.118'), [['124.0.6.118', SCORE_VERSION_LIKE]]);
  });

  it('keeps the IPv4 part when the IPv6 run is glued to a word', () => {
    assert.deepEqual(found('text::ffff:192.0.2.1'), [['192.0.2.1', 0.6]]);
  });
});
