/**
 * PHONE_NUMBER — Presidio's PhoneRecognizer semantics: numbers that libphonenumber parses and
 * validates (full metadata, as python-phonenumbers' VALID leniency), score 0.4.
 *
 * libphonenumber costs 10–40 µs a call, so it never sees the text: one linear regex picks
 * phone-shaped runs out of the digit windows, cheap checks drop what cannot be a phone here (dates,
 * IPv4, SSN and ZIP+4 shapes, lengths no numbering plan allows), and only the rest is parsed —
 * once per distinct candidate (a small memo).
 *
 * Matching uses libphonenumber's default VALID leniency, as Presidio's leniency 1.
 *
 * Regions: international numbers (`+…`) anywhere; national numbers for the US (NANP, grouped as
 * NANP numbers are written) at Presidio's 0.4, or 0.3 when written as a bare digit run (order and
 * account numbers look like that); national numbers of Presidio's other default regions plus JP
 * and CN — written with their trunk prefix 0, or as a CN/IN mobile — at 0.3 (0.2 bare), so that
 * without a context word ("phone", "call", …) they stay under the default threshold.
 */
import { Metadata, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { forEachLeadMatch } from '../digit-runs.js';
import type { DigitLead, Detector, Finding } from '../types.js';
import { digitsOf } from './digit-checks.js';

/**
 * Presidio's context words less 'number', which lifts every "account number", "license number"
 * and "member number" to a phone; context words match inside longer words (as in Presidio), so
 * 'tel' (tell, hotel) is left out too.
 */
export const PHONE_CONTEXT = ['phone', 'telephone', 'cell', 'cellphone', 'mobile', 'call', 'fax'];

export const SCORE_US = 0.4;
export const SCORE_BARE = 0.3;
export const SCORE_FOREIGN = 0.3;
export const SCORE_FOREIGN_BARE = 0.2;

/** Presidio's default regions (less US/CA, tried first) plus JP and CN, as its tests configure. */
export const FOREIGN_REGIONS: readonly CountryCode[] = ['GB', 'DE', 'FR', 'IL', 'IN', 'BR', 'JP', 'CN'];

/**
 * A phone-shaped run: an optional '+' or '(', a digit, then digits and the separators phone numbers
 * use. Not after a letter or digit: libphonenumber rejects a number glued to a word ("is415…").
 */
const CANDIDATE = /(?<![\w+])[+(]?\d[\d .()-]{5,30}/g;
/** A candidate opens with a digit run, or a '+' or '(' right before one. */
const CANDIDATE_LEAD: DigitLead = { runs: { min: 1 }, before: 1, beforeChars: '+(' };

// Shapes of other number kinds, tested on the trimmed candidate.
const DATE_SHAPE = /^(?:\d{4}([-./])\d{1,2}\1\d{1,2}|\d{1,2}([-./])\d{1,2}\2(?:\d{4}|\d{2}))$/;
const IPV4_SHAPE = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const SSN_OR_ZIP4_SHAPE = /^(?:\d{3}-\d{2}-\d{4}|\d{5}-\d{4})$/;

/** The trunk prefix all the foreign regions above dial before a national number. */
const TRUNK_PREFIX = '0';
/** Mobile numbers dialled without the trunk prefix: China's 1[3-9]… and India's [6-9]…. */
const NO_TRUNK_MOBILE: Partial<Record<CountryCode, RegExp>> = { CN: /^1[3-9]\d{9}$/, IN: /^[6-9]\d{9}$/ };

const metadata = new Metadata();
interface Plan {
  region: CountryCode;
  lengths: ReadonlySet<number>;
}
const PLANS: Plan[] = FOREIGN_REGIONS.map((region) => {
  metadata.selectNumberingPlan(region);
  return { region, lengths: new Set(metadata.numberingPlan!.possibleLengths()) };
});

/**
 * Whether `digits` is written as a national number of the plan: the trunk prefix and a possible
 * length after it, or one of the mobile forms dialled without it. Without this, most 9–11 digit
 * identifiers (SSNs, NHS numbers, card fragments) would be "valid" in some region.
 */
function fitsPlan(digits: string, p: Plan): boolean {
  if (digits.startsWith(TRUNK_PREFIX)) return p.lengths.has(digits.length - TRUNK_PREFIX.length);
  return NO_TRUNK_MOBILE[p.region]?.test(digits) === true;
}

/** NANP: 10 digits (after an optional country code 1), area code and exchange starting 2–9. */
export function nanpShaped(digits: string): boolean {
  const d = digits.length === 11 && digits[0] === '1' ? digits.slice(1) : digits;
  return d.length === 10 && d[0]! >= '2' && d[3]! >= '2';
}

const valid = (text: string, region?: CountryCode) => parsePhoneNumberFromString(text, region)?.isValid() === true;

const rejectedShape = (cand: string) => DATE_SHAPE.test(cand) || IPV4_SHAPE.test(cand) || SSN_OR_ZIP4_SHAPE.test(cand);

/** Lengths of the digit groups of a candidate, `(415) 555-0132` → [3, 3, 4]. */
export function digitGroups(cand: string): number[] {
  const groups: number[] = [];
  let n = 0;
  for (let i = 0; i <= cand.length; i++) {
    const c = cand.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
    else if (n > 0) {
      groups.push(n);
      n = 0;
    }
  }
  return groups;
}

/** How NANP numbers are grouped when written nationally: 415 555 0132, 415 5550132, 1 800 555 0199, or bare. */
const NANP_GROUPINGS = new Set(['10', '11', '3,7', '3,3,4', '1,10', '1,3,7', '1,3,3,4']);

/** The score of a trimmed candidate as one international or US/NANP number, or 0. */
export function usOrInternationalScore(cand: string): number {
  const digits = digitsOf(cand);
  if (digits.length < 7 || digits.length > 15 || rejectedShape(cand)) return 0;
  if (cand[0] === '+') return valid(cand) ? SCORE_US : 0;
  if (nanpShaped(digits) && NANP_GROUPINGS.has(digitGroups(cand).join(',')) && valid(cand, 'US')) return digits.length === cand.length ? SCORE_BARE : SCORE_US;
  return 0;
}

/** The score of a trimmed candidate as one national number of a foreign region, or 0. */
export function foreignScore(cand: string): number {
  const digits = digitsOf(cand);
  if (digits.length < 9 || digits.length > 15 || cand[0] === '+' || rejectedShape(cand)) return 0;
  const groups = digitGroups(cand);
  if (groups[groups.length - 1]! < 2) return 0; // no numbering plan ends a number on a lone digit (ABA "0442-6553-9")
  for (const p of PLANS) if (fitsPlan(digits, p) && valid(cand, p.region)) return digits.length === cand.length ? SCORE_FOREIGN_BARE : SCORE_FOREIGN;
  return 0;
}

/** Drops trailing separators and an unbalanced closing parenthesis. */
export function trimCandidate(s: string): string {
  let e = s.length;
  for (;;) {
    const c = s[e - 1];
    if (c === ' ' || c === '.' || c === '-' || c === '(') e--;
    else if (c === ')' && count(s.slice(0, e), '(') < count(s.slice(0, e), ')')) e--;
    else break;
  }
  return s.slice(0, e);
}
const count = (s: string, ch: string) => s.split(ch).length - 1;

/** A phone number inside a candidate: [start, end) relative to the candidate, and its score. */
export type PhoneSpan = readonly [number, number, number];

/**
 * The phone numbers in a trimmed candidate. Usually the candidate is one number. A run that is not
 * one US or international number but holds spaces ("415-555-0132 2", "415 555 0132 415 555 0199")
 * is split at spaces, taking the longest US or international number from the left each time, as
 * libphonenumber's matcher looks for inner matches — a foreign reading of the whole run comes last.
 */
export function phoneSpans(cand: string): PhoneSpan[] {
  const whole = usOrInternationalScore(cand);
  if (whole > 0) return [[0, cand.length, whole]];
  const out: PhoneSpan[] = [];
  if (cand.includes(' ')) {
    const tokens: Array<[number, number]> = [];
    for (let i = 0; i < cand.length; ) {
      const sp = cand.indexOf(' ', i);
      const e = sp === -1 ? cand.length : sp;
      if (e > i) tokens.push([i, e]);
      i = e + 1;
    }
    for (let i = 0; i < tokens.length; ) {
      let j = Math.min(tokens.length, i + 6);
      for (; j > i; j--) {
        const score = usOrInternationalScore(cand.slice(tokens[i]![0], tokens[j - 1]![1]));
        if (score > 0) {
          out.push([tokens[i]![0], tokens[j - 1]![1], score]);
          break;
        }
      }
      i = j > i ? j : i + 1;
    }
    if (out.length > 0) return out;
  }
  const foreign = foreignScore(cand);
  return foreign > 0 ? [[0, cand.length, foreign]] : [];
}

const MEMO_MAX = 2048;
const memo = new Map<string, PhoneSpan[]>();
function memoSpans(cand: string): PhoneSpan[] {
  let spans = memo.get(cand);
  if (spans === undefined) {
    if (memo.size >= MEMO_MAX) memo.clear();
    spans = phoneSpans(cand);
    memo.set(cand, spans);
  }
  return spans;
}

export const phone: Detector = {
  id: 'phone',
  entities: ['PHONE_NUMBER'],
  context: PHONE_CONTEXT,
  regexes: [CANDIDATE, DATE_SHAPE, IPV4_SHAPE, SSN_OR_ZIP4_SHAPE, ...Object.values(NO_TRUNK_MOBILE)],
  leads: [{ regex: CANDIDATE, lead: CANDIDATE_LEAD }],
  detect(input) {
    const out: Finding[] = [];
    forEachLeadMatch(input, CANDIDATE, CANDIDATE_LEAD, (m, start) => {
      for (const [s, e, score] of memoSpans(trimCandidate(m[0]))) {
        out.push({ entity: 'PHONE_NUMBER', start: start + s, end: start + e, score, detector: 'phone' });
      }
      return undefined;
    });
    return out;
  },
};
