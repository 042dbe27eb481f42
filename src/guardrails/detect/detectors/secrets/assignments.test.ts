import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanInput } from '../../scan-input.js';
import { findAssignments, secretAssignments } from './assignments.js';

const one = (text: string) => {
  const found = findAssignments(text);
  assert.equal(found.length, 1, `expected one assignment in ${JSON.stringify(text)}, got ${JSON.stringify(found)}`);
  const a = found[0]!;
  assert.equal(text.slice(a.start, a.end), a.value, 'span covers the value');
  return a;
};

describe('findAssignments', () => {
  it('reads the usual forms, key and value without quotes', () => {
    const cases: Array<[string, string, string]> = [
      ['API_TOKEN=abc123def456', 'API_TOKEN', 'abc123def456'],
      ['export API_TOKEN=abc123def456', 'API_TOKEN', 'abc123def456'],
      ['password: s3cr3t-value', 'password', 's3cr3t-value'],
      ['"api_key": "abc123def456"', 'api_key', 'abc123def456'],
      ["'secret' => 'abc123def456',", 'secret', 'abc123def456'],
      ['token := "abc123def456"', 'token', 'abc123def456'],
      ['mysql --password=abc123def456 db', '--password', 'abc123def456'],
      ['{\\"client_secret\\": \\"abc123def456\\"}', 'client_secret', 'abc123def456'],
      ['apiKey = `abc123def456`;', 'apiKey', 'abc123def456'],
      ['if (password == "abc123def456")', 'password', 'abc123def456'],
    ];
    for (const [text, key, value] of cases) {
      const a = one(text);
      assert.equal(a.key, key, text);
      assert.equal(a.value, value, text);
    }
  });
  it('skips an auth scheme before the credential', () => {
    assert.equal(one('Authorization: Bearer abc123def456').value, 'abc123def456');
    assert.equal(one('"Authorization": "Basic dXNlcjpwYXNz"').value, 'dXNlcjpwYXNz');
  });
  it('ends unquoted values at delimiters and sentence punctuation', () => {
    assert.equal(one('https://x.test/cb?token=abc123def456&next=/home').value, 'abc123def456');
    assert.equal(one('The password: abc123def456.').value, 'abc123def456');
    assert.equal(one('{password: abc123def456}').value, 'abc123def456');
  });
  it('ignores keys without a secret hint, operators, URLs and short values', () => {
    for (const text of ['Note: the meeting is at 3:30', 'x = 2; y != 3', 'total_count=123456789', 'password != "abc123def456"', 'token <= limit123456', 'see https://password.example.com', 'std::secret_value', 'password=x']) {
      assert.deepEqual(findAssignments(text), [], text);
    }
  });
  it('drops unterminated quotes and over-long runs', () => {
    assert.deepEqual(findAssignments('password: "abc123def456\nnext line'), []);
    assert.deepEqual(findAssignments(`token=${'a'.repeat(2000)}`), []);
  });
  it('reads each value once: separators inside a value are not keys', () => {
    const text = 'password='.repeat(500);
    assert.ok(findAssignments(text).length <= 5); // runs of ≤ 1 KB, not 500 overlapping values
    const pairs = 'token=abc123def456 '.repeat(3);
    assert.equal(findAssignments(pairs).length, 3);
  });
  it('is computed once per scan and shared', () => {
    const input = scanInput('token=abc123def456');
    assert.equal(secretAssignments(input), secretAssignments(input));
  });
});
