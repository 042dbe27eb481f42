import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plural } from './plural.js';

describe('plural', () => {
  it('uses the singular for exactly one', () => {
    assert.equal(plural(1, 'rule'), '1 rule');
    assert.equal(plural(0, 'rule'), '0 rules');
    assert.equal(plural(2, 'entry', 'entries'), '2 entries');
  });
});
