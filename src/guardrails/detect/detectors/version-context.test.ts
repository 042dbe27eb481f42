import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { followsVersionWord } from './version-context.js';

describe('version context', () => {
  it('recognizes a version word or a slash before a dotted number', () => {
    assert.equal(followsVersionWord('firmware 1.2.3.4', 9), true);
    assert.equal(followsVersionWord('Version: 1.2.3.4', 9), true);
    assert.equal(followsVersionWord('Chrome/1.2.3.4', 7), true);
    assert.equal(followsVersionWord('server 1.2.3.4', 7), false);
    assert.equal(followsVersionWord('1.2.3.4', 0), false);
  });
});
