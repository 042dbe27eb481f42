/**
 * DATE_TIME — Presidio's DateRecognizer (ISO 8601 date-times 0.8; numeric dates in the
 * m/d/y, d/m/y, y/m/d orders with '/', '-' or '.' 0.6 (d.m.yy 0.3, and none right after
 * "version", "build"…: those are versions); `5-May-2021`, `May-21`, `21-May` 0.6;
 * `5/2021` 0.2 and `5/21` 0.1), plus written dates (`March 3, 1958`, `3rd of March 1958` 0.6;
 * without the year 0.4; `March 1958` 0.5) and times (`14:30` 0.3, `2:30 pm` 0.5).
 *
 * Dates of birth, admission, discharge and death are PHI: those context words ("DOB", "date of
 * birth", "born", "admitted", …) lift a date by the analyzer's context boost (0.6 → 0.95).
 *
 * Shapes are matched by a few small regexes over the digit windows; month names (capitalized or in
 * capitals), the day and year around them, and day/month ranges are read in code, which keeps
 * every regex provably linear and the number of passes over the text small.
 */
import { forEachLeadMatch } from '../digit-runs.js';
import type { DigitLead, Detector, Finding, LeadPattern } from '../types.js';
import { scanDigitPattern } from './digit-scan.js';
import { followsVersionWord } from './version-context.js';

export const DATE_CONTEXT = ['date', 'birthday', 'birth', 'dob', 'born', 'admitted', 'admission', 'discharged', 'discharge', 'died', 'death', 'deceased'];

const MONTHS = new Map<string, number>();
['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'].forEach((m, i) => {
  MONTHS.set(m, i + 1);
  MONTHS.set(m.slice(0, 3), i + 1);
});
MONTHS.set('sept', 9);

/** The month (1–12) a word names, in full or as a three-letter abbreviation (`Sept` too), or 0. */
export function monthOf(word: string): number {
  return MONTHS.get(word.toLowerCase()) ?? 0;
}

const isMonth = (n: number) => n >= 1 && n <= 12;
const isDay = (n: number) => n >= 1 && n <= 31;

/**
 * Whether numeric parts a-b-c (as written) form a date in one of Presidio's orders for this
 * separator: '/' m/d/y, d/m/y (2- or 4-digit year) and y/m/d; '-' m-d-yyyy, d-m-yyyy, yyyy-m-d;
 * '.' d.m.y. Month and day take one or two digits.
 */
export function numericDate(a: string, b: string, c: string, sep: string): boolean {
  const [x, y, z] = [Number(a), Number(b), Number(c)];
  if (a.length === 4) return sep !== '.' && c.length <= 2 && isMonth(y) && isDay(z);
  if (a.length > 2 || b.length > 2) return false;
  if (sep === '-' && c.length !== 4) return false;
  if (sep === '.') return isDay(x) && isMonth(y);
  return (isMonth(x) && isDay(y)) || (isDay(x) && isMonth(y));
}

const ISO_DATETIME = /\b\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?\b/g;
/** a/b/c, a-b-c or a.b.c; the separators must agree and the orders are checked in code. */
const NUMERIC_DATE = /\b(\d{1,4})([/.-])(\d{1,2})([/.-])(\d{4}|\d{2})\b/g;
const MONTH_YEAR_NUMERIC = /(?<![\d/])\b(\d{1,2})\/(\d{4}|\d{2})\b(?!\/\d)/g;
/**
 * The start of a month name, capitalized or in capitals (`Mar`, `March`, `MAR`). Lower-case month
 * words ("may", "march") are ordinary words far more often than dates. The rest of the word and
 * the day and year around it are read by the sticky patterns below and in code.
 */
const MONTH_START = /\b(?:J(?:an|AN|un|UN|ul|UL)|F(?:eb|EB)|M(?:ar|AR|ay|AY)|A(?:pr|PR|ug|UG)|S(?:ep|EP)|O(?:ct|CT)|N(?:ov|OV)|D(?:ec|EC))/g;
const WORD_REST = /[A-Za-z]{0,6}\b/y;
/** `-2021` or `-21` after a month (Presidio's MMM-yyyy). */
const DASH_YEAR = /-(\d{4}|\d{2})\b/y;
/** ` 3`, `. 3rd`, `, 2021` after a month. */
const NUMBER_AFTER = /\.?,? (\d{1,4})(?:st|nd|rd|th)?\b/y;
const YEAR_AFTER = /,? (\d{4})\b/y;
/**
 * `14:30`, `14:30:05`, `2:30 pm`, `3pm`, `3 p.m.`: an hour with minutes, a meridiem or both (the
 * character before is checked in code: not a piece of a longer timestamp such as
 * `…T09:15:30.500-07:00`, a ratio run or a MAC address).
 */
const TIME = /\b(?:[01]?\d|2[0-3])(?::[0-5]\d(?::[0-5]\d)?(?![:\d])(?: ?(?:[aApP][mM]\b|[aApP]\.[mM]\.))?| ?(?:[aApP][mM]\b|[aApP]\.[mM]\.))/g;

export const SCORE_ISO = 0.8;
export const SCORE_DATE = 0.6;
export const SCORE_DOTTED_YY = 0.3;
export const SCORE_MONTH_YEAR_WORDS = 0.5;
export const SCORE_NO_YEAR = 0.4;
export const SCORE_MONTH_YYYY = 0.2;
export const SCORE_MONTH_YY = 0.1;
export const SCORE_TIME = 0.3;
export const SCORE_TIME_AMPM = 0.5;

const hasMeridiem = (time: string) => {
  const c = time.charAt(time.length - (time.endsWith('.') ? 2 : 1)).toLowerCase();
  return c === 'm';
};

function sticky(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isWord = (c: number) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** Start of a 1–2 digit day ending at `end` (an ordinal suffix before `end` allowed), or -1. */
export function dayBefore(text: string, end: number): number {
  let e = end;
  const suffix = text.slice(e - 2, e);
  if (suffix === 'st' || suffix === 'nd' || suffix === 'rd' || suffix === 'th') e -= 2;
  let s = e;
  while (s > 0 && e - s < 3 && isDigit(text.charCodeAt(s - 1))) s--;
  if (s === e || e - s > 2 || (s > 0 && (isWord(text.charCodeAt(s - 1)) || text.charCodeAt(s - 1) === 46))) return -1;
  if (e !== end && s === e) return -1;
  return isDay(Number(text.slice(s, e))) ? s : -1;
}

/**
 * The date around the month word [p, q): `5-May-2021`, `May-21`, `21-May` (Presidio's forms),
 * `March 3`, `March 3rd, 1958`, `3 March 1958`, `3rd of March`, `March 1958`.
 */
export function monthDate(text: string, p: number, q: number): { start: number; end: number; score: number } | undefined {
  if (!monthOf(text.slice(p, q))) return undefined;
  // Dash forms (Presidio: dd-MMM-yyyy, MMM-yyyy, dd-MMM): three-letter abbreviations.
  if (q - p === 3 && (text[q] === '-' || text[p - 1] === '-')) {
    const day = text[p - 1] === '-' ? dayBefore(text, p - 1) : -1;
    const year = text[q] === '-' ? sticky(DASH_YEAR, text, q) : null;
    if (day !== -1 || year) return { start: day !== -1 ? day : p, end: year ? q + year[0].length : q, score: SCORE_DATE };
  }
  // Day before the month: "3 March", "3rd of March".
  let dayStart = -1;
  if (text[p - 1] === ' ') dayStart = text.slice(p - 4, p) === ' of ' ? dayBefore(text, p - 4) : dayBefore(text, p - 1);
  if (dayStart !== -1) {
    const y = sticky(YEAR_AFTER, text, text[q] === '.' ? q + 1 : q);
    return y ? { start: dayStart, end: (text[q] === '.' ? q + 1 : q) + y[0].length, score: SCORE_DATE } : { start: dayStart, end: q, score: SCORE_NO_YEAR };
  }
  // Number after the month: a day (then maybe a year) or a year.
  const n = sticky(NUMBER_AFTER, text, q);
  if (!n) return undefined;
  const num = n[1]!;
  const end = q + n[0].length;
  const ordinal = n[0].charCodeAt(n[0].length - 1) >= 97;
  if (num.length === 4 && !ordinal) return { start: p, end, score: SCORE_MONTH_YEAR_WORDS };
  if (num.length > 2 || !isDay(Number(num))) return undefined;
  const y = sticky(YEAR_AFTER, text, end);
  return y ? { start: p, end: end + y[0].length, score: SCORE_DATE } : { start: p, end, score: SCORE_NO_YEAR };
}

/** Presidio's look-arounds per separator: not inside a path (`/`) or a dotted run such as an IPv4 address. */
function numericContextOk(text: string, start: number, end: number, sep: string): boolean {
  if (sep === '/') return text[start - 1] !== '/' && !(text[end] === '/' && isDigit(text.charCodeAt(end + 1)));
  if (sep === '.') return !(text[start - 1] === '.' && isDigit(text.charCodeAt(start - 2))) && !(text[end] === '.' && isDigit(text.charCodeAt(end + 1)));
  return true;
}

type Rule = (m: RegExpExecArray, text: string, start: number) => { score: number; start?: number; end?: number } | undefined;

/**
 * Each shape with the rule that scores it and, for the numeric shapes, where its matches begin:
 * at a run of 1–4 digits followed by the shape's separator (see digit-runs.ts).
 */
const RULES: Array<[RegExp, Rule, DigitLead | undefined]> = [
  [ISO_DATETIME, () => ({ score: SCORE_ISO }), { runs: [4], next: '-' }],
  [
    NUMERIC_DATE,
    (m, text, start) => {
      const sep = m[2]!;
      const end = start + m[0].length;
      if (m[4] !== sep || !numericContextOk(text, start, end, sep) || !numericDate(m[1]!, m[3]!, m[5]!, sep)) return undefined;
      // "build 4.5.11", "1.2.10-rc": a version. A 2-digit-year dotted date is weak on its own.
      if (followsVersionWord(text, start) || (text[end] === '-' && isWord(text.charCodeAt(end + 1)))) return undefined;
      return { score: sep === '.' && m[5]!.length === 2 ? SCORE_DOTTED_YY : SCORE_DATE };
    },
    { runs: { min: 1, max: 4 }, next: '/.-' },
  ],
  [MONTH_YEAR_NUMERIC, (m) => (isMonth(Number(m[1])) ? { score: m[2]!.length === 4 ? SCORE_MONTH_YYYY : SCORE_MONTH_YY } : undefined), { runs: [1, 2], next: '/' }],
  [
    MONTH_START,
    (m, text, start) => {
      const rest = sticky(WORD_REST, text, start + m[0].length);
      return rest ? monthDate(text, start, start + m[0].length + rest[0].length) : undefined;
    },
    undefined, // a word, not a number: scanned over the digit windows
  ],
  [
    TIME,
    (m, text, start) => {
      const before = text[start - 1];
      if (before === ':' || before === '.' || before === '+' || before === '-') return undefined;
      if (hasMeridiem(m[0])) {
        const hour = parseInt(m[0], 10);
        return hour >= 1 && hour <= 12 ? { score: SCORE_TIME_AMPM } : undefined; // "13pm", "0am"
      }
      return m[0].includes(':') ? { score: SCORE_TIME } : undefined; // an hour alone needs its meridiem
    },
    { runs: [1, 2], next: ': aApP' },
  ],
];

export const dateTime: Detector = {
  id: 'date-time',
  entities: ['DATE_TIME'],
  context: DATE_CONTEXT,
  regexes: RULES.map(([r]) => r).concat([WORD_REST, DASH_YEAR, NUMBER_AFTER, YEAR_AFTER]),
  leads: RULES.flatMap(([regex, , lead]): LeadPattern[] => (lead ? [{ regex, lead }] : [])),
  detect(input) {
    const text = input.text;
    const out: Finding[] = [];
    for (const [regex, rule, lead] of RULES) {
      const hit = (m: RegExpExecArray, start: number) => {
        const r = rule(m, text, start);
        if (r) out.push({ entity: 'DATE_TIME', start: r.start ?? start, end: r.end ?? start + m[0].length, score: r.score, detector: 'date-time' });
        return undefined;
      };
      if (lead) forEachLeadMatch(input, regex, lead, hit);
      else scanDigitPattern(input, regex, hit);
    }
    return out;
  },
};
