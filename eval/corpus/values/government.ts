/** Government and insurer identifiers: SSN, ITIN, passport, driver's licence, MBI, NHS number. */
import type { Rng } from '../rng.js';
import type { Generated } from '../template.js';

type Sep = 'dashed' | 'spaced' | 'plain';
const SEP: Record<Sep, string> = { dashed: '-', spaced: ' ', plain: '' };

function threeTwoFour(rng: Rng, digits: string, weights: ReadonlyArray<readonly [Sep, number]>): Generated {
  const form = rng.weighted(weights);
  const s = SEP[form];
  return { value: `${digits.slice(0, 3)}${s}${digits.slice(3, 5)}${s}${digits.slice(5)}`, format: form };
}

/** SSN: area 001–899 but 666, group 01–99, serial 0001–9999. Templates always give SSN context. */
export function ssn(rng: Rng, _ctx: unknown, tag: string | undefined): Generated {
  let area = rng.int(1, 898);
  if (area >= 666) area++;
  const digits = String(area).padStart(3, '0') + String(rng.int(1, 99)).padStart(2, '0') + String(rng.int(1, 9999)).padStart(4, '0');
  if (tag === 'dashed' || tag === 'spaced' || tag === 'plain') return threeTwoFour(rng, digits, [[tag, 1]]);
  return threeTwoFour(rng, digits, [['dashed', 5], ['spaced', 2], ['plain', 3]]);
}

const ITIN_GROUPS = [
  ...Array.from({ length: 16 }, (_, i) => 50 + i), ...Array.from({ length: 19 }, (_, i) => 70 + i),
  90, 91, 92, ...Array.from({ length: 6 }, (_, i) => 94 + i),
];
export function itin(rng: Rng): Generated {
  const digits = `9${rng.digits(2)}${rng.pick(ITIN_GROUPS)}${rng.digits(4)}`;
  return threeTwoFour(rng, digits, [['dashed', 6], ['spaced', 1], ['plain', 2]]);
}

/** US passport book number: 9 digits (older books) or a letter and 8 digits (Next Generation). */
export function passport(rng: Rng): Generated {
  return rng.chance(0.5)
    ? { value: String(rng.int(1, 9)) + rng.digits(8), format: '9-digit' }
    : { value: rng.pick([...'ACEFGHJKLMNPRSTUVWXYZ']) + rng.digits(8), format: 'letter+8' };
}

/** Driver's licence numbers in a few states' published formats. */
const DL_STATES: Record<string, (r: Rng) => string> = {
  CA: (r) => r.pick([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ']) + r.digits(7),
  NY: (r) => String(r.int(1, 9)) + r.digits(8),
  TX: (r) => String(r.int(1, 4)) + r.digits(7),
  FL: (r) => {
    const d = r.digits(12);
    return `${r.pick([...'ABCDEFGHJKLMNPRSTW'])}${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8, 11)}-${d.slice(11)}`;
  },
  IL: (r) => {
    const d = r.digits(11);
    return `${r.pick([...'ABCDEFGHJKLMNPRSTW'])}${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`;
  },
  WA: (r) => `WDL${r.chars(9, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}`,
  PA: (r) => r.digits(8),
};
export function driverLicense(rng: Rng, _ctx: unknown, tag: string | undefined): Generated {
  const state = tag && DL_STATES[tag] ? tag : rng.pick(Object.keys(DL_STATES));
  return { value: DL_STATES[state]!(rng), format: state.toLowerCase() };
}

const MBI_A = 'ACDEFGHJKMNPQRTUVWXY';
const MBI_AN = `${MBI_A}0123456789`;
/** Medicare Beneficiary Identifier, CMS layout C A AN N A AN N A A N N, plain or 4-3-4 dashed. */
export function mbi(rng: Rng): Generated {
  const c = (set: string) => rng.chars(1, set);
  const d = () => rng.digits(1);
  const v = `${rng.int(1, 9)}${c(MBI_A)}${c(MBI_AN)}${d()}${c(MBI_A)}${c(MBI_AN)}${d()}${c(MBI_A)}${c(MBI_A)}${d()}${d()}`;
  return rng.chance(0.7) ? { value: v, format: 'plain' } : { value: `${v.slice(0, 4)}-${v.slice(4, 7)}-${v.slice(7)}`, format: 'dashed' };
}

/** NHS number: modulus-11 check digit; bodies whose check would be 10 are redrawn. */
export function nhsNumber(rng: Rng): Generated {
  for (;;) {
    const body = String(rng.int(4, 9)) + rng.digits(8);
    let s = 0;
    for (let i = 0; i < 9; i++) s += Number(body[i]) * (10 - i);
    const c = 11 - (s % 11);
    if (c === 10) continue;
    const v = body + String(c === 11 ? 0 : c);
    const form = rng.weighted([['spaced', 3], ['plain', 2], ['dashed', 1]] as const);
    const sep = form === 'spaced' ? ' ' : form === 'dashed' ? '-' : '';
    return { value: `${v.slice(0, 3)}${sep}${v.slice(3, 6)}${sep}${v.slice(6)}`, format: form };
  }
}
