import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { digitsAt, digitsOf, isWordChar, luhnValid } from './digit-checks.js';

describe('digit checks', () => {
  it('keeps only the digits of a value', () => {
    assert.equal(digitsOf('4012-8888 8888.1881'), '4012888888881881');
    assert.equal(digitsOf('no digits'), '');
  });

  it('runs the Luhn check', () => {
    assert.equal(luhnValid('4111111111111111'), true);
    assert.equal(luhnValid('79927398713'), true);
    assert.equal(luhnValid('4111111111111112'), false);
    assert.equal(luhnValid('79927398710'), false);
    assert.equal(luhnValid(''), false);
    assert.equal(luhnValid('41a1'), false);
  });

  it('tells whether a stretch is all digits', () => {
    assert.equal(digitsAt('ab1234cd', 2, 4), true);
    assert.equal(digitsAt('ab1234cd', 2, 5), false);
    assert.equal(digitsAt('123', 1, 3), false, 'past the end');
  });

  it('knows the ASCII word characters', () => {
    for (const c of 'aZ09_') assert.equal(isWordChar(c.charCodeAt(0)), true, c);
    for (const c of ' -.#é') assert.equal(isWordChar(c.charCodeAt(0)), false, c);
  });
});
