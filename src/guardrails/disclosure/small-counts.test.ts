import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import RE2 from 're2';
import { isSafe } from 'redos-detector';
import { ConfigError } from '../../errors.js';
import { SMALL_CELL, findSmallCounts, smallCountDetector } from './small-counts.js';

const spans = (text: string, opts = {}) => findSmallCounts(text, opts).map((f) => text.slice(f.start, f.end));

describe('findSmallCounts (heuristic)', () => {
  const positives: Array<[string, string[]]> = [
    ['In Adams County 3 patients developed sepsis.', ['3 patients']],
    ['Outcomes (n=7) were poor.', ['n=7']],
    ['subgroup N = 4', ['N = 4']],
    ['We saw 3 diabetic patients and 2 long-term residents.', ['3 diabetic patients', '2 long-term residents']],
    ['Seven deaths were recorded in the cohort.', ['Seven deaths']],
    ['1 patient was readmitted', ['1 patient']],
  ];
  for (const [text, want] of positives) it(`finds ${JSON.stringify(want)}`, () => assert.deepEqual(spans(text), want));

  const negatives = [
    'We enrolled 1,234 patients.',
    'Mean stay 3.5 patients per bed', // a rate with a decimal
    '12 patients and 0 deaths',
    'n = 15',
    'In one case, the nurse called twice.',
    'One man’s view of the policy.',
    'Room 5 is free.',
  ];
  for (const text of negatives) it(`leaves ${JSON.stringify(text)} alone`, () => assert.deepEqual(spans(text), []));

  it('follows the configured range', () => {
    assert.deepEqual(spans('12 patients and 3 deaths', { min: 11, max: 20 }), ['12 patients']);
    assert.throws(() => findSmallCounts('x', { min: 5, max: 1 }), ConfigError);
  });

  it('reports SMALL_CELL findings from the heuristic detector, raised by context words', () => {
    const plain = findSmallCounts('3 patients')[0]!;
    const withContext = findSmallCounts('In the cohort 3 patients')[0]!;
    assert.equal(plain.entity, SMALL_CELL);
    assert.equal(plain.detector, 'heuristic-small-cell');
    assert.ok(withContext.score > plain.score);
  });

  it('runs only linear-time regexes', () => {
    const { regexes } = smallCountDetector();
    assert.ok(regexes.length >= 4);
    for (const r of regexes) {
      if (r instanceof RE2) continue;
      const res = isSafe(r, { timeout: 20000 });
      assert.ok(res.safe, `/${r.source}/ is not provably safe`);
    }
  });
});
