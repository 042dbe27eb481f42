import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENCRYPTED_SCORE, SIGNED_SCORE, UNSIGNED_SCORE, decodeJsonObject, jwtDetector, scoreJwt } from './jwt.js';
import { fakeBase64Bytes, fakes, raw, spans } from './fixtures.js';

const b64u = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const r = fakes(61);
const sig = (bytes: number, seed: number) => Buffer.from(fakeBase64Bytes(bytes, seed), 'base64').toString('base64url');
const jwt = (header: unknown, payload: unknown, signature: string) => `${b64u(header)}.${b64u(payload)}.${signature}`;
const HS256 = jwt({ alg: 'HS256', typ: 'JWT' }, { sub: '1234567890', name: 'Jane Doe', iat: 1516239022 }, sig(32, 1));

describe('jwtDetector', () => {
  it('reports signed tokens whose header and payload decode to JSON objects', () => {
    const rs = jwt({ alg: 'RS256', kid: r(8) }, { iss: 'https://id.example.com', exp: 1900000000 }, sig(256, 2));
    for (const token of [HS256, rs]) {
      const text = `Authorization: Bearer ${token}`;
      const fs = raw(jwtDetector, text);
      assert.deepEqual(spans(text, fs), [token]);
      assert.equal(fs[0]!.score, SIGNED_SCORE);
    }
  });
  it('leaves a sentence-ending dot out of the span', () => {
    const text = `The token was ${HS256}. Then it expired.`;
    assert.deepEqual(spans(text, raw(jwtDetector, text)), [HS256]);
  });
  it('reports unsigned tokens (alg none, empty signature) lower', () => {
    const unsigned = jwt({ alg: 'none' }, { sub: 'x' }, '');
    const text = `id_token=${unsigned} next`;
    const fs = raw(jwtDetector, text);
    assert.deepEqual(spans(text, fs), [unsigned]);
    assert.equal(fs[0]!.score, UNSIGNED_SCORE);
  });
  it('reports five-part JWE tokens', () => {
    const jwe = `${b64u({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.${sig(256, 3)}.${sig(12, 4)}.${sig(64, 5)}.${sig(16, 6)}`;
    assert.deepEqual(raw(jwtDetector, jwe).map((f) => f.score), [ENCRYPTED_SCORE]);
  });
  it('drops junk that merely starts with eyJ', () => {
    for (const text of [
      `${b64u('{"alg": broken')}.${b64u({ a: 1 })}.${sig(32, 7)}`,
      `${b64u({ typ: 'JWT' })}.${b64u({ a: 1 })}.${sig(32, 8)}`,
      `${b64u({ alg: 'HS256' })}.${b64u('not json')}.${sig(32, 9)}`,
      `${b64u({ alg: 'HS256' })}.${b64u([1, 2])}.${sig(32, 10)}`,
      'eyJhbGciOi.eyJzdWIi.abc',
      `data:image/png;base64,iVBORw0KGgo/eyJ${r(200, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')}`,
      'host eyJ.a.b.c.d.e.f.example.com',
    ]) {
      assert.deepEqual(raw(jwtDetector, text), [], text);
    }
  });
  it('decodes only JSON objects', () => {
    assert.deepEqual(decodeJsonObject(b64u({ a: 1 })), { a: 1 });
    assert.equal(decodeJsonObject(b64u('null')), undefined);
    assert.equal(decodeJsonObject('!!!'), undefined);
    assert.equal(scoreJwt(`${b64u({ alg: 'HS256', typ: 7 })}.${b64u({})}.x`), 0);
  });
});
