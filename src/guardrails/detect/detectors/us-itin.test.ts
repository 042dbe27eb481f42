import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { itinGroupValid, usItinDetector } from './us-itin.js';

const analyzer = new Analyzer([usItinDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('US_ITIN', () => {
  it('accepts only the ITIN group ranges', () => {
    for (const g of ['50', '65', '70', '88', '90', '92', '94', '99']) assert.equal(itinGroupValid(`911${g}1234`), true, g);
    for (const g of ['49', '66', '69', '89', '93']) assert.equal(itinGroupValid(`911${g}1234`), false, g);
    assert.equal(itinGroupValid('811701234'), false, 'must start with 9');
  });

  it('scores the three forms as Presidio does', () => {
    assert.deepEqual(raw('911-70-1234'), [['911-70-1234', 0.5]]);
    assert.deepEqual(raw('911701234'), [['911701234', 0.3]]);
    assert.deepEqual(raw('911-701234 91170-1234'), [
      ['911-701234', 0.05],
      ['91170-1234', 0.05],
    ]);
    assert.deepEqual(raw('911-89-1234 911891234'), []);
  });

  it('lets context words lift the weak forms', () => {
    const [f] = analyzer.analyze('taxpayer id 911701234');
    assert.ok(f && f.score >= 0.4);
    assert.deepEqual(analyzer.analyze('ticket 911701234 closed'), []);
  });
});
