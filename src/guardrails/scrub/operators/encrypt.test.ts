import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, InvalidInputError } from '../../../errors.js';
import { ENC_TOKEN_PATTERN, open } from '../cipher.js';
import { hkdfScrubKeys } from '../keys.js';
import { encrypt } from './encrypt.js';

const keys = hkdfScrubKeys(Buffer.alloc(32, 3));
const enc = (value: string, entity = 'US_SSN', tenant = 'acme'): string => encrypt.apply(value, undefined, { entity, tenant, keys });
const payloadOf = (token: string): string => new RegExp(`^${ENC_TOKEN_PATTERN.source}$`).exec(token)![2]!;

describe('encrypt operator', () => {
  it('renders ENC[v1:ENTITY:base64url] that decrypts back', () => {
    const token = enc('078-05-1120');
    assert.match(token, /^ENC\[v1:US_SSN:[A-Za-z0-9_-]+\]$/);
    assert.equal(open(keys, 'acme', 'US_SSN', payloadOf(token)), '078-05-1120');
  });

  it('uses a fresh IV each time and never shows the plaintext', () => {
    const a = enc('078-05-1120');
    const b = enc('078-05-1120');
    assert.notEqual(a, b);
    for (const t of [a, b]) {
      assert.ok(!t.includes('078'));
      assert.ok(!Buffer.from(payloadOf(t), 'base64url').includes(Buffer.from('078-05-1120')));
    }
  });

  it('round-trips unicode and the empty string', () => {
    for (const v of ['Zoë Ünal 😀', '']) assert.equal(open(keys, 'acme', 'PERSON', payloadOf(enc(v, 'PERSON'))), v);
  });

  it('fails on another tenant, another entity, another key or a flipped bit', () => {
    const payload = payloadOf(enc('078-05-1120'));
    const raw = Buffer.from(payload, 'base64url');
    const flips = [0, 12, raw.length - 1].map((i) => {
      const copy = Buffer.from(raw);
      copy[i]! ^= 1;
      return copy.toString('base64url');
    });
    const attempts: Array<() => string> = [
      () => open(keys, 'globex', 'US_SSN', payload),
      () => open(keys, 'acme', 'US_ITIN', payload),
      () => open(hkdfScrubKeys(Buffer.alloc(32, 4)), 'acme', 'US_SSN', payload),
      () => open(keys, 'acme', 'US_SSN', payload.slice(0, 20)),
      ...flips.map((p) => () => open(keys, 'acme', 'US_SSN', p)),
    ];
    for (const attempt of attempts) assert.throws(attempt, (e: unknown) => e instanceof InvalidInputError && /cannot decrypt/.test(e.message));
  });

  it('needs keys and a token-safe entity name', () => {
    assert.throws(() => encrypt.apply('x', undefined, { entity: 'X', tenant: 't' }), ConfigError);
    assert.throws(() => enc('x', 'BAD]NAME'), InvalidInputError);
  });

  it('takes no parameters', () => assert.throws(() => encrypt.parseParams('aes'), InvalidInputError));
});
