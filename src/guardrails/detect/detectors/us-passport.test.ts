import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { usPassportDetector } from './us-passport.js';

const analyzer = new Analyzer([usPassportDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('US_PASSPORT', () => {
  it('matches nine digits and the next-generation letter + eight digits, very weakly', () => {
    assert.deepEqual(raw('912803456 A12803456 a12803456'), [
      ['912803456', 0.05],
      ['A12803456', 0.1],
      ['a12803456', 0.1],
    ]);
    assert.deepEqual(raw('1234567890 AB1234567 A1234567'), []);
  });

  it('needs context words to pass the threshold', () => {
    assert.deepEqual(analyzer.analyze('item A12803456 in stock'), []);
    const [f] = analyzer.analyze('my travel passport is A12803456');
    assert.ok(f && f.score >= 0.4);
  });
});
