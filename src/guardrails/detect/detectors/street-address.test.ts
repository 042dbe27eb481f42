import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { cityBefore, SCORE_CITY_STATE, SCORE_CITY_STATE_ONLY, SCORE_CITY_STATE_ZIP, SCORE_PO_BOX, SCORE_STREET, SCORE_UNIT, SCORE_ZIP, streetAddressDetector, streetEnd } from './street-address.js';

const analyzer = new Analyzer([streetAddressDetector]);
const found = (text: string, context = false) => analyzer.analyze(text, { minScore: 0, context }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('street address detector (LOCATION)', () => {
  it('scores a full address by its parts', () => {
    assert.deepEqual(found('lives at 123 Main St, Apt 4B, Springfield, IL 62704 now'), [['123 Main St, Apt 4B, Springfield, IL 62704', SCORE_ZIP]]);
    assert.deepEqual(found('1600 Pennsylvania Ave NW, Washington, DC'), [['1600 Pennsylvania Ave NW, Washington, DC', SCORE_CITY_STATE]]);
    assert.deepEqual(found('221B Baker Street Suite 5.'), [['221B Baker Street Suite 5', SCORE_UNIT]]);
    assert.deepEqual(found('at 42 W 5th Ave.'), [['42 W 5th Ave.', SCORE_STREET]]);
  });

  it('keeps a bare street under the threshold until context lifts it', () => {
    assert.deepEqual(analyzer.analyze('won 2 Supreme Court cases'), []);
    const [[, score]] = found('home address: 12 Oak Lane', true) as [[string, number]];
    assert.ok(score >= 0.6);
  });

  it('does not report a number and a name without a street suffix', () => {
    for (const text of ['5 Main', 'page 5 Main Points', '3 Patients', 'room 12 Building']) assert.deepEqual(found(text), [], text);
  });

  it('finds City, ST 12345 and P.O. boxes', () => {
    assert.deepEqual(found('ship to Beverly Hills, CA 90210'), [['Beverly Hills, CA 90210', SCORE_CITY_STATE_ZIP]]);
    assert.deepEqual(found('P.O. Box 4521'), [['P.O. Box 4521', SCORE_PO_BOX]]);
    assert.deepEqual(found('PO Box 77'), [['PO Box 77', SCORE_PO_BOX]]);
    assert.deepEqual(found('born in Boise, ID and raised in Richmond, VA.'), [['Richmond, VA', SCORE_CITY_STATE_ONLY]]);
    assert.deepEqual(found('Signed, John Smith, MD'), []);
    assert.deepEqual(found('on file: 1675 S Cedar Rd Austin, TX 78748'), [['1675 S Cedar Rd Austin, TX 78748', SCORE_ZIP]]);
  });

  it('pure helpers', () => {
    assert.equal(streetEnd('Main Street today', 0), 11);
    assert.equal(streetEnd('Main today', 0), -1);
    assert.equal(cityBefore('in Salt Lake City, UT 84101', 19), 3);
  });
});
