/** Runs an analyzer over a corpus and scores it; no I/O, so tests can drive it with a fake analyzer. */
import { performance } from 'node:perf_hooks';
import type { Finding } from '../src/guardrails/detect/types.js';
import type { Sample } from './corpus/index.js';
import { type Score, type ScoreOptions, scoreCorpus } from './score.js';

export type AnalyzeFn = (text: string) => Finding[];

export interface EvalRun {
  score: Score;
  /** Samples on which the analyzer threw; scored as if it found nothing. */
  analyzerErrors: Array<{ sample: string; message: string }>;
  timing: { texts: number; chars: number; totalMs: number; msPerText: number; charsPerMs: number };
}

export function evaluate(analyze: AnalyzeFn, samples: readonly Sample[], opts: ScoreOptions = {}): EvalRun {
  const results: Array<{ sample: Sample; findings: Finding[] }> = [];
  const analyzerErrors: EvalRun['analyzerErrors'] = [];
  let chars = 0;
  let totalMs = 0;
  for (const sample of samples) {
    let findings: Finding[] = [];
    const t0 = performance.now();
    try {
      findings = analyze(sample.text);
    } catch (err) {
      analyzerErrors.push({ sample: sample.id, message: err instanceof Error ? err.message : String(err) });
    }
    totalMs += performance.now() - t0;
    chars += sample.text.length;
    results.push({ sample, findings });
  }
  return {
    score: scoreCorpus(results, opts),
    analyzerErrors,
    timing: { texts: samples.length, chars, totalMs, msPerText: samples.length ? totalMs / samples.length : 0, charsPerMs: totalMs > 0 ? chars / totalMs : 0 },
  };
}
