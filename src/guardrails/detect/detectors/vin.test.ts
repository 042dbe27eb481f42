import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { SCORE_CHECKED, SCORE_UNCHECKED, vin, vinCheckChar, vinScore } from './vin.js';

const analyzer = new Analyzer([vin]);
const found = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('VIN detector', () => {
  it('computes the North-American check digit', () => {
    assert.equal(vinCheckChar('1HGCM82633A004352'), '3');
    assert.equal(vinCheckChar('1M8GDM9AXKP042788'), 'X');
    assert.equal(vinCheckChar('1HGCM82633A00435I'), undefined);
  });

  it('scores a VIN with a valid check digit high', () => {
    assert.deepEqual(found('VIN 1HGCM82633A004352, and 1M8GDM9AXKP042788.'), [
      ['1HGCM82633A004352', SCORE_CHECKED],
      ['1M8GDM9AXKP042788', SCORE_CHECKED],
    ]);
  });

  it('drops a North-American VIN with a wrong check digit, keeps others very low', () => {
    assert.deepEqual(found('1HGCM82644A004352'), []);
    assert.equal(vinScore('WVWZZZ1JZ3W386752'), vinCheckChar('WVWZZZ1JZ3W386752') === '1' ? SCORE_CHECKED : SCORE_UNCHECKED);
    assert.equal(vinScore('WVWZZZ1JZ9W386752'), SCORE_UNCHECKED);
  });

  it('reads a lower-case VIN only after a VIN keyword', () => {
    assert.deepEqual(found('VIN: 1hgcm82633a004352'), [['1hgcm82633a004352', SCORE_CHECKED]]);
    assert.deepEqual(found('id 1hgcm82633a004352'), []);
  });

  it('rejects all-digit, all-letter and I/O/Q strings, and other lengths', () => {
    for (const text of ['12345678901234567', 'ABCDEFGHJKLMNPRST', '1HGCM82633A0043520', '1HGCM82633A00435', 'IHGCM82633A004352']) assert.deepEqual(found(text), [], text);
  });
});
