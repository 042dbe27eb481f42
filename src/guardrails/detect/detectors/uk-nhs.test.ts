import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { nhsValid, ukNhsDetector } from './uk-nhs.js';

const analyzer = new Analyzer([ukNhsDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('UK_NHS', () => {
  it('checks modulus 11 and refuses repeated digits', () => {
    assert.equal(nhsValid('9434765919'), true);
    assert.equal(nhsValid('4010232137'), true);
    assert.equal(nhsValid('4010232138'), false);
    assert.equal(nhsValid('1111111111'), false); // passes the check, but a placeholder
  });

  it('finds passing numbers in 3-3-4 groups or bare, below the threshold until context lifts them', () => {
    assert.deepEqual(raw('943 476 5919 / 943-476-5919 / 9434765919 / 943476-5919 / 943 476 5918'), [
      ['943 476 5919', 0.3],
      ['943-476-5919', 0.3],
      ['9434765919', 0.3],
      ['943476-5919', 0.3],
    ]);
    const labelled = 'NHS No. 943 476 5919';
    assert.deepEqual(analyzer.analyze(labelled).map((f) => labelled.slice(f.start, f.end)), ['943 476 5919']);
    assert.deepEqual(analyzer.analyze('Fax 943 476 5919'), []);
    // A UK phone number in international form.
    assert.deepEqual(raw('+44 943 476 5919'), []);
  });
});
