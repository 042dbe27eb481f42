/**
 * `mask[:N[:C]]`: masks every letter and digit with C (default `*`) except the last N (default 4),
 * leaving separators in place: `078-05-1120` → `***-**-1120`. A value with N or fewer letters and
 * digits is masked whole, so a mask never shows a complete value.
 */
import { InvalidInputError } from '../../../errors.js';
import type { Operator } from '../types.js';

export interface MaskParams {
  keep: number;
  char: string;
}

const MASKABLE = /[\p{L}\p{N}]/u;
const MAX_KEEP = 64;

export const mask: Operator<MaskParams> = {
  name: 'mask',
  parseParams(raw) {
    if (raw === undefined) return { keep: 4, char: '*' };
    const colon = raw.indexOf(':');
    const n = colon < 0 ? raw : raw.slice(0, colon);
    const char = colon < 0 ? '*' : raw.slice(colon + 1);
    if (!/^[0-9]{1,2}$/.test(n) || Number(n) > MAX_KEEP) {
      throw new InvalidInputError(`operator "mask:${raw}": the number of characters to keep must be a whole number from 0 to ${MAX_KEEP}`);
    }
    if ([...char].length !== 1 || MASKABLE.test(char) || /\s/u.test(char)) {
      throw new InvalidInputError(`operator "mask:${raw}": the mask character must be one symbol (not a letter, digit or space), e.g. mask:4:#`);
    }
    return { keep: Number(n), char };
  },
  apply(value, { keep, char }) {
    const chars = [...value]; // code points, so a masked emoji or accented letter stays one symbol
    const maskable = chars.filter((c) => MASKABLE.test(c)).length;
    let toMask = maskable > keep ? maskable - keep : maskable;
    return chars
      .map((c) => {
        if (toMask === 0 || !MASKABLE.test(c)) return c;
        toMask--;
        return char;
      })
      .join('');
  },
};
