/**
 * SG_NRIC_FIN — Presidio's SgFinRecognizer: a letter, seven digits and a letter (weak, 0.3), the
 * NRIC/FIN prefixes S, T (citizens), F, G, M (foreigners) scoring 0.5. Case-insensitive, as
 * Presidio's patterns are.
 *
 * Presidio does not check the final letter; here it is checked (weights 2 7 6 5 4 3 2 over the
 * digits, plus 4 for T and G and 3 for M, modulo 11 in the prefix's table): a right letter scores
 * 1.0, and a wrong one, or another prefix, the weak 0.3 — a mistyped number or not an NRIC, found
 * but below the threshold until context lifts it.
 *
 * Context: Presidio's "nric" and "fin" — "fin" only where written as one ("fin:", "fin no"), as
 * "final", "finance" and "find" contain it.
 */
import { wordDetector } from './digit-words.js';
import { PRESIDIO_CONTEXT_WINDOW, weightedSum } from './id-checks.js';

const WEIGHTS = [2, 7, 6, 5, 4, 3, 2];
/** Per prefix: the offset added to the sum, and the check letters by remainder. */
const SERIES: Record<string, readonly [number, string]> = {
  S: [0, 'JZIHGFEDCBA'],
  T: [4, 'JZIHGFEDCBA'],
  F: [0, 'XWUTRQPNMLK'],
  G: [4, 'XWUTRQPNMLK'],
  M: [3, 'XWUTRQPNJLK'],
};

/** Whether an NRIC/FIN (upper case, nine characters) has the right check letter for its prefix. */
export function nricCheckValid(id: string): boolean {
  const series = SERIES[id[0]!];
  if (!series) return false;
  const [offset, letters] = series;
  return letters[(weightedSum(id.slice(1, 8), WEIGHTS) + offset) % 11] === id[8];
}

export const sgNricDetector = wordDetector({
  id: 'sg-nric',
  entity: 'SG_NRIC_FIN',
  length: 9,
  pattern: /^[A-Z]\d{7}[A-Z]$/i,
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: ['nric', 'fin:', 'fin#', 'fin no', 'fin number', 'foreign identification number'],
  score: (word) => (nricCheckValid(word.toUpperCase()) ? 1 : 0.3),
});
