/**
 * UK_POSTCODE — Presidio's UkPostcodeRecognizer: the outward code (A9, A99, A9A, AA9, AA99, AA9A,
 * with the letters each position allows) and the inward code (a digit and two letters, never C, I,
 * K, M, O, V), with an optional space, or GIR 0AA (weak, 0.1, until "postcode", "address" or the
 * like lifts it). Case-insensitive, as Presidio's pattern is; Presidio's optional whitespace is a
 * space here (a postcode is not split across lines).
 */
import { patternDetector } from '../pattern-detector.js';
import { ASCII_LETTERS, PRESIDIO_CONTEXT_WINDOW } from './id-checks.js';

export const ukPostcodeDetector = patternDetector({
  id: 'uk-postcode',
  entity: 'UK_POSTCODE',
  patterns: [
    {
      name: 'UK Postcode',
      regex: /\b(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW]?|\d{2}|[A-HK-Y]\d[ABEHMNPRVWXY]?|[A-HK-Y]\d{2}) ?\d[ABD-HJLNP-UW-Z]{2})\b/gi,
      score: 0.1,
      // One or two letters before the outward digits (which may run into the inward digit), then a
      // letter or the space; GIR 0AA.
      lead: [
        { runs: [1, 2, 3], before: { min: 1, max: 2 }, beforeChars: ASCII_LETTERS, next: ` ${ASCII_LETTERS}` },
        { runs: [1], before: { min: 3, max: 4 }, beforeChars: 'GIRgir ', next: 'Aa' },
      ],
    },
  ],
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: ['postcode', 'post code', 'postal code', 'zip', 'address', 'delivery', 'mailing', 'shipping', 'correspondence'],
});
