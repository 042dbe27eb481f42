/**
 * DEVICE_ID — device serial numbers and IMEIs (HIPAA identifier 13, "device identifiers and
 * serial numbers"). A serial is too shapeless to find on its own, so only a value right after a
 * keyword counts: "serial", "serial no./number", "S/N", "SN:", "device id", "UDID", "MEID", "ESN",
 * "IMEI" (0.6). After "IMEI" the value must be 15 digits passing the Luhn check (0.95; failing →
 * dropped). A formatted IMEI (`35-209900-176148-1`, Presidio's ImeiRecognizer pattern) with a
 * valid Luhn digit is reported without a keyword at 0.3.
 */
import { forEachLeadMatch } from '../digit-runs.js';
import type { DigitLead, Detector, Finding } from '../types.js';
import { digitsOf, luhnValid } from './digit-checks.js';
import { scanDigitPattern } from './digit-scan.js';

export const DEVICE_CONTEXT = ['serial', 'device', 'imei', 'handset', 'equipment', 'implant'];

export const SCORE_SERIAL = 0.6;
export const SCORE_IMEI = 0.95;
export const SCORE_IMEI_NO_KEYWORD = 0.3;

const KEYWORD = /\b(?:serial|s\/n|sn|device id|device identifier|imei|meid|udid|esn)\b/gi;
/** What may stand between a keyword and its value: "no.", "number", "#", ':' and the like. */
const FILLER = /[ \t]{0,3}(?:(?:no\b\.?|num\b\.?|number\b|is\b|was\b|#)[ \t]{0,3}){0,2}[:#=]?[ \t]{0,3}/y;
const VALUE = /[A-Za-z0-9][A-Za-z0-9-]{3,39}(?![A-Za-z0-9-])/y;
const IMEI_VALUE = /(?:\d{15}|\d{2}([- ])\d{6}\1\d{6}\1\d)(?![\w-])/y;
const IMEI_FORMATTED = /\b\d{2}([- ])\d{6}\1\d{6}\1\d\b/g;
const IMEI_FORMATTED_LEAD: DigitLead = { runs: [2], next: '- ' };

/** Whether `value` is a 15-digit IMEI (separators ignored) with a valid Luhn check digit. */
export function imeiValid(value: string): boolean {
  const d = digitsOf(value);
  return d.length === 15 && luhnValid(d);
}

function sticky(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

/** The finding for the value after the keyword `kw` ending at `at`, or undefined. */
export function afterKeyword(text: string, kw: string, at: number): Finding | undefined {
  const filler = sticky(FILLER, text, at)!;
  // "SN" and "S/N" are short enough to occur by chance: they need a ':' or '#' before the value.
  const short = kw.length <= 3 && kw.toLowerCase() !== 'esn';
  if (short && !filler[0].includes(':') && !filler[0].includes('#')) return undefined;
  const start = at + filler[0].length;
  if (kw.toLowerCase() === 'imei') {
    const m = sticky(IMEI_VALUE, text, start);
    return m && imeiValid(m[0]) ? { entity: 'DEVICE_ID', start, end: start + m[0].length, score: SCORE_IMEI, detector: 'device-id' } : undefined;
  }
  const m = sticky(VALUE, text, start);
  if (!m || digitsOf(m[0]).length === 0) return undefined;
  return { entity: 'DEVICE_ID', start, end: start + m[0].length, score: SCORE_SERIAL, detector: 'device-id' };
}

export const deviceId: Detector = {
  id: 'device-id',
  entities: ['DEVICE_ID'],
  context: DEVICE_CONTEXT,
  regexes: [KEYWORD, FILLER, VALUE, IMEI_VALUE, IMEI_FORMATTED],
  leads: [{ regex: IMEI_FORMATTED, lead: IMEI_FORMATTED_LEAD }],
  detect(input) {
    const text = input.text;
    const out: Finding[] = [];
    // Every value holds a digit and follows its keyword closely, so the keyword lies in the same window.
    scanDigitPattern(input, KEYWORD, (m, start) => {
      const f = afterKeyword(text, m[0], start + m[0].length);
      if (f) out.push(f);
      return f?.end;
    });
    forEachLeadMatch(input, IMEI_FORMATTED, IMEI_FORMATTED_LEAD, (m, start) => {
      if (imeiValid(m[0])) out.push({ entity: 'DEVICE_ID', start, end: start + m[0].length, score: SCORE_IMEI_NO_KEYWORD, detector: 'device-id' });
      return undefined;
    });
    return out;
  },
};
