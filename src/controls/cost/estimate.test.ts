import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../errors.js';
import { actualCost, estimateCost } from './estimate.js';
import { priceTable } from './prices.js';
import { countTokens } from './tokens.js';

const now = new Date('2026-11-22T00:00:00Z');
const prices = priceTable({ house: { input: '3.00', output: '15.00', cachedInput: '0.30' } });
const opts = { prices, now, defaultMaxOutputTokens: 1000 };

describe('cost estimate', () => {
  it('is input tokens × input price + max output tokens × output price, in µ$, rounded up', () => {
    const e = estimateCost({ name: 'llm.chat', cost: { model: 'house', inputTokens: 1234, maxOutputTokens: 567 } }, opts);
    // 1234 × 3 + 567 × 15 = 12,207 µ$ (prices are per million tokens, amounts per token in µ$).
    assert.equal(e.micros, 12_207);
    assert.equal(e.inputTokens, 1234);
    assert.equal(e.maxOutputTokens, 567);
    const odd = estimateCost({ name: 'x', cost: { model: 'gpt-4o-mini', inputTokens: 1, maxOutputTokens: 1 } }, opts);
    assert.equal(odd.micros, 1, '0.15 + 0.6 µ$ rounds up to 1');
  });

  it('counts the content when tokens are not declared, and says how', () => {
    const text = 'Summarise the discharge note for the patient in plain language.';
    const e = estimateCost({ name: 'llm.chat', content: text, cost: { model: 'gpt-4o' } }, opts);
    const tokens = countTokens('gpt-4o', text).tokens;
    assert.equal(e.inputTokens, tokens);
    assert.equal(e.maxOutputTokens, 1000, 'the default when the call does not declare one');
    assert.equal(e.micros, Math.ceil((tokens * 2_500_000 + 1000 * 10_000_000) / 1e6));
    assert.equal(e.exact, true);
    const claude = estimateCost({ name: 'llm.chat', content: text, cost: { model: 'claude-sonnet-4-5', maxOutputTokens: 10 } }, opts);
    assert.equal(claude.exact, false);
    assert.match(claude.method, /approximated for claude/);
    const chat = estimateCost({ name: 'llm.chat', content: [{ role: 'user', content: text }], cost: { model: 'gpt-4o' } }, opts);
    assert.equal(chat.exact, false, 'structured content is counted as its JSON');
    assert.ok(chat.inputTokens > tokens);
  });

  it('lets the caller declare more, never less, than ESQ counts', () => {
    const text = 'word '.repeat(200);
    const counted = countTokens('house', text).tokens;
    const low = estimateCost({ name: 'x', content: text, cost: { model: 'house', inputTokens: 1, maxOutputTokens: 0 } }, opts);
    assert.equal(low.inputTokens, counted);
    const high = estimateCost({ name: 'x', content: text, cost: { model: 'house', inputTokens: counted + 500, maxOutputTokens: 0 } }, opts);
    assert.equal(high.inputTokens, counted + 500);
    const declared = estimateCost({ name: 'x', cost: { model: 'house', inputTokens: 10, maxOutputTokens: 0, estimateMicros: 999_999 } }, opts);
    assert.equal(declared.micros, 999_999);
    const under = estimateCost({ name: 'x', cost: { model: 'house', inputTokens: 10_000, maxOutputTokens: 0, estimateMicros: 1 } }, opts);
    assert.equal(under.micros, 30_000);
  });

  it('is zero for actions without cost, and refuses what it cannot price', () => {
    assert.equal(estimateCost({ name: 'export_phi' }, opts).micros, 0);
    assert.equal(estimateCost({ name: 'x', cost: { estimateMicros: 42 } }, opts).micros, 42);
    assert.throws(() => estimateCost({ name: 'x', cost: { inputTokens: 5 } }, opts), InvalidInputError);
    assert.throws(() => estimateCost({ name: 'x', cost: { model: 'mystery-9000', inputTokens: 5 } }, opts), /no price for model "mystery-9000".*settings\.cost\.prices/);
    assert.throws(() => estimateCost({ name: 'x', cost: { model: 'house', inputTokens: -1 } }, opts), InvalidInputError);
    assert.throws(() => estimateCost({ name: 'x', cost: { model: 'house', estimateMicros: 0.5 } }, opts), InvalidInputError);
  });

  it('prices reported usage for settle, cached input at its own rate', () => {
    // 10,000 input of which 8,000 cached: 2,000 × 3 + 8,000 × 0.3 + 500 × 15 = 6,000 + 2,400 + 7,500.
    assert.equal(actualCost('house', { inputTokens: 10_000, cachedInputTokens: 8_000, outputTokens: 500 }, prices, now), 15_900);
    assert.throws(() => actualCost('house', { inputTokens: 1, cachedInputTokens: 2, outputTokens: 0 }, prices, now), InvalidInputError);
  });
});
