/**
 * `npm run eval:pii`: measures the built-in detectors on a generated, labelled corpus and writes
 * bench/results/pii-eval.json. A measurement, so it exits 0 whatever the numbers; it exits 1 only
 * when the harness itself fails (e.g. the corpus does not pass its own checks).
 *   node dist/eval/pii.js [--seed N] [--positives N] [--negatives N] [--min-score X]
 *                         [--examples N] [--show-values] [--all-errors] [--dump-corpus file.jsonl] [--out file.json]
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_MIN_SCORE } from '../src/guardrails/detect/analyzer.js';
import { defaultAnalyzer } from '../src/guardrails/detect/registry.js';
import { CHECKSUM_ENTITIES, DEFAULT_NEGATIVES, DEFAULT_POSITIVES, DEFAULT_SEED, generateCorpus, type Sample } from './corpus/index.js';
import { verifyCorpus } from './corpus/verify.js';
import { renderReport } from './report.js';
import { evaluate } from './run.js';
import type { ErrorRecord } from './score.js';

export { generateCorpus, negativeSample, positiveSample } from './corpus/index.js';
export type { Label, Sample } from './corpus/index.js';
export { verifyCorpus } from './corpus/verify.js';
export { evaluate } from './run.js';
export { scoreCorpus, scoreSample } from './score.js';

/** The repository root: the nearest folder above this file with a package.json (works from eval/ and dist/eval/). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root (no package.json above eval/)');
    dir = up;
  }
  return dir;
}

/** Keeps at most `cap` error records per entity and kind; counts stay complete in the score. */
function capErrors(errors: readonly ErrorRecord[], cap: number): ErrorRecord[] {
  const seen = new Map<string, number>();
  return errors.filter((e) => {
    const k = `${e.kind}/${e.entity}`;
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    return n <= cap;
  });
}

function count(samples: readonly Sample[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const s of samples) for (const l of s.labels) if (!l.optional) c[l.entity] = (c[l.entity] ?? 0) + 1;
  return Object.fromEntries(Object.entries(c).sort(([a], [b]) => a.localeCompare(b)));
}

export function main(argv = process.argv.slice(2), print: (s: string) => void = (s) => process.stdout.write(s)): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      positives: { type: 'string', default: String(DEFAULT_POSITIVES) },
      negatives: { type: 'string', default: String(DEFAULT_NEGATIVES) },
      'min-score': { type: 'string', default: String(DEFAULT_MIN_SCORE) },
      examples: { type: 'string', default: '6' },
      'show-values': { type: 'boolean', default: false },
      'all-errors': { type: 'boolean', default: false },
      'dump-corpus': { type: 'string' },
      out: { type: 'string' },
    },
  });
  const int = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
    return n;
  };
  const seed = /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  const minScore = Number(values['min-score']);
  if (!(minScore >= 0 && minScore <= 1)) throw new Error(`--min-score must be between 0 and 1, got "${values['min-score']}"`);

  const samples = generateCorpus({ seed, positives: int('positives', values.positives), negatives: int('negatives', values.negatives) });
  const problems = verifyCorpus(samples);
  if (problems.length > 0) throw new Error(`the generated corpus fails its own checks (${problems.length}):\n  ${problems.slice(0, 10).join('\n  ')}`);
  if (values['dump-corpus']) writeFileSync(values['dump-corpus'], samples.map((s) => JSON.stringify(s)).join('\n') + '\n');

  const analyzer = defaultAnalyzer();
  const supported = [...analyzer.entities];
  const run = evaluate((text) => analyzer.analyze(text, { minScore }), samples, { supported, checksumEntities: CHECKSUM_ENTITIES });

  print(`${renderReport(run, samples, { seed, minScore, supported, examples: int('examples', values.examples), showValues: values['show-values'] })}\n`);

  const outFile = values.out ? resolve(values.out) : join(repoRoot(), 'bench', 'results', 'pii-eval.json');
  mkdirSync(dirname(outFile), { recursive: true });
  const { errors, ...score } = run.score;
  const result = {
    meta: {
      seed,
      minScore,
      positives: samples.filter((s) => s.kind === 'positive').length,
      negatives: samples.filter((s) => s.kind === 'negative').length,
      labels: count(samples),
      analyzer: { detectors: analyzer.detectors.map((d) => d.id), entities: supported },
      checksumEntities: CHECKSUM_ENTITIES,
      env: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, date: new Date().toISOString() },
    },
    timing: run.timing,
    analyzerErrors: run.analyzerErrors,
    ...score,
    errorsTotal: errors.length,
    errors: values['all-errors'] ? errors : capErrors(errors, 200),
  };
  writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
  print(`wrote ${outFile}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    process.exitCode = main();
  } catch (err) {
    process.stderr.write(`eval:pii failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
