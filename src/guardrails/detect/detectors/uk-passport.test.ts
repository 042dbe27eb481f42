import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { ukPassportDetector } from './uk-passport.js';

const analyzer = new Analyzer([ukPassportDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('UK_PASSPORT', () => {
  it('finds two letters and seven digits as a whole word, weak until context lifts it', () => {
    assert.deepEqual(raw('AB1234567 and ab1234567'), [
      ['AB1234567', 0.1],
      ['ab1234567', 0.1],
    ]);
    assert.deepEqual(raw('A12345678 ABC123456 AB12345678 AB 1234567 XYZAB1234567QRS'), []);
    assert.equal(analyzer.analyze('My passport number is CD7654321').length, 1);
  });

  it('reads context words before the number only, as Presidio does', () => {
    // The word after a value in a list labels the next value.
    assert.deepEqual(analyzer.analyze('DEA KP6318489\nPassport No.: T16770721'), []);
  });
});
