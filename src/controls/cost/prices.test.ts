import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { ConfigError } from '../../errors.js';
import { BUNDLED_PRICE_SOURCE, bundledPrices, priceTable, pricesForInput } from './prices.js';

const at = new Date('2026-11-22T00:00:00Z');
const usd = (d: number) => Math.round(d * 1e6); // published $/Mtok → µ$/Mtok

describe('price table', () => {
  it('is dated, and the date belongs to the installed package version', () => {
    const require = createRequire(import.meta.url);
    const pkg = JSON.parse(readFileSync(join(dirname(require.resolve('@pydantic/genai-prices')), '..', 'package.json'), 'utf8')) as { version: string };
    assert.equal(pkg.version, BUNDLED_PRICE_SOURCE.version, 'bump BUNDLED_PRICE_SOURCE (version and asOf) with the package');
    assert.match(bundledPrices().asOf, /^\d{4}-\d{2}-\d{2}$/);
  });

  // Published list prices (USD per million tokens), checked by hand against the providers' pages.
  const published: Array<[model: string, input: number, output: number, cached: number | undefined]> = [
    ['gpt-4o', 2.5, 10, 1.25],
    ['gpt-4o-mini', 0.15, 0.6, 0.075],
    ['gpt-4.1', 2, 8, 0.5],
    ['claude-3-5-sonnet-20241022', 3, 15, 0.3],
    ['claude-3-haiku-20240307', 0.25, 1.25, 0.03],
    ['claude-3-opus-20240229', 15, 75, 1.5],
    ['gemini-2.0-flash', 0.1, 0.4, 0.025],
  ];
  for (const [model, input, output, cached] of published) {
    it(`${model}: $${input} in / $${output} out per Mtok`, () => {
      const p = bundledPrices().lookup(model, at);
      assert.ok(p, `${model} is in the bundled table`);
      assert.equal(p.inputPerMtok, usd(input));
      assert.equal(p.outputPerMtok, usd(output));
      assert.equal(p.cachedInputPerMtok, cached === undefined ? undefined : usd(cached));
    });
  }

  it('resolves dated model ids and provider prefixes to their table entry', () => {
    assert.equal(bundledPrices().lookup('gpt-4o-2024-08-06', at)?.model, 'gpt-4o');
    assert.equal(bundledPrices().lookup('openai:gpt-4o', at)?.provider, 'openai');
    assert.equal(bundledPrices().lookup('no-such-model-xyz', at), undefined);
  });

  it('applies long-context tiers to the whole request above their threshold', () => {
    const p = bundledPrices().lookup('gemini-2.5-pro', at)!;
    assert.ok(p.tiers?.length, 'gemini-2.5-pro has a >200k tier');
    assert.equal(pricesForInput(p, 200_000).inputPerMtok, usd(1.25));
    assert.equal(pricesForInput(p, 200_001).inputPerMtok, usd(2.5));
    assert.equal(pricesForInput(p, 200_001).outputPerMtok, usd(15));
  });

  it('lets a pack override or add prices, validated at load', () => {
    const t = priceTable({ 'gpt-4o': { input: '1.00', output: '2.00' }, 'in-house-llm': { input: '0.5', output: '0.75', cachedInput: '0.05' } });
    assert.equal(t.lookup('gpt-4o', at)?.inputPerMtok, 1_000_000);
    assert.equal(t.lookup('gpt-4o', at)?.source, 'pack override');
    assert.equal(t.lookup('in-house-llm', at)?.cachedInputPerMtok, 50_000);
    assert.equal(t.lookup('gpt-4o-mini', at)?.inputPerMtok, 150_000, 'others still come from the bundle');
    assert.throws(() => priceTable({ m: { input: 'cheap', output: '1' } }), ConfigError);
  });
});
