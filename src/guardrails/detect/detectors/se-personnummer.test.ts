import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { personnummerValid, sePersonnummerDetector } from './se-personnummer.js';

const analyzer = new Analyzer([sePersonnummerDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('SE_PERSONNUMMER', () => {
  it('checks the date (coordination numbers too), the century and Luhn', () => {
    assert.equal(personnummerValid('8712202384'), true);
    assert.equal(personnummerValid('198712202384'), true);
    assert.equal(personnummerValid('8507690009'), true); // samordningsnummer: day 9 + 60
    assert.equal(personnummerValid('8712202385'), false);
    assert.equal(personnummerValid('218712202384'), false); // century 21
    assert.equal(personnummerValid('8702302384'), false); // 30 February
  });

  it('scores separated and twelve-digit forms 1.0 and bare ten digits below the threshold', () => {
    assert.deepEqual(raw('871220-2384 871220+2384 19871220-2384 198712202384 8712202384'), [
      ['871220-2384', 1],
      ['871220+2384', 1],
      ['19871220-2384', 1],
      ['198712202384', 1],
      ['8712202384', 0.3],
    ]);
    assert.deepEqual(analyzer.analyze('personnummer 8712202384').map((f) => Math.round(f.score * 100) / 100), [0.65]);
  });

  it('finds a number glued to a word, never inside a longer number', () => {
    assert.deepEqual(raw('id code is198712202384.'), [['198712202384', 1]]);
    assert.deepEqual(raw('18712202384 871220-23840 +8712202384'), []);
  });
});
