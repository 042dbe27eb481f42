/**
 * UK_NINO — Presidio's UkNinoRecognizer: the National Insurance number, two prefix letters (not D,
 * F, I, Q, U, V; the second not O; not BG, GB, NK, KN, NT, TN, ZZ), three pairs of digits and a
 * suffix A–D, with optional single spaces between the parts (medium, 0.5). Case-insensitive, as
 * Presidio's pattern is.
 *
 * As in Presidio, a match may begin with the space before the prefix when a word ends there
 * (`\b ?`): "Number YZ 61 48 68 B" reports " YZ 61 48 68 B". Unlike Presidio, the excluded prefixes
 * are excluded after that space too, and the suffix is A–D only (Presidio's class also admits
 * `{`, `1` and `}`).
 */
import { patternDetector } from '../pattern-detector.js';
import { PRESIDIO_CONTEXT_WINDOW } from './id-checks.js';

/** The letters a prefix may hold (either place), both cases. */
const PREFIX_LETTERS = 'ABCEGHJKLMNOPRSTWXYZabceghjklmnoprstwxyz';

export const ukNinoDetector = patternDetector({
  id: 'uk-nino',
  entity: 'UK_NINO',
  patterns: [
    {
      name: 'NINO (medium)',
      regex: /\b ?(?!BG|GB|NK|KN|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/gi,
      score: 0.5,
      // The prefix right before the first pair (or two or three pairs run together), or with the
      // spaces around it; then a space or the suffix.
      lead: [
        { runs: [2, 4, 6], before: { min: 2, max: 2 }, beforeChars: PREFIX_LETTERS, next: ' ABCDabcd' },
        { runs: [2, 4, 6], before: { min: 3, max: 4 }, beforeChars: `${PREFIX_LETTERS} `, next: ' ABCDabcd' },
      ],
    },
  ],
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: ['national insurance', 'ni number', 'nino'],
});
