/**
 * Runs a pattern whose every match holds a digit over the parts of the text that can hold one.
 *
 * The digit windows pay off when digits are rare (most prompts); when they cover much of the text
 * (numbers every line or two), slicing and restarting the regex per window costs more than one
 * pass over the whole text, which finds the same matches — each window starts and ends at
 * whitespace, so `\b` and look-arounds see the same characters either way. The choice is made once
 * per input.
 */
import type { ScanInput } from '../types.js';

/** Windows covering more than this share of the text, or this many per character: scan it whole. */
const WHOLE_TEXT_COVERAGE = 0.3;
const WHOLE_TEXT_WINDOW_DENSITY = 1 / 1000;

type Plan = ReadonlyArray<readonly [number, number]>;
const plans = new WeakMap<ScanInput, Plan>();

/** The spans to scan: the digit windows, or the whole text when they are dense, or none. */
export function digitScanPlan(input: ScanInput): Plan {
  let plan = plans.get(input);
  if (plan) return plan;
  const windows = input.digitWindows();
  const n = input.text.length;
  let covered = 0;
  for (const [s, e] of windows) covered += e - s;
  plan = windows.length > 0 && (covered > n * WHOLE_TEXT_COVERAGE || windows.length > n * WHOLE_TEXT_WINDOW_DENSITY) ? [[0, n]] : windows;
  plans.set(input, plan);
  return plan;
}

/**
 * Calls `hit` with each match of `regex` (g flag) and its start in the whole text. `hit` may return
 * an index in the whole text where the search resumes (past the end of what it consumed).
 */
export function scanDigitPattern(input: ScanInput, regex: RegExp, hit: (m: RegExpExecArray, start: number) => number | undefined): void {
  if (!regex.global) throw new Error(`/${regex.source}/ needs the g flag`);
  const text = input.text;
  for (const [s, e] of digitScanPlan(input)) {
    const part = s === 0 && e === text.length ? text : text.slice(s, e);
    regex.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = regex.exec(part))) {
      const resume = hit(m, s + m.index);
      if (resume !== undefined) regex.lastIndex = Math.max(resume - s, m.index + 1);
      else if (m[0].length === 0) regex.lastIndex = m.index + 1;
    }
  }
}
