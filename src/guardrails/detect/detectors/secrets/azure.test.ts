import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { azureDetector, base64Bytes, connectionStringAt, scoreConnectionString } from './azure.js';
import { secretDetectors } from './index.js';
import { analyze, fakeBase64Bytes, raw, spans } from './fixtures.js';

const storage = (key = fakeBase64Bytes(64, 1)) => `DefaultEndpointsProtocol=https;AccountName=contosodata;AccountKey=${key};EndpointSuffix=core.windows.net`;
const serviceBus = (key = fakeBase64Bytes(32, 2)) => `Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${key}`;

describe('Azure connection strings', () => {
  it('reports a storage connection string with a 64-byte key at 1.0, whole string as the span', () => {
    const cs = storage();
    const text = `AZURE_STORAGE_CONNECTION_STRING="${cs}"`;
    const fs = raw(azureDetector, text);
    assert.deepEqual(spans(text, fs), [cs]);
    assert.equal(fs[0]!.score, 1);
  });
  it('reports Service Bus / Event Hubs strings with a 32-byte key at 1.0', () => {
    const cs = `${serviceBus()};EntityPath=orders`;
    const text = `conn=${cs}\n`;
    const fs = raw(azureDetector, text);
    assert.deepEqual(spans(text, fs), [cs]);
    assert.equal(fs[0]!.score, 1);
  });
  it('scores incomplete strings and odd key sizes lower', () => {
    const partial = raw(azureDetector, `AccountKey=${fakeBase64Bytes(64, 3)}`);
    assert.equal(partial.length, 1);
    assert.equal(partial[0]!.score, 0.6);
    assert.equal(raw(azureDetector, storage(fakeBase64Bytes(48, 4)))[0]!.score, 0.9);
  });
  it('keeps the public storage-emulator key below the threshold', () => {
    const emulator = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
    const text = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${emulator};`;
    assert.ok(raw(azureDetector, text)[0]!.score < 0.4);
  });
  it('ignores placeholders and strings without a key', () => {
    for (const text of [storage('<your-account-key>'), storage('...'), 'UseDevelopmentStorage=true', 'the AccountKey= setting', serviceBus('{key}')]) {
      assert.deepEqual(raw(azureDetector, text), [], text);
    }
  });
  it('is reported once across all secret detectors', () => {
    assert.deepEqual(analyze(secretDetectors, storage(), { minScore: 0 }).map((f) => f.entity), ['AZURE_CONNECTION_STRING']);
  });
  it('parses segments case-insensitively and computes base64 sizes', () => {
    const text = 'x ' + storage();
    const cs = connectionStringAt(text, text.indexOf('AccountKey='))!;
    assert.equal(cs.start, 2);
    assert.equal(cs.parts.get('accountname'), 'contosodata');
    assert.equal(base64Bytes(fakeBase64Bytes(64, 5)), 64);
    assert.equal(base64Bytes(fakeBase64Bytes(32, 6)), 32);
    assert.equal(scoreConnectionString(new Map([['accountname', 'a']])), 0);
  });
});
