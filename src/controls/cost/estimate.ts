/**
 * estimate = input tokens × input price + max output tokens × output price, in integer micro-dollars,
 * rounded up. The caller may declare more (tokens or a whole estimate) but never less than what ESQ
 * counts: a low estimate would let a tenant reserve less than it can spend.
 */
import type { Action } from '../../engine/types.js';
import { InvalidInputError } from '../../errors.js';
import { checkMicros, tokensCostMicros, toMicros, type Micros } from './money.js';
import { pricesForInput, type ModelPrice, type PriceTable, type TokenPrices } from './prices.js';
import { countTokens } from './tokens.js';

export interface EstimateOptions {
  prices: PriceTable;
  now: Date;
  /** Used when the action does not say how many output tokens it may produce. */
  defaultMaxOutputTokens: number;
}

export interface CostEstimate {
  /** 0 for an action without `cost` (not a priced call). */
  micros: Micros;
  model?: string;
  inputTokens: number;
  maxOutputTokens: number;
  /** False when any count was approximated; `method` says how. */
  exact: boolean;
  method: string;
  /** The price row used (tier applied), when a model was priced. */
  price?: ModelPrice & { applied: TokenPrices };
}

const NONE: CostEstimate = { micros: 0, inputTokens: 0, maxOutputTokens: 0, exact: true, method: 'no cost declared' };

function checkTokens(v: unknown, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new InvalidInputError(`${what} must be a non-negative integer, got ${String(v)}`);
  return v;
}

/** Text the model will read: strings as they are; structured content (chat messages…) as its JSON, which over-counts slightly. */
function contentText(content: unknown): { text: string; structured: boolean } | undefined {
  if (content === undefined || content === null) return undefined;
  if (typeof content === 'string') return { text: content, structured: false };
  return { text: JSON.stringify(content), structured: true };
}

export function estimateCost(action: Action, opts: EstimateOptions): CostEstimate {
  const cost = action.cost;
  if (!cost) return NONE;
  const declared = cost.estimateMicros === undefined ? undefined : checkMicros(cost.estimateMicros, 'action.cost.estimateMicros');
  const declaredIn = checkTokens(cost.inputTokens, 'action.cost.inputTokens');
  const maxOut = checkTokens(cost.maxOutputTokens, 'action.cost.maxOutputTokens') ?? opts.defaultMaxOutputTokens;
  if (!cost.model) {
    if (declared === undefined) throw new InvalidInputError('action.cost needs a model (to price tokens) or an estimateMicros');
    return { micros: declared, inputTokens: declaredIn ?? 0, maxOutputTokens: maxOut, exact: false, method: 'declared by the caller (no model to price)' };
  }
  const price = opts.prices.lookup(cost.model, opts.now);
  if (!price) {
    throw new InvalidInputError(`no price for model "${cost.model}" (table ${opts.prices.source}, ${opts.prices.asOf}); add it under settings.cost.prices`);
  }
  const text = contentText(action.content);
  const counted = text ? countTokens(cost.model, text.text) : undefined;
  const inputTokens = Math.max(counted?.tokens ?? 0, declaredIn ?? 0);
  const applied = pricesForInput(price, inputTokens);
  const computed = toMicros(tokensCostMicros([inputTokens, applied.inputPerMtok], [maxOut, applied.outputPerMtok]), 'cost estimate');
  const methods: string[] = [];
  if (counted) methods.push(`${text!.structured ? 'JSON of structured content, ' : ''}${counted.method}`);
  if (declaredIn !== undefined && declaredIn >= (counted?.tokens ?? 0)) methods.push('input tokens as declared');
  if (declared !== undefined && declared > computed) methods.push('declared estimate (higher than computed)');
  return {
    micros: Math.max(computed, declared ?? 0),
    model: cost.model,
    inputTokens,
    maxOutputTokens: maxOut,
    exact: counted ? counted.exact && !text!.structured : false,
    method: methods.join('; ') || 'no content to count',
    price: { ...price, applied },
  };
}

export interface Usage {
  /** All input tokens, cached ones included (as providers report them). */
  inputTokens: number;
  cachedInputTokens?: number;
  outputTokens: number;
}

/** What a finished call cost, from the usage the provider reported: the amount to settle with. */
export function actualCost(model: string, usage: Usage, prices: PriceTable, at: Date): Micros {
  const price = prices.lookup(model, at);
  if (!price) throw new InvalidInputError(`no price for model "${model}"; add it under settings.cost.prices`);
  const input = checkTokens(usage.inputTokens, 'usage.inputTokens')!;
  const cached = checkTokens(usage.cachedInputTokens, 'usage.cachedInputTokens') ?? 0;
  const output = checkTokens(usage.outputTokens, 'usage.outputTokens')!;
  if (cached > input) throw new InvalidInputError('usage.cachedInputTokens cannot exceed usage.inputTokens (cached tokens are part of the input)');
  const p = pricesForInput(price, input);
  return toMicros(tokensCostMicros([input - cached, p.inputPerMtok], [cached, p.cachedInputPerMtok ?? p.inputPerMtok], [output, p.outputPerMtok]), 'actual cost');
}
