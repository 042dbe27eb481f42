/**
 * Egress decisions asked of a real policy engine (a governor with a rulebook), after the
 * allow-list: the allow-list is the floor, the engine can only narrow it. Loopback only: test
 * names resolve to 127.0.0.1 through an injected resolver, and every dial is recorded.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect, createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { book, packOf, tempHome } from '../../../test/helpers.js';
import { MemoryIncidentSink } from '../../audit/memory-incident-sink.js';
import type { Action } from '../../engine/types.js';
import { createGovernor } from '../../esq.js';
import { LocalCa } from '../pki/ca.js';
import { egressAction, enginePolicy } from './engine.js';
import { startEgressProxy, type EgressBlockEvent, type EgressProxy } from './proxy.js';

const SPIFFE = 'spiffe://esq.local/ns/default/sa/ledger';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A plain-HTTP request through the proxy, in absolute form. */
function viaProxy(proxyPort: number, url: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = httpRequest({ host: '127.0.0.1', port: proxyPort, path: url, headers: { host: u.host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** CONNECT through the proxy; on 200, a TLS handshake and one HTTP request inside the tunnel. */
function connectViaProxy(proxyPort: number, authority: string, ca: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: proxyPort, method: 'CONNECT', path: authority });
    req.on('connect', (res, socket: Socket) => {
      if (res.statusCode !== 200) {
        let body = '';
        socket.on('data', (c: Buffer) => (body += c));
        socket.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        return;
      }
      const servername = authority.split(':')[0]!;
      const tls = tlsConnect({ socket, servername, ca }, () => tls.end(`GET / HTTP/1.1\r\nHost: ${servername}\r\nConnection: close\r\n\r\n`));
      let text = '';
      tls.on('data', (c: Buffer) => (text += c));
      tls.on('end', () => resolve({ status: 200, headers: {}, body: text }));
      tls.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('egress decisions from the policy engine', () => {
  const home = tempHome('esq-egress-engine-');
  let upstream: Server;
  let tlsUpstream: TlsServer;
  let httpPort: number;
  let tlsPort: number;
  let caPem: string;
  let proxy: EgressProxy;
  const asked: Action[] = [];
  const blocks: EgressBlockEvent[] = [];
  const dials: string[] = [];
  const incidents = new MemoryIncidentSink();

  before(async () => {
    upstream = createHttpServer((req, res) => res.end(`upstream saw ${req.headers.host}${req.url}`));
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    httpPort = (upstream.address() as AddressInfo).port;
    const { ca } = await LocalCa.openOrInit(LocalCa.defaultDir(home.dir), {});
    caPem = ca.bundlePem();
    const creds = await ca.issue({ spiffeId: 'spiffe://esq.local/ns/default/sa/upstream', dnsNames: ['tls.allowed.test', 'partner-tls.allowed.test'] });
    tlsUpstream = createTlsServer({ cert: creds.chainPem, key: creds.keyPem }, (s) => {
      s.once('data', () => s.end('HTTP/1.1 200 OK\r\ncontent-length: 6\r\nconnection: close\r\n\r\ntunnel'));
    });
    tlsUpstream.listen(0, '127.0.0.1');
    await once(tlsUpstream, 'listening');
    tlsPort = (tlsUpstream.address() as AddressInfo).port;

    // A real governor: one agency rulebook that closes two hosts the allow-list opens.
    const policy = packOf([
      book('agency', [
        { id: 'EGRESS-NO-PARTNER', when: 'action.name == "egress.request" && action.args.host in ["partner.allowed.test", "partner-tls.allowed.test"]', effect: 'block', message: 'partner API closed' },
      ]),
    ]);
    const gov = createGovernor({ policy, home: home.dir, incidents, env: 'prod' });
    const decide = (a: Action) => {
      asked.push(a);
      return gov.decide(a);
    };
    proxy = await startEgressProxy({
      allowList: [`api.allowed.test:${httpPort} loopback`, `partner.allowed.test:${httpPort} loopback`, `tls.allowed.test:${tlsPort} loopback`, `partner-tls.allowed.test:${tlsPort} loopback`],
      resolver: async (name) => (name.endsWith('.allowed.test') || name === 'other.test' ? [{ address: '127.0.0.1', family: 4 }] : []),
      connector: (o) => {
        dials.push(`${o.host}:${o.port}`);
        return netConnect({ host: '127.0.0.1', port: o.port });
      },
      policy: enginePolicy(decide, SPIFFE),
      onBlock: (e) => blocks.push(e),
    });
  });
  after(async () => {
    await proxy.close();
    upstream.close();
    tlsUpstream.close();
    home.cleanup();
  });

  it('an allowed host the rules do not close goes through, after the engine was asked', async () => {
    const r = await viaProxy(proxy.port, `http://api.allowed.test:${httpPort}/balance?acct=7`);
    assert.equal(r.status, 200, r.body);
    assert.equal(r.body, `upstream saw api.allowed.test:${httpPort}/balance?acct=7`);
    const a = asked.at(-1)!;
    assert.equal(a.name, 'egress.request');
    assert.equal(a.dest, `http://api.allowed.test:${httpPort}/balance`, 'no query string in the action');
    assert.deepEqual(a.args, { kind: 'http', method: 'GET', host: 'api.allowed.test', port: httpPort, path: '/balance' });
    assert.deepEqual(a.principal, { id: SPIFFE, service: SPIFFE });
  });

  it('an allowed host the rulebook blocks is refused with 403, audited with the rule id, never dialled', async () => {
    const before = dials.length;
    const r = await viaProxy(proxy.port, `http://partner.allowed.test:${httpPort}/orders`);
    assert.equal(r.status, 403);
    assert.equal(r.headers['x-esq-egress-block'], 'policy-blocked');
    assert.equal(r.headers['x-esq-rule-id'], 'EGRESS-NO-PARTNER');
    assert.match(r.body, /partner API closed/);
    assert.equal(dials.length, before);
    const b = blocks.at(-1)!;
    assert.equal(b.reason, 'policy-blocked');
    assert.equal(b.ruleId, 'EGRESS-NO-PARTNER');
    assert.equal(b.entry, `partner.allowed.test:${httpPort} loopback`);
    assert.ok(b.incidentId && incidents.incidents.some((i) => i.id === b.incidentId), 'the engine filed an incident');
  });

  it('CONNECT: the engine refuses before the tunnel opens; an allowed tunnel carries TLS', async () => {
    const refused = await connectViaProxy(proxy.port, `partner-tls.allowed.test:${tlsPort}`, caPem);
    assert.equal(refused.status, 403);
    assert.equal(refused.headers['x-esq-rule-id'], 'EGRESS-NO-PARTNER');
    assert.equal(blocks.at(-1)!.kind, 'connect');
    assert.equal(asked.at(-1)!.dest, `https://partner-tls.allowed.test:${tlsPort}`);
    const ok = await connectViaProxy(proxy.port, `tls.allowed.test:${tlsPort}`, caPem);
    assert.equal(ok.status, 200);
    assert.match(ok.body, /tunnel$/);
  });

  it('the allow-list is the floor: an unlisted host is refused without asking the engine', async () => {
    const n = asked.length;
    const r = await viaProxy(proxy.port, 'http://other.test/');
    assert.equal(r.status, 403);
    assert.equal(r.headers['x-esq-egress-block'], 'not-listed');
    assert.equal(asked.length, n);
  });

  it('no answer from the engine is a refusal (503, audited)', async () => {
    const p = await startEgressProxy({
      allowList: [`api.allowed.test:${httpPort} loopback`],
      resolver: async () => [{ address: '127.0.0.1', family: 4 }],
      connector: () => assert.fail('nothing may be dialled'),
      policy: () => Promise.reject(new Error('engine down')),
    });
    try {
      const r = await viaProxy(p.port, `http://api.allowed.test:${httpPort}/`);
      assert.equal(r.status, 503);
      assert.equal(r.headers['x-esq-egress-block'], 'policy-error');
      assert.equal(p.recentBlocks()[0]!.reason, 'policy-error');
      assert.match(p.recentBlocks()[0]!.detail, /engine down/);
    } finally {
      await p.close();
    }
  });

  it('keeps recent blocks (newest first) and reports the allow-list it enforces', () => {
    assert.equal(proxy.allowListSize, 4);
    const recent = proxy.recentBlocks(2);
    assert.deepEqual(recent.map((b) => b.reason), ['not-listed', 'policy-blocked']);
    assert.equal(proxy.stats().blockedByReason['policy-blocked'], 2);
  });

  it('names IPv6 targets with brackets in dest and without in args', () => {
    const a = egressAction({ kind: 'connect', method: 'CONNECT', host: { kind: 'ip', address: '2001:db8::1', family: 6 }, port: 443, entry: 'x' }, SPIFFE);
    assert.equal(a.dest, 'https://[2001:db8::1]');
    assert.equal((a.args as { host: string }).host, '2001:db8::1');
  });
});
