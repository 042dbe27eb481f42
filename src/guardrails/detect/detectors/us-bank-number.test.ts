import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { usBankNumberDetector } from './us-bank-number.js';

const analyzer = new Analyzer([usBankNumberDetector]);

describe('US_BANK_NUMBER', () => {
  it('matches 8 to 17 digits as a very weak finding', () => {
    const got = analyzer.analyze('945456787654 and 12345678 and 12345678901234567', { minScore: 0, context: false });
    assert.deepEqual(
      got.map((f) => f.score),
      [0.05, 0.05, 0.05],
    );
    assert.deepEqual(analyzer.analyze('1234567 and 123456789012345678', { minScore: 0, context: false }), []);
  });

  it('needs context words to pass the default threshold', () => {
    assert.deepEqual(analyzer.analyze('invoice 945456787654 was sent'), []);
    const [f] = analyzer.analyze('checking account 945456787654');
    assert.ok(f && f.score >= 0.4);
  });
});
