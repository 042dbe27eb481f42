import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { nlpPeople, nlpPerson, SCORE_NLP } from './nlp-person.js';

describe('nlp-person detector (compromise, opt-in)', () => {
  it('finds names outside the given-name list, titles left out', () => {
    const text = 'Then Tobias Lindqvist signed; Dr. Mariana Costa answered.';
    assert.deepEqual(
      nlpPeople(text).map(([s, e]) => text.slice(s, e)),
      ['Tobias Lindqvist', 'Mariana Costa'],
    );
  });

  it('keeps offsets right across the pieces it tags separately', () => {
    const filler = 'The lab results were normal and the plan was discussed. '.repeat(100);
    const text = `${filler}Then Tobias Lindqvist signed.`;
    assert.ok(text.length > 4096);
    const got = new Analyzer([nlpPerson]).analyze(text, { minScore: 0, context: false });
    assert.deepEqual(
      got.map((f) => [text.slice(f.start, f.end), f.score]),
      [['Tobias Lindqvist', SCORE_NLP]],
    );
  });

  it('reports nothing in text without people', () => {
    assert.deepEqual(nlpPeople('Results of the lab panel are within normal limits.'), []);
  });
});
