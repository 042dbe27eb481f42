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
  /** Checksums and other proof: runs on the matched value. */
  validate?: (value: string) => Verdict;
  /** Known-invalid values (Presidio's invalidate_result): true drops the match. */
  invalidate?: (value: string) => boolean;
}

/** The text being scanned, with lazily built shared indexes so detectors do not each rescan it. */
export interface ScanInput {
  readonly text: string;
  /** Spans [start, end) of the text that contain digits, widened to whole tokens and merged. */
  digitWindows(): ReadonlyArray<readonly [number, number]>;
}

export interface Detector {
  readonly id: string;
  /** Entity types this detector can report. */
  readonly entities: readonly string[];
  /** Context words for the analyzer's context boost (may be empty). */
  readonly context: readonly string[];
  /** Every regular expression the detector runs over input, for the ReDoS proof in the tests. */
  readonly regexes: readonly RegExp[];
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
