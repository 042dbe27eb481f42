/**
 * Pattern detectors (Presidio's PatternRecognizer): named regexes with base scores, then
 * `invalidate` (known-bad values) and `validate` (checksums) on each match.
 */
import type { Detector, Finding, PatternDetectorSpec, PatternSpec, ScanInput } from './types.js';

/** Runs one pattern over the text (or only its digit windows) and calls `hit` per match. */
export function forEachMatch(input: ScanInput, p: PatternSpec, hit: (value: string, start: number, end: number) => void): void {
  const { regex } = p;
  if (!regex.global) throw new Error(`pattern ${p.name} needs the g flag`);
  const run = (text: string, offset: number) => {
    regex.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = regex.exec(text))) {
      if (m[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      let value = m[0];
      let start = m.index;
      if (p.group !== undefined) {
        const g = m[p.group];
        if (g === undefined) continue;
        // Group offsets without the `d` flag: the group's first occurrence inside the match.
        start = m.index + m[0].indexOf(g);
        value = g;
      }
      hit(value, offset + start, offset + start + value.length);
    }
  };
  if (p.digits) {
    const text = input.text;
    for (const [s, e] of input.digitWindows()) run(s === 0 && e === text.length ? text : text.slice(s, e), s);
  } else {
    run(input.text, 0);
  }
}

export function patternDetector(spec: PatternDetectorSpec): Detector {
  for (const p of spec.patterns) if (!p.regex.global) throw new Error(`${spec.id}: pattern ${p.name} needs the g flag`);
  return {
    id: spec.id,
    entities: [spec.entity],
    context: spec.context ?? [],
    regexes: spec.patterns.map((p) => p.regex),
    detect(input) {
      const out: Finding[] = [];
      const seen = new Set<string>();
      for (const p of spec.patterns) {
        forEachMatch(input, p, (value, start, end) => {
          const key = `${start}:${end}`;
          if (seen.has(key)) return; // several patterns may match the same span: keep the first
          if (spec.invalidate?.(value)) return;
          let score = p.score;
          const verdict = spec.validate?.(value);
          if (verdict === false) return;
          if (verdict === true) score = 1;
          else if (typeof verdict === 'number') score = verdict;
          if (score <= 0) return;
          seen.add(key);
          out.push({ entity: spec.entity, start, end, score, detector: spec.id });
        });
      }
      return out;
    },
  };
}
