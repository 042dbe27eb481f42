import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { zaBirthDateValid, zaIdNumberDetector, zaIdValid } from './za-id-number.js';

const analyzer = new Analyzer([zaIdNumberDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('ZA_ID_NUMBER', () => {
  it('checks birth date, citizenship, the legacy digit and Luhn', () => {
    assert.equal(zaIdValid('8001015009087'), true);
    assert.equal(zaIdValid('0002294321191'), true); // 29 February 2000
    assert.equal(zaIdValid('9902294321191'), false); // 29 February 1999
    assert.equal(zaIdValid('8001015009086'), false);
    assert.equal(zaIdValid('8001015009378'), false); // citizenship 3
  });

  it('reads the century from the year and refuses future birth dates', () => {
    const today = new Date(Date.UTC(2025, 5, 15));
    assert.equal(zaBirthDateValid('250614', today), true);
    assert.equal(zaBirthDateValid('250616', today), false);
    assert.equal(zaBirthDateValid('260101', today), true); // 1926
  });

  it('scores a passing number 1.0, whole numbers only', () => {
    assert.deepEqual(raw('RSA ID: 8001015009087; 8001015009086; AB8001015009087CD; 80010150090870'), [['8001015009087', 1]]);
  });
});
