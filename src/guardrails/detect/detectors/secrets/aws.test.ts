import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SECRET_BY_NAME_SCORE, SECRET_NEAR_ID_SCORE, awsDetector, isAwsSecretKeyName, looksLikeAwsSecret } from './aws.js';
import { secretDetectors } from './index.js';
import { ALNUM, BASE32, BASE64, HEX, analyze, fakes, raw, spans } from './fixtures.js';

const r = fakes(11);
const accessKey = (prefix = 'AKIA') => prefix + r(16, BASE32);
/** A secret with all three character classes, as AWS's are. */
const secretKey = () => {
  for (;;) {
    const s = r(40, BASE64);
    if (/[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s)) return s;
  }
};

describe('AWS access key IDs', () => {
  it('finds every key type at 0.9 with the ID as the span', () => {
    for (const prefix of ['AKIA', 'ASIA', 'ABIA', 'ACCA']) {
      const id = accessKey(prefix);
      const text = `aws_access_key_id = ${id}\n`;
      const fs = raw(awsDetector, text);
      assert.deepEqual(spans(text, fs), [id]);
      assert.equal(fs[0]!.entity, 'AWS_ACCESS_KEY');
      assert.equal(fs[0]!.score, 0.9);
    }
  });
  it('ignores IDs with characters outside base32 (0, 1, 8, 9), which AWS never issued', () => {
    assert.deepEqual(raw(awsDetector, 'aws key AKIAZ3MQXP4RT7WBNV19'), []);
  });
  it('ignores the documented example, placeholders, words and wrong lengths', () => {
    for (const text of ['AKIAIOSFODNN7EXAMPLE', 'key = AKIAXXXXXXXXXXXXXXXX', 'TODAYINASIAASACKOFRICEFELLOVER', `${accessKey()}Q`, accessKey().slice(0, 19), `x${accessKey()}`]) {
      assert.deepEqual(raw(awsDetector, text), [], text);
    }
  });
});

describe('AWS secret access keys', () => {
  it('knows AWS key names', () => {
    for (const k of ['aws_secret_access_key', 'AWS_SECRET_ACCESS_KEY', 'SecretAccessKey', 'secretAccessKey', 'aws_secret', 'aws-secret-key']) assert.ok(isAwsSecretKeyName(k), k);
    for (const k of ['secret', 'api_key', 'access_key_id']) assert.ok(!isAwsSecretKeyName(k), k);
  });
  it('needs 40 random base64 characters with all classes', () => {
    assert.ok(looksLikeAwsSecret(secretKey()));
    assert.ok(!looksLikeAwsSecret(r(40, HEX)), 'a git SHA is not a secret key');
    assert.ok(!looksLikeAwsSecret('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'));
    assert.ok(!looksLikeAwsSecret(r(39, ALNUM)));
  });
  it('reports a secret under an AWS key name, in credentials-file, env and JSON forms', () => {
    for (const form of ['aws_secret_access_key = %s', 'export AWS_SECRET_ACCESS_KEY=%s', '"SecretAccessKey": "%s",', "secretAccessKey: '%s'"]) {
      const secret = secretKey();
      const text = form.replace('%s', secret);
      const fs = raw(awsDetector, text);
      assert.deepEqual(spans(text, fs), [secret], text);
      assert.equal(fs[0]!.entity, 'AWS_SECRET_KEY');
      assert.equal(fs[0]!.score, SECRET_BY_NAME_SCORE);
    }
  });
  it('reports a bare secret next to an access key ID at a lower score (credentials CSV)', () => {
    const id = accessKey();
    const secret = secretKey();
    const text = `User name,Access key ID,Secret access key\nci-bot,${id},${secret}\n`;
    const fs = raw(awsDetector, text);
    assert.deepEqual(spans(text, fs), [id, secret]);
    assert.equal(fs[1]!.score, SECRET_NEAR_ID_SCORE);
    // The analyzer's context words ("access key") lift it over the threshold.
    assert.ok(analyze([awsDetector], text).some((f) => f.entity === 'AWS_SECRET_KEY' && f.score > SECRET_NEAR_ID_SCORE));
  });
  it('does not report bare 40-character strings without an ID, or git SHAs near one', () => {
    assert.deepEqual(raw(awsDetector, `token ${secretKey()}`), []);
    const text = `${accessKey()} commit ${r(40, HEX)}`;
    assert.deepEqual(raw(awsDetector, text).map((f) => f.entity), ['AWS_ACCESS_KEY']);
  });
  it('is reported once across all secret detectors (the generic detector leaves it alone)', () => {
    const secret = secretKey();
    const fs = analyze(secretDetectors, `aws_secret_access_key = ${secret}`, { minScore: 0 });
    assert.deepEqual(fs.map((f) => f.entity), ['AWS_SECRET_KEY']);
  });
});
