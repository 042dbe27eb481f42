/**
 * Detector contracts. A detector finds one family of entities (Presidio's recognizer); the
 * analyzer runs them, applies context words, removes duplicates and applies the threshold.
 */
import type { Finding } from '../../engine/types.js';

export type { Finding };

/** A named pattern with its base score (Presidio's `Pattern`). */
export interface PatternSpec {
  name: string;
  /** Must carry the `g` flag. Checked for catastrophic backtracking by the test suite. */
  regex: RegExp;
  /** Base score before validation and context, 0..1. */
  score: number;
  /**
   * Every match contains a digit. The analyzer may then run the pattern only over the windows of
   * the text that hold digits — the main reason scanning stays fast on prose.
   */
  digits?: boolean;
  /** Use this capture group as the finding's span instead of the whole match. */
  group?: number;
  /**
   * Where every match begins relative to the digit runs of the text: the pattern is then tried
   * only there (see digit-runs.ts), not run over the text. Implies `digits`.
   */
  lead?: DigitLeads;
}

/**
 * A claim about a pattern: each of its matches begins `before` characters ahead of its first run
 * of digits (characters from `beforeChars`, if given — never digits), that run's length is one of
 * `runs`, and (if `next` is given) one of the characters of `next` follows it.
 */
export interface DigitLead {
  /** Lengths the first digit run can have: a list, or a range (no `max`: no upper limit). */
  readonly runs: readonly number[] | { readonly min: number; readonly max?: number };
  /**
   * How far ahead of its first digit run a match may begin (a letter prefix, `(`, `+`): at most
   * this many characters, or a range. Default 0.
   */
  readonly before?: number | { readonly min: number; readonly max: number };
  /** The only characters that may stand in those `before` places (default: any but a digit). */
  readonly beforeChars?: string;
  /** The characters one of which must follow the first digit run (default: anything, or the end). */
  readonly next?: string;
}

/** A lead, or alternatives (each match begins as one of them says), e.g. 9 digits, or 4 then '-'. */
export type DigitLeads = DigitLead | readonly DigitLead[];

/** A pattern with the lead it declares, listed by its detector for the lead-soundness test. */
export interface LeadPattern {
  /** The pattern as written, with the g flag. */
  readonly regex: RegExp;
  readonly lead: DigitLeads;
}

/** The maximal runs of ASCII digits in a text: run i spans [start[i], end[i]). */
export interface DigitRuns {
  readonly count: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
}

/** What validation says about a match. */
export type Verdict =
  | boolean // true: confirmed (score → 1.0); false: not this entity (dropped)
  | number // an explicit score
  | undefined; // no opinion: keep the pattern's score

export interface PatternDetectorSpec {
  /** Stable detector id, e.g. `us-ssn`. */
  id: string;
  /** Entity type, Presidio's name where one exists, e.g. `US_SSN`. */
  entity: string;
  patterns: PatternSpec[];
  /** Words (or short phrases) near a match that raise its score, lower-case. */
  context?: string[];
  /** Where context words are looked for (default: 5 words before, 2 after). */
  contextWindow?: ContextWindow;
  /** Checksums and other proof: runs on the matched value. */
  validate?: (value: string) => Verdict;
  /** Known-invalid values (Presidio's invalidate_result): true drops the match. */
  invalidate?: (value: string) => boolean;
}

/** How many words before and after a finding are searched for context words. */
export interface ContextWindow {
  readonly before: number;
  readonly after: number;
}

/** The text being scanned, with lazily built shared indexes so detectors do not each rescan it. */
export interface ScanInput {
  readonly text: string;
  /** Spans [start, end) of the text that contain digits, widened to whole tokens and merged. */
  digitWindows(): ReadonlyArray<readonly [number, number]>;
  /**
   * The runs of ASCII digits, in order — or undefined when they are packed so densely that one
   * regex pass over the text finds numbers more cheaply than visiting each run.
   */
  digitRuns(): DigitRuns | undefined;
}

export interface Detector {
  readonly id: string;
  /** Entity types this detector can report. */
  readonly entities: readonly string[];
  /** Context words for the analyzer's context boost (may be empty). */
  readonly context: readonly string[];
  /** Where the context words are looked for (default: 5 words before, 2 after, as Presidio's window). */
  readonly contextWindow?: ContextWindow;
  /** Every regular expression the detector runs over input, for the ReDoS proof in the tests. */
  readonly regexes: readonly RegExp[];
  /** The patterns it runs only at digit runs, with their leads, for the soundness test. */
  readonly leads?: readonly LeadPattern[];
  /** Raw findings before context boost, dedupe and threshold. */
  detect(input: ScanInput): Finding[];
}

export interface AnalyzeOptions {
  /** Only these entity types (default: all). */
  entities?: readonly string[];
  /** Findings scoring below this are dropped. Default 0.4 (see DEFAULT_MIN_SCORE). */
  minScore?: number;
  /** Apply context words (default true). Presidio's own recognizer tests run without. */
  context?: boolean;
}
