import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanInput } from '../scan-input.js';
import { digitScanPlan, scanDigitPattern } from './digit-scan.js';

const matches = (text: string, re: RegExp) => {
  const out: Array<[number, string]> = [];
  scanDigitPattern(scanInput(text), re, (m, start) => {
    out.push([start, m[0]]);
    return undefined;
  });
  return out;
};

describe('digit-pattern scanning', () => {
  it('scans only the digit windows of sparse text, the whole of dense text', () => {
    const sparse = `${'word '.repeat(400)}call 555-0100 ${'word '.repeat(400)}`;
    assert.equal(digitScanPlan(scanInput(sparse)).length, 1);
    assert.ok(digitScanPlan(scanInput(sparse))[0]![1] - digitScanPlan(scanInput(sparse))[0]![0] < 200);
    const dense = 'a 1 b 2 c 3 d 4 '.repeat(50);
    assert.deepEqual(digitScanPlan(scanInput(dense)), [[0, dense.length]]);
    assert.deepEqual(digitScanPlan(scanInput('no digits here')), []);
  });

  it('reports the same matches, at whole-text offsets, either way', () => {
    const re = /\b\d{3}-\d{4}\b/g;
    const sparse = `${'word '.repeat(400)}call 555-0100 ${'word '.repeat(400)}`;
    assert.deepEqual(matches(sparse, re), [[sparse.indexOf('555'), '555-0100']]);
    const dense = 'x 555-0100 y 1 '.repeat(3);
    assert.deepEqual(
      matches(dense, re).map(([s]) => s),
      [2, 17, 32],
    );
  });

  it('resumes where the callback says', () => {
    const seen: number[] = [];
    scanDigitPattern(scanInput('1 2 3 4 5 6'), /\d/g, (_m, start) => {
      seen.push(start);
      return start + 3;
    });
    assert.deepEqual(seen, [0, 4, 8]);
  });
});
