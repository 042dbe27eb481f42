/**
 * UK_PASSPORT — Presidio's UkPassportRecognizer: two letters and seven digits, the format of UK
 * passports issued since 2015 (weak, 0.1, until "passport" or the like lifts it). Case-insensitive,
 * as Presidio's pattern is.
 */
import { wordDetector } from './digit-words.js';
import { PRESIDIO_CONTEXT_WINDOW } from './id-checks.js';

export const ukPassportDetector = wordDetector({
  id: 'uk-passport',
  entity: 'UK_PASSPORT',
  length: 9,
  pattern: /^[A-Z]{2}\d{7}$/i,
  score: () => 0.1,
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: ['passport', 'passport number', 'travel document', 'uk passport', 'british passport', 'her majesty', 'his majesty', 'hm passport', 'hmpo'],
});
