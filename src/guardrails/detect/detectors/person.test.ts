import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { endsStreetAddress, nameLike, person, previousWord, SCORE_AMBIGUOUS, SCORE_GIVEN_SURNAME, SCORE_LEAD, SCORE_LEAD_GIVEN, SCORE_LEAD_SINGLE, SCORE_TITLE } from './person.js';

const analyzer = new Analyzer([person]);
const found = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('person detector (rule-based)', () => {
  it('finds names after a title, without the title', () => {
    assert.deepEqual(found('Dr. Emily Carter saw Mrs. Okafor and Prof. Jane A. Smith.'), [
      ['Emily Carter', SCORE_TITLE],
      ['Okafor', SCORE_TITLE],
      ['Jane A. Smith', SCORE_TITLE],
    ]);
  });

  it('finds names after lead words', () => {
    assert.deepEqual(found('Patient: John Doe'), [['John Doe', SCORE_LEAD]]);
    assert.deepEqual(found('Dear Maria,'), [['Maria', SCORE_LEAD_GIVEN]]);
    assert.deepEqual(found('Sincerely,\nRobert Johnson'), [['Robert Johnson', SCORE_LEAD]]);
    assert.deepEqual(found('Patient: Nguyen'), [['Nguyen', SCORE_LEAD_SINGLE]]);
    assert.deepEqual(found('Bluepeak Health Patient Financial Services'), []);
    assert.deepEqual(found('Patient name\nCurrent medications'), []);
  });

  it('finds "Last, First" and names written in capitals', () => {
    assert.deepEqual(found('Patient: Schmidt, Olivia today'), [['Schmidt, Olivia', SCORE_LEAD]]);
    assert.deepEqual(found('From: Nakamura, Thomas <t@x.org>'), [['Nakamura, Thomas', SCORE_GIVEN_SURNAME]]);
    assert.deepEqual(found('Signed: DELACROIX, MOHAMMED, MD'), [['DELACROIX, MOHAMMED', SCORE_LEAD]]);
    assert.deepEqual(found('PATIENT JOHN SMITH ADMITTED'), [['JOHN SMITH', SCORE_LEAD]]);
    assert.deepEqual(found('HIPAA COMPLIANCE REVIEW'), []);
  });

  it('finds a known given name followed by a surname', () => {
    assert.deepEqual(found('Yesterday Emily Carter called.'), [['Emily Carter', SCORE_GIVEN_SURNAME]]);
    assert.deepEqual(found('Grace Hopper wrote it'), [['Grace Hopper', SCORE_AMBIGUOUS]]);
  });

  it('ignores ordinary capitalized words, acronyms and lower-case titles', () => {
    for (const text of ['1544 N Maple Dr Raleigh, NC', 'on 12 Lincoln Way', 'The Patient Portal is down.', 'Dear Customer,', 'Dear All', 'HIPAA and PHI', 'the dr said', 'John alone', 'New York City', 'Patient Information']) {
      assert.deepEqual(found(text), [], text);
    }
  });

  it('pure helpers', () => {
    assert.deepEqual(previousWord('Dr. Smith', 4), { word: 'Dr', sep: '. ' });
    assert.deepEqual(previousWord('Name:\tSmith', 6), { word: 'Name', sep: ':\t' });
    assert.deepEqual(previousWord('xSmith', 1), { word: '', sep: '' });
    assert.equal(nameLike('Smith'), true);
    assert.equal(nameLike('NASA'), false);
    assert.equal(nameLike('SMITH', true), true);
    assert.equal(nameLike('Smith', true), false);
    assert.equal(nameLike('Monday'), false);
    assert.equal(endsStreetAddress('1544 N Maple Dr', 15), true);
    assert.equal(endsStreetAddress('we saw Dr', 9), false);
  });
});
