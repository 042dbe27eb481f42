import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { abnValid, acnValid, auAbnDetector, auAcnDetector, auMedicareDetector, auTfnDetector, medicareValid, tfnValid } from './au-ids.js';

const analyzer = new Analyzer([auAbnDetector, auAcnDetector, auTfnDetector, auMedicareDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [f.entity, text.slice(f.start, f.end), f.score]);

describe('Australian identifiers', () => {
  it('check ABN, ACN, TFN and Medicare numbers', () => {
    assert.equal(abnValid('51824753556'), true);
    assert.equal(abnValid('52824753556'), false);
    assert.equal(abnValid('00000000560'), false); // passes mod 89 only if a leading 0 wrapped to 9
    assert.equal(acnValid('000000019'), true);
    assert.equal(acnValid('000000180'), true); // check digit 0
    assert.equal(acnValid('824753557'), false);
    assert.equal(tfnValid('876543210'), true);
    assert.equal(tfnValid('876543211'), false);
    assert.equal(medicareValid('2123456701'), true);
    assert.equal(medicareValid('2123258701'), false);
    assert.equal(medicareValid('1123456701'), false); // starts 2–6
  });

  it('scores a grouped ABN or Medicare number 1.0 and bare or ACN/TFN numbers below the threshold', () => {
    assert.deepEqual(raw('51 824 753 556'), [['AU_ABN', '51 824 753 556', 1]]);
    assert.deepEqual(raw('51824753556'), [['AU_ABN', '51824753556', 0.3]]);
    assert.deepEqual(raw('2123 45670 1'), [['AU_MEDICARE', '2123 45670 1', 1]]);
    assert.deepEqual(raw('2123456701'), [['AU_MEDICARE', '2123456701', 0.3]]);
    assert.deepEqual(raw('005 499 981'), [['AU_ACN', '005 499 981', 0.3]]);
    assert.deepEqual(raw('876 543 210'), [['AU_TFN', '876 543 210', 0.3]]);
  });

  it('drops failed checks, other groupings and parts of longer numbers', () => {
    assert.deepEqual(raw('52 824 753 556 / 824 753 557 / 2123 25870 1'), []);
    assert.deepEqual(raw('51 824 753 5564 / 51-824-753-556 / 5182 4753 556'), []);
    // An Australian mobile number in international form, and one written with its country code.
    assert.deepEqual(raw('+61 51 824 753 556, +51824753556, 12 51 824 753 556'), []);
  });

  it('lets context words lift a bare number over the threshold', () => {
    const [f] = analyzer.analyze('ABN: 51824753556');
    assert.ok(f && f.entity === 'AU_ABN' && f.score >= 0.4);
    assert.deepEqual(analyzer.analyze('TFN 876543210').map((f) => f.entity), ['AU_TFN']);
    assert.deepEqual(analyzer.analyze('Medicare card 2123456701').map((f) => f.entity), ['AU_MEDICARE']);
    // "Medicare" alone is the US programme's name as often: an NPI beside it is no Australian card.
    assert.deepEqual(analyzer.analyze('NPI 2123456701, insurance: Medicare'), []);
    assert.deepEqual(analyzer.analyze('order 51824753556 and invoice 876543210'), []);
  });
});
