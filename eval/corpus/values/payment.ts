/** Payment identifiers with valid check digits: cards, IBANs, ABA routing numbers, accounts, BTC. */
import { createHash } from 'node:crypto';
import type { Rng } from '../rng.js';
import type { Generated } from '../template.js';

/** The Luhn digit that completes `body`: double every second digit counting from the body's end. */
export function luhnDigit(body: string): string {
  let sum = 0;
  let double = true;
  for (let i = body.length - 1; i >= 0; i--) {
    const d = Number(body[i]);
    sum += double ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][d]! : d;
    double = !double;
  }
  return String((10 - (sum % 10)) % 10);
}

interface Brand {
  name: string;
  prefixes: () => string;
  length: number;
  groups: number[];
}

const BRANDS = (rng: Rng): Brand[] => [
  { name: 'visa', prefixes: () => '4', length: 16, groups: [4, 4, 4, 4] },
  { name: 'mastercard', prefixes: () => (rng.chance(0.75) ? String(rng.int(51, 55)) : String(rng.int(2221, 2720))), length: 16, groups: [4, 4, 4, 4] },
  { name: 'amex', prefixes: () => rng.pick(['34', '37']), length: 15, groups: [4, 6, 5] },
  { name: 'discover', prefixes: () => rng.pick(['6011', '65', String(rng.int(644, 649))]), length: 16, groups: [4, 4, 4, 4] },
  { name: 'jcb', prefixes: () => String(rng.int(3528, 3589)), length: 16, groups: [4, 4, 4, 4] },
  { name: 'diners', prefixes: () => rng.pick(['36', '38', String(rng.int(300, 305))]), length: 14, groups: [4, 6, 4] },
  { name: 'unionpay', prefixes: () => `62${rng.digits(2)}`, length: 16, groups: [4, 4, 4, 4] },
];

export function group(digits: string, sizes: number[], sep: string): string {
  const out: string[] = [];
  let at = 0;
  for (const n of sizes) {
    out.push(digits.slice(at, at + n));
    at += n;
  }
  if (at < digits.length) out.push(digits.slice(at));
  return out.filter(Boolean).join(sep);
}

/** `{CREDIT_CARD}`, or `{CREDIT_CARD:visa}` for one brand. */
export function creditCard(rng: Rng, _ctx: unknown, tag: string | undefined): Generated {
  const brands = BRANDS(rng);
  const brand = (tag && brands.find((b) => b.name === tag)) || rng.weighted(brands.map((b) => [b, b.name === 'visa' || b.name === 'mastercard' ? 3 : 1] as const));
  const prefix = brand.prefixes();
  const body = prefix + rng.digits(brand.length - prefix.length - 1);
  const pan = body + luhnDigit(body);
  const sep = rng.weighted([['', 3], [' ', 3], ['-', 2]] as const);
  const sepName = sep === '' ? 'none' : sep === ' ' ? 'space' : 'dash';
  return { value: sep ? group(pan, brand.groups, sep) : pan, format: `${brand.name}/${sepName}` };
}

/** Remainder of a long digit string modulo m, taken in chunks (too long for a Number). */
function mod(digits: string, m: number): number {
  let r = 0;
  for (let i = 0; i < digits.length; i += 7) r = Number(String(r) + digits.slice(i, i + 7)) % m;
  return r;
}

const ES_WEIGHTS = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
/** Spanish "dígito de control" over 10 digits. */
function esDigit(ten: string): string {
  let s = 0;
  for (let i = 0; i < 10; i++) s += Number(ten[i]) * ES_WEIGHTS[i]!;
  const d = 11 - (s % 11);
  return String(d === 11 ? 0 : d === 10 ? 1 : d);
}

const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** BBAN makers: national formats, with the national check digits where a country has one. */
const BBAN: Record<string, (rng: Rng) => string> = {
  DE: (r) => r.digits(18),
  GB: (r) => r.pick(['NWBK', 'BARC', 'LOYD', 'HBUK', 'MIDL', 'NAIA']) + r.digits(14),
  NL: (r) => r.pick(['ABNA', 'INGB', 'RABO', 'TRIO', 'SNSB']) + r.digits(10),
  CH: (r) => r.digits(17),
  AT: (r) => r.digits(16),
  IE: (r) => r.pick(['AIBK', 'BOFI', 'IPBS']) + r.digits(14),
  LU: (r) => r.digits(3) + r.chars(13, `0123456789${upper}`),
  DK: (r) => r.digits(14),
  SE: (r) => r.digits(20),
  BE: (r) => {
    const ten = r.digits(10);
    const c = mod(ten, 97);
    return ten + String(c === 0 ? 97 : c).padStart(2, '0');
  },
  ES: (r) => {
    const bank = r.digits(8);
    const acct = r.digits(10);
    return bank + esDigit(`00${bank}`) + esDigit(acct) + acct;
  },
  FR: (r) => {
    // Clé RIB: 97 − (89·bank + 15·branch + 3·account) mod 97, all-digit account.
    const bank = r.digits(5);
    const branch = r.digits(5);
    const acct = r.digits(11);
    const key = 97 - ((89 * Number(bank) + 15 * Number(branch) + 3 * mod(acct, 97)) % 97);
    return bank + branch + acct + String(key).padStart(2, '0');
  },
};

function ibanFor(country: string, bban: string): string {
  const numeric = [...`${bban}${country}00`].map((c) => (c >= 'A' ? String(c.charCodeAt(0) - 55) : c)).join('');
  return `${country}${String(98 - mod(numeric, 97)).padStart(2, '0')}${bban}`;
}

export function iban(rng: Rng): Generated {
  const country = rng.pick(Object.keys(BBAN));
  const raw = ibanFor(country, BBAN[country]!(rng));
  const grouped = rng.chance(0.5);
  return { value: grouped ? raw.replace(/(.{4})(?=.)/g, '$1 ') : raw, format: `${country.toLowerCase()}/${grouped ? 'grouped' : 'plain'}` };
}

const ABA_PREFIXES = [...Array.from({ length: 12 }, (_, i) => i + 1), ...Array.from({ length: 12 }, (_, i) => i + 21), 61, 63, 67, 80];
export function abaRouting(rng: Rng): Generated {
  const body = String(rng.pick(ABA_PREFIXES)).padStart(2, '0') + rng.digits(6);
  const w = [3, 7, 1, 3, 7, 1, 3, 7];
  let s = 0;
  for (let i = 0; i < 8; i++) s += Number(body[i]) * w[i]!;
  const full = body + String((10 - (s % 10)) % 10);
  // Presidio's pattern also admits the check-writer form 0000-0000-0.
  return rng.chance(0.85) ? { value: full, format: 'plain' } : { value: `${full.slice(0, 4)}-${full.slice(4, 8)}-${full[8]}`, format: 'dashed' };
}

/** A US deposit account number: 8–17 digits (never a Luhn-valid card length, to stay unambiguous). */
export function bankAccount(rng: Rng): Generated {
  for (;;) {
    const n = rng.weighted([[8, 1], [10, 3], [12, 3], [13, 1], [14, 1], [17, 1]] as const);
    const v = String(rng.int(1, 9)) + rng.digits(n - 1);
    if (n >= 13 && luhnDigit(v.slice(0, -1)) === v.at(-1)) continue;
    return { value: v, format: `${n}-digit` };
  }
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58check(version: number, payload: Buffer): string {
  const body = Buffer.concat([Buffer.from([version]), payload]);
  const check = createHash('sha256').update(createHash('sha256').update(body).digest()).digest().subarray(0, 4);
  const all = Buffer.concat([body, check]);
  let n = BigInt(`0x${all.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of all) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

/** A Bitcoin P2PKH ("1…") or P2SH ("3…") address over random hash bytes. */
export function cryptoAddress(rng: Rng): Generated {
  const hash = Buffer.from(Array.from({ length: 20 }, () => rng.int(0, 255)));
  const p2sh = rng.chance(0.35);
  return { value: base58check(p2sh ? 5 : 0, hash), format: p2sh ? 'btc-p2sh' : 'btc-p2pkh' };
}
