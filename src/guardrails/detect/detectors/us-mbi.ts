/**
 * US_MBI — Presidio's UsMbiRecognizer: the 11-character Medicare Beneficiary Identifier,
 * C A AN N A AN N A A N N (C/N digits, A letters without S, L, O, I, B, Z, AN either), bare (weak)
 * or shown as XXXX-XXX-XXXX (medium). Case-insensitive, as Presidio's patterns are.
 */
import { patternDetector } from '../pattern-detector.js';

const N = '[0-9]';
const A = '[ACDEFGHJKMNPQRTUVWXY]';
const AN = '[0-9ACDEFGHJKMNPQRTUVWXY]';

export const usMbiDetector = patternDetector({
  id: 'us-mbi',
  entity: 'US_MBI',
  // Presidio's two patterns (dashed, medium 0.5; bare, weak 0.3) in one pass; the dashes give the score.
  patterns: [
    {
      name: 'MBI (medium / weak)',
      regex: new RegExp(`\\b${N}${A}${AN}${N}(?:${A}${AN}${N}${A}${A}|-${A}${AN}${N}-${A}${A})${N}${N}\\b`, 'gi'),
      score: 0.3,
      lead: { runs: [1], next: 'ACDEFGHJKMNPQRTUVWXYacdefghjkmnpqrtuvwxy' }, // one digit, then a letter
    },
  ],
  context: ['medicare', 'mbi', 'beneficiary', 'cms', 'medicaid', 'hic', 'hicn'],
  validate: (value) => (value.length === 13 ? 0.5 : 0.3),
});
