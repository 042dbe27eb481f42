import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HIGH_SCORE, MEDIUM_SCORE, genericSecretDetector, isPlaceholderValue, keyWords, scoreSecretValue, secretKeyKind } from './generic.js';
import { secretDetectors } from './index.js';
import { ALNUM, BASE64, HEX, analyze, fakes, raw, spans } from './fixtures.js';

const r = fakes(71);

describe('key names', () => {
  it('splits snake, kebab, dotted and camel case', () => {
    assert.deepEqual(keyWords('AWS_SECRET_ACCESS_KEY'), ['aws', 'secret', 'access', 'key']);
    assert.deepEqual(keyWords('secretAccessKey'), ['secret', 'access', 'key']);
    assert.deepEqual(keyWords('APIKey'), ['api', 'key']);
    assert.deepEqual(keyWords('x-api-key'), ['x', 'api', 'key']);
    assert.deepEqual(keyWords('spring.datasource.password'), ['spring', 'datasource', 'password']);
  });
  it('classifies secret-ish names', () => {
    const cases: Array<[string, string | undefined]> = [
      ['password', 'password'], ['DB_PASSWD', 'password'], ['adminPassword', 'password'], ['pwd', 'password'],
      ['secret', 'secret'], ['client_secret', 'secret'], ['api_key', 'secret'], ['apikey', 'secret'], ['X-API-KEY', 'secret'],
      ['token', 'secret'], ['AUTH_TOKEN', 'secret'], ['auth', 'secret'], ['credentials', 'secret'], ['private_key', 'secret'],
      ['Authorization', 'secret'], ['accessToken', 'secret'], ['key', 'key'],
    ];
    for (const [key, kind] of cases) assert.equal(secretKeyKind(key), kind, key);
  });
  it('rejects names that describe a secret instead of holding one', () => {
    for (const key of ['token_url', 'password_length', 'max_tokens', 'secret_name', 'auth_method', 'private_key_id', 'public_key', 'author', 'sort_key', 'keyboard', 'tokenizer', 'passwordless_enabled']) {
      assert.equal(secretKeyKind(key), undefined, key);
    }
  });
});

describe('values', () => {
  it('treats placeholders, references, paths, URLs and digests as non-secrets', () => {
    for (const v of ['changeme', 'xxxxxxxx', '${VAR}', '${{ secrets.GITHUB_TOKEN }}', '<token>', 'password123', 'Password1!', 'your_api_key_here', 'process.env.API_TOKEN', 'DB_PASSWORD', '%(password)s', '/etc/secrets/token', './certs/client.key', 'https://vault.example.com/v1/secret', 'sha512-' + r(86, BASE64), '12345678', 'abcdefgh', '********', '[REDACTED]']) {
      assert.ok(isPlaceholderValue(v), v);
    }
    for (const v of [r(32), r(40, HEX), 'Tr0ub4dor&3xYz!9Qw', `ya29.${r(40)}`]) assert.ok(!isPlaceholderValue(v), v);
  });
  it('scores by randomness, length and character classes', () => {
    assert.equal(scoreSecretValue('secret', r(32)), HIGH_SCORE);
    assert.equal(scoreSecretValue('secret', r(40, HEX)), HIGH_SCORE);
    assert.equal(scoreSecretValue('secret', r(24, BASE64)), HIGH_SCORE);
    assert.equal(scoreSecretValue('password', 'correcthorsebatterystaple'), MEDIUM_SCORE);
    assert.equal(scoreSecretValue('password', 'Summer2024!'), 0.5);
    assert.ok(scoreSecretValue('password', 'monkeybread') < 0.4);
    assert.ok(scoreSecretValue('secret', 'my-secret-token-value') < 0.4);
    assert.ok(scoreSecretValue('key', r(32)) < HIGH_SCORE, 'a bare `key` name says less');
    assert.ok(scoreSecretValue('secret', 'aaaaaaaaaaaaaaaaaaaa') === 0);
  });
});

describe('genericSecretDetector', () => {
  it('reports random values under secret keys in every form, the value as the span', () => {
    const forms = ['password = "%s"', 'API_KEY=%s', 'api_key: %s', '"client_secret": "%s",', "'token' => '%s'", 'export AUTH_TOKEN=%s', 'Authorization: Bearer %s', 'curl -H "X-Api-Key: %s"', '{\\"secret\\": \\"%s\\"}', 'mysql --password=%s'];
    for (const form of forms) {
      const value = r(32, ALNUM);
      const text = form.replace('%s', value);
      const fs = raw(genericSecretDetector, text);
      assert.deepEqual(spans(text, fs), [value], form);
      assert.ok(fs[0]!.score >= 0.8, form);
    }
  });
  it('keeps the placeholders of the brief at or below 0.4', () => {
    const text = ['password: changeme', 'secret = "xxxxxxxx"', 'API_TOKEN=${VAR}', 'token: <token>', 'password: password123', 'api_key = os.getenv("API_KEY")', 'api_key = getApiKey()', 'token: "{{ .Values.token }}"', 'password: "********"'].join('\n');
    for (const f of raw(genericSecretDetector, text)) assert.ok(f.score <= 0.4, text.slice(f.start, f.end));
    assert.deepEqual(analyze(secretDetectors, text), []);
  });
  it('does not report lockfile hashes, git SHAs, UUIDs or prose without an assignment', () => {
    const text = [
      `"integrity": "sha512-${r(86, BASE64)}=="`,
      `resolved "https://registry.npmjs.org/x/-/x-1.0.0.tgz#${r(40, HEX)}"`,
      `commit ${r(40, HEX)}`,
      'request id 123e4567-e89b-12d3-a456-426614174000',
      'The password must be at least 12 characters; the token expires after an hour.',
    ].join('\n');
    assert.deepEqual(raw(genericSecretDetector, text), []);
  });
  it('leaves values with a provider prefix to their own detectors', () => {
    const text = `token: sk_live_${r(24)}\nsecret: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.${r(43)}\nAccountKey=${r(86, BASE64)}==`;
    assert.deepEqual(raw(genericSecretDetector, text), []);
  });
});
