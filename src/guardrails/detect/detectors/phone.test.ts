import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { digitGroups, foreignScore, nanpShaped, phone, phoneSpans, SCORE_BARE, SCORE_FOREIGN, SCORE_US, trimCandidate, usOrInternationalScore } from './phone.js';

const analyzer = new Analyzer([phone]);
const found = (text: string, context = false) => analyzer.analyze(text, { minScore: 0, context }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('phone detector', () => {
  it('finds US numbers in the usual formats at 0.4', () => {
    for (const n of ['(415) 555-0132', '415-555-0132', '415.555.0132', '+1 415 555 0132', '1-800-555-0199', '(415)555-0132']) {
      assert.deepEqual(found(`reach me at ${n}, thanks`), [[n, SCORE_US]], n);
    }
  });

  it('finds international numbers anywhere', () => {
    for (const n of ['+44 20 7946 0958', '+49 30 1234567', '+33 1 42 68 53 00', '+91 4155550132', '+55 11 98456 5666']) {
      assert.deepEqual(found(`number ${n}`), [[n, SCORE_US]], n);
    }
  });

  it('scores bare digit runs and foreign national numbers under the threshold until context lifts them', () => {
    assert.deepEqual(found('order 4155550132 shipped'), [['4155550132', SCORE_BARE]]);
    assert.deepEqual(found('ring 020 7946 0958'), [['020 7946 0958', SCORE_FOREIGN]]);
    const [, score] = found('phone: 020 7946 0958', true)[0]!;
    assert.ok((score as number) >= 0.6);
  });

  it('rejects invalid numbers and other number shapes', () => {
    for (const text of ['SSN 212-34-4821', 'on 2021-05-20', 'ip 192.168.1.20', 'zip 94105-1234', 'card 4111 1111 1111 1111', 'call 555-0132', 'is415-555-0132', 'v 1.2.3.4']) {
      assert.deepEqual(found(text), [], text);
    }
    // Not a NANP number (area code 1xx); some foreign plan may accept it, but never at the threshold.
    for (const [, score] of found('ref 123-456-7890')) assert.ok((score as number) < 0.4);
  });

  it('splits numbers run together at spaces', () => {
    assert.deepEqual(found('call 415-555-0132 2 times'), [['415-555-0132', SCORE_US]]);
    assert.deepEqual(found('415 555 0132 415 555 0199'), [
      ['415 555 0132', SCORE_US],
      ['415 555 0199', SCORE_US],
    ]);
  });

  it('pure helpers', () => {
    assert.equal(trimCandidate('(415) 555-0132 ('), '(415) 555-0132');
    assert.equal(trimCandidate('415-555-0132) '), '415-555-0132');
    assert.equal(nanpShaped('14155550132'), true);
    assert.equal(nanpShaped('0155550132'), false);
    assert.equal(nanpShaped('4151550132'), false);
    assert.equal(usOrInternationalScore('+44 20 7946 0958'), SCORE_US);
    assert.equal(foreignScore('090-1234-5678'), SCORE_FOREIGN);
    assert.equal(foreignScore('+90 1234 5678'), 0);
    assert.deepEqual(phoneSpans('13812345678'), [[0, 11, 0.2]]);
    assert.deepEqual(digitGroups('(415) 555-0132'), [3, 3, 4]);
  });

  it('takes national numbers only in the groupings and prefixes their plans use', () => {
    // a date and an hour (NANP-valid digits, not a NANP grouping); an ABA number; an SSN in parentheses
    for (const text of ['at 2023-01-16 14h', 'RTN 0442-6553-9', 'license (566605516)', 'NHS 791 201 5752 issued']) {
      assert.ok(found(text).every(([, score]) => (score as number) < 0.4), text);
    }
    assert.deepEqual(found('at 2023-01-16 14h'), []);
  });
});
