import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../src/guardrails/detect/types.js';
import { generateCorpus } from './corpus/index.js';
import { evaluate } from './run.js';

const samples = generateCorpus({ seed: 3, positives: 120, negatives: 60 });
const byText = new Map(samples.map((s) => [s.text, s]));

describe('evaluate', () => {
  it('scores an oracle that returns the labels as perfect', () => {
    const oracle = (text: string): Finding[] =>
      byText.get(text)!.labels.filter((l) => !l.optional).map((l) => ({ entity: l.entity, start: l.start, end: l.end, score: 1, detector: 'oracle' }));
    const { score, analyzerErrors } = evaluate(oracle, samples);
    assert.equal(analyzerErrors.length, 0);
    assert.deepEqual([score.overall.all.precision, score.overall.all.recall, score.overall.all.exactRate], [1, 1, 1]);
    assert.equal(score.negatives.falseFindings, 0);
  });

  it('scores an analyzer that finds nothing as zero recall', () => {
    const { score } = evaluate(() => [], samples);
    assert.equal(score.overall.all.recall, 0);
    assert.equal(score.overall.all.precision, null);
    assert.ok(score.overall.all.fn > 300);
  });

  it('counts what a noisy analyzer reports on hard negatives', () => {
    // Flags every run of 9+ digits as an SSN.
    const noisy = (text: string): Finding[] =>
      [...text.matchAll(/\d{9,}/g)].map((m) => ({ entity: 'US_SSN', start: m.index, end: m.index + m[0].length, score: 0.5, detector: 'noisy' }));
    const { score } = evaluate(noisy, samples, { checksumEntities: ['US_SSN'] });
    const expected = samples.filter((s) => s.kind === 'negative').reduce((n, s) => n + (s.text.match(/\d{9,}/g)?.length ?? 0), 0);
    assert.ok(expected > 0);
    assert.equal(score.negatives.falseFindings, expected);
    assert.equal(score.negatives.byDetector.noisy, expected);
    assert.equal(score.negatives.per100Texts, (100 * expected) / 60);
  });

  it('records analyzer exceptions and keeps going', () => {
    let calls = 0;
    const flaky = (): Finding[] => {
      if (calls++ % 2 === 0) throw new Error('boom');
      return [];
    };
    const run = evaluate(flaky, samples);
    assert.equal(run.analyzerErrors.length, samples.length / 2);
    assert.equal(run.timing.texts, samples.length);
    assert.equal(run.analyzerErrors[0]!.message, 'boom');
  });
});
