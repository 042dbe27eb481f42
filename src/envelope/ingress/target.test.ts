import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeTarget } from './target.js';

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
