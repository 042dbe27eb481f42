import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { dateTime, dayBefore, monthOf, numericDate, SCORE_DATE, SCORE_DOTTED_YY, SCORE_ISO, SCORE_MONTH_YEAR_WORDS, SCORE_NO_YEAR, SCORE_TIME, SCORE_TIME_AMPM } from './date-time.js';

const analyzer = new Analyzer([dateTime]);
const found = (text: string, context = false) => analyzer.analyze(text, { minScore: 0, context }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('date and time detector', () => {
  it('finds numeric dates in the m/d/y, d/m/y and y-m-d orders', () => {
    for (const d of ['04/12/1961', '21/05/21', '2021/05/21', '5-20-2021', '2021-05-21', '21.5.2021']) assert.deepEqual(found(`seen ${d} ok`), [[d, SCORE_DATE]], d);
  });

  it('finds ISO 8601 date-times', () => {
    assert.deepEqual(found('at 2024-03-15T14:30:00.123Z.'), [['2024-03-15T14:30:00.123Z', SCORE_ISO]]);
    assert.deepEqual(found('at 2024-03-15 14:30'), [['2024-03-15 14:30', SCORE_ISO]]);
  });

  it('finds written dates', () => {
    assert.deepEqual(found('born March 3, 1958.'), [['March 3, 1958', SCORE_DATE]]);
    assert.deepEqual(found('on 3rd of May 1990'), [['3rd of May 1990', SCORE_DATE]]);
    assert.deepEqual(found('on Dec. 25th, 2020'), [['Dec. 25th, 2020', SCORE_DATE]]);
    assert.deepEqual(found('in March 2021'), [['March 2021', SCORE_MONTH_YEAR_WORDS]]);
    assert.deepEqual(found('on Jan 4'), [['Jan 4', SCORE_NO_YEAR]]);
    assert.deepEqual(found('on 5-MAY-2021 or 21-May'), [
      ['5-MAY-2021', SCORE_DATE],
      ['21-May', SCORE_DATE],
    ]);
  });

  it('finds times', () => {
    assert.deepEqual(found('at 14:30 or 2:30 pm or 3 p.m.'), [
      ['14:30', SCORE_TIME],
      ['2:30 pm', SCORE_TIME_AMPM],
      ['3 p.m.', SCORE_TIME_AMPM],
    ]);
  });

  it('lifts a date next to a date-of-birth word', () => {
    for (const text of ['DOB: 04/12/1961', 'date of birth 04/12/1961', 'born 04/12/1961']) {
      const [[, score]] = found(text, true) as [[string, number]];
      assert.ok(score >= 0.9, text);
    }
  });

  it('rejects versions, addresses, SSNs, invalid days and lower-case month words', () => {
    for (const text of ['v 1.2.3', '10.10.10.10', '123-45-6789', '13/13/2021', '2021-13-01', 'Version 4.0', 'you may 5x it', 'Mayor 5', '13pm', 'Today is2024-06-05T09:15:30.500-07:00', '12:34:56:78:9a']) {
      assert.deepEqual(found(text), [], text);
    }
  });

  it('does not read versions as dotted dates, and keeps d.m.yy weak', () => {
    assert.deepEqual(found('build 4.5.11 and release 1.2.10-rc'), []);
    assert.deepEqual(found('on 21.5.21'), [['21.5.21', SCORE_DOTTED_YY]]);
  });

  it('pure helpers', () => {
    assert.equal(numericDate('12', '31', '1999', '/'), true);
    assert.equal(numericDate('31', '12', '99', '/'), true);
    assert.equal(numericDate('31', '12', '99', '-'), false);
    assert.equal(numericDate('12', '31', '1999', '.'), false);
    assert.equal(monthOf('Sept'), 9);
    assert.equal(monthOf('Mayor'), 0);
    assert.equal(dayBefore('the 3rd of', 7), 4);
    assert.equal(dayBefore('x42 ', 3), -1);
  });
});
