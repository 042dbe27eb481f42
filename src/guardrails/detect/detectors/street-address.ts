/**
 * LOCATION — US postal addresses: a house number, a capitalized street name and a street suffix
 * (`221B Baker Street`, `1600 Pennsylvania Ave NW`), then optionally a unit, a city with its state
 * and a ZIP code; `City, ST 12345` alone (0.6); `City, ST` alone (0.4; not for codes that are
 * also degrees or words: `Smith, MD`, `Jones, PA`); `P.O. Box 123`.
 *
 * Context-gated: number + name + suffix alone scores 0.3 ("won 2 Supreme Court cases" has that
 * shape too), so it shows only next to a context word ("address", "lives at", …); each further
 * part raises it — a unit to 0.45, a city and state to 0.75, a ZIP to 0.85. A number and a name
 * without a suffix (`5 Main`) is not reported at all.
 *
 * The street is read word by word with small sticky regexes after one anchor regex over the digit
 * windows, since one regex for the whole address would not be provably linear.
 */
import { forEachLeadMatch } from '../digit-runs.js';
import type { DigitLead, Detector, Finding } from '../types.js';
import { scanDigitPattern } from './digit-scan.js';
import { US_STATE_CODES, US_STATE_NAMES } from './us-states.js';

export const LOCATION_CONTEXT = ['address', 'addr', 'street', 'lives', 'lived', 'resides', 'residence', 'located', 'home', 'mailing', 'ship to', 'deliver', 'born in', 'moved to'];

export const SCORE_STREET = 0.3;
export const SCORE_UNIT = 0.45;
export const SCORE_CITY_STATE = 0.75;
export const SCORE_ZIP = 0.85;
export const SCORE_CITY_STATE_ZIP = 0.6;
export const SCORE_PO_BOX = 0.5;
export const SCORE_CITY_STATE_ONLY = 0.4;
/** `Smith, MD`, `Jones, PA`, `Thanks, OK`: codes that are also degrees, roles or words — not taken alone. */
const AMBIGUOUS_STATE_CODES = new Set(['MD', 'PA', 'ME', 'OR', 'IN', 'OK', 'HI', 'OH', 'DE', 'AS', 'ID']);

const SUFFIXES = new Set(
  ('street st avenue ave av boulevard blvd road rd drive dr lane ln court ct place pl way parkway pkwy highway hwy circle cir ' +
    'terrace ter trail trl alley aly loop plaza plz square sq crescent cres expressway expy freeway fwy pike turnpike tpke ' +
    'crossing xing ridge heights hts row').split(' '),
);

/** A house number (`221`, `221B`) followed by a space and a capital or a digit. */
const HOUSE_NUMBER = /\b\d{1,6}[A-Za-z]? (?=[A-Z0-9])/g;
const HOUSE_NUMBER_LEAD: DigitLead = { runs: { min: 1, max: 6 }, next: ' ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz' };
/** One word of a street name: capitalized, a directional or initials (`N`, `NW`), or an ordinal. */
const STREET_WORD = /(?:[A-Z][a-z]{1,20}|[A-Z]{1,2}|\d{1,3}(?:st|nd|rd|th))\.?/y;
const POST_DIRECTIONAL = / (?:[NS][EW]?|[EW])\b\.?/y;
const UNIT_KEYWORD = /,? (?:Apt|Apartment|Suite|Ste|Unit|Rm|Room|Fl|Floor|Bldg|Building|Lot)\b/y;
const UNIT_ID = /[.]? ?#?([A-Za-z0-9-]{1,6})(?![A-Za-z0-9-])/y;
const HASH_UNIT = /,? #[A-Za-z0-9-]{1,6}\b/y;
const CAPITAL_WORD = /[A-Z][a-z]{1,20}/y;
const STATE_CODE = /[A-Z]{2}(?![A-Za-z])/y;
const ZIP_TAIL = /,? \d{5}(?:-\d{4})?(?![\w-])/y;
/** `ST 12345` — a state code and a ZIP code; the city before it is read backwards in code. */
const STATE_ZIP = /\b[A-Z]{2} \d{5}(?:-\d{4})?(?![\w-])/g;
const STATE_ZIP_LEAD: DigitLead = { runs: [5], before: { min: 3, max: 3 }, beforeChars: ' ABCDEFGHIJKLMNOPQRSTUVWXYZ' };
const PO_BOX = /\bP\.? ?O\.? Box \d{1,6}\b/gi;
/** `, ST` — a possible state after a city (`Boise, ID`); no digit, so a literal-led pass over the whole text. */
const COMMA_STATE = /, [A-Z]{2}\b/g;

function sticky(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

/** End of the street part starting at `from` (after the house number), or -1 without a suffix. */
export function streetEnd(text: string, from: number): number {
  let pos = from;
  for (let words = 0; words < 6; words++) {
    const m = sticky(STREET_WORD, text, pos);
    if (!m) return -1;
    const word = m[0].endsWith('.') ? m[0].slice(0, -1) : m[0];
    if (words > 0 && SUFFIXES.has(word.toLowerCase())) {
      // "St." keeps its dot; "Street." ends a sentence.
      return pos + (word.length <= 4 ? m[0].length : word.length);
    }
    pos += m[0].length;
    if (text.charCodeAt(pos) !== 32) return -1;
    pos++;
  }
  return -1;
}

/** End of the state (code or name) starting at `at`, or -1. */
function stateEnd(text: string, at: number): number {
  const code = sticky(STATE_CODE, text, at);
  if (code && US_STATE_CODES.has(code[0])) return at + 2;
  let pos = at;
  for (let words = 0; words < 3; words++) {
    const w = sticky(CAPITAL_WORD, text, pos);
    if (!w) return -1;
    pos += w[0].length;
    if (US_STATE_NAMES.has(text.slice(at, pos).toLowerCase())) return pos;
    if (text.charCodeAt(pos) !== 32) return -1;
    pos++;
  }
  return -1;
}

/** End of `, City, ST`, `, City ST` or ` City, ST` starting at `at`, or -1. */
function cityStateEnd(text: string, at: number): number {
  let pos = at;
  if (text.charCodeAt(pos) === 44) pos++;
  if (text.charCodeAt(pos) === 32) pos++;
  if (pos === at) return -1;
  for (let words = 0; words < 3; words++) {
    const w = sticky(CAPITAL_WORD, text, pos);
    if (!w) return -1;
    pos += w[0].length;
    let next = pos;
    if (text.charCodeAt(next) === 44) next++;
    if (text.charCodeAt(next) !== 32) return -1;
    next++;
    const e = stateEnd(text, next);
    if (e !== -1) return e;
    if (text.charCodeAt(pos) !== 32) return -1; // a comma ended the city but no state followed
    pos++;
  }
  return -1;
}

/** The address starting at the house number `start`, whose number and space end at `from`. */
export function streetAddress(text: string, start: number, from: number): Finding | undefined {
  let end = streetEnd(text, from);
  if (end === -1) return undefined;
  const dir = sticky(POST_DIRECTIONAL, text, end);
  if (dir) end += dir[0].length;
  let score = SCORE_STREET;
  const unit = sticky(UNIT_KEYWORD, text, end);
  if (unit) {
    const id = sticky(UNIT_ID, text, end + unit[0].length);
    if (id) {
      end += unit[0].length + id[0].length;
      score = SCORE_UNIT;
    }
  } else {
    const hash = sticky(HASH_UNIT, text, end);
    if (hash) {
      end += hash[0].length;
      score = SCORE_UNIT;
    }
  }
  const cityEnd = cityStateEnd(text, end);
  if (cityEnd !== -1) {
    end = cityEnd;
    score = SCORE_CITY_STATE;
    const zip = sticky(ZIP_TAIL, text, end);
    if (zip) {
      end += zip[0].length;
      score = SCORE_ZIP;
    }
  }
  return { entity: 'LOCATION', start, end, score, detector: 'street-address' };
}

const isLower = (c: number) => c >= 97 && c <= 122;
const isUpper = (c: number) => c >= 65 && c <= 90;

/** Start of `City, ` (one to three capitalized words) ending right before the state at `state`, or -1. */
export function cityBefore(text: string, state: number): number {
  let e = state;
  if (text.charCodeAt(e - 1) !== 32) return -1;
  e--;
  if (text.charCodeAt(e - 1) !== 44) return -1;
  e--;
  let start = -1;
  for (let words = 0; words < 3; words++) {
    let w = e;
    while (w > 0 && isLower(text.charCodeAt(w - 1))) w--;
    if (w === e || w === 0 || !isUpper(text.charCodeAt(w - 1))) break;
    w--;
    start = w;
    if (w === 0 || text.charCodeAt(w - 1) !== 32) break;
    e = w - 1;
  }
  return start;
}

export const streetAddressDetector: Detector = {
  id: 'street-address',
  entities: ['LOCATION'],
  context: LOCATION_CONTEXT,
  regexes: [HOUSE_NUMBER, STREET_WORD, POST_DIRECTIONAL, UNIT_KEYWORD, UNIT_ID, HASH_UNIT, CAPITAL_WORD, STATE_CODE, ZIP_TAIL, STATE_ZIP, PO_BOX, COMMA_STATE],
  leads: [
    { regex: HOUSE_NUMBER, lead: HOUSE_NUMBER_LEAD },
    { regex: STATE_ZIP, lead: STATE_ZIP_LEAD },
  ],
  detect(input) {
    const text = input.text;
    const out: Finding[] = [];
    forEachLeadMatch(input, HOUSE_NUMBER, HOUSE_NUMBER_LEAD, (m, start) => {
      const f = streetAddress(text, start, start + m[0].length);
      if (!f) return undefined;
      out.push(f);
      return f.end;
    });
    forEachLeadMatch(input, STATE_ZIP, STATE_ZIP_LEAD, (m, at) => {
      if (!US_STATE_CODES.has(m[0].slice(0, 2))) return undefined;
      const city = cityBefore(text, at);
      if (city !== -1) out.push({ entity: 'LOCATION', start: city, end: at + m[0].length, score: SCORE_CITY_STATE_ZIP, detector: 'street-address' });
      return undefined;
    });
    if (text.includes(', ')) {
      COMMA_STATE.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = COMMA_STATE.exec(text))) {
        const code = m[0].slice(2);
        if (!US_STATE_CODES.has(code) || AMBIGUOUS_STATE_CODES.has(code)) continue;
        const at = m.index + 2;
        const city = cityBefore(text, at);
        if (city === -1) continue;
        out.push({ entity: 'LOCATION', start: city, end: at + 2, score: SCORE_CITY_STATE_ONLY, detector: 'street-address' });
      }
    }
    scanDigitPattern(input, PO_BOX, (m, start) => {
      out.push({ entity: 'LOCATION', start, end: start + m[0].length, score: SCORE_PO_BOX, detector: 'street-address' });
      return undefined;
    });
    return out;
  },
};
