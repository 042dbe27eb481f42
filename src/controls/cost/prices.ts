/**
 * Model prices in integer micro-dollars per million tokens. The bundled table is the data shipped
 * inside @pydantic/genai-prices (never its remote update: prices change only with a reviewed
 * dependency bump, and `asOf` says how old they are). A pack can override or add models.
 */
import { calcPrice } from '@pydantic/genai-prices';
import { ConfigError } from '../../errors.js';
import { parseUsd, usdFloatToMicros, type Micros } from './money.js';

/** Where the bundled prices come from. Bump `asOf` with the package (npm publish date of that version). */
export const BUNDLED_PRICE_SOURCE = { package: '@pydantic/genai-prices', version: '0.1.8', asOf: '2026-09-23' } as const;

export interface TokenPrices {
  inputPerMtok: Micros;
  outputPerMtok: Micros;
  /** Cache-read input tokens; absent when the provider has no cached-input price. */
  cachedInputPerMtok?: Micros;
}

export interface ModelPrice extends TokenPrices {
  /** The table's model id (e.g. `gpt-4o` for `gpt-4o-2024-08-06`). */
  model: string;
  provider: string;
  /** Long-context pricing: once a request's input exceeds `aboveInputTokens`, the whole request costs these. */
  tiers?: Array<TokenPrices & { aboveInputTokens: number }>;
  source: string;
}

export interface PriceTable {
  readonly source: string;
  readonly asOf: string;
  /** `model` may carry a provider prefix (`openai:gpt-4o`). `at` picks date-constrained prices. */
  lookup(model: string, at: Date): ModelPrice | undefined;
}

/** The prices that apply to a request with this many input tokens (the highest tier it exceeds). */
export function pricesForInput(price: ModelPrice, inputTokens: number): TokenPrices {
  let chosen: TokenPrices = price;
  for (const t of price.tiers ?? []) if (inputTokens > t.aboveInputTokens) chosen = t;
  return chosen;
}

type RawPrice = number | { base: number; tiers: Array<{ start: number; price: number }> } | undefined;

function base(p: RawPrice): Micros | undefined {
  if (p === undefined) return undefined;
  return usdFloatToMicros(typeof p === 'number' ? p : p.base);
}

function tierStarts(...ps: RawPrice[]): number[] {
  const starts = new Set<number>();
  for (const p of ps) if (p && typeof p === 'object') for (const t of p.tiers) starts.add(t.start);
  return [...starts].sort((a, b) => a - b);
}

function atTier(p: RawPrice, start: number): Micros | undefined {
  if (p === undefined) return undefined;
  if (typeof p === 'number') return usdFloatToMicros(p);
  let price = p.base;
  for (const t of p.tiers) if (t.start <= start) price = t.price;
  return usdFloatToMicros(price);
}

function fromBundle(model: string, at: Date): ModelPrice | undefined {
  const colon = model.indexOf(':');
  const [providerId, modelId] = colon > 0 ? [model.slice(0, colon), model.slice(colon + 1)] : [undefined, model];
  // Zero usage: only the model match and its date-resolved price row are wanted, not a total.
  const found = calcPrice({ input_tokens: 0, output_tokens: 0 }, modelId, { ...(providerId ? { providerId } : {}), timestamp: at });
  if (!found) return undefined;
  const mp = found.model_price as Record<string, RawPrice>;
  const input = base(mp.input_mtok);
  const output = base(mp.output_mtok);
  if (input === undefined || output === undefined) return undefined; // not a token-priced model (images, audio only)
  const cached = base(mp.cache_read_mtok);
  const starts = tierStarts(mp.input_mtok, mp.output_mtok, mp.cache_read_mtok);
  const tiers = starts.map((s) => {
    const c = atTier(mp.cache_read_mtok, s);
    return { aboveInputTokens: s, inputPerMtok: atTier(mp.input_mtok, s)!, outputPerMtok: atTier(mp.output_mtok, s)!, ...(c !== undefined ? { cachedInputPerMtok: c } : {}) };
  });
  return {
    model: found.model.id,
    provider: found.provider.id,
    inputPerMtok: input,
    outputPerMtok: output,
    ...(cached !== undefined ? { cachedInputPerMtok: cached } : {}),
    ...(tiers.length ? { tiers } : {}),
    source: `${BUNDLED_PRICE_SOURCE.package}@${BUNDLED_PRICE_SOURCE.version} (${BUNDLED_PRICE_SOURCE.asOf})`,
  };
}

let bundled: PriceTable | undefined;

/** The bundled table. Lookups are cached per model and UTC day (prices can carry start dates). */
export function bundledPrices(): PriceTable {
  if (bundled) return bundled;
  const cache = new Map<string, ModelPrice | null>();
  bundled = {
    source: `${BUNDLED_PRICE_SOURCE.package}@${BUNDLED_PRICE_SOURCE.version}`,
    asOf: BUNDLED_PRICE_SOURCE.asOf,
    lookup(model, at) {
      const key = `${model}\u0000${at.toISOString().slice(0, 10)}`;
      let hit = cache.get(key);
      if (hit === undefined) cache.set(key, (hit = fromBundle(model, at) ?? null));
      return hit ?? undefined;
    },
  };
  return bundled;
}

/** A pack's price for one model: dollars per million tokens, as decimal strings ("2.50"). */
export interface PriceOverride {
  input: string;
  output: string;
  cachedInput?: string;
}

/** `overrides` (exact model ids, pack settings) win over `base`. Amounts are validated here, at load. */
export function priceTable(overrides: Record<string, PriceOverride> = {}, base: PriceTable = bundledPrices()): PriceTable {
  const own = new Map<string, ModelPrice>();
  for (const [model, o] of Object.entries(overrides)) {
    if (!model.trim()) throw new ConfigError('settings.cost.prices: a model id is empty');
    const where = `settings.cost.prices.${model}`;
    own.set(model, {
      model,
      provider: 'pack',
      inputPerMtok: parseUsd(o.input, `${where}.input`),
      outputPerMtok: parseUsd(o.output, `${where}.output`),
      ...(o.cachedInput !== undefined ? { cachedInputPerMtok: parseUsd(o.cachedInput, `${where}.cachedInput`) } : {}),
      source: 'pack override',
    });
  }
  if (own.size === 0) return base;
  return {
    source: `pack overrides over ${base.source}`,
    asOf: base.asOf,
    lookup: (model, at) => own.get(model) ?? base.lookup(model, at),
  };
}
