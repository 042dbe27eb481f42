/**
 * US_ZIP_CODE — five digits or ZIP+4. Five digits alone are far more often an amount or an id, so a
 * bare ZIP scores 0.05 and needs a context word ("zip", "postal", …) to reach the threshold; ZIP+4
 * scores 0.3; a ZIP right after a state (`Springfield, IL 62704`) scores 0.6.
 */
import { forEachLeadMatch } from '../digit-runs.js';
import type { DigitLead, Detector, Finding } from '../types.js';
import { stateBefore } from './us-states.js';

export const ZIP_CONTEXT = ['zip', 'zipcode', 'zip code', 'postal', 'postcode', 'mailing'];

export const SCORE_AFTER_STATE = 0.6;
export const SCORE_ZIP4 = 0.3;
export const SCORE_BARE = 0.05;

/** Not inside a longer number, a decimal, a path or an amount. */
const ZIP = /(?<![\w\-./$#])\d{5}(?:-\d{4})?(?![\w\-/]|\.\d)/g;
/** Five digits exactly: a longer run fails the look-ahead. */
const ZIP_LEAD: DigitLead = { runs: [5] };

export function zipScore(text: string, start: number, value: string): number {
  if (value.startsWith('00000')) return 0;
  if (stateBefore(text, start) !== -1) return SCORE_AFTER_STATE;
  return value.length === 10 ? SCORE_ZIP4 : SCORE_BARE;
}

export const usZipCode: Detector = {
  id: 'us-zip-code',
  entities: ['US_ZIP_CODE'],
  context: ZIP_CONTEXT,
  regexes: [ZIP],
  leads: [{ regex: ZIP, lead: ZIP_LEAD }],
  detect(input) {
    const out: Finding[] = [];
    forEachLeadMatch(input, ZIP, ZIP_LEAD, (m, start) => {
      const score = zipScore(input.text, start, m[0]);
      if (score > 0) out.push({ entity: 'US_ZIP_CODE', start, end: start + m[0].length, score, detector: 'us-zip-code' });
      return undefined;
    });
    return out;
  },
};
