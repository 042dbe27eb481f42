import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { base62 } from './github.js';
import { secretDetectors } from './index.js';
import { ALNUM, BASE32, BASE64, DIGITS, HEX, analyze, fakeBase64Bytes, fakePem, fakes } from './fixtures.js';

const ENTITIES = [
  'AWS_ACCESS_KEY', 'AWS_SECRET_KEY', 'GCP_SERVICE_ACCOUNT', 'GCP_API_KEY', 'AZURE_CONNECTION_STRING', 'GITHUB_TOKEN', 'GITLAB_TOKEN',
  'SLACK_TOKEN', 'STRIPE_KEY', 'PRIVATE_KEY', 'JWT', 'GENERIC_SECRET',
];

describe('secretDetectors', () => {
  it('cover every secret entity, with unique detector ids', () => {
    assert.deepEqual([...new Set(secretDetectors.flatMap((d) => d.entities))].sort(), [...ENTITIES].sort());
    assert.equal(new Set(secretDetectors.map((d) => d.id)).size, secretDetectors.length);
  });

  it('find each secret of a mixed document once, under its own entity, with the value as the span', () => {
    const r = fakes(81);
    const gh = r(30);
    const b64u = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const secrets: Record<string, string> = {
      AWS_ACCESS_KEY: `AKIA${r(16, BASE32)}`,
      AWS_SECRET_KEY: `${r(13, ALNUM)}/${r(13, ALNUM)}+${r(12, ALNUM)}`,
      GCP_API_KEY: `AIza${r(35)}`,
      AZURE_CONNECTION_STRING: `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${fakeBase64Bytes(64, 1)};EndpointSuffix=core.windows.net`,
      GITHUB_TOKEN: `ghp_${gh}${base62(crc32(gh), 6)}`,
      GITLAB_TOKEN: `glpat-${r(20)}`,
      SLACK_TOKEN: `xoxb-${r(12, DIGITS)}-${r(13, DIGITS)}-${r(24)}`,
      STRIPE_KEY: `sk_live_${r(24)}`,
      PRIVATE_KEY: fakePem('EC PRIVATE KEY', 121, 2),
      JWT: `${b64u({ alg: 'ES256', typ: 'JWT' })}.${b64u({ sub: 'svc', exp: 1900000000 })}.${r(86)}`,
      GENERIC_SECRET: r(32, HEX),
    };
    const text = [
      'Deployment notes for the billing service.',
      `aws_access_key_id = ${secrets.AWS_ACCESS_KEY}`,
      `aws_secret_access_key = ${secrets.AWS_SECRET_KEY}`,
      `The maps widget uses ${secrets.GCP_API_KEY} in production.`,
      `AZURE_STORAGE="${secrets.AZURE_CONNECTION_STRING}"`,
      `CI pushes with ${secrets.GITHUB_TOKEN} and mirrors with ${secrets.GITLAB_TOKEN}.`,
      `Alerts: ${secrets.SLACK_TOKEN}; payments: ${secrets.STRIPE_KEY}.`,
      secrets.PRIVATE_KEY,
      `Authorization: Bearer ${secrets.JWT}`,
      `"client_secret": "${secrets.GENERIC_SECRET}"`,
    ].join('\n');
    const found = analyze(secretDetectors, text);
    const byEntity = new Map(found.map((f) => [f.entity, text.slice(f.start, f.end)]));
    assert.equal(found.length, Object.keys(secrets).length, JSON.stringify(found));
    for (const [entity, value] of Object.entries(secrets)) assert.equal(byEntity.get(entity), value, entity);
  });

  it('report nothing above the threshold in hard negatives', () => {
    const r = fakes(91);
    const text = [
      'The patient was seen in clinic; the key finding was a mild fever. Token economies were discussed.',
      `Request 123e4567-e89b-12d3-a456-426614174000 failed at 2024-03-01T10:00:00Z (order #A-99812, v2.14.3).`,
      `Merged commit ${r(40, HEX)} into main; short sha ${r(7, HEX)}.`,
      `<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA${r(400, BASE64)}=">`,
      `"integrity": "sha512-${r(86, BASE64)}==",`,
      `checksum sha256:${r(64, HEX)}`,
      'password: changeme\nsecret = "xxxxxxxx"\nAPI_TOKEN=${VAR}\ntoken: <token>\npassword: password123',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY and AKIAIOSFODNN7EXAMPLE',
      'ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX sk_test_xxxxxxxxxxxxxxxxxxxxxxxx glpat-XXXXXXXXXXX-XXXXXXXX',
      '-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----',
      'Use Authorization: Bearer <token> and set api_key: YOUR_API_KEY.',
    ].join('\n');
    assert.deepEqual(analyze(secretDetectors, text), []);
  });
});
