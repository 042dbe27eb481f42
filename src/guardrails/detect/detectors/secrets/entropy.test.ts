import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { charClasses, hasPlaceholderWord, hasRun, isHex, isPlaceholderToken, randomness, shannonEntropy } from './entropy.js';
import { ALNUM, BASE64, HEX, fakes } from './fixtures.js';

describe('shannonEntropy', () => {
  it('is log2 of the alphabet for uniform strings', () => {
    assert.equal(shannonEntropy(''), 0);
    assert.equal(shannonEntropy('aaaaaaaa'), 0);
    assert.equal(shannonEntropy('abababab'), 1);
    assert.equal(shannonEntropy('abcdabcd'), 2);
    assert.equal(shannonEntropy('0123456789abcdef'), 4);
  });
  it('gives the same answer when called repeatedly (shared count table is reset)', () => {
    const s = fakes(1)(40);
    assert.equal(shannonEntropy(s), shannonEntropy(s));
    assert.equal(shannonEntropy('aab'), shannonEntropy('baa'));
  });
});

describe('randomness', () => {
  it('rates random hex, alphanumerics and base64 near 1', () => {
    const r = fakes(2);
    for (const [n, alphabet] of [[32, HEX], [40, ALNUM], [40, BASE64], [20, ALNUM]] as const) assert.ok(randomness(r(n, alphabet)) >= 0.8, alphabet);
  });
  it('rates repetitive and word-like strings lower', () => {
    assert.ok(randomness('xxxxxxxxxxxxxxxx') < 0.1);
    assert.ok(randomness('changemechangeme') < 0.8);
    assert.ok(randomness('aaaaaaaaaaaaaaab') < 0.3);
  });
});

describe('character helpers', () => {
  it('charClasses counts lower, upper, digit and other', () => {
    assert.deepEqual(charClasses('aB3+'), { lower: true, upper: true, digit: true, other: true, count: 4 });
    assert.equal(charClasses('abc').count, 1);
  });
  it('isHex accepts one-case hex only', () => {
    assert.ok(isHex('9f86d081884c7d65'));
    assert.ok(isHex('9F86D081'));
    assert.ok(!isHex('9f86D081'));
    assert.ok(!isHex('xyz'));
    assert.ok(!isHex(''));
  });
  it('hasRun finds repeated and consecutive runs', () => {
    assert.ok(hasRun('abXXXXXXcd'));
    assert.ok(hasRun('k123456z'));
    assert.ok(hasRun('qabcdefq'));
    assert.ok(!hasRun('a1b2c3d4e5'));
    assert.ok(hasRun('aaaaa', 5));
  });
  it('hasPlaceholderWord spots template words in any case', () => {
    assert.ok(hasPlaceholderWord('AKIAIOSFODNN7EXAMPLE'));
    assert.ok(hasPlaceholderWord('insert_YOUR_key'));
    assert.ok(!hasPlaceholderWord('Zx8Kq2LmN4pR7sT1vW9y'));
  });
  it('isPlaceholderToken rejects low entropy, runs and template words but not random bodies', () => {
    assert.ok(isPlaceholderToken('XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'));
    assert.ok(isPlaceholderToken('1234567890abcdefghij'));
    assert.ok(isPlaceholderToken('your-token-goes-here'));
    const r = fakes(3);
    for (let i = 0; i < 50; i++) assert.ok(!isPlaceholderToken(r(36)));
  });
});
