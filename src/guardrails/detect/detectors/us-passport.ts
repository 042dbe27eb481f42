/**
 * US_PASSPORT — Presidio's UsPassportRecognizer: nine digits (very weak 0.05), or a letter and
 * eight digits, the next-generation book (very weak 0.1), until context words ("passport",
 * "travel document", …) lift them. Case-insensitive, as Presidio's patterns are. Both of
 * Presidio's patterns are whole tokens, so one alternation finds them in one pass.
 */
import { patternDetector } from '../pattern-detector.js';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export const usPassportDetector = patternDetector({
  id: 'us-passport',
  entity: 'US_PASSPORT',
  patterns: [{ name: 'Passport (very weak) / Next Generation (very weak)', regex: /\b(?:[A-Z]\d{8}|\d{9})\b/gi, score: 0.05, lead: [{ runs: [9] }, { runs: [8], before: { min: 1, max: 1 }, beforeChars: LETTERS }] }],
  context: ['us', 'united', 'states', 'passport', 'passport#', 'travel', 'document'],
  validate: (value) => (value.charCodeAt(0) > 57 ? 0.1 : 0.05),
});
