/**
 * Profanity (entity `PROFANITY`), on the `obscenity` library's English data set and its
 * recommended transformers: confusable and leetspeak characters are resolved ("f4ck1ng",
 * "ʃṳ𝒸𝗄"), repeated letters collapsed ("fuuuck"), and the data set's word-boundary rules and
 * whitelist keep "Scunthorpe", "assassin" and "cocktail" clean.
 *
 * The span reported is the whole word around the match ("f4ck1ng", not "f4ck"), so a scrub
 * removes all of it.
 */
import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import type { Detector, Finding, ScanInput } from '../detect/types.js';

export const PROFANITY = 'PROFANITY';
export const PROFANITY_DETECTOR_ID = 'profanity';

/** The match is the whole word. */
export const WHOLE_WORD_SCORE = 0.9;
/** The match starts or ends the word ("fucking", "motherfucker"). */
export const WORD_EDGE_SCORE = 0.85;
/** The match sits inside a longer word: more likely a false positive. */
export const EMBEDDED_SCORE = 0.6;

// Characters that belong to an obfuscated word: letters, marks, digits and leetspeak symbols.
const WORD_CHAR = /^[\p{L}\p{M}\p{N}@$*]$/u;

function isWordUnit(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x80) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 64 || c === 36 || c === 42;
  if (c >= 0xd800 && c <= 0xdfff) {
    // A surrogate half: classify the whole code point it belongs to.
    const start = c >= 0xdc00 && i > 0 ? i - 1 : i;
    return WORD_CHAR.test(String.fromCodePoint(text.codePointAt(start)!));
  }
  return WORD_CHAR.test(text[i]!);
}

let matcher: RegExpMatcher | undefined;
let compiled: RegExp[] | undefined;

function getMatcher(): RegExpMatcher {
  matcher ??= new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  return matcher;
}

/**
 * The regular expressions obscenity compiled from the data set, for the ReDoS proof. They are
 * private to RegExpMatcher, so this reads them defensively; an upgrade that moves them leaves the
 * list empty, and the ReDoS test fails loudly instead of passing vacuously.
 */
function matcherRegexes(): RegExp[] {
  if (!compiled) {
    const terms = (getMatcher() as unknown as { blacklistedTerms?: unknown }).blacklistedTerms;
    compiled = Array.isArray(terms) ? terms.map((t) => (t as { regExp?: unknown }).regExp).filter((r): r is RegExp => r instanceof RegExp) : [];
  }
  return compiled;
}

export function profanityDetector(): Detector {
  const m = getMatcher();
  return {
    id: PROFANITY_DETECTOR_ID,
    entities: [PROFANITY],
    context: [],
    regexes: [...matcherRegexes(), WORD_CHAR],
    detect(input: ScanInput): Finding[] {
      const text = input.text;
      const out: Finding[] = [];
      const seen = new Set<string>();
      for (const hit of m.getAllMatches(text, true)) {
        const matchStart = hit.startIndex;
        const matchEnd = hit.endIndex + 1; // obscenity's end index is inclusive
        let start = matchStart;
        let end = matchEnd;
        while (start > 0 && isWordUnit(text, start - 1)) start--;
        while (end < text.length && isWordUnit(text, end)) end++;
        const key = `${start}:${end}`;
        if (seen.has(key)) continue; // several data-set entries can match one word
        seen.add(key);
        const atStart = start === matchStart;
        const atEnd = end === matchEnd;
        const score = atStart && atEnd ? WHOLE_WORD_SCORE : atStart || atEnd ? WORD_EDGE_SCORE : EMBEDDED_SCORE;
        out.push({ entity: PROFANITY, start, end, score, detector: PROFANITY_DETECTOR_ID });
      }
      return out;
    },
  };
}
