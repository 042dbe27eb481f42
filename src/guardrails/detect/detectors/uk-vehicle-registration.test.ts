import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { LOWER_CASE_SCORE, plateScore, ukVehicleRegistrationDetector } from './uk-vehicle-registration.js';

const analyzer = new Analyzer([ukVehicleRegistrationDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('UK_VEHICLE_REGISTRATION', () => {
  it("scores each format as Presidio does: current 1.0 when its age identifier was issued, else dropped", () => {
    assert.equal(plateScore('AB51 ABC'), 1);
    assert.equal(plateScore('AB35 ABC'), false);
    assert.equal(plateScore('A123 BCD'), 0.2);
    assert.equal(plateScore('ABC 123D'), 0.15);
    assert.deepEqual(raw('AB51 ABC, LN14-HGT, A123 BCD, ABC 123D, AB35 ABC, AB80 ABC, I123 BCD, ABC 123Z'), [
      ['AB51 ABC', 1],
      ['LN14-HGT', 1],
      ['A123 BCD', 0.2],
      ['ABC 123D', 0.15],
    ]);
  });

  it('scores lower-case matches weakly: prose and hashes, not plates', () => {
    assert.deepEqual(raw('aa02 aaa; v2 abc'), [
      ['aa02 aaa', LOWER_CASE_SCORE],
      ['v2 abc', LOWER_CASE_SCORE],
    ]);
  });

  it('takes no plate out of a longer dash-joined identifier', () => {
    assert.deepEqual(raw('MBI 8FT7-Y64-AA10 MRN; MAC 2b-ca-bf-4a-4f-98'), []);
  });

  it('is lifted by vehicle words, not by words that contain "car" or "reg"', () => {
    assert.equal(analyzer.analyze('My car reg is A123 BCD').length, 1);
    assert.deepEqual(analyzer.analyze('care plan A123 BCD, regards'), []);
  });
});
