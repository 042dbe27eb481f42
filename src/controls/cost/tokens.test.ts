import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countTokens, tokenizerFor } from './tokens.js';

describe('token counting', () => {
  it('counts OpenAI models exactly with their own encoding', () => {
    // Reference counts from tiktoken: "hello world" is 2 tokens in both encodings; this sentence is 10 in cl100k_base.
    assert.deepEqual(countTokens('gpt-4o', 'hello world'), { tokens: 2, exact: true, encoding: 'o200k_base', method: 'gpt-tokenizer o200k_base' });
    assert.equal(countTokens('gpt-4', 'hello world').encoding, 'cl100k_base');
    assert.equal(countTokens('gpt-4', 'The quick brown fox jumps over the lazy dog.').tokens, 10);
    assert.equal(countTokens('gpt-4o-2024-08-06', 'hello world').exact, true, 'dated snapshots resolve to their model');
    assert.equal(countTokens('openai:gpt-4o', 'hello world').exact, true);
    assert.equal(countTokens('gpt-4o', '').tokens, 0);
    assert.equal(countTokens('gpt-4o', 'say <|endoftext|> please').exact, true, 'special-token text is counted, not refused');
  });

  it('marks OpenAI models the tokenizer does not list as assumed o200k_base', () => {
    const t = tokenizerFor('gpt-9-ultra');
    assert.equal(t.exact, false);
    assert.equal(t.encoding, 'o200k_base');
    assert.match(t.method, /assumed/);
  });

  for (const [model, family, factor] of [
    ['claude-sonnet-4-5', 'claude', 1.25],
    ['anthropic.claude-3-haiku-20240307-v1:0', 'claude', 1.25],
    ['meta-llama/llama-3.1-8b-instruct', 'llama', 1.15],
    ['gemini-2.5-pro', 'gemini', 1.2],
    ['mistral-large-latest', 'mistral', 1.25],
    ['some-local-model', 'unknown', 1.3],
  ] as const) {
    it(`approximates ${model} (${family}) and says so`, () => {
      const text = 'Patient presented with chest pain; ECG normal; discharged with follow-up in two weeks.';
      const c = countTokens(model, text);
      assert.equal(c.exact, false);
      assert.match(c.method, new RegExp(`approximated for ${family}: \\w+ count × ${factor}`));
      const base = countTokens(c.encoding === 'o200k_base' ? 'gpt-4o' : 'gpt-4', text).tokens;
      assert.equal(c.tokens, Math.ceil(base * factor), 'the base count times the margin, rounded up');
      assert.ok(c.tokens > base);
    });
  }
});
