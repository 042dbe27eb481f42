import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempHome } from '../../../test/helpers.js';
import type { Decision } from '../../engine/types.js';
import { parseEnvelopeConfig } from '../../envelope/config/load.js';
import { LocalCa } from '../../envelope/pki/ca.js';
import { mtlsCall } from '../../envelope/ingress/testkit.js';
import { startEnvelope } from '../../envelope/wrap/envelope.js';
import { runCli } from './envelope-cli.fixtures.js';
import { probeWithoutClientCert, type StatusOutput } from './status.js';

const home = tempHome('esq-cli-status-');
after(() => home.cleanup());
const esq = (...args: string[]) => runCli('./status.js', 'registerStatus', args, { ESQ_HOME: home.dir });
const allow = (): Decision => ({ allow: true, effect: 'allow', reason: 'ok', matches: [], dryRun: [], defaulted: true, env: 'dev', policy: { name: 't', version: '1' }, timings: { evalMicros: 0, rulesEvaluated: 0 } });

describe('esq status', () => {
  it('says when no envelope runs for the service', async () => {
    const r = await esq('status', 'ghost');
    assert.equal(r.code, 2);
    assert.match(r.err, /no running envelope for ghost/);
  });

  it('reports what the running sidecar enforces, checked by a probe without a certificate', async () => {
    const app = join(home.dir, 'app.mjs');
    writeFileSync(app, "import http from 'node:http'; http.createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');\n");
    const caller = 'spiffe://esq.local/ns/default/sa/frontend';
    const env = await startEnvelope({
      config: parseEnvelopeConfig(`service: ledger\nclassification: pii-high\nlisten: 0\nallowedCallers: ["${caller}"]\n`, 'esq-sec.yml'),
      home: home.dir,
      command: [process.execPath, app],
      isolation: 'none',
      decide: allow,
      statusProviders: { storageKeyId: () => 'arn:hms:pii-high' },
    });
    try {
      const ca = await LocalCa.open(LocalCa.defaultDir(home.dir));
      const intruder = await ca.issue({ spiffeId: 'spiffe://esq.local/ns/default/sa/intruder' });
      const refused = await mtlsCall(env.ingress.url, intruder, ca.bundlePem());
      assert.ok('status' in refused && refused.status === 403, JSON.stringify(refused));
      const text = await esq('status', 'ledger');
      assert.equal(text.code, 0, text.err);
      assert.match(text.out, /➜ Traffic: mTLS enforced/);
      assert.match(text.out, /➜ Storage: Encrypted \(key arn:hms:pii-high\)/);
      assert.match(text.out, /caller 1/);
      const r = await esq('status', 'ledger', '--json');
      assert.equal(r.code, 0, r.err);
      const s = JSON.parse(r.out) as StatusOutput;
      assert.equal(s.probe.withoutClientCertificate, 'refused');
      assert.equal(s.traffic.mtlsEnforced, true);
      assert.deepEqual(s.allowedCallers, [caller]);
      assert.ok(s.traffic.certificate.expiresInSeconds > 3000);
      assert.equal(s.counters.denied.caller, 1);
      assert.equal(s.counters.denied.tls, 1, 'the first status probe was refused at the handshake and counted');
      assert.match(s.recentDenials[0]!.reason, /no client certificate/);
      assert.equal(s.recentDenials.find((d) => d.stage === 'caller')?.spiffeId, 'spiffe://esq.local/ns/default/sa/intruder');
      assert.equal(s.storage.encryptionKeyId, 'arn:hms:pii-high');
      assert.equal(s.cveScan.last, null);
      assert.equal(s.egress.allowListSize, null);
    } finally {
      await env.stop();
    }
    assert.equal((await esq('status', 'ledger')).code, 2, 'gone once stopped');
  });

  it('the probe tells an ingress that serves callers without certificates from one that refuses them', async () => {
    const ca = await LocalCa.open(LocalCa.defaultDir(home.dir));
    const creds = await ca.issue({ spiffeId: 'spiffe://esq.local/ns/default/sa/lax' });
    const lax = createServer({ cert: creds.chainPem, key: creds.keyPem }, (_q, s) => s.end('hi'));
    await new Promise<void>((r) => lax.listen(0, '127.0.0.1', r));
    const port = (lax.address() as AddressInfo).port;
    try {
      assert.equal(await probeWithoutClientCert(`https://127.0.0.1:${port}`), 'served');
    } finally {
      await new Promise<void>((r) => lax.close(() => r()));
    }
    assert.equal(await probeWithoutClientCert(`https://127.0.0.1:${port}`), 'unreachable');
  });
});
