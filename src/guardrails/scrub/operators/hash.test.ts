import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { ConfigError, InvalidInputError } from '../../../errors.js';
import { hkdfScrubKeys } from '../keys.js';
import { hash, HASH_DEFAULT_HEX } from './hash.js';

const keys = hkdfScrubKeys(Buffer.alloc(32, 1));
const h = (value: string, tenant = 'acme', raw?: string, k = keys, entity = 'US_SSN'): string =>
  hash.apply(value, hash.parseParams(raw), { entity, tenant, keys: k });

describe('hash operator', () => {
  it('renders <ENTITY:hmac:hex> with the documented default length', () => {
    const out = h('078-05-1120');
    assert.match(out, new RegExp(`^<US_SSN:hmac:[0-9a-f]{${HASH_DEFAULT_HEX}}>$`));
    assert.equal(HASH_DEFAULT_HEX, 16);
  });

  it('is HMAC-SHA256 under the tenant hash key, truncated', () => {
    const want = createHmac('sha256', keys.key('hash', 'acme')).update('078-05-1120').digest('hex');
    assert.equal(h('078-05-1120', 'acme', '64'), `<US_SSN:hmac:${want}>`);
    assert.equal(h('078-05-1120', 'acme', '8'), `<US_SSN:hmac:${want.slice(0, 8)}>`);
  });

  it('is deterministic per value and tenant', () => {
    assert.equal(h('078-05-1120'), h('078-05-1120'));
    assert.notEqual(h('078-05-1120'), h('078-05-1121'));
  });

  it('is tenant-scoped', () => {
    assert.notEqual(h('078-05-1120', 'acme'), h('078-05-1120', 'globex'));
  });

  it('is keyed: another master key gives another hash, and a plain SHA-256 does not match', () => {
    const other = hkdfScrubKeys(Buffer.alloc(32, 2));
    assert.notEqual(h('078-05-1120', 'acme', '64', other), h('078-05-1120', 'acme', '64'));
    assert.ok(!h('078-05-1120', 'acme', '64').includes(createHash('sha256').update('078-05-1120').digest('hex')));
  });

  it('needs keys', () => {
    assert.throws(() => hash.apply('x', { hex: 16 }, { entity: 'X', tenant: 't' }), ConfigError);
  });

  for (const raw of ['7', '65', 'abc', '']) {
    it(`rejects hash:${raw}`, () => assert.throws(() => hash.parseParams(raw), InvalidInputError));
  }
});
