/**
 * IBAN_CODE — Presidio's IbanRecognizer: a country code, two check digits and groups of four
 * (optionally separated by single spaces or dashes), the ISO 7064 mod-97 check digits and the
 * country's BBAN format. As in Presidio the pattern is case-sensitive, and when the full match
 * fails validation the shorter forms without its trailing group(s) are tried
 * ("… DE89 3704 0044 0532 0130 00 2 days" still finds the IBAN).
 *
 * Country formats (length and BBAN structure) come from ibantools' registry, restricted to the
 * countries of the SWIFT IBAN registry.
 */
import { getCountrySpecifications } from 'ibantools';
import type { Detector, Finding } from '../types.js';
import { scanAnchors } from './anchored-scan.js';

/** Where an IBAN can start: two capitals and two digits, not inside a longer token. */
const ANCHOR = /(?<![A-Z0-9])[A-Z]{2}\d{2}/g;
/** Two capitals, then a run of two or more digits. */
const ANCHOR_LEAD = { runs: { min: 2 }, before: { min: 2, max: 2 }, beforeChars: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' };

export const IBAN_CONTEXT = ['iban', 'bank', 'transaction'];

const isUpperAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
const isSep = (c: number) => c === 32 || c === 45;

/** `[ -]?[A-Z0-9]{n}` at `i`: its end, or -1. The separator is taken whenever present. */
function chunkAt(text: string, i: number, n: number): number {
  const j = isSep(text.charCodeAt(i)) ? i + 1 : i;
  if (j + n > text.length) return -1;
  for (let k = j; k < j + n; k++) if (!isUpperAlnum(text.charCodeAt(k))) return -1;
  return j + n;
}

/**
 * Presidio's match from `p` (country code and check digits already matched): the ends of its three
 * groups — up to six four-character groups, one optional further group of four, one optional
 * group of one to three characters — in the regex's leftmost-first order, or undefined.
 */
export function ibanMatchGroups(text: string, p: number): [number, number, number] | undefined {
  const units = [p + 4];
  while (units.length < 8) {
    const next = chunkAt(text, units[units.length - 1]!, 4);
    if (next < 0) break;
    units.push(next);
  }
  const k = units.length - 1; // consecutive groups of four available
  for (let n = Math.min(k, 6); n >= 2; n--) {
    const g1 = units[n]!;
    for (const g2 of k > n ? [units[n + 1]!, g1] : [g1]) {
      const tails: number[] = [];
      for (let len = 3; len >= 1; len--) {
        const t = chunkAt(text, g2, len);
        if (t >= 0) tails.push(t);
      }
      tails.push(g2);
      for (const g3 of tails) if (g3 === text.length || !isUpperAlnum(text.charCodeAt(g3))) return [g1, g2, g3];
    }
  }
  return undefined;
}

/** Check digits for an IBAN (compact form), as ISO 13616 computes them: 98 − (n mod 97). */
export function ibanCheckDigits(compact: string): string {
  const rearranged = compact.slice(4) + compact.slice(0, 2) + '00';
  let rem = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return '';
  }
  return String(98 - rem).padStart(2, '0');
}

type Kind = 'n' | 'a' | 'c';
/** Each registry country's total length and BBAN structure, e.g. DE → 22, [['n', 18]]. */
const FORMATS: ReadonlyMap<string, { chars: number; bban: Array<[Kind, number]> }> = (() => {
  const kinds: Record<string, Kind> = { '0-9': 'n', 'A-Z': 'a', 'A-Z0-9': 'c', '0-9A-Z': 'c' };
  const out = new Map<string, { chars: number; bban: Array<[Kind, number]> }>();
  for (const [country, spec] of Object.entries(getCountrySpecifications())) {
    if (!spec.chars || !spec.bban_regexp || !spec.IBANRegistry) continue;
    // ibantools writes each format as ^[class]{n}[class]{n}…$: read it as a list of runs.
    // A format this reader does not understand leaves its country out (never a false accept).
    const bban: Array<[Kind, number]> = [];
    let ok = true;
    for (const part of spec.bban_regexp.replace(/^\^|\$$/g, '').split('[').slice(1)) {
      const [cls, count] = part.split(']{');
      const kind = kinds[cls ?? ''];
      const n = Number.parseInt(count ?? '', 10);
      if (!kind || !(n > 0)) ok = false;
      else bban.push([kind, n]);
    }
    if (ok && bban.reduce((sum, [, n]) => sum + n, 4) === spec.chars) out.set(country, { chars: spec.chars, bban });
  }
  return out;
})();

/** The countries whose IBAN format is known (the SWIFT registry, as ibantools lists it). */
export const IBAN_COUNTRIES: readonly string[] = [...FORMATS.keys()].sort();

/** Whether a compact IBAN has its country's length and BBAN structure. */
export function ibanFormatValid(compact: string): boolean {
  const f = FORMATS.get(compact.slice(0, 2));
  if (!f || compact.length !== f.chars) return false;
  let i = 4;
  for (const [kind, n] of f.bban) {
    for (const end = i + n; i < end; i++) {
      const c = compact.charCodeAt(i);
      const digit = c >= 48 && c <= 57;
      const upper = c >= 65 && c <= 90;
      if (kind === 'n' ? !digit : kind === 'a' ? !upper : !(digit || upper)) return false;
    }
  }
  return i === compact.length;
}

/** Presidio's validation: separators dropped, check digits right and country format right. */
export function ibanValid(value: string): boolean {
  let compact = '';
  for (const ch of value) if (ch !== ' ' && ch !== '-') compact += ch;
  return compact.length > 4 && ibanCheckDigits(compact) === compact.slice(2, 4) && ibanFormatValid(compact);
}

export const ibanDetector: Detector = {
  id: 'iban',
  entities: ['IBAN_CODE'],
  context: IBAN_CONTEXT,
  regexes: [ANCHOR],
  leads: [{ regex: ANCHOR, lead: ANCHOR_LEAD }],
  detect(input) {
    const out: Finding[] = [];
    scanAnchors(input, ANCHOR, true, (text, m, offset) => {
      const groups = ibanMatchGroups(text, m.index);
      if (!groups) return undefined;
      // Longest form first, then without the trailing group(s), as Presidio does.
      for (let g = 2; g >= 0; g--) {
        const end = groups[g]!;
        if (ibanValid(text.slice(m.index, end))) {
          out.push({ entity: 'IBAN_CODE', start: offset + m.index, end: offset + end, score: 1, detector: 'iban' });
          break;
        }
      }
      return groups[2];
    }, ANCHOR_LEAD);
    return out;
  },
};
