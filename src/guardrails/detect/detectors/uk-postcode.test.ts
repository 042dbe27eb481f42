import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { ukPostcodeDetector } from './uk-postcode.js';

const analyzer = new Analyzer([ukPostcodeDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => text.slice(f.start, f.end));

describe('UK_POSTCODE', () => {
  it('finds every outward format, with or without the space, and GIR 0AA', () => {
    assert.deepEqual(raw('M1 1AA, M60 1NW, W1A 1HQ, CR2 6XH, DN55 1PT, EC1A 1BB, GIR 0AA, DN551PT, sw1a 1aa'), [
      'M1 1AA',
      'M60 1NW',
      'W1A 1HQ',
      'CR2 6XH',
      'DN55 1PT',
      'EC1A 1BB',
      'GIR 0AA',
      'DN551PT',
      'sw1a 1aa',
    ]);
  });

  it('refuses letters a position does not take, and parts of words', () => {
    assert.deepEqual(raw('QA1 1AA VA1 1AA M1 1CA M1 1AI 1A1 1AA ABCM11AADEF'), []);
  });

  it('is weak until an address word lifts it', () => {
    assert.deepEqual(analyzer.analyze('see M1 1AA'), []);
    assert.deepEqual(analyzer.analyze('Send to postcode EC2A 1NT please').length, 1);
  });
});
