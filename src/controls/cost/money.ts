/**
 * Money is integer micro-dollars (1 USD = 1,000,000 µ$), held in safe integers. Prices are integer
 * micro-dollars per million tokens, so `Σ tokens × price / 1e6` is exact in bigint and rounded up once per call:
 * an estimate never comes out below the true price.
 */
import { ConfigError, InvalidInputError } from '../../errors.js';

/** Integer micro-dollars. Always `Number.isSafeInteger` and ≥ 0 where ESQ produced it. */
export type Micros = number;

export const MICROS_PER_USD = 1_000_000;
const USD = /^\$?(\d{1,12})(?:\.(\d{1,6}))?$/;

/** `"12.50"` or `"$12.50"` (up to 6 decimals) → 12_500_000. Parsed from the text, never through a float. */
export function parseUsd(text: string, where: string): Micros {
  const m = USD.exec(text.trim());
  if (!m) throw new ConfigError(`${where}: "${text}" is not an amount in dollars like "12.50" (at most 6 decimals)`);
  return Number(m[1]) * MICROS_PER_USD + Number((m[2] ?? '').padEnd(6, '0'));
}

/** 12_500_000 → "$12.50"; sub-cent amounts keep their digits ("$0.000125"). */
export function formatUsd(micros: Micros): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / MICROS_PER_USD);
  const frac = String(abs % MICROS_PER_USD).padStart(6, '0').replace(/0+$/, '');
  return `${sign}$${whole}.${frac.padEnd(2, '0')}`;
}

/** A caller-supplied amount: a safe, non-negative integer of micro-dollars, else InvalidInputError. */
export function checkMicros(value: unknown, what: string): Micros {
  if (typeof value === 'bigint') value = Number(value);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInputError(`${what} must be a non-negative safe integer of micro-dollars, got ${String(value)}`);
  }
  return value;
}

/** ⌈Σ tokens × pricePerMtok / 1e6⌉ in exact integer arithmetic: one rounding per call, upwards. */
export function tokensCostMicros(...parts: Array<[tokens: number, pricePerMtokMicros: Micros]>): bigint {
  let sum = 0n;
  for (const [tokens, price] of parts) sum += BigInt(tokens) * BigInt(price);
  return (sum + 999_999n) / 1_000_000n;
}

/** bigint → Micros, refusing what a number cannot hold exactly. */
export function toMicros(value: bigint, what: string): Micros {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < 0n) throw new InvalidInputError(`${what} is out of range (${value} µ$)`);
  return Number(value);
}

/** A price from a float table (dollars per million tokens, e.g. 0.075) → integer µ$ per million tokens. */
export function usdFloatToMicros(dollars: number): Micros {
  return Math.round(dollars * MICROS_PER_USD);
}
