/**
 * Scanning helpers for the identity detectors whose matching is not one regex pass:
 * - Presidio patterns that backtrack across optional groups (not provably linear): a simple anchor
 *   regex finds candidates and code decides each in constant time, emulating the original
 *   pattern's leftmost-first match (`scanAnchors`);
 * - whole-token formats: a rare anchor (a digit run, a letter next to a digit) locates the token
 *   around it, far cheaper than a regex that tries the start of every word (`forEachAnchoredToken`,
 *   or `forEachDigitToken` from the scan input's digit runs).
 */
import { forEachLeadMatch } from '../digit-runs.js';
import type { DigitLeads, Detector, Finding, ScanInput } from '../types.js';
import { isIdChar } from './digit-checks.js';

/**
 * What a candidate decision returns: the index (in the scanned string) where the anchor regex
 * resumes — the end of the emulated match, as `finditer` resumes there — or undefined to let the
 * anchor regex continue from its own match.
 */
export type AnchorStep = number | undefined;

/**
 * Runs `anchor` (g flag) over the digit windows when `digits` is set, else over the whole text —
 * or, given the anchor's `lead`, only at the digit runs where it can match (digit-runs.ts).
 * `at` gets the scanned string, the anchor match and the string's offset in the full text (add it
 * to indices to get finding offsets).
 */
export function scanAnchors(input: ScanInput, anchor: RegExp, digits: boolean, at: (text: string, m: RegExpExecArray, offset: number) => AnchorStep, lead?: DigitLeads): void {
  if (!anchor.global) throw new Error(`anchor /${anchor.source}/ needs the g flag`);
  if (lead) {
    // Sticky matches at whole-text positions: m.index is the position, the offset 0.
    forEachLeadMatch(input, anchor, lead, (m) => at(input.text, m, 0));
    return;
  }
  const run = (text: string, offset: number) => {
    anchor.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = anchor.exec(text))) {
      const from = m.index;
      const next = at(text, m, offset);
      if (next !== undefined) anchor.lastIndex = Math.max(next, from + 1);
      else if (m[0].length === 0) anchor.lastIndex = from + 1;
    }
  };
  if (!digits) return run(input.text, 0);
  const text = input.text;
  for (const [s, e] of input.digitWindows()) run(s === 0 && e === text.length ? text : text.slice(s, e), s);
}

/**
 * Visits each token (maximal run of `isTokenChar` characters) that holds a match of `anchor` — a
 * digit, say — once, in the digit windows (or at the digit runs `lead` allows). Anchoring on the
 * rare character and widening to the token is much cheaper than a regex that has to try the start
 * of every word.
 */
export function forEachAnchoredToken(
  input: ScanInput,
  anchor: RegExp,
  isTokenChar: (c: number) => boolean,
  visit: (text: string, start: number, end: number, offset: number) => void,
  lead?: DigitLeads,
): void {
  scanAnchors(input, anchor, true, (text, m, offset) => {
    let start = m.index;
    while (start > 0 && isTokenChar(text.charCodeAt(start - 1))) start--;
    let end = m.index + Math.max(1, m[0].length);
    while (end < text.length && isTokenChar(text.charCodeAt(end))) end++;
    visit(text, start, end, offset);
    return end;
  }, lead);
}

/**
 * Visits, once and in order, each token (maximal run of `isTokenChar` characters) that holds a
 * digit run for which `fits(text, start, end)` holds — what `forEachAnchoredToken` does for an
 * anchor regex, read from the scan input's digit runs instead of a regex pass. When the input
 * lists no runs (digits too dense), `anchor` is run instead (`forEachAnchoredToken`): it must
 * match in every token where `visit` finds something.
 */
export function forEachDigitToken(
  input: ScanInput,
  isTokenChar: (c: number) => boolean,
  fits: (text: string, start: number, end: number) => boolean,
  visit: (start: number, end: number) => void,
  anchor: RegExp,
): void {
  const { text } = input;
  const runs = input.digitRuns();
  if (!runs) {
    forEachAnchoredToken(input, anchor, isTokenChar, (_part, start, end, offset) => visit(offset + start, offset + end));
    return;
  }
  let visited = 0; // runs before this index lie in a token already visited
  for (let r = 0; r < runs.count; r++) {
    const s = runs.start[r]!;
    if (s < visited || !fits(text, s, runs.end[r]!)) continue;
    let start = s;
    while (start > 0 && isTokenChar(text.charCodeAt(start - 1))) start--;
    let end = runs.end[r]!;
    while (end < text.length && isTokenChar(text.charCodeAt(end))) end++;
    visit(start, end);
    visited = end;
  }
}

/** [start, end) without leading and trailing dashes (`-` joins an identifier's parts, never ends one). */
export function trimDashes(text: string, start: number, end: number): [number, number] {
  while (start < end && text.charCodeAt(start) === 45) start++;
  while (end > start && text.charCodeAt(end - 1) === 45) end--;
  return [start, end];
}

/**
 * A detector for identifiers with no fixed format: each token of word characters and dashes that
 * holds a match of `anchor` (dashes at its ends dropped) is reported at `score` when `shape`
 * accepts it. The anchor should be the rarest thing every accepted token holds (`\d{5}`, say).
 */
export function tokenShapeDetector(spec: {
  id: string;
  entity: string;
  context: string[];
  score: number;
  anchor: RegExp;
  /** Where the anchor's matches begin (see digit-runs.ts). */
  lead: DigitLeads;
  shape: (token: string) => boolean;
}): Detector {
  const { anchor, lead } = spec;
  return {
    id: spec.id,
    entities: [spec.entity],
    context: spec.context,
    regexes: [anchor],
    leads: [{ regex: anchor, lead }],
    detect(input) {
      const out: Finding[] = [];
      forEachAnchoredToken(
        input,
        anchor,
        isIdChar,
        (text, start, end, offset) => {
          const [s, e] = trimDashes(text, start, end);
          if (e - s <= 32 && spec.shape(text.slice(s, e))) out.push({ entity: spec.entity, start: offset + s, end: offset + e, score: spec.score, detector: spec.id });
        },
        lead,
      );
      return out;
    },
  };
}
