/**
 * Token counts for cost estimates. OpenAI models are counted exactly with gpt-tokenizer (its BPE
 * ranks ship in the package). Other families have no maintained JavaScript tokenizer that ships its
 * data, so they are approximated from an OpenAI encoding times a margin chosen to over-count
 * (a budget reservation should err high): such results say `exact: false` and how they were made.
 */
import { createRequire } from 'node:module';
import * as openAiModelSpecs from 'gpt-tokenizer/models';
import * as encodingsByName from 'gpt-tokenizer/modelsMap';

export type EncodingName = 'o200k_base' | 'o200k_harmony' | 'cl100k_base' | 'p50k_base' | 'p50k_edit' | 'r50k_base' | 'gpt2';

export interface TokenCount {
  tokens: number;
  exact: boolean;
  /** The encoding counted with. */
  encoding: EncodingName;
  /** How the number was obtained, in words (shown in estimates and logs). */
  method: string;
}

interface Approximation {
  family: string;
  match: RegExp;
  encoding: EncodingName;
  factor: number;
  why: string;
}

/**
 * Families without a shipped tokenizer. Factors are safety margins, not measurements: a count that
 * comes out high reserves a little more budget than needed, which settle() gives back.
 */
export const APPROXIMATIONS: readonly Approximation[] = [
  { family: 'claude', match: /(^|[:/])(anthropic\.)?claude/i, encoding: 'cl100k_base', factor: 1.25, why: "Anthropic's tokenizer for current Claude models is not published" },
  { family: 'llama', match: /(^|[:/])(meta[-.]?)?llama/i, encoding: 'cl100k_base', factor: 1.15, why: "Llama 3's vocabulary extends cl100k_base; margin covers Llama 2's smaller one" },
  { family: 'gemini', match: /(^|[:/])(gemini|gemma)/i, encoding: 'o200k_base', factor: 1.2, why: "Gemini's SentencePiece vocabulary is not shipped in any maintained package" },
  { family: 'mistral', match: /(^|[:/])(mistral|mixtral|codestral|ministral|magistral|pixtral)/i, encoding: 'cl100k_base', factor: 1.25, why: "Mistral's tokenizers are not shipped in any maintained package" },
];
/** Anything else that is not an OpenAI model. */
const UNKNOWN: Approximation = { family: 'unknown', match: /.*/, encoding: 'cl100k_base', factor: 1.3, why: 'unknown model family' };

// Every model gpt-tokenizer knows; those not in its older-encoding lists use o200k_base (its rule).
const legacyEncoding = new Map<string, EncodingName>();
for (const [encoding, models] of Object.entries(encodingsByName)) {
  if (Array.isArray(models)) for (const m of models as readonly string[]) legacyEncoding.set(m, encoding as EncodingName);
}
const openAiModels = new Map<string, EncodingName>(Object.keys(openAiModelSpecs).map((m) => [m, legacyEncoding.get(m) ?? 'o200k_base']));
for (const [m, e] of legacyEncoding) openAiModels.set(m, e);
const OPENAI_NAME = /^(gpt-|o\d|chatgpt-|text-|davinci|babbage|codex-)/i;

/** `openai:gpt-4o-2024-08-06` → `gpt-4o-2024-08-06`. */
function bare(model: string): string {
  const colon = model.indexOf(':');
  return colon > 0 && !model.startsWith('ft:') ? model.slice(colon + 1) : model;
}

// Encodings are loaded on first use (o200k's ranks take ~0.4 s to load) and synchronously, through
// the package's CommonJS build, so counting stays a plain function call.
const require = createRequire(import.meta.url);
const counters = new Map<EncodingName, (text: string) => number>();
function counter(encoding: EncodingName): (text: string) => number {
  let c = counters.get(encoding);
  if (!c) {
    const mod = require(`gpt-tokenizer/encoding/${encoding}`) as { countTokens(text: string, o?: object): number };
    // Special-token text in user content ("<|endoftext|>") is counted as plain text, not refused.
    c = (text) => mod.countTokens(text, { disallowedSpecial: new Set() });
    counters.set(encoding, c);
  }
  return c;
}

/** How `model` is counted: its exact OpenAI encoding, or an approximation rule. */
export function tokenizerFor(model: string): { encoding: EncodingName; exact: boolean; factor: number; method: string } {
  const name = bare(model);
  const known = openAiModels.get(name) ?? openAiModels.get(name.replace(/-\d{4}-\d{2}-\d{2}$/, ''));
  if (known) return { encoding: known, exact: true, factor: 1, method: `gpt-tokenizer ${known}` };
  if (OPENAI_NAME.test(name)) {
    // gpt-tokenizer's own rule for OpenAI models it does not list yet: the newest encoding.
    return { encoding: 'o200k_base', exact: false, factor: 1, method: `gpt-tokenizer o200k_base, assumed for an OpenAI model it does not list` };
  }
  const rule = APPROXIMATIONS.find((a) => a.match.test(model)) ?? UNKNOWN;
  return { encoding: rule.encoding, exact: false, factor: rule.factor, method: `approximated for ${rule.family}: ${rule.encoding} count × ${rule.factor}, rounded up (${rule.why})` };
}

/** Counts the tokens of `text` as `model` would see them (exactly or approximately; see `exact`). */
export function countTokens(model: string, text: string): TokenCount {
  const t = tokenizerFor(model);
  const raw = text.length === 0 ? 0 : counter(t.encoding)(text);
  return { tokens: Math.ceil(raw * t.factor), exact: t.exact, encoding: t.encoding, method: t.method };
}
