import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { medicalRecordNumberDetector, mrnShape } from './medical-record-number.js';

const analyzer = new Analyzer([medicalRecordNumberDetector]);
const shown = (text: string) => analyzer.analyze(text).map((f) => text.slice(f.start, f.end));

describe('MEDICAL_RECORD_NUMBER', () => {
  it('accepts record-number shapes only', () => {
    for (const ok of ['00482913', 'A-99812', 'MR7734521', 'abc1234567']) assert.equal(mrnShape(ok), true, ok);
    for (const bad of ['1234', '12345678901', 'ABCD12345', 'A--99812', '99812A', '2024-01-15', '']) assert.equal(mrnShape(bad), false, bad);
  });

  it('reports numbers next to record context words', () => {
    assert.deepEqual(shown('MRN 00482913'), ['00482913']);
    assert.deepEqual(shown('MRN: A-99812'), ['A-99812']);
    assert.deepEqual(shown('Medical record number MR7734521 on file'), ['MR7734521']);
    assert.deepEqual(shown('see chart 7734521'), ['7734521']);
  });

  it('keeps numbers without context below the threshold', () => {
    assert.deepEqual(shown('order 00482913 shipped in 2024 to 94105'), []);
    const raw = analyzer.analyze('order 00482913', { minScore: 0, context: false });
    assert.equal(raw.length, 1);
    assert.ok(raw[0]!.score < 0.4);
  });

  it('ignores short numbers and letter-only words', () => {
    assert.deepEqual(shown('MRN 1234 and MRN ABCDEF and MRN 2024-01-15'), []);
    assert.deepEqual(shown('MRN -00482913-'), ['00482913'], 'dashes at the ends are not part of it');
  });
});
