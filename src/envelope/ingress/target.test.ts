import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeTarget, resolvePath } from './target.js';

describe('request target normalisation', () => {
  const path = (t: string) => {
    const r = normalizeTarget(t);
    assert.ok('path' in r, t);
    return r.path;
  };
  it('resolves the spellings that dodge a path rule', () => {
    for (const t of ['/admin/users', '//admin/users', '/x/../admin/users', '/%61dmin/users', '/./admin//users', '/%2e%2e/admin/users', '/x/%2E%2E/admin/users', '/admin\\users']) {
      assert.equal(path(t), '/admin/users', t);
    }
  });
  it('keeps reserved encodings and the query as sent', () => {
    const r = normalizeTarget('/files/a%2Fb%20c?x=%2e&y=1');
    assert.deepEqual(r, { path: '/files/a%2Fb%20c', query: 'x=%2e&y=1', forward: '/files/a%2Fb%20c?x=%2e&y=1' });
  });
  it('refuses absolute-form and asterisk-form targets', () => {
    assert.ok('invalid' in normalizeTarget('http://evil.example/admin'));
    assert.ok('invalid' in normalizeTarget('*'));
  });
});

describe('the fast path for targets already in normal form', () => {
  it('gives what the full resolution gives, for every path it takes', () => {
    // Deterministic random paths from pieces rich in what matters: dots, escapes, odd characters.
    const alphabet = ['/', '/', '/', '.', '..', '%2e', '%2E', '%61', '%2F', '%20', '%', 'e', 'a', 'Z', '0', '-', '_', '~', '\\', ' ', '"', '<', '>', '`', '{', '}', '|', '^', ':', '@', '!', '$', '&', "'", '(', ')', '*', '+', ',', ';', '=', '#', '\t', 'é'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let fast = 0;
    for (let n = 0; n < 20_000; n++) {
      let p = '/';
      const len = Math.floor(next() * 12);
      for (let i = 0; i < len; i++) p += alphabet[Math.floor(next() * alphabet.length)];
      const r = normalizeTarget(p);
      const full = resolvePath(p);
      assert.deepEqual(r, full === undefined ? { invalid: 'request target is not a valid path' } : { path: full, query: '', forward: full }, JSON.stringify(p));
      if ('path' in r && r.path === p) fast++;
    }
    assert.ok(fast > 1000, `the sample exercised the fast path (${fast})`);
  });
  it('keeps the query exactly as sent, also an empty one', () => {
    assert.deepEqual(normalizeTarget('/v1/lunch/42?x=1'), { path: '/v1/lunch/42', query: 'x=1', forward: '/v1/lunch/42?x=1' });
    assert.deepEqual(normalizeTarget('/v1/lunch/42?'), { path: '/v1/lunch/42', query: '', forward: '/v1/lunch/42' });
    assert.deepEqual(normalizeTarget('/'), { path: '/', query: '', forward: '/' });
  });
});
