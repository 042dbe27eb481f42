import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SERVICE_ACCOUNT_SCORE, gcpDetector, isServiceAccountType, privateKeyValue } from './gcp.js';
import { fakePem, fakes, raw, spans } from './fixtures.js';

const r = fakes(21);

function keyFile(pem: string, type = 'service_account'): string {
  return JSON.stringify(
    {
      type,
      project_id: 'demo-project',
      private_key_id: r(40, '0123456789abcdef'),
      private_key: pem,
      client_email: 'svc@demo-project.iam.gserviceaccount.com',
      client_id: r(21, '0123456789'),
    },
    null,
    2,
  );
}

describe('GCP API keys', () => {
  it('finds AIza keys at 0.9', () => {
    const key = `AIza${r(35, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')}`;
    const text = `const MAPS_KEY = "${key}";`;
    const fs = raw(gcpDetector, text);
    assert.deepEqual(spans(text, fs), [key]);
    assert.equal(fs[0]!.entity, 'GCP_API_KEY');
    assert.equal(fs[0]!.score, 0.9);
  });
  it('ignores placeholders and wrong lengths', () => {
    for (const text of [`AIza${'X'.repeat(35)}`, `AIza${r(34)}`, `AIza${r(36)}`, 'AIzaSy-your-api-key-here-0000000000000']) assert.deepEqual(raw(gcpDetector, text), [], text);
  });
});

describe('GCP service-account key files', () => {
  it('reports the private_key value of a key file at 1.0', () => {
    const pem = fakePem('PRIVATE KEY', 1190, 1) + '\n';
    const text = keyFile(pem);
    const fs = raw(gcpDetector, text).filter((f) => f.entity === 'GCP_SERVICE_ACCOUNT');
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.score, SERVICE_ACCOUNT_SCORE);
    // The span is the JSON string's content: the PEM with its `\n` escapes.
    assert.equal(text.slice(fs[0]!.start, fs[0]!.end), JSON.stringify(pem).slice(1, -1));
  });
  it('reads key files embedded as an escaped JSON string', () => {
    const text = JSON.stringify({ credentials: keyFile(fakePem('PRIVATE KEY', 600, 2) + '\n') });
    const fs = raw(gcpDetector, text).filter((f) => f.entity === 'GCP_SERVICE_ACCOUNT');
    assert.equal(fs.length, 1);
    assert.ok(text.slice(fs[0]!.start, fs[0]!.end).startsWith('-----BEGIN PRIVATE KEY-----\\\\n'));
  });
  it('needs "type": "service_account" and the private_key member itself', () => {
    assert.deepEqual(raw(gcpDetector, keyFile(fakePem('PRIVATE KEY', 600, 3), 'authorized_user')), []);
    assert.deepEqual(raw(gcpDetector, '{"type": "service_account", "private_key_id": "abc123"}'), []);
    assert.deepEqual(raw(gcpDetector, 'the service_account field and a private_key field'), []);
  });
  it('drops a redacted private key', () => {
    assert.deepEqual(raw(gcpDetector, keyFile('REDACTED')), []);
  });
  it('parses member and type syntax exactly', () => {
    const t = '{"type" : "service_account"}';
    assert.ok(isServiceAccountType(t, t.indexOf('service_account')));
    const u = '{"kind": "service_account"}';
    assert.ok(!isServiceAccountType(u, u.indexOf('service_account')));
    const k = '"private_key": "abc\\"def"';
    assert.deepEqual(privateKeyValue(k, 1), [16, k.length - 1]);
    assert.equal(privateKeyValue('"private_key": "no end', 1), undefined);
  });
});
