import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { alphanumericLicenseShape, digitLicenseShape, licenseTokenScore, usDriverLicenseDetector } from './us-driver-license.js';

const analyzer = new Analyzer([usDriverLicenseDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

// Presidio's alternation (without its one impossible alternative), anchored, as the reference.
const PRESIDIO =
  /^([A-Z][0-9]{3,6}|[A-Z][0-9]{5,9}|[A-Z][0-9]{6,8}|[A-Z][0-9]{4,8}|[A-Z][0-9]{9,11}|[A-Z]{1,2}[0-9]{5,6}|H[0-9]{8}|V[0-9]{6}|X[0-9]{8}|[A-Z]{2}[0-9]{3,7}|[0-9]{2}[A-Z]{3}[0-9]{5,6}|[A-Z][0-9]{13,14}|[A-Z][0-9]{18}|[A-Z][0-9]{6}R|[A-Z][0-9]{9}|[A-Z][0-9]{1,12}|[0-9]{9}[A-Z]|[A-Z]{2}[0-9]{6}[A-Z]|[0-9]{8}[A-Z]{2}|[0-9]{3}[A-Z]{2}[0-9]{4}|[A-Z][0-9][A-Z][0-9][A-Z]|[0-9]{7,8}[A-Z])$/i;

function seeded(seed: number) {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

describe('US_DRIVER_LICENSE', () => {
  it('scores tokens by shape', () => {
    assert.equal(licenseTokenScore('H1234567'), 0.3);
    assert.equal(licenseTokenScore('1234567'), 0.01);
    assert.equal(licenseTokenScore('12345'), undefined);
    assert.equal(licenseTokenScore('A1-2'), undefined);
    assert.equal(licenseTokenScore('A1B2C3'), undefined, 'six runs');
    assert.equal(licenseTokenScore('A12345678901234567890'), undefined, 'too long');
  });

  it('accepts the state shapes and rejects others', () => {
    for (const ok of ['H12234567', 'A1B2C', 'a1b2c', '1234567R', '12ABC12345', '123AB1234', 'AB123456C', 'A123456R', 'A123456789012345678'])
      assert.equal(alphanumericLicenseShape(ok), true, ok);
    for (const bad of ['C12T345672', 'ABCDEFG', 'A123456B', 'ABC12345', '123456'])
      assert.equal(alphanumericLicenseShape(bad), false, bad);
    assert.equal(digitLicenseShape('123456'), true);
    assert.equal(digitLicenseShape('1234567890123456'), true);
    assert.equal(digitLicenseShape('12345'), false);
    assert.equal(digitLicenseShape('123456789012345'), false);
  });

  it('agrees with Presidio’s alternation on random tokens', () => {
    const rnd = seeded(3);
    for (let i = 0; i < 20000; i++) {
      let t = '';
      const len = 1 + Math.floor(rnd() * 20);
      for (let k = 0; k < len; k++) t += rnd() < 0.6 ? String(Math.floor(rnd() * 10)) : 'AHRVXbr'[Math.floor(rnd() * 7)];
      const ours = alphanumericLicenseShape(t);
      assert.equal(ours, PRESIDIO.test(t), t);
    }
  });

  it('scores whole tokens weakly, digits very weakly', () => {
    assert.deepEqual(raw('H12234567'), [['H12234567', 0.3]]);
    assert.deepEqual(raw('123456789 1234567890 1234'), [
      ['123456789', 0.01],
      ['1234567890', 0.01],
    ]);
    assert.deepEqual(raw('C12T345672 ABCDEFG ABCD ABCDEFGHIJ H1223x4567'), []);
  });

  it('needs context words to pass the threshold', () => {
    assert.deepEqual(analyzer.analyze('part H12234567, uuid 123e4567-e89b-12d3-a456-426614174000, v1.2.3'), []);
    const [f] = analyzer.analyze('driver license H12234567');
    assert.ok(f && f.score >= 0.4);
  });
});
