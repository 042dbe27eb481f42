import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { afterKeyword, deviceId, imeiValid, SCORE_IMEI, SCORE_IMEI_NO_KEYWORD, SCORE_SERIAL } from './device-id.js';

const analyzer = new Analyzer([deviceId]);
const found = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('device identifier detector', () => {
  it('reads serial numbers after their keyword', () => {
    assert.deepEqual(found('Serial number: SN-88321A'), [['SN-88321A', SCORE_SERIAL]]);
    assert.deepEqual(found('pump serial no. X7Q9-2210 replaced'), [['X7Q9-2210', SCORE_SERIAL]]);
    assert.deepEqual(found('the serial number is 4471-AZ9'), [['4471-AZ9', SCORE_SERIAL]]);
    assert.deepEqual(found('S/N: 00A1234567'), [['00A1234567', SCORE_SERIAL]]);
    assert.deepEqual(found('Device ID 7f3a9c21'), [['7f3a9c21', SCORE_SERIAL]]);
  });

  it('needs a digit in the value and a colon after short keywords', () => {
    for (const text of ['the serial killer', 'serial 12', 'SN 123456', 'a serial port', 'sn4 is tin']) assert.deepEqual(found(text), [], text);
  });

  it('validates IMEIs with the Luhn check', () => {
    assert.equal(imeiValid('490154203237518'), true);
    assert.equal(imeiValid('49-015420-323751-8'), true);
    assert.equal(imeiValid('490154203237519'), false);
    assert.deepEqual(found('IMEI: 490154203237518'), [['490154203237518', SCORE_IMEI]]);
    assert.deepEqual(found('IMEI 490154203237519'), []);
    assert.deepEqual(found('handset 49 015420 323751 8'), [['49 015420 323751 8', SCORE_IMEI_NO_KEYWORD]]);
    assert.deepEqual(found('ref 49-015420-323751-9'), []);
  });

  it('afterKeyword returns nothing without a value', () => {
    assert.equal(afterKeyword('serial: ', 'serial', 6), undefined);
  });
});
