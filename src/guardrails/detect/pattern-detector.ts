/**
 * Pattern detectors (Presidio's PatternRecognizer): named regexes with base scores, then
 * `invalidate` (known-bad values) and `validate` (checksums) on each match.
 */
import { forEachLeadMatch } from './digit-runs.js';
import type { Detector, Finding, LeadPattern, PatternDetectorSpec, PatternSpec, ScanInput } from './types.js';

/**
 * Runs one pattern over the text — at its digit runs when it declares a lead, over the digit
 * windows when it holds digits, else over the whole text — and calls `hit` per match.
 */
export function forEachMatch(input: ScanInput, p: PatternSpec, hit: (value: string, start: number, end: number) => void): void {
  const { regex } = p;
  if (!regex.global) throw new Error(`pattern ${p.name} needs the g flag`);
  const report = (m: RegExpExecArray, offset: number) => {
    if (p.group === undefined) return hit(m[0], offset, offset + m[0].length);
    const g = m[p.group];
    if (g === undefined) return;
    // Group offsets without the `d` flag: the group's first occurrence inside the match.
    const start = offset + m[0].indexOf(g);
    hit(g, start, start + g.length);
  };
  if (p.lead) {
    forEachLeadMatch(input, regex, p.lead, (m, start) => {
      report(m, start);
      return undefined;
    });
    return;
  }
  const run = (text: string, offset: number) => {
    regex.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = regex.exec(text))) {
      if (m[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      report(m, offset + m.index);
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
  const leads: LeadPattern[] = [];
  for (const p of spec.patterns) if (p.lead) leads.push({ regex: p.regex, lead: p.lead });
  // One pattern never reports a span twice; several may (the first one's match is kept).
  const several = spec.patterns.length > 1;
  return {
    id: spec.id,
    entities: [spec.entity],
    context: spec.context ?? [],
    ...(spec.contextWindow ? { contextWindow: spec.contextWindow } : {}),
    regexes: spec.patterns.map((p) => p.regex),
    ...(leads.length > 0 ? { leads } : {}),
    detect(input) {
      const out: Finding[] = [];
      const seen = several ? new Set<string>() : undefined;
      for (const p of spec.patterns) {
        forEachMatch(input, p, (value, start, end) => {
          const key = seen ? `${start}:${end}` : '';
          if (seen?.has(key)) return;
          if (spec.invalidate?.(value)) return;
          let score = p.score;
          const verdict = spec.validate?.(value);
          if (verdict === false) return;
          if (verdict === true) score = 1;
          else if (typeof verdict === 'number') score = verdict;
          if (score <= 0) return;
          seen?.add(key);
          out.push({ entity: spec.entity, start, end, score, detector: spec.id });
        });
      }
      return out;
    },
  };
}
