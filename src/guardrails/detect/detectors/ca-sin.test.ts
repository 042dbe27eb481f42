import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { caSinDetector } from './ca-sin.js';

const analyzer = new Analyzer([caSinDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('CA_SIN', () => {
  it('scores Luhn-valid grouped numbers medium and bare ones very weak', () => {
    assert.deepEqual(raw('130 692 544 / 347-677-452 / 130692544'), [
      ['130 692 544', 0.5],
      ['347-677-452', 0.5],
      ['130692544', 0.05],
    ]);
  });

  it('drops failed checks, unissued prefixes, mixed separators and parts of longer numbers', () => {
    assert.deepEqual(raw('130 692 545 / 046 454 286 / 812 345 678 / 046-454 286 / 130-692 544'), []);
    assert.deepEqual(raw('13069254 1306925440 130 692 5440'), []);
    assert.deepEqual(raw('+61 412 206 104 (mobile)'), []); // Luhn-valid, but an Australian number
  });

  it('takes context words that are words, not parts of words', () => {
    assert.deepEqual(analyzer.analyze('SIN: 130692544').map((f) => f.entity), ['CA_SIN']);
    assert.deepEqual(analyzer.analyze('my social insurance number is 130692544').map((f) => f.entity), ['CA_SIN']);
    assert.deepEqual(analyzer.analyze('processing invoice 130692544 for the business'), []);
  });
});
