/**
 * US_BANK_NUMBER — Presidio's UsBankRecognizer: 8 to 17 digits, a very weak match that only
 * context words ("account", "bank", "acct", …) lift above the threshold.
 */
import { patternDetector } from '../pattern-detector.js';

export const usBankNumberDetector = patternDetector({
  id: 'us-bank-number',
  entity: 'US_BANK_NUMBER',
  patterns: [{ name: 'Bank Account (weak)', regex: /\b[0-9]{8,17}\b/g, score: 0.05, lead: { runs: { min: 8, max: 17 } } }],
  context: ['check', 'account', 'account#', 'acct', 'bank', 'save', 'debit'],
});
