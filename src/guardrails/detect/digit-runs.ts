/**
 * Scanning by digit runs. Most identifiers begin at, or a letter or two before, a run of digits
 * whose length their format fixes (an SSN's first group has 3, 5 or 9 digits; a bank account
 * number 8–17). The scan input lists the runs once (`ScanInput.digitRuns`); a pattern that declares
 * its `DigitLead` is then tried — as a sticky regex — only where a run of an allowed length could
 * start a match, instead of being run over the whole text. On text with a number every sentence
 * or two that is several times cheaper than a regex pass per detector, and on prose it costs
 * nothing. Where runs are packed more densely than that (`1-2-3-…`, base64) the input lists none,
 * and the pattern runs as one regex pass.
 *
 * The matches are exactly those of a global scan, because a global scan reports the leftmost
 * match at or after its position, and every match begins at a candidate: the lead is a claim
 * about the pattern (checked against global scans for every built-in detector by
 * digit-runs.test.ts).
 */
import type { DigitLead, DigitLeads, DigitRuns, LeadPattern, ScanInput } from './types.js';

export type { DigitLead, DigitLeads, DigitRuns, LeadPattern };

const stickyCopies = new WeakMap<RegExp, RegExp>();

/** A sticky copy of `regex` (same source and flags, `y` for `g`), made once. */
export function stickyCopy(regex: RegExp): RegExp {
  let s = stickyCopies.get(regex);
  if (!s) {
    s = new RegExp(regex.source, `${regex.flags.replace(/[gy]/g, '')}y`);
    stickyCopies.set(regex, s);
  }
  return s;
}

/** Run lengths from this one on share one entry of a lead's length table. */
const LONG_RUN = 64;

/** A lead prepared for the scan: lookup tables instead of lists and strings (one shape for all). */
interface Compiled {
  /** Fewest and most characters a match may begin before its first run. */
  readonly beforeMin: number;
  readonly beforeMax: number;
  /** 1 where a run of that many digits fits (index LONG_RUN: that many or more). */
  readonly fits: Uint8Array;
  /** ASCII characters allowed before the run (1), or null: any non-digit. */
  readonly beforeChars: Uint8Array | null;
  /** ASCII characters allowed right after the run (1), or null: anything, or the end. */
  readonly next: Uint8Array | null;
}

/** The alternatives of a lead, and the run lengths any of them allows (1, by length as in `fits`). */
interface CompiledLeads {
  readonly alternatives: readonly Compiled[];
  readonly fits: Uint8Array;
}

const compiled = new WeakMap<DigitLeads, CompiledLeads>();

function charTable(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) {
    const c = chars.charCodeAt(i);
    if (c > 127) throw new Error(`digit leads take ASCII characters only, not "${chars[i]}"`);
    t[c] = 1;
  }
  return t;
}

function lengthTable(lead: DigitLead): Uint8Array {
  const t = new Uint8Array(LONG_RUN + 1);
  const r = lead.runs;
  if ('min' in r) {
    if (r.max !== undefined && r.max >= LONG_RUN) throw new Error(`digit lead: give no max for runs of ${LONG_RUN} digits or more`);
    for (let n = r.min; n <= (r.max ?? LONG_RUN); n++) t[n] = 1;
  } else {
    for (const n of r) {
      if (!(n >= 1 && n < LONG_RUN)) throw new Error(`digit lead: run lengths in a list are 1–${LONG_RUN - 1}, not ${n}`);
      t[n] = 1;
    }
  }
  return t;
}

function compileOne(lead: DigitLead): Compiled {
  const before = lead.before ?? 0;
  return {
    beforeMin: typeof before === 'number' ? 0 : before.min,
    beforeMax: typeof before === 'number' ? before : before.max,
    fits: lengthTable(lead),
    beforeChars: lead.beforeChars !== undefined ? charTable(lead.beforeChars) : null,
    next: lead.next !== undefined ? charTable(lead.next) : null,
  };
}

function compile(leads: DigitLeads): CompiledLeads {
  let c = compiled.get(leads);
  if (!c) {
    const list: readonly DigitLead[] = 'runs' in leads ? [leads] : leads;
    if (list.length === 0 || list.length > MAX_ALTERNATIVES) throw new Error(`a digit lead has 1–${MAX_ALTERNATIVES} alternatives, not ${list.length}`);
    const alternatives = list.map(compileOne);
    const fits = new Uint8Array(LONG_RUN + 1);
    for (const a of alternatives) for (let n = 0; n <= LONG_RUN; n++) if (a.fits[n] === 1) fits[n] = 1;
    c = { alternatives, fits };
    compiled.set(leads, c);
  }
  return c;
}

/** Most alternatives a lead may list. */
const MAX_ALTERNATIVES = 4;

/** Whether a run of `len` digits can be a match's first run (under any of the alternatives). */
export function runFits(leads: DigitLeads, len: number): boolean {
  return compile(leads).fits[Math.min(len, LONG_RUN)] === 1;
}

const inTable = (t: Uint8Array, c: number) => c < 128 && t[c] === 1;

/**
 * Calls `hit` with each match of `regex` (g flag; its sticky copy is run) in `input`, left to right,
 * trying it only where `leads` says a match can begin (under any of its alternatives). `hit` may
 * return the index where the search resumes (as in `scanDigitPattern`); otherwise it resumes after
 * the match.
 */
export function forEachLeadMatch(input: ScanInput, regex: RegExp, leads: DigitLeads, hit: (m: RegExpExecArray, start: number) => number | undefined): void {
  if (!regex.global) throw new Error(`/${regex.source}/ needs the g flag`);
  const { text } = input;
  const runs = input.digitRuns();
  if (!runs) return forEachGlobalMatch(text, regex, hit); // digits too dense to visit run by run
  const sticky = stickyCopy(regex);
  const { alternatives, fits } = compile(leads);
  // Candidate ranges [from[k], to[k]] of the run being visited, one per fitting alternative.
  const from = new Int32Array(alternatives.length);
  const to = new Int32Array(alternatives.length);
  const starts = runs.start;
  const ends = runs.end;
  let resume = 0; // no match may start before this index
  let prevEnd = 0; // end of the previous run: the characters before a run's start, back to here, hold no digit
  for (let r = 0; r < runs.count; r++) {
    const s = starts[r]!;
    const e = ends[r]!;
    const floor = prevEnd > resume ? prevEnd : resume;
    prevEnd = e;
    const len = e - s < LONG_RUN ? e - s : LONG_RUN;
    if (floor > s || fits[len] !== 1) continue;
    // The positions each fitting alternative allows; `hit` may move `resume` past some of them.
    let ranges = 0;
    let lo = s + 1;
    let hi = -1;
    for (const c of alternatives) {
      if (c.fits[len] !== 1 || (c.next !== null && !inTable(c.next, text.charCodeAt(e)))) continue;
      let p = s;
      // Back over the characters that may open a match before the run (not past `floor`).
      if (c.beforeChars === null) p = s - c.beforeMax > floor ? s - c.beforeMax : floor;
      else while (p > floor && s - p < c.beforeMax && inTable(c.beforeChars, text.charCodeAt(p - 1))) p--;
      const last = s - c.beforeMin;
      if (p > last) continue;
      from[ranges] = p;
      to[ranges++] = last;
      if (p < lo) lo = p;
      if (last > hi) hi = last;
    }
    for (let p = lo; p <= hi; p++) {
      if (p < resume || !inRanges(p, from, to, ranges)) continue;
      sticky.lastIndex = p;
      const m = sticky.exec(text);
      if (m === null) continue;
      const at = hit(m, p);
      resume = at !== undefined ? Math.max(at, p + 1) : p + Math.max(1, m[0].length);
    }
  }
}

function inRanges(p: number, from: Int32Array, to: Int32Array, ranges: number): boolean {
  for (let k = 0; k < ranges; k++) if (p >= from[k]! && p <= to[k]!) return true;
  return false;
}

/** `forEachLeadMatch` by one regex pass over the whole text (the same matches, see above). */
function forEachGlobalMatch(text: string, regex: RegExp, hit: (m: RegExpExecArray, start: number) => number | undefined): void {
  regex.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = regex.exec(text))) {
    const p = m.index;
    const at = hit(m, p);
    regex.lastIndex = at !== undefined ? Math.max(at, p + 1) : p + Math.max(1, m[0].length);
  }
}
