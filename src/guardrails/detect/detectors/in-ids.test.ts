import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { aadhaarValid, inAadhaarDetector, inPanDetector, inPanTokenDetector } from './in-ids.js';

const aadhaar = new Analyzer([inAadhaarDetector]);
const pan = new Analyzer([inPanDetector, inPanTokenDetector]);
const raw = (a: Analyzer, text: string) => a.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('IN_AADHAAR', () => {
  it('checks the first digit, palindromes and the Verhoeff digit', () => {
    assert.equal(aadhaarValid('312345678909'), true);
    assert.equal(aadhaarValid('123456789012'), false);
    assert.equal(aadhaarValid('112345678909'), false); // starts 0 or 1
    assert.equal(aadhaarValid('312345678908'), false);
  });

  it('finds passing numbers below the threshold until context lifts them', () => {
    assert.deepEqual(raw(aadhaar, '312345678909 / 3123 4567 8909 / 3123-4567:8909 / 3123 4567 8908'), [
      ['312345678909', 0.3],
      ['3123 4567 8909', 0.3],
      ['3123-4567:8909', 0.3],
    ]);
    assert.deepEqual(aadhaar.analyze('Aadhaar: 3123 4567 8909').map((f) => Math.round(f.score * 100) / 100), [0.65]);
    assert.deepEqual(aadhaar.analyze('FedEx 3123 4567 8909'), []);
  });

  it('is not the first twelve digits of a card written in fours', () => {
    assert.deepEqual(raw(aadhaar, 'card 3123 4567 8909 1111'), []);
  });
});

describe('IN_PAN', () => {
  it('scores by the holder type, and any ten-character token with four digits very weakly', () => {
    assert.deepEqual(raw(pan, 'AAAPL1234C ABCND1234Z A1111DFSFS ABCD1234'), [
      ['AAAPL1234C', 0.5],
      ['ABCND1234Z', 0.1],
      ['A1111DFSFS', 0.01],
    ]);
  });

  it('lifts a PAN with context, but never a bare token: "pan" is inside "company"', () => {
    assert.deepEqual(pan.analyze('PAN ABCND1234Z').map((f) => Math.round(f.score * 100) / 100), [0.45]);
    assert.deepEqual(pan.analyze('company reference A1111DFSFS'), []);
  });
});
