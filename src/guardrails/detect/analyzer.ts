/**
 * The analyzer (Presidio's AnalyzerEngine): run detectors → context boost → drop duplicates →
 * threshold. Pure and synchronous; linear in the input size.
 */
import { InvalidInputError } from '../../errors.js';
import { boost, ContextMatcher } from './context.js';
import { scanInput } from './scan-input.js';
import type { AnalyzeOptions, Detector, Finding } from './types.js';

/** Findings below this score are hidden unless asked for (`--min-score 0` shows everything). */
export const DEFAULT_MIN_SCORE = 0.4;
/** Largest text analyzed in one piece; larger inputs go through `analyzeStream`. */
export const MAX_INPUT_CHARS = 8 * 1024 * 1024;

export class Analyzer {
  readonly detectors: readonly Detector[];
  readonly entities: readonly string[];
  /** Each detector's context words, compiled once. */
  private readonly context: readonly ContextMatcher[];

  constructor(detectors: readonly Detector[]) {
    this.detectors = detectors;
    this.entities = [...new Set(detectors.flatMap((d) => d.entities))].sort();
    this.context = detectors.map((d) => new ContextMatcher(d.context, d.contextWindow));
  }

  analyze(text: string, opts: AnalyzeOptions = {}): Finding[] {
    if (text.length > MAX_INPUT_CHARS) {
      throw new InvalidInputError(`input is ${text.length} characters; the limit for one piece is ${MAX_INPUT_CHARS} (stream larger inputs)`);
    }
    const wanted = opts.entities ? new Set(opts.entities) : undefined;
    const minScore = opts.minScore ?? DEFAULT_MIN_SCORE;
    const useContext = opts.context ?? true;
    const input = scanInput(text);
    let all: Finding[] = [];
    for (let k = 0; k < this.detectors.length; k++) {
      const d = this.detectors[k]!;
      if (wanted && !d.entities.some((e) => wanted.has(e))) continue;
      const context = useContext && d.context.length > 0 ? this.context[k]! : undefined;
      for (const f of d.detect(input)) {
        if (wanted && !wanted.has(f.entity)) continue;
        if (context && f.score < 1 && context.test(text, f.start, f.end)) f.score = boost(f.score);
        if (f.score > 0 && f.score >= minScore) all.push(f);
      }
    }
    all = removeDuplicates(all);
    all.sort((a, b) => a.start - b.start || b.score - a.score || b.end - a.end);
    return all;
  }
}

/**
 * Among findings of the same entity, drop one that lies inside another scoring at least as high
 * (Presidio's remove_duplicates). Different entities may overlap; the scrubber resolves those.
 */
export function removeDuplicates(fs: Finding[]): Finding[] {
  if (fs.length < 2) return fs;
  const byEntity = new Map<string, Finding[]>();
  for (const f of fs) {
    const list = byEntity.get(f.entity);
    if (list) list.push(f);
    else byEntity.set(f.entity, [f]);
  }
  const out: Finding[] = [];
  for (const list of byEntity.values()) {
    // Sweep in start order keeping only the findings still open at the current start: a finding
    // can only be contained in one of those, so the work stays linear for ordinary text.
    list.sort((a, b) => a.start - b.start || b.end - a.end || b.score - a.score);
    const open: Finding[] = [];
    for (const f of list) {
      // Keep (in place) the findings still open at f.start, noting whether one of them holds f.
      let kept = 0;
      let dominated = false;
      for (const g of open) {
        if (g.end > f.start || (g.start === f.start && g.end === f.end)) {
          open[kept++] = g;
          if (g.start <= f.start && g.end >= f.end && g.score >= f.score) dominated = true;
        }
      }
      open.length = kept;
      if (!dominated) out.push(f);
      open.push(f);
    }
  }
  return out;
}
