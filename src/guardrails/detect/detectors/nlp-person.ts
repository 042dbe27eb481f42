/**
 * PERSON with the `compromise` NLP library — an opt-in alternative to the rule-based `person`
 * detector, NOT in the built-in list: it finds names without a title or a known given name
 * ("Yesterday Priya Raman called") but costs milliseconds per kilobyte, two orders of magnitude
 * over the scanning budget. Scores 0.5 (compromise's own tagging is right about four times in
 * five); the lead words of the rule-based detector lift it as context.
 *
 * Text is tagged in pieces of about 4 KB cut at line or sentence ends, so memory stays bounded
 * and the cost linear in the input.
 */
import nlp from 'compromise';
import type { Detector, Finding } from '../types.js';
import { PERSON_CONTEXT } from './person.js';

export const SCORE_NLP = 0.5;
const PIECE = 4096;

interface Term {
  text: string;
  tags?: string[];
  offset: { start: number; length: number };
}
interface Match {
  terms: Term[];
}

/** Where to cut `text` near `at`: after the last line break or sentence end before it, else at `at`. */
function cutAt(text: string, from: number, at: number): number {
  if (at >= text.length) return text.length;
  for (let i = at; i > from + PIECE / 2; i--) {
    const c = text[i - 1];
    if (c === '\n' || ((c === '.' || c === '?' || c === '!') && text[i] === ' ')) return i;
  }
  return at;
}

/** Person names compromise tags in `text`, titles (honorifics) left out, offsets in `text`. */
export function nlpPeople(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let from = 0; from < text.length; ) {
    const to = cutAt(text, from, from + PIECE);
    const piece = text.slice(from, to);
    const matches = nlp(piece).people().json({ offset: true, terms: { offset: true } }) as Match[];
    for (const m of matches) {
      const terms = m.terms.filter((t) => !(t.tags ?? []).includes('Honorific') && t.text.length > 0);
      if (terms.length === 0) continue;
      const first = terms[0]!;
      const last = terms[terms.length - 1]!;
      out.push([from + first.offset.start, from + last.offset.start + last.text.length]);
    }
    from = to;
  }
  return out;
}

export const nlpPerson: Detector = {
  id: 'nlp-person',
  entities: ['PERSON'],
  context: PERSON_CONTEXT,
  regexes: [],
  detect(input) {
    return nlpPeople(input.text).map(([start, end]): Finding => ({ entity: 'PERSON', start, end, score: SCORE_NLP, detector: 'nlp-person' }));
  },
};
