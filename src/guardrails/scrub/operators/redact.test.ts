import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../../errors.js';
import { redact } from './redact.js';

describe('redact operator', () => {
  it('removes the value', () => {
    assert.equal(redact.apply('078-05-1120', undefined, { entity: 'US_SSN', tenant: 't' }), '');
  });
  it('takes no parameters', () => {
    assert.throws(() => redact.parseParams('x'), (e: unknown) => e instanceof InvalidInputError && /no parameters/.test(e.message));
  });
});
