import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { nricCheckValid, sgNricDetector } from './sg-nric.js';

const analyzer = new Analyzer([sgNricDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('SG_NRIC_FIN', () => {
  it('checks the final letter of each series', () => {
    for (const id of ['S1234567D', 'T1234567J', 'F1234567N', 'G1234567X', 'M1234567K', 'S2740116C', 'M4332674T']) assert.equal(nricCheckValid(id), true, id);
    for (const id of ['S1234567A', 'T1234567Z', 'A1234567Z']) assert.equal(nricCheckValid(id), false, id);
  });

  it('scores a right letter 1.0 and a wrong one, or another prefix, weak', () => {
    assert.deepEqual(raw('S1234567D t1234567j T1234567Z A1234567Z PA12348L'), [
      ['S1234567D', 1],
      ['t1234567j', 1],
      ['T1234567Z', 0.3],
      ['A1234567Z', 0.3],
    ]);
    assert.deepEqual(analyzer.analyze('NRIC T1234567Z').map((f) => Math.round(f.score * 100) / 100), [0.65]);
    assert.deepEqual(analyzer.analyze('final answer A1234567Z'), []);
  });
});
