import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, InvalidInputError } from '../../errors.js';
import { checkMicros, formatUsd, parseUsd, tokensCostMicros, toMicros, usdFloatToMicros } from './money.js';

describe('money', () => {
  it('parses dollar strings exactly into micro-dollars', () => {
    assert.equal(parseUsd('12.50', 'x'), 12_500_000);
    assert.equal(parseUsd('$0.000001', 'x'), 1);
    assert.equal(parseUsd('100', 'x'), 100_000_000);
    assert.equal(parseUsd('0.1', 'x') + parseUsd('0.2', 'x'), parseUsd('0.3', 'x'), 'no float drift');
    for (const bad of ['1.0000001', '-1', '1e3', 'ten', '', '$', '1,000']) assert.throws(() => parseUsd(bad, 'settings.cost.maxCostPerCall'), ConfigError, bad);
  });

  it('formats micro-dollars for messages', () => {
    assert.equal(formatUsd(12_500_000), '$12.50');
    assert.equal(formatUsd(125), '$0.000125');
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatUsd(1_000_000), '$1.00');
  });

  it('prices tokens in integer arithmetic, rounding up once per call', () => {
    // 1,000 tokens at $2.50/Mtok = 2,500 µ$ exactly; 1 token at $0.075/Mtok = 0.075 µ$ → 1 µ$.
    assert.equal(tokensCostMicros([1000, 2_500_000]), 2500n);
    assert.equal(tokensCostMicros([1, 75_000]), 1n);
    assert.equal(tokensCostMicros([3, 75_000], [3, 75_000]), 1n, 'one ceiling for the sum, not one per part');
    assert.equal(tokensCostMicros([2_000_000_000, 75_000_000]), 150_000_000_000n, 'beyond 2^53 in the product is still exact');
    assert.equal(usdFloatToMicros(0.075), 75_000);
    assert.throws(() => toMicros(2n ** 60n, 'x'), InvalidInputError);
  });

  it('accepts only non-negative safe integers as amounts', () => {
    assert.equal(checkMicros(5, 'x'), 5);
    assert.equal(checkMicros(5n, 'x'), 5);
    for (const bad of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, '5', NaN]) assert.throws(() => checkMicros(bad, 'actual cost'), InvalidInputError);
  });
});
