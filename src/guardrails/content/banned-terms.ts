/**
 * Per-pack banned terms and banned topics. Matching is whole-word, case-insensitive and on
 * normalised text (NFKC, zero-width characters removed, white space collapsed), so "ｂａｎｎｅｄ",
 * "BANNED" and "ban\u200Bned" all hit "banned", while "bannedlist" does not. One Aho-Corasick
 * automaton per list: linear in the text, whatever the number of terms.
 */
import { PHRASE_MATCHER_REGEXES, phraseMatcher } from './phrase-matcher.js';
import type { Detector, Finding, ScanInput } from '../detect/types.js';

export const BANNED_TERM = 'BANNED_TERM';
export const BANNED_TOPIC = 'BANNED_TOPIC';

/** A listed term is certain: the pack author named it. */
export const BANNED_TERM_SCORE = 1;
/** One keyword of a topic: a signal that the text touches the topic, not proof. */
export const TOPIC_SINGLE_KEYWORD_SCORE = 0.6;
/** Two or more distinct keywords of the same topic in one text. */
export const TOPIC_MULTI_KEYWORD_SCORE = 0.85;

/** Detector for a pack's banned-term list (id `banned-terms`, entity `BANNED_TERM`). */
export function bannedTermsDetector(terms: readonly string[], id = 'banned-terms'): Detector {
  const matcher = phraseMatcher(terms);
  return {
    id,
    entities: [BANNED_TERM],
    context: [],
    regexes: PHRASE_MATCHER_REGEXES,
    detect(input: ScanInput): Finding[] {
      return matcher.match(input.text).map((m) => ({ entity: BANNED_TERM, start: m.start, end: m.end, score: BANNED_TERM_SCORE, detector: id }));
    },
  };
}

/**
 * Detector for one banned topic: a name and the keywords or phrases that signal it. The id is
 * `topic:<name>` so a decision shows which topic was touched. Hits score higher when the text
 * uses several distinct keywords of the topic.
 */
export function bannedTopicDetector(name: string, keywords: readonly string[]): Detector {
  const id = `topic:${name}`;
  const matcher = phraseMatcher(keywords);
  return {
    id,
    entities: [BANNED_TOPIC],
    context: [],
    regexes: PHRASE_MATCHER_REGEXES,
    detect(input: ScanInput): Finding[] {
      const hits = matcher.match(input.text);
      const distinct = new Set(hits.map((h) => matcher.phrases[h.phrase])).size;
      const score = distinct >= 2 ? TOPIC_MULTI_KEYWORD_SCORE : TOPIC_SINGLE_KEYWORD_SCORE;
      return hits.map((m) => ({ entity: BANNED_TOPIC, start: m.start, end: m.end, score, detector: id }));
    },
  };
}
