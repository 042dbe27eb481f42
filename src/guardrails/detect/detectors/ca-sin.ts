/**
 * CA_SIN — Presidio's CaSinRecognizer: the Canadian Social Insurance Number, nine digits starting
 * 1–7 or 9 (0 and 8 are not issued to people), bare (weak, 0.05) or grouped 3-3-3 with one kind of
 * separator, space or dash (medium, 0.5); a failed Luhn check drops it. The number must stand
 * alone, not be part of a longer one ("+61 412 206 104" is an Australian mobile number).
 *
 * Context words: Presidio's, less the bare abbreviations "sin" and "nas", which occur inside
 * everyday words ("processing", "using", "business"; "nasal") and would lift any Luhn-valid
 * nine-digit number; the abbreviations count where written as one ("sin:", "my sin", "mon nas").
 */
import { digitsOf, luhnValid } from './digit-checks.js';
import { PRESIDIO_CONTEXT_WINDOW } from './id-checks.js';
import { chainDetector, chainIs, type NumberChain } from './number-chains.js';

/** Nine digits, bare or 3-3-3 with one kind of separator. */
const sinShape = (chain: NumberChain) => chainIs(chain, [9]) || (chainIs(chain, [3, 3, 3], ' -') && chain.seps[0] === chain.seps[1]);

export const caSinDetector = chainDetector({
  id: 'ca-sin',
  entity: 'CA_SIN',
  wordBounded: true,
  contextWindow: PRESIDIO_CONTEXT_WINDOW,
  context: [
    'social insurance',
    'sin number',
    'sin no',
    'sin:',
    'sin#',
    'my sin',
    'your sin',
    'sin is',
    'canada',
    'canadian',
    'assurance sociale',
    'nas:',
    'mon nas',
    'votre nas',
    'numero nas',
  ],
  shape: sinShape,
  score(value, chain) {
    const first = value.charCodeAt(0);
    if (first === 48 || first === 56 || !luhnValid(digitsOf(value))) return 0; // not issued (0, 8), or the check fails
    return chain.groups.length > 1 ? 0.5 : 0.05;
  },
});
