import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { ukDrivingLicenceDetector, ukDrivingLicenceValid } from './uk-driving-licence.js';

const analyzer = new Analyzer([ukDrivingLicenceDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('UK_DRIVING_LICENCE', () => {
  it('checks the month (+50 for women), the day and the surname padding', () => {
    assert.equal(ukDrivingLicenceValid('MORGA657054SM9IJ'), true);
    assert.equal(ukDrivingLicenceValid('FO999512018AA1AB'), true);
    assert.equal(ukDrivingLicenceValid('MORGA613054SM9IJ'), false); // month 13
    assert.equal(ukDrivingLicenceValid('MORGA607324SM9IJ'), false); // day 32
    assert.equal(ukDrivingLicenceValid('M9RGA607054SM9IJ'), false); // a 9 before letters
  });

  it('finds a whole sixteen-character word at medium score', () => {
    assert.deepEqual(raw('Licence: MORGA607054SM9IJ ok, morga607054sm9ij, XMORGA607054SM9IJ'), [
      ['MORGA607054SM9IJ', 0.5],
      ['morga607054sm9ij', 0.5],
    ]);
  });
});
