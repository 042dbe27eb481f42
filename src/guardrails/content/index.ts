/** Content guardrails: profanity, banned terms and topics, heuristic prompt-injection signals. */
export { createContentDetectors, checkContentConfig, MAX_TERM_LENGTH } from './content-detectors.js';
export type { ContentDetectorsConfig } from './content-detectors.js';
export { profanityDetector, PROFANITY, PROFANITY_DETECTOR_ID } from './profanity.js';
export {
  bannedTermsDetector,
  bannedTopicDetector,
  BANNED_TERM,
  BANNED_TOPIC,
  BANNED_TERM_SCORE,
  TOPIC_SINGLE_KEYWORD_SCORE,
  TOPIC_MULTI_KEYWORD_SCORE,
} from './banned-terms.js';
export { promptInjectionDetector, promptInjectionSignals, PROMPT_INJECTION, PROMPT_INJECTION_DETECTOR_ID } from './prompt-injection.js';
export type { PromptInjectionSignal, PromptInjectionSignalName } from './prompt-injection.js';
export { normalizeForMatching, normalizeTerm } from './normalize.js';
export type { NormalizedText } from './normalize.js';
export { phraseMatcher } from './phrase-matcher.js';
export type { PhraseMatch, PhraseMatcher } from './phrase-matcher.js';
