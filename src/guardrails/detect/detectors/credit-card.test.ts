import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { cardMatchEnd, creditCardDetector, creditCardValid } from './credit-card.js';

const analyzer = new Analyzer([creditCardDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

// Presidio's own pattern, used here only on short inputs as the reference for the emulation.
const PRESIDIO = /\b(?!1\d{12}(?!\d))((4\d{3})|(5[0-5]\d{2})|(6\d{3})|(1\d{3})|(3\d{3}))[- ]?(\d{3,4})[- ]?(\d{3,4})[- ]?(\d{3,5})\b/g;

function seeded(seed: number) {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

describe('CREDIT_CARD', () => {
  it('finds Luhn-valid numbers bare, spaced and dashed at 1.0', () => {
    assert.deepEqual(raw('4012888888881881 4012-8888-8888-1881 4012 8888 8888 1881'), [
      ['4012888888881881', 1],
      ['4012-8888-8888-1881', 1],
      ['4012 8888 8888 1881', 1],
    ]);
    assert.deepEqual(raw('amex 371449635398431, diners 30569309025904.'), [
      ['371449635398431', 1],
      ['30569309025904', 1],
    ]);
  });

  it('drops numbers that fail the Luhn check', () => {
    assert.equal(creditCardValid('4012-8888-8888-1882'), false);
    assert.deepEqual(raw('my credit card number is 4012-8888-8888-1882'), []);
  });

  it('ignores 13-digit numbers starting with 1 and numbers without an issuer prefix', () => {
    assert.deepEqual(raw('1748503543012'), []);
    assert.deepEqual(raw('1700000000000 ms since the epoch'), []);
    assert.deepEqual(raw('7111111111111111'), []);
  });

  it('stops at the last full group before trailing digits', () => {
    assert.deepEqual(raw('4111 1111 1111 1111 123'), [['4111 1111 1111 1111', 1]]);
    assert.equal(cardMatchEnd('4111111111111111111111', 0), -1, 'a run too long for any grouping');
  });

  it('matches exactly what Presidio’s regex matches', () => {
    const rnd = seeded(11);
    const alphabet = '4444111155553333660 - x';
    for (let i = 0; i < 4000; i++) {
      let s = '';
      const len = 10 + Math.floor(rnd() * 18);
      for (let k = 0; k < len; k++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      const expected: string[] = [];
      PRESIDIO.lastIndex = 0;
      for (const m of s.matchAll(PRESIDIO)) expected.push(`${m.index}:${m.index + m[0].length}`);
      const got: string[] = [];
      const anchor = /\b(?:[1346]\d|5[0-5])\d{2}/g;
      let m: RegExpExecArray | null;
      while ((m = anchor.exec(s))) {
        const end = cardMatchEnd(s, m.index);
        if (end >= 0) {
          got.push(`${m.index}:${end}`);
          anchor.lastIndex = end;
        }
      }
      assert.deepEqual(got, expected, JSON.stringify(s));
    }
  });

  it('is not reported for hard negatives, and context words count', () => {
    const text = 'Order 1234-5678-9012-3456 shipped; build 4.18.2; id 123e4567-e89b-12d3-a456-426614174000.';
    assert.deepEqual(analyzer.analyze(text), []);
    assert.ok(creditCardDetector.context.includes('credit'));
  });
});
