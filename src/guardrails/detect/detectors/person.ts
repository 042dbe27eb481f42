/**
 * PERSON — rule-based, no model: Presidio finds names with spaCy's NER, which this package does
 * not ship. Three signals, each on capitalized words:
 * - a title before the name (`Dr. Jane Smith`, `Mrs. Okafor`) → 0.75;
 * - a lead word before it (`Patient: John Doe`, `Dear Maria,`, `Sincerely,⏎Robert Johnson`) → 0.6
 *   for two or more words, 0.5 for a known given name alone, 0.3 for another single word after a
 *   colon (`Patient: Nguyen`; the lead words are context words too, so that one rises to 0.65);
 * - a common given name with a surname after it (`Emily Carter`) or before it and a comma
 *   (`Carter, Emily`) → 0.5, or 0.3 when the given name is also an everyday word (`Will`, `Grace`).
 * Names in capitals (`JOHN SMITH`, `GARCIA, ARJUN`) count when the given name is known.
 * The name is reported without its title. Expect roughly: high precision on titled and labelled
 * names, misses on unlabelled names outside the given-name list — the opt-in `nlp-person`
 * detector trades speed for some of those.
 */
import type { Detector, Finding } from '../types.js';
import { AMBIGUOUS_GIVEN_NAMES, GIVEN_NAMES, NOT_NAMES_SET } from './person-names.js';

export const PERSON_CONTEXT = ['patient', 'name', 'signed', 'dear', 'physician', 'doctor', 'nurse', 'surgeon', 'guardian', 'spouse'];

export const SCORE_TITLE = 0.75;
export const SCORE_LEAD = 0.6;
export const SCORE_LEAD_GIVEN = 0.5;
export const SCORE_LEAD_SINGLE = 0.3;
export const SCORE_GIVEN_SURNAME = 0.5;
export const SCORE_AMBIGUOUS = 0.3;

const TITLES = new Set(['dr', 'mr', 'mrs', 'ms', 'mx', 'miss', 'prof', 'professor']);
const LEADS = new Set([
  'patient', 'pt', 'name', 'dear', 'attn', 'hi', 'hello', 'hey', 'physician', 'doctor', 'nurse', 'provider', 'surgeon', 'clinician',
  'guardian', 'mother', 'father', 'spouse', 'wife', 'husband', 'son', 'daughter', 'witness', 'insured', 'subscriber', 'resident',
]);
/** Sign-offs: the name often stands on the next line. */
const CLOSINGS = new Set(['signed', 'sincerely', 'regards', 'thanks', 'cheers', 'best']);

/** A capitalized or all-capitals word (`Smith`, `McDonald`, `O'Brien`, `Smith-Jones`, `SMITH`). */
const CAPITALIZED = /\b[A-Z][A-Za-z'-]{1,24}/g;
/** The next word of a name: an initial or a capitalized word. */
const NAME_WORD = / (?:[A-Z]\.|[A-Z][A-Za-z'-]{1,24})/y;

/** What may stand between a title or lead word and the name. */
const SEPARATORS = ' \t\n\r:,.';
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isLower = (c: number) => c >= 97 && c <= 122;

function hasLower(word: string): boolean {
  for (let i = 1; i < word.length; i++) if (isLower(word.charCodeAt(i))) return true;
  return false;
}

/**
 * A word that can be part of a name: not a common word, and capitalized (`Smith`) — or, in a name
 * written in capitals (`JOHN SMITH`, `GARCIA, ARJUN`), all capitals.
 */
export function nameLike(word: string, capitals = false): boolean {
  if (hasLower(word) === capitals) return false;
  const w = word.toLowerCase();
  return !NOT_NAMES_SET.has(w) || AMBIGUOUS_GIVEN_NAMES.has(w);
}

/**
 * The word before `start` as written (without its dot) and what separates it — spaces, one ':' or
 * ',' or '.', a line break; word '' when the name is glued to the previous word.
 */
export function previousWord(text: string, start: number): { word: string; sep: string } {
  let e = start;
  while (e > 0 && start - e < 6 && SEPARATORS.includes(text[e - 1]!)) e--;
  if (e === start) return { word: '', sep: '' };
  let s = e;
  while (s > 0 && e - s < 12 && isLetter(text.charCodeAt(s - 1))) s--;
  if (s > 0 && isLetter(text.charCodeAt(s - 1))) return { word: '', sep: '' };
  return { word: text.slice(s, e), sep: text.slice(e, start) };
}

/**
 * End of the name whose first word ends at `end`: up to three more initials or name words — one
 * in capitals, where the next word of a heading looks the same (`JOHN SMITH ADMITTED`).
 */
function nameEnd(text: string, end: number, capitals: boolean, words: { n: number }): number {
  for (let i = 0; i < (capitals ? 1 : 3); i++) {
    NAME_WORD.lastIndex = end;
    const m = NAME_WORD.exec(text);
    if (!m) break;
    const word = m[0].slice(1);
    if (!word.endsWith('.') && !nameLike(word, capitals)) break;
    end += m[0].length;
    words.n++;
  }
  // A trailing initial ("Jane A.") is not part of the name unless a surname follows it.
  while (text.charCodeAt(end - 1) === 46 && text.charCodeAt(end - 3) === 32) {
    end -= 3;
    words.n--;
  }
  return end;
}

/** Start of `Last, ` before the given name at `start` (`Schmidt, Olivia`, `GARCIA, ARJUN`), or -1. */
function surnameBefore(text: string, start: number, capitals: boolean): number {
  if (text.charCodeAt(start - 1) !== 32 || text.charCodeAt(start - 2) !== 44) return -1;
  const e = start - 2;
  let s = e;
  while (s > 0 && e - s < 25 && (isLetter(text.charCodeAt(s - 1)) || text.charCodeAt(s - 1) === 39 || text.charCodeAt(s - 1) === 45)) s--;
  if (s === e || (s > 0 && isLetter(text.charCodeAt(s - 1)))) return -1;
  const word = text.slice(s, e);
  const lower = word.toLowerCase();
  if (word.charCodeAt(0) > 90 || !nameLike(word, capitals) || LEADS.has(lower) || CLOSINGS.has(lower)) return -1;
  return s;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => c >= 65 && c <= 90;

/**
 * Whether the word ending at `end` closes a street address — a house number, then one to four
 * capitalized words (`1544 N Maple Dr`) — so that its "Dr" is Drive, not Doctor.
 */
export function endsStreetAddress(text: string, end: number): boolean {
  let e = end;
  for (let words = 0; words < 5; words++) {
    let s = e;
    while (s > 0 && e - s < 25 && (isLetter(text.charCodeAt(s - 1)) || isDigit(text.charCodeAt(s - 1)))) s--;
    if (s === e) return false;
    if (words > 0 && isDigit(text.charCodeAt(s)) && isDigit(text.charCodeAt(e - 1))) return true;
    if (!isUpper(text.charCodeAt(s)) || s === 0 || text.charCodeAt(s - 1) !== 32) return false;
    e = s - 1;
  }
  return false;
}

/** The longest title, lead or closing word: longer previous words are not looked up. */
const MAX_CUE = 10;

/** The name starting with the capitalized word `first` at `start`, or undefined. */
export function personAt(text: string, start: number, first: string): Finding | undefined {
  const capitals = !hasLower(first);
  const lowerFirst = first.toLowerCase();
  const ambiguous = AMBIGUOUS_GIVEN_NAMES.has(lowerFirst);
  const given = !ambiguous && GIVEN_NAMES.has(lowerFirst);
  if (capitals && !given && !ambiguous) return undefined; // acronyms, headings
  if (!ambiguous && NOT_NAMES_SET.has(lowerFirst)) return undefined;
  // The common case — an ordinary capitalized word after an ordinary word — allocates nothing more.
  let prevWord = '';
  let sep = '';
  let e = start;
  while (e > 0 && start - e < 6 && SEPARATORS.includes(text[e - 1]!)) e--;
  if (e < start) {
    let s = e;
    while (s > 0 && e - s <= MAX_CUE && isLetter(text.charCodeAt(s - 1))) s--;
    if (e - s <= MAX_CUE && (s === 0 || !isLetter(text.charCodeAt(s - 1)))) {
      prevWord = text.slice(s, e);
      sep = text.slice(e, start);
    }
  }
  const prev = prevWord.toLowerCase();
  const newline = sep.includes('\n');
  // A title is written with a capital ("Dr.", "MRS"), unlike the words "dr" or "ms" in running text.
  const titled = !newline && TITLES.has(prev) && prevWord.charCodeAt(0) <= 90 && !(prev === 'dr' && endsStreetAddress(text, e));
  const led = !titled && ((!newline && LEADS.has(prev)) || CLOSINGS.has(prev));
  if (!titled && !led && !given && !ambiguous) return undefined;
  const words = { n: 1 };
  const end = nameEnd(text, start + first.length, capitals, words);
  if (titled) return { entity: 'PERSON', start, end, score: SCORE_TITLE, detector: 'person' };
  // "Last, First": the surname before a given name.
  const last = given || ambiguous ? surnameBefore(text, start, capitals) : -1;
  if (last !== -1) words.n++;
  let score = 0;
  if (led) {
    if (words.n >= 2) score = SCORE_LEAD;
    else if (given) score = SCORE_LEAD_GIVEN;
    else if (!ambiguous && sep.includes(':')) score = SCORE_LEAD_SINGLE; // "Patient: Nguyen", not "Patient Financial"
  } else if (words.n >= 2) score = given ? SCORE_GIVEN_SURNAME : SCORE_AMBIGUOUS;
  if (last !== -1 && score > 0) {
    const before = previousWord(text, last).word.toLowerCase();
    if (LEADS.has(before) || CLOSINGS.has(before)) score = Math.max(score, SCORE_LEAD);
  }
  return score > 0 ? { entity: 'PERSON', start: last !== -1 ? last : start, end, score, detector: 'person' } : undefined;
}

export const person: Detector = {
  id: 'person',
  entities: ['PERSON'],
  context: PERSON_CONTEXT,
  regexes: [CAPITALIZED, NAME_WORD],
  detect(input) {
    const text = input.text;
    const out: Finding[] = [];
    CAPITALIZED.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = CAPITALIZED.exec(text))) {
      let word = m[0];
      while (word.endsWith("'") || word.endsWith('-')) word = word.slice(0, -1);
      const f = personAt(text, m.index, word);
      if (f) {
        out.push(f);
        CAPITALIZED.lastIndex = f.end;
      }
    }
    return out;
  },
};
