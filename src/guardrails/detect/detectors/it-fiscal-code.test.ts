import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { itFiscalCodeControl, itFiscalCodeDetector, itFiscalCodeShapeValid } from './it-fiscal-code.js';

const analyzer = new Analyzer([itFiscalCodeDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('IT_FISCAL_CODE', () => {
  it('computes the control letter (the Ministry of Finance example, and with omocodia)', () => {
    assert.equal(itFiscalCodeControl('RSSMRA85T10A562'), 'S');
    assert.equal(itFiscalCodeControl('RSSMRA85T10A56N'), 'H');
  });

  it('applies the name, calendar and municipality rules', () => {
    assert.equal(itFiscalCodeShapeValid('RSSMRA85T10A562S'), true);
    assert.equal(itFiscalCodeShapeValid('RSSMRA85B30A562S'), false); // 30 February
    assert.equal(itFiscalCodeShapeValid('RSSMRA85T50A562S'), true); // a woman born on the 10th
    assert.equal(itFiscalCodeShapeValid('RSSMRA85T10A000S'), false); // municipality 000
    assert.equal(itFiscalCodeShapeValid('AEBMRA85T10A562S'), false); // a vowel before a consonant
  });

  it('scores a right control letter 1.0 and a wrong one 0.3, as Presidio', () => {
    assert.deepEqual(raw('CF RSSMRA85T10A562S; rssmra85t10a56nh; RSSMRA85T10A562X'), [
      ['RSSMRA85T10A562S', 1],
      ['rssmra85t10a56nh', 1],
      ['RSSMRA85T10A562X', 0.3],
    ]);
    assert.deepEqual(raw('XRSSMRA85T10A562S RSSMRA85B30A562S'), []);
  });
});
