/**
 * Two envelopes on loopback, one CA: A's envelope file lists B as a mesh peer, B's requires
 * one-time tokens. A plain-HTTP call through A's egress proxy reaches B's service as A over mTLS
 * with a token; the same call made straight to B, without a token, does not. The peer is named by
 * its loopback address (names would need a resolver the envelope does not take).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request, type IncomingHttpHeaders } from 'node:http';
import { parseAllDocuments } from 'yaml';
import { tempHome } from '../../../test/helpers.js';
import type { Decision } from '../../engine/types.js';
import type { EgressBlockEvent } from '../egress/proxy.js';
import { parseEnvelopeConfig } from '../config/load.js';
import { mtlsCall, recordingUpstream } from '../ingress/testkit.js';
import type { IngressDenial } from '../ingress/types.js';
import { LocalCa } from '../pki/ca.js';
import { startEnvelope, type RunningEnvelope } from './envelope.js';
import { renderK8sManifests } from './k8s.js';

const home = tempHome('esq-wrap-mesh-');
after(() => home.cleanup());
const allow = (): Decision => ({ allow: true, effect: 'allow', reason: 'allowed', matches: [], dryRun: [], defaulted: true, env: 'dev', policy: { name: 't', version: '1' }, timings: { evalMicros: 0, rulesEvaluated: 0 } });
const A = 'spiffe://esq.local/ns/default/sa/frontend';
const B = 'spiffe://esq.local/ns/default/sa/ledger';

function viaProxy(proxyUrl: string, url: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const p = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const r = request({ host: p.hostname, port: p.port, path: url, headers: { host: new URL(url).host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    r.on('error', reject);
    r.end();
  });
}

describe('esq wrap: mesh peers declared in the envelope file', () => {
  it("A's egress turns a plain call to B into mTLS with a one-time token; B refuses the call without one", async () => {
    const serviceA = await recordingUpstream();
    const serviceB = await recordingUpstream();
    const deniedByB: IngressDenial[] = [];
    const egressBlocks: EgressBlockEvent[] = [];
    const envs: RunningEnvelope[] = [];
    try {
      const b = await startEnvelope({
        config: parseEnvelopeConfig(
          `service: ledger\nlisten: 0\nupstream: 127.0.0.1:${serviceB.port}\nallowedCallers: ["${A}"]\nzeroTrust: { requireToken: true, audiences: ["127.0.0.1"] }\n`,
          'ledger-sec.yml',
        ),
        home: home.dir,
        decide: allow,
        audit: (d) => deniedByB.push(d),
        scanner: false,
      });
      envs.push(b);
      const peer = `127.0.0.1:${b.ingress.port}`;
      const a = await startEnvelope({
        config: parseEnvelopeConfig(
          `service: frontend\nlisten: 0\nupstream: 127.0.0.1:${serviceA.port}\noutboundAllowList: ["${peer}"]\nzeroTrust:\n  mesh:\n    "${peer}": ${B}\n`,
          'frontend-sec.yml',
        ),
        home: home.dir,
        decide: allow,
        egressAudit: (e) => egressBlocks.push(e),
        scanner: false,
      });
      envs.push(a);

      const proxy = (await a.status()).egress.proxy;
      assert.ok(proxy, 'the envelope runs an egress proxy');
      const r = await viaProxy(proxy, `http://${peer}/orders?id=1`);
      assert.equal(r.status, 200, r.body);
      assert.equal(serviceB.seen.length, 1);
      assert.equal(serviceB.seen[0]!.url, '/orders?id=1');
      assert.match(String(serviceB.seen[0]!.headers['x-forwarded-client-cert']), new RegExp(`URI=${A}$`));
      assert.deepEqual(egressBlocks, []);

      // The same request made straight to B with a certificate for A's identity, but no token.
      const ca = await LocalCa.open(LocalCa.defaultDir(home.dir));
      const direct = await mtlsCall(b.ingress.url, await ca.issue({ spiffeId: A }), ca.bundlePem(), { path: '/orders?id=1' });
      assert.ok('status' in direct && direct.status === 401, JSON.stringify(direct));
      assert.equal(serviceB.seen.length, 1);
      assert.deepEqual(deniedByB.map((d) => [d.stage, d.spiffeId]), [['token', A]]);
    } finally {
      for (const e of envs.reverse()) await e.stop();
      await serviceA.close();
      await serviceB.close();
    }
  });

  it('--emit k8s keeps the mesh peers in the pod\'s envelope file', () => {
    const cfg = parseEnvelopeConfig(`service: frontend\noutboundAllowList: ["ledger.hms.local:8443"]\nzeroTrust: { mesh: { "ledger.hms.local:8443": "${B}" } }\n`, 'x.yml');
    const map = parseAllDocuments(renderK8sManifests(cfg, { image: 'i', sidecarImage: 'e' }))[0]!.toJS() as { data: Record<string, string> };
    assert.deepEqual(parseEnvelopeConfig(map.data['esq-sec.yml']!, 'pod.yml').zeroTrust.mesh, cfg.zeroTrust.mesh);
  });
});
