import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../../errors.js';
import { replace } from './replace.js';

const ctx = { entity: 'EMAIL_ADDRESS', tenant: 't' };

describe('replace operator', () => {
  it('defaults to <ENTITY>', () => {
    assert.equal(replace.apply('a@b.example', replace.parseParams(undefined), ctx), '<EMAIL_ADDRESS>');
  });
  it('uses the given replacement, colons included', () => {
    assert.equal(replace.apply('a@b.example', replace.parseParams('[REDACTED]'), ctx), '[REDACTED]');
    assert.equal(replace.apply('a@b.example', replace.parseParams('x:y'), ctx), 'x:y');
  });
  it('rejects an empty replacement and points to redact', () => {
    assert.throws(() => replace.parseParams(''), (e: unknown) => e instanceof InvalidInputError && /redact/.test(e.message));
  });
});
