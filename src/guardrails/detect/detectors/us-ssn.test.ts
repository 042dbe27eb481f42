import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { ssnInvalid, usSsnDetector } from './us-ssn.js';

const analyzer = new Analyzer([usSsnDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('US_SSN', () => {
  it('scores delimited numbers medium and bare or partly delimited ones very weak', () => {
    assert.deepEqual(raw('536-22-1234 536.22.1234 536 22 1234'), [
      ['536-22-1234', 0.5],
      ['536.22.1234', 0.5],
      ['536 22 1234', 0.5],
    ]);
    assert.deepEqual(raw('536221234 53622-1234 536-221234'), [
      ['536221234', 0.05],
      ['53622-1234', 0.05],
      ['536-221234', 0.05],
    ]);
  });

  it('invalidates impossible and sample numbers', () => {
    for (const bad of ['693-09.4444', '000-12-3456', '666-12-3456', '900-12-3456', '987-65-4321', '536-00-1234', '536-22-0000', '078-05-1120', '123-45-6789', '111111111'])
      assert.equal(ssnInvalid(bad), true, bad);
    assert.equal(ssnInvalid('536-22-1234'), false);
    assert.deepEqual(raw('078051120 900-12-3456 536-00-1234'), []);
  });

  it('lifts a bare number with context and keeps hard negatives below the threshold', () => {
    const [f] = analyzer.analyze('her ssn is 536221234');
    assert.ok(f && f.score >= 0.4);
    assert.deepEqual(analyzer.analyze('zip 94105-1234, order 536221234, phone 415-555-0199, date 2024-01-15'), []);
  });
});
