import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { peselValid, plPeselDetector } from './pl-pesel.js';

const analyzer = new Analyzer([plPeselDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('PL_PESEL', () => {
  it('checks the date (month carrying the century) and the check digit', () => {
    assert.equal(peselValid('44051401458'), true);
    assert.equal(peselValid('02070803628'), true);
    assert.equal(peselValid('05231500008'), true); // 15 March 2005
    assert.equal(peselValid('44051401459'), false);
    assert.equal(peselValid('44023001458'), false); // 30 February
  });

  it('finds a passing number below the threshold until "pesel" lifts it, never inside a longer number', () => {
    assert.deepEqual(raw('nr44051401458, 144051401458, 4405140145-8, +44051401458'), [['44051401458', 0.3]]);
    assert.deepEqual(analyzer.analyze('PESEL: 44051401458').map((f) => Math.round(f.score * 100) / 100), [0.65]);
    assert.deepEqual(analyzer.analyze('order 44051401458'), []);
  });
});
