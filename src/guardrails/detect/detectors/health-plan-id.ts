/**
 * HEALTH_PLAN_ID — health plan beneficiary / member numbers, a HIPAA Safe Harbor identifier
 * (45 CFR 164.514(b)(2)(i)(I)) with no Presidio recognizer and no common format: a whole token of
 * up to four letters (a plan prefix such as `XYZ` or `W`), six to fourteen digits, up to two
 * trailing letters, and an optional two-digit dependent suffix (`-01`). The match alone is very
 * weak (0.05); context words ("member id", "policy number", "subscriber", "health plan", …) lift
 * it above the threshold.
 */
import { tokenShapeDetector } from './anchored-scan.js';
import { digitRunAt, lettersAt } from './digit-checks.js';

/** Very weak on its own: below the default threshold until a context word lifts it. */
export const HEALTH_PLAN_BASE_SCORE = 0.05;

export const HEALTH_PLAN_CONTEXT = [
  'member id',
  'member #',
  'member number',
  'member no',
  'subscriber',
  'policy number',
  'policy no',
  'policy #',
  'policy id',
  'health plan',
  'insurance id',
  'insurance number',
  'insurance no',
  'insured id',
  'plan id',
  'plan number',
  'group number',
  'beneficiary id',
  'beneficiary number',
];

/**
 * Whether a token is a member-number shape: up to four letters, 6–14 digits, up to two letters,
 * then optionally a dash and a two-digit dependent suffix.
 */
export function healthPlanShape(token: string): boolean {
  const prefix = lettersAt(token, 0);
  if (prefix > 4) return false;
  const digits = digitRunAt(token, prefix);
  if (digits < 6 || digits > 14) return false;
  let i = prefix + digits;
  const suffix = lettersAt(token, i);
  if (suffix > 2) return false;
  i += suffix;
  if (i < token.length && token[i] === '-' && digitRunAt(token, i + 1) === 2) i += 3;
  return i === token.length;
}

export const healthPlanIdDetector = tokenShapeDetector({
  id: 'health-plan-id',
  entity: 'HEALTH_PLAN_ID',
  context: HEALTH_PLAN_CONTEXT,
  score: HEALTH_PLAN_BASE_SCORE,
  anchor: /(?<!\d)\d{6}/g, // every accepted token holds six digits in a row
  lead: { runs: { min: 6 } },
  shape: healthPlanShape,
});
