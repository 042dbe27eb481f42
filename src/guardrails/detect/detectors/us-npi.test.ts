import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { NPI_BARE_VALID_SCORE, npiChecksumValid, npiDegenerate, usNpiDetector } from './us-npi.js';

const analyzer = new Analyzer([usNpiDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('US_NPI', () => {
  it('runs the Luhn check with the 80840 prefix', () => {
    assert.equal(npiChecksumValid('1234567893'), true);
    assert.equal(npiChecksumValid('1245319599'), true);
    assert.equal(npiChecksumValid('1234567890'), false);
    assert.equal(npiChecksumValid('123456789'), false);
  });

  it('recognizes degenerate numbers', () => {
    assert.equal(npiDegenerate('1111111112'), true);
    assert.equal(npiDegenerate('1234567893'), false);
    assert.deepEqual(raw('1111111112'), []);
  });

  it('confirms grouped numbers at 1.0 and keeps bare valid ones below the threshold', () => {
    assert.deepEqual(raw('1234-567-893 1234 567 893'), [
      ['1234-567-893', 1],
      ['1234 567 893', 1],
    ]);
    assert.deepEqual(raw('1245319599'), [['1245319599', NPI_BARE_VALID_SCORE]]);
    assert.ok(NPI_BARE_VALID_SCORE < 0.4);
    assert.deepEqual(analyzer.analyze('call 1245319599 now'), []);
    const [f] = analyzer.analyze('NPI 1245319599');
    assert.ok(f && f.score >= 0.4);
  });

  it('drops failed checks and wrong shapes', () => {
    assert.deepEqual(raw('1234567890 0234567893 3234567893 123456789 12345678934'), []);
  });
});
