/**
 * HEURISTIC text check for small counts (entity `SMALL_CELL`, detector `heuristic-small-cell`):
 * phrases such as "3 patients", "seven deaths" or "n=7" in generated text, the prose form of a
 * small table cell. Phrase patterns, not an understanding of the text: "3 patients per nurse"
 * is flagged, "a handful of patients" is not. Counts outside [min, max] (default 1..10, as in
 * small-cells.ts) are ignored.
 */
import RE2 from 're2';
import { ConfigError } from '../../errors.js';
import { Analyzer } from '../detect/analyzer.js';
import { patternDetector } from '../detect/pattern-detector.js';
import type { AnalyzeOptions, Detector, Finding, PatternSpec } from '../detect/types.js';
import { DEFAULT_MAX, DEFAULT_MIN } from './small-cells.js';

export const SMALL_CELL = 'SMALL_CELL';
export const SMALL_CELL_DETECTOR_ID = 'heuristic-small-cell';

const NUMBER_WORDS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
};

// Who or what is being counted. Spelled-out numbers leave out "case" and "man", which are
// idioms in prose ("in one case", "one man's view").
const NOUNS_DIGITS =
  '(?:patients?|people|persons?|individuals?|members?|beneficiar(?:y|ies)|enrollees?|cases?|deaths?|births?|residents?|veterans?|child(?:ren)?|wom[ae]n|m[ae]n|subjects?|participants?|respondents?|admissions?|discharges?|visits?|users?)';
const NOUNS_WORDS =
  '(?:patients?|people|persons?|individuals?|members?|beneficiar(?:y|ies)|enrollees?|cases|deaths?|births?|residents?|veterans?|child(?:ren)?|wom[ae]n|men|subjects?|participants?|respondents?|admissions?|discharges?|visits?|users?)';
// At most one describing word between the number and the noun: "3 diabetic patients".
const ADJ = '(?:[a-z-]+ )?';

// The two noun patterns are RE2: linear in V8 too, but redos-detector cannot prove it of long
// alternations.
const PATTERNS: PatternSpec[] = [
  // "n=7", "(n = 7)", "N: 7": the statistician's way of giving a cell size.
  { name: 'n-equals', regex: /\bn ?[=:] ?(\d{1,6})(?![.,]\d)\b/gi, score: 0.5, digits: true },
  // RE2 has no look-behind: the character before the number is matched (not part of the span)
  // so "3.5 patients" and "1,234 patients" are not read as 5 and 234. Not `digits`: the words
  // after the number can run past the end of a digit window.
  { name: 'digits-noun', regex: new RE2(`(?:^|[^\\d.,])(\\d{1,6} ${ADJ}${NOUNS_DIGITS})\\b`, 'gi'), score: 0.6, group: 1 },
  { name: 'words-noun', regex: new RE2(`\\b(?:${Object.keys(NUMBER_WORDS).join('|')}) ${ADJ}${NOUNS_WORDS}\\b`, 'gi'), score: 0.45 },
];

const DIGIT_RUN = /\d+/;

/** The count a matched phrase states: its digits (describing words hold none), or its first word. */
function countIn(phrase: string): number | undefined {
  const digits = DIGIT_RUN.exec(phrase);
  if (digits) return Number(digits[0]);
  return NUMBER_WORDS[phrase.slice(0, phrase.indexOf(' ')).toLowerCase()];
}

/** Every regular expression the small-count check runs, for the ReDoS proof. */
export const SMALL_COUNT_REGEXES: readonly RegExp[] = [...PATTERNS.map((p) => p.regex), DIGIT_RUN];

export interface SmallCountOptions {
  /** Smallest count reported. Default 1. */
  min?: number;
  /** Largest count reported. Default 10. */
  max?: number;
}

/** The SMALL_CELL detector for the analyzer pipeline (output guardrails). */
export function smallCountDetector(opts: SmallCountOptions = {}): Detector {
  const min = opts.min ?? DEFAULT_MIN;
  const max = opts.max ?? DEFAULT_MAX;
  if (typeof min !== 'number' || typeof max !== 'number' || !(min >= 0) || !(max >= min)) {
    throw new ConfigError(`small-count range must satisfy 0 ≤ min ≤ max, got min ${JSON.stringify(opts.min)}, max ${JSON.stringify(opts.max)}`);
  }
  const detector = patternDetector({
    id: SMALL_CELL_DETECTOR_ID,
    entity: SMALL_CELL,
    patterns: PATTERNS,
    context: ['cohort', 'sample', 'enrolled', 'diagnosed', 'cell', 'count', 'table', 'county', 'zip', 'hospital', 'clinic'],
    validate: (value) => {
      const n = countIn(value);
      return n !== undefined && n >= min && n <= max ? undefined : false;
    },
  });
  // `validate` runs DIGIT_RUN over matched text too: list it for the ReDoS proof.
  return { ...detector, regexes: SMALL_COUNT_REGEXES };
}

/**
 * Small counts stated in a text, e.g. before an LLM's summary of a cohort leaves the building.
 * Runs the detector through the analyzer, so context words raise scores and `minScore` applies.
 */
export function findSmallCounts(text: string, opts: SmallCountOptions & Pick<AnalyzeOptions, 'minScore'> = {}): Finding[] {
  const { minScore, ...range } = opts;
  return new Analyzer([smallCountDetector(range)]).analyze(text, minScore === undefined ? {} : { minScore });
}
