/**
 * Builds a pack's content detectors from its settings. The settings come from YAML, so every
 * field is checked here and a mistake is reported with its name, not as a crash later.
 */
import { ConfigError } from '../../errors.js';
import { bannedTermsDetector, bannedTopicDetector } from './banned-terms.js';
import { normalizeTerm } from './normalize.js';
import { profanityDetector } from './profanity.js';
import { promptInjectionDetector } from './prompt-injection.js';
import type { Detector } from '../detect/types.js';

export interface ContentDetectorsConfig {
  /** Report profanity (entity PROFANITY). Default false. */
  profanity?: boolean;
  /** Words or phrases the pack bans outright (entity BANNED_TERM). */
  bannedTerms?: string[];
  /** Topic name → keywords or phrases that signal it (entity BANNED_TOPIC, detector `topic:<name>`). */
  bannedTopics?: Record<string, string[]>;
  /** Heuristic prompt-injection signals (entity PROMPT_INJECTION). Default false. */
  promptInjection?: boolean;
}

const KEYS = ['profanity', 'bannedTerms', 'bannedTopics', 'promptInjection'] as const;
const TOPIC_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i;
/** Longest term accepted: terms are words and short phrases, not documents. */
export const MAX_TERM_LENGTH = 200;

function checkTermList(value: unknown, where: string): string[] {
  if (!Array.isArray(value)) throw new ConfigError(`${where} must be a list of strings`);
  value.forEach((t, i) => {
    if (typeof t !== 'string') throw new ConfigError(`${where}[${i}] must be a string, got ${t === null ? 'null' : typeof t}`);
    if (normalizeTerm(t).length === 0) throw new ConfigError(`${where}[${i}] is empty (or only white space and invisible characters)`);
    if (t.length > MAX_TERM_LENGTH) throw new ConfigError(`${where}[${i}] is ${t.length} characters; the limit is ${MAX_TERM_LENGTH}`);
  });
  return value as string[];
}

function checkBoolean(value: unknown, where: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new ConfigError(`${where} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

/** Validates content-detector settings; throws ConfigError naming the first bad field. */
export function checkContentConfig(config: unknown): ContentDetectorsConfig {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new ConfigError('content detector settings must be an object');
  const c = config as Record<string, unknown>;
  const unknown = Object.keys(c).filter((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new ConfigError(`unknown content detector setting${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${KEYS.join(', ')})`);
  const out: ContentDetectorsConfig = {};
  const profanity = checkBoolean(c.profanity, 'profanity');
  if (profanity !== undefined) out.profanity = profanity;
  const promptInjection = checkBoolean(c.promptInjection, 'promptInjection');
  if (promptInjection !== undefined) out.promptInjection = promptInjection;
  if (c.bannedTerms !== undefined) out.bannedTerms = checkTermList(c.bannedTerms, 'bannedTerms');
  if (c.bannedTopics !== undefined) {
    const topics = c.bannedTopics;
    if (topics === null || typeof topics !== 'object' || Array.isArray(topics)) throw new ConfigError('bannedTopics must map topic names to lists of keywords');
    for (const [name, keywords] of Object.entries(topics)) {
      if (!TOPIC_NAME.test(name)) throw new ConfigError(`bannedTopics: topic name "${name}" must be letters, digits, "-" or "_" (at most 64)`);
      if (checkTermList(keywords, `bannedTopics.${name}`).length === 0) throw new ConfigError(`bannedTopics.${name} lists no keywords`);
    }
    out.bannedTopics = topics as Record<string, string[]>;
  }
  return out;
}

/** The content detectors a pack asked for, in a stable order; none when nothing is enabled. */
export function createContentDetectors(config: ContentDetectorsConfig): Detector[] {
  const c = checkContentConfig(config);
  const out: Detector[] = [];
  if (c.profanity) out.push(profanityDetector());
  if (c.bannedTerms && c.bannedTerms.length > 0) out.push(bannedTermsDetector(c.bannedTerms));
  for (const [name, keywords] of Object.entries(c.bannedTopics ?? {})) out.push(bannedTopicDetector(name, keywords));
  if (c.promptInjection) out.push(promptInjectionDetector());
  return out;
}
