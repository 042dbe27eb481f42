import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostRunEnd, registrableHost, tldShaped, validLabels } from './domain-names.js';

describe('host-name checks', () => {
  it('registrableHost accepts ICANN suffixes with a name in front', () => {
    assert.deepEqual(registrableHost('www.microsoft.com'), { name: 'microsoft', suffix: 'com' });
    assert.deepEqual(registrableHost('google.co.il'), { name: 'google', suffix: 'co.il' });
    assert.deepEqual(registrableHost('xn--d1acufc.xn--p1ai'), { name: 'xn--d1acufc', suffix: 'xn--p1ai' });
  });

  it('registrableHost rejects bare suffixes, www-only names, unknown and private suffixes', () => {
    for (const host of ['microsoft', 'www.microsoft', 'www2.com', 'presidio', 'x.local', 'foo.localhost', '10.0.0.1', 'a..com', '-a.com']) assert.equal(registrableHost(host), undefined, host);
  });

  it('label and TLD shapes', () => {
    assert.equal(validLabels('a-b.example.com'), true);
    assert.equal(validLabels('a-.com'), false);
    assert.equal(validLabels(`${'a'.repeat(64)}.com`), false);
    assert.equal(tldShaped('com'), true);
    assert.equal(tldShaped('xn--p1ai'), true);
    assert.equal(tldShaped('c0m'), false);
    assert.equal(tldShaped('x'), false);
  });

  it('hostRunEnd drops trailing dots and hyphens', () => {
    assert.equal(hostRunEnd('example.com.', 0), 11);
    assert.equal(hostRunEnd(' x', 0), 0);
  });
});
