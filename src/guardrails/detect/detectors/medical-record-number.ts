/**
 * MEDICAL_RECORD_NUMBER — a HIPAA Safe Harbor identifier (45 CFR 164.514(b)(2)(i)(H)) with no
 * Presidio recognizer and no national format: a whole token of five to ten digits, optionally
 * after a short letter prefix (`A-99812`, `MR00482913`). The match alone is weak (0.1); context
 * words ("mrn", "medical record", "chart", …) lift it above the threshold.
 */
import { tokenShapeDetector } from './anchored-scan.js';
import { digitRunAt, lettersAt } from './digit-checks.js';

/** Weak on its own: below the default threshold until a context word lifts it. */
export const MRN_BASE_SCORE = 0.1;

export const MEDICAL_RECORD_CONTEXT = [
  'mrn',
  'medical record',
  'med rec',
  'record number',
  'record no',
  'record #',
  'chart',
  'patient id',
  'patient number',
  'patient no',
  'patient #',
  'hospital number',
  'hospital id',
  'health record',
];

/** Whether a token is an MRN shape: up to three letters (then an optional dash) and 5–10 digits. */
export function mrnShape(token: string): boolean {
  const letters = lettersAt(token, 0);
  if (letters > 3) return false;
  const i = letters > 0 && token[letters] === '-' ? letters + 1 : letters;
  const digits = digitRunAt(token, i);
  return digits >= 5 && digits <= 10 && i + digits === token.length;
}

export const medicalRecordNumberDetector = tokenShapeDetector({
  id: 'medical-record-number',
  entity: 'MEDICAL_RECORD_NUMBER',
  context: MEDICAL_RECORD_CONTEXT,
  score: MRN_BASE_SCORE,
  anchor: /(?<!\d)\d{5}/g, // every accepted token holds five digits in a row
  lead: { runs: { min: 5 } },
  shape: mrnShape,
});
