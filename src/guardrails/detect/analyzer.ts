/**
 * The analyzer (Presidio's AnalyzerEngine): run detectors → context boost → drop duplicates →
 * threshold. Pure and synchronous; linear in the input size.
 */
import { InvalidInputError } from '../../errors.js';
import { boost, hasContext } from './context.js';
import { scanInput } from './scan-input.js';
import type { AnalyzeOptions, Detector, Finding } from './types.js';

/** Findings below this score are hidden unless asked for (`--min-score 0` shows everything). */
export const DEFAULT_MIN_SCORE = 0.4;
/** Largest text analyzed in one piece; larger inputs go through `analyzeStream`. */
export const MAX_INPUT_CHARS = 8 * 1024 * 1024;

export class Analyzer {
  readonly detectors: readonly Detector[];
  readonly entities: readonly string[];

  constructor(detectors: readonly Detector[]) {
    this.detectors = detectors;
    this.entities = [...new Set(detectors.flatMap((d) => d.entities))].sort();
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
    for (const d of this.detectors) {
      if (wanted && !d.entities.some((e) => wanted.has(e))) continue;
      for (const f of d.detect(input)) {
        if (wanted && !wanted.has(f.entity)) continue;
        if (useContext && d.context.length > 0 && f.score < 1 && hasContext(text, f, d.context)) f.score = boost(f.score);
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
    let open: Finding[] = [];
    for (const f of list) {
      open = open.filter((g) => g.end > f.start || (g.start === f.start && g.end === f.end));
      const dominated = open.some((g) => g.start <= f.start && g.end >= f.end && g.score >= f.score);
      if (!dominated) out.push(f);
      open.push(f);
    }
  }
  return out;
}
