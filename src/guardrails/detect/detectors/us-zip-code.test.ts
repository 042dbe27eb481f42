import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { SCORE_AFTER_STATE, SCORE_BARE, SCORE_ZIP4, usZipCode } from './us-zip-code.js';
import { stateBefore } from './us-states.js';

const analyzer = new Analyzer([usZipCode]);
const found = (text: string, context = false) => analyzer.analyze(text, { minScore: 0, context }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('US ZIP code detector', () => {
  it('scores a ZIP after a state high, ZIP+4 medium, five bare digits very low', () => {
    assert.deepEqual(found('Springfield, IL 62704'), [['62704', SCORE_AFTER_STATE]]);
    assert.deepEqual(found('Austin, Texas 78701-1234'), [['78701-1234', SCORE_AFTER_STATE]]);
    assert.deepEqual(found('ref 94105-1234'), [['94105-1234', SCORE_ZIP4]]);
    assert.deepEqual(found('we counted 12345 of them'), [['12345', SCORE_BARE]]);
  });

  it('needs a context word for a bare ZIP to reach the threshold', () => {
    assert.deepEqual(analyzer.analyze('we counted 12345 of them'), []);
    const [[, score]] = found('zip code 90210', true) as [[string, number]];
    assert.ok(score >= 0.4);
  });

  it('rejects longer numbers, amounts, decimals and all zeros', () => {
    for (const text of ['123456', '$12345', '12345.67', '00000', 'v12345', '12345-678', 'a/12345/b']) assert.deepEqual(found(text), [], text);
  });

  it('stateBefore reads a code or a name before the ZIP', () => {
    assert.equal(stateBefore('Boston, MA 02110', 11), 8);
    assert.equal(stateBefore('New York, 10001', 10), 0);
    assert.equal(stateBefore('Boston, XX 02110', 11), -1);
    assert.equal(stateBefore('AMA 02110', 4), -1);
  });
});
