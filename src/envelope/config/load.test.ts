import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { packageRoot } from '../../util/package-root.js';
import { compileAllowList } from '../egress/allow-list.js';
import { parseHost } from '../egress/host.js';
import { isAllowed, parseAllowEntry, type AllowEntry } from './allow-list.js';
import { EnvelopeConfigError } from './errors.js';
import { defaultEnvelopeConfig, loadEnvelopeConfig, parseEnvelopeConfig } from './load.js';

const fixture = join(packageRoot(), 'src/envelope/config/testdata/lunch-subsidy-sec.yml');

function problemsOf(text: string) {
  try {
    parseEnvelopeConfig(text, 'esq-sec.yml');
  } catch (e) {
    assert.ok(e instanceof EnvelopeConfigError, String(e));
    return e.problems;
  }
  assert.fail('expected the file to be refused');
}

describe('envelope config', () => {
  it("loads the seed's hms-sec.yml example unchanged, with documented defaults", () => {
    const c = loadEnvelopeConfig(fixture);
    assert.equal(c.service, 'lunch-subsidy-svc');
    assert.equal(c.classification, 'pii-high');
    assert.deepEqual(c.outboundAllowList.map((e) => e.host), ['ledger.hms.local', 'irs.gov']);
    assert.equal(c.scannerIntervalMs, 15 * 60_000);
    assert.deepEqual(c.listen, { host: '127.0.0.1', port: 8443 }); // loopback listen port by default
    assert.equal(c.upstream, undefined); // from the launched service
    assert.deepEqual(c.allowedCallers, []); // nobody until listed
    assert.equal(c.identity.spiffeId, 'spiffe://esq.local/ns/default/sa/lunch-subsidy-svc');
    assert.equal(c.zeroTrust.requireToken, false);
    assert.deepEqual(c.zeroTrust.audiences, ['lunch-subsidy-svc']);
    assert.equal(c.keys.storageKeyId, 'esq:kms:pii-high'); // the keyring class of its classification
    assert.deepEqual(c.admin.listen, { host: '127.0.0.1', port: 0 });
    assert.equal(c.mirror, undefined); // traffic mirroring is off unless asked for
    assert.deepEqual(c.zeroTrust.mesh, []); // no mesh peers: plain HTTP leaves as plain HTTP
  });

  it('zeroTrust.mesh: allow-listed hosts pinned to the identity their sidecar must present', () => {
    const c = parseEnvelopeConfig(
      [
        'service: billing',
        'outboundAllowList: ["ledger.hms.local:8443", "*.pay.local", "10.0.0.7"]',
        'zeroTrust:',
        '  mesh:',
        '    "Ledger.hms.local:8443": spiffe://esq.local/ns/default/sa/ledger',
        '    rates.pay.local: spiffe://esq.local/ns/pay/sa/rates',
        '    10.0.0.7: spiffe://esq.local/ns/default/sa/vault',
      ].join('\n'),
      'x.yml',
    );
    assert.deepEqual(c.zeroTrust.mesh, [
      { raw: 'Ledger.hms.local:8443', host: 'ledger.hms.local', port: 8443, spiffeId: 'spiffe://esq.local/ns/default/sa/ledger' },
      { raw: 'rates.pay.local', host: 'rates.pay.local', spiffeId: 'spiffe://esq.local/ns/pay/sa/rates' },
      { raw: '10.0.0.7', host: '10.0.0.7', spiffeId: 'spiffe://esq.local/ns/default/sa/vault' },
    ]);
  });

  it('zeroTrust.mesh: refuses unlisted hosts, wildcards and bad identities, at their line', () => {
    const p = problemsOf(
      [
        'service: billing',
        'outboundAllowList: ["ledger.hms.local:8443", "*.pay.local"]',
        'zeroTrust:',
        '  mesh:',
        '    ledger.hms.local:9000: spiffe://esq.local/ns/default/sa/ledger',
        '    irs.gov: spiffe://esq.local/ns/default/sa/irs',
        '    "*.pay.local": spiffe://esq.local/ns/pay/sa/rates',
        '    ok.pay.local: spiffe://esq.local/ns/pay/sa/a//b',
      ].join('\n'),
    );
    const at = (line: number) => p.filter((x) => x.line === line).map((x) => x.message).join(' | ');
    assert.match(at(5), /not on outboundAllowList/);
    assert.match(at(6), /not on outboundAllowList/);
    assert.match(at(7), /wildcards are not allowed/);
    assert.match(at(8), /not a SPIFFE ID/);
    assert.equal(p.length, 4, JSON.stringify(p));
    assert.ok(problemsOf('service: s\nzeroTrust: { mesh: { a.b: "https://a.b" } }\n').some((x) => x.line === 2));
  });

  it('reads every field', () => {
    const c = parseEnvelopeConfig(
      [
        'service: billing',
        'upstream: 127.0.0.1:9000',
        'listen: "[::1]:9443"',
        'allowedCallers: ["spiffe://corp.example/ns/web/sa/frontend"]',
        'outboundAllowList: ["*.hms.local:8443", "10.0.0.7"]',
        'identity: { trustDomain: corp.example, namespace: pay, certTtl: 2h, renewBefore: 30m, keyAlgorithm: ECDSA-P256 }',
        'zeroTrust: { requireToken: true, audiences: [billing.pay.svc], tokenTtl: 45s, replayCache: redis }',
        'keys: { storageKeyId: "arn:hms:pii-high" }',
        'secrets: { allow: ["banking/*"] }',
      ].join('\n'),
      'x.yml',
    );
    assert.deepEqual(c.upstream, { host: '127.0.0.1', port: 9000 });
    assert.deepEqual(c.listen, { host: '::1', port: 9443 });
    assert.equal(c.identity.spiffeId, 'spiffe://corp.example/ns/pay/sa/billing');
    assert.equal(c.identity.certTtlMs, 7_200_000);
    assert.equal(c.zeroTrust.tokenTtlMs, 45_000);
    assert.equal(c.keys.storageKeyId, 'arn:hms:pii-high');
    assert.deepEqual(c.outboundAllowList[0], { raw: '*.hms.local:8443', host: 'hms.local', wildcard: true, port: 8443 });
  });

  it('mirror: a JSON-lines sink, metadata only unless bodies are asked for', () => {
    const meta = parseEnvelopeConfig('service: s\nmirror: { jsonl: mirror/s.jsonl }\n', 'x.yml');
    assert.deepEqual(meta.mirror, { jsonl: 'mirror/s.jsonl', bodyLimit: 0, queueSize: 1000 });
    assert.equal(parseEnvelopeConfig('service: s\nmirror: { jsonl: m.jsonl, bodies: true }\n', 'x.yml').mirror?.bodyLimit, 4096);
    assert.deepEqual(parseEnvelopeConfig('service: s\nmirror: { jsonl: /var/ids/s.jsonl, bodies: 512, queueSize: 50 }\n', 'x.yml').mirror, { jsonl: '/var/ids/s.jsonl', bodyLimit: 512, queueSize: 50 });
    const p = problemsOf('service: s\nmirror:\n  bodies: yes please\n');
    assert.ok(p.some((x) => /jsonl/.test(x.message)), JSON.stringify(p));
    assert.ok(p.some((x) => x.line === 3), JSON.stringify(p));
  });

  it('a service with no file gets every default', () => {
    const c = defaultEnvelopeConfig('ledger');
    assert.equal(c.identity.spiffeId, 'spiffe://esq.local/ns/default/sa/ledger');
    assert.deepEqual(c.allowedCallers, []);
  });

  it('reports the line of a schema error', () => {
    const p = problemsOf('service: lunch-subsidy-svc\nclassification: pii-high\nscannerInterval: every 15 minutes\n');
    assert.equal(p.length, 1);
    assert.equal(p[0]!.line, 3);
    assert.match(p[0]!.message, /scannerInterval/);
  });

  it('reports the line of an unknown field and of a bad list item', () => {
    const p = problemsOf('service: svc\noutboundAllowList:\n  - irs.gov\n  - "https://evil.example/x"\nallowedCaller: []\n');
    const byLine = new Map(p.map((x) => [x.line, x.message]));
    assert.match(byLine.get(5) ?? '', /unknown field "allowedCaller"/);
    // Schema problems are reported first; fix them and the semantic one appears with its line.
    const q = problemsOf('service: svc\noutboundAllowList:\n  - irs.gov\n  - "https://evil.example/x"\n');
    assert.equal(q[0]!.line, 4);
    assert.match(q[0]!.message, /not a URL/);
  });

  it('reports YAML syntax errors with their line', () => {
    const p = problemsOf('service: svc\noutboundAllowList: [irs.gov\nscannerInterval: 15m\n');
    assert.ok(p[0]!.line !== undefined && p[0]!.line >= 2, JSON.stringify(p));
  });

  it('refuses semantic mistakes: renewBefore ≥ certTtl, long tokens, public admin port, bad SPIFFE IDs', () => {
    const p = problemsOf(
      [
        'service: svc',
        'identity: { certTtl: 30m, renewBefore: 30m }',
        'zeroTrust: { tokenTtl: 5m }',
        'admin: { listen: "0.0.0.0:9000" }',
        'allowedCallers: ["spiffe://corp/ns//sa/b", "spiffe://corp/ns/../sa/b"]',
      ].join('\n'),
    );
    const lines = p.map((x) => x.line).sort();
    assert.deepEqual(lines, [2, 3, 4, 5, 5]);
  });

  it('needs a service name', () => {
    const p = problemsOf('classification: phi\n');
    assert.match(p[0]!.message, /missing required field "service"/);
  });
});

describe('outbound allow-list', () => {
  const list = ['irs.gov', '*.hms.local', 'api.example.com:8443', '10.0.0.7', '[fd00::1]:443'].map((s) => parseAllowEntry(s) as AllowEntry);
  it('matches exact hosts, wildcards below (not the apex), ports and IP literals', () => {
    assert.equal(isAllowed(list, 'irs.gov', 443), true);
    assert.equal(isAllowed(list, 'IRS.GOV.', 80), true);
    assert.equal(isAllowed(list, 'www.irs.gov', 443), false);
    assert.equal(isAllowed(list, 'ledger.hms.local', 443), true);
    assert.equal(isAllowed(list, 'hms.local', 443), false);
    assert.equal(isAllowed(list, 'evilhms.local', 443), false);
    assert.equal(isAllowed(list, 'api.example.com', 8443), true);
    assert.equal(isAllowed(list, 'api.example.com', 443), false);
    assert.equal(isAllowed(list, '10.0.0.7', 443), true);
    assert.equal(isAllowed(list, '10.0.0.7', 5432), false, 'no port written: 80 and 443, as the egress proxy enforces');
    assert.equal(isAllowed(list, '[fd00::1]', 443), true);
    assert.equal(isAllowed(list, 'fd00::1', 80), false);
  });
  it('agrees with the egress proxy that enforces it', () => {
    const enforced = compileAllowList(list.map((e) => e.raw));
    for (const [host, port] of [['irs.gov', 443], ['irs.gov', 8080], ['a.hms.local', 80], ['hms.local', 443], ['api.example.com', 8443], ['api.example.com', 443], ['10.0.0.7', 443], ['10.0.0.7', 5432], ['[fd00::1]', 443], ['[fd00::1]', 80]] as const) {
      const h = parseHost(host);
      assert.ok(h.ok);
      assert.equal(isAllowed(list, host, port), enforced.match(h.host, port).entry !== undefined, `${host}:${port}`);
    }
  });
  it('refuses malformed entries', () => {
    for (const bad of ['http://irs.gov', 'a*.b.com', '*.10.0.0.1', 'irs.gov:99999', '-bad.com', 'irs..gov']) {
      assert.equal(typeof parseAllowEntry(bad), 'string', bad);
    }
  });
});
