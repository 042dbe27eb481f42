import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { Client } from 'undici';
import { tempHome } from '../../../test/helpers.js';
import type { Decision } from '../../engine/types.js';
import { LocalCa, type WorkloadCredentials } from '../pki/ca.js';
import { checkSpiffeServer } from '../pki/tls-options.js';
import { startIngress, type Ingress } from './server.js';
import { eventually, mtlsCall, type Outcome } from './testkit.js';
import type { DecideFn, IngressDenial } from './types.js';

const TD = 'esq.local';
const SVC = `spiffe://${TD}/ns/default/sa/billing`;
const FRONTEND = `spiffe://${TD}/ns/default/sa/frontend`;

const allow: Decision = { allow: true, effect: 'allow', reason: 'ok', matches: [], dryRun: [], defaulted: true, env: 'dev', policy: { name: 't', version: '1' }, timings: { evalMicros: 0, rulesEvaluated: 0 } };
const status = (o: Outcome) => ('status' in o ? o.status : o.error);

/** An upstream with a few misbehaviours on call, recording which requests it saw end early. */
async function trickyUpstream(): Promise<{ server: Server; port: number; closedEarly: string[]; seen: string[] }> {
  const closedEarly: string[] = [];
  const seen: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    seen.push(req.url!);
    res.on('close', () => {
      if (!res.writableFinished) closedEarly.push(req.url!);
    });
    if (req.url === '/hints') {
      res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('after hints');
    } else if (req.url === '/endless') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first chunk, and then nothing');
    } else if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 8_000_000 });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const pump = () => {
        while (sent < 8_000_000) {
          const n = Math.min(chunk.length, 8_000_000 - sent);
          sent += n;
          if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    } else res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] }).end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, closedEarly, seen };
}

describe('ingress forwarding and the policy call', () => {
  const home = tempHome('esq-ingress-fwd-');
  let ca: LocalCa;
  let frontend: WorkloadCredentials;
  let up: Awaited<ReturnType<typeof trickyUpstream>>;
  let ingress: Ingress;
  let decide: DecideFn = () => allow;
  const denials: IngressDenial[] = [];

  before(async () => {
    ca = await LocalCa.init(join(home.dir, 'pki'), { trustDomain: TD });
    frontend = await ca.issue({ spiffeId: FRONTEND });
    up = await trickyUpstream();
    ingress = await startIngress({
      service: 'billing',
      listen: { host: '127.0.0.1', port: 0 },
      upstream: { host: '127.0.0.1', port: up.port },
      credentials: await ca.issue({ spiffeId: SVC }),
      allowedCallers: [FRONTEND],
      decide: (a) => decide(a),
      audit: (d) => denials.push(d),
    });
  });
  after(async () => {
    await ingress.close();
    up.server.closeAllConnections();
    await new Promise<void>((r) => up.server.close(() => r()));
    home.cleanup();
  });

  it('waits for an engine that answers asynchronously, and refuses when it fails or throws', async () => {
    decide = async () => allow;
    assert.equal(status(await mtlsCall(ingress.url, frontend, ca.bundlePem(), { path: '/async' })), 200);
    assert.equal(up.seen.at(-1), '/async');
    const seen = up.seen.length;
    decide = () => Promise.reject(new Error('engine down'));
    const rejected = await mtlsCall(ingress.url, frontend, ca.bundlePem(), { path: '/rejected' });
    assert.equal(status(rejected), 503);
    assert.match(denials.at(-1)!.reason, /policy engine error: engine down/);
    decide = () => {
      throw new Error('engine bug');
    };
    assert.equal(status(await mtlsCall(ingress.url, frontend, ca.bundlePem(), { path: '/thrown' })), 503);
    assert.match(denials.at(-1)!.reason, /engine bug/);
    decide = async () => ({ ...allow, allow: false, effect: 'block', reason: 'not today', ruleId: 'R-1' });
    const blocked = await mtlsCall(ingress.url, frontend, ca.bundlePem(), { path: '/blocked' });
    assert.equal(status(blocked), 403);
    assert.equal('body' in blocked && JSON.parse(blocked.body).ruleId, 'R-1');
    assert.equal(up.seen.length, seen, 'the upstream saw none of the refused requests');
    decide = () => allow;
  });

  it('relays the final answer after informational ones, and repeated response headers', async () => {
    const r = await mtlsCall(ingress.url, frontend, ca.bundlePem(), { path: '/hints' });
    assert.equal(status(r), 200);
    assert.equal('body' in r && r.body, 'after hints');
    const plain = await mtlsCall(ingress.url, frontend, ca.bundlePem(), { path: '/cookies' });
    assert.deepEqual('headers' in plain && plain.headers['set-cookie'], ['a=1', 'b=2']);
  });

  it('relays a large body to a slow reader without losing bytes (backpressure)', async () => {
    const client = new Client(ingress.url, { connect: { ca: ca.bundlePem(), cert: frontend.chainPem, key: frontend.keyPem, checkServerIdentity: checkSpiffeServer(SVC) } });
    try {
      const r = await client.request({ method: 'GET', path: '/big' });
      let n = 0;
      for await (const chunk of r.body) {
        n += (chunk as Buffer).length;
        if (n < 1_000_000) await new Promise((res) => setTimeout(res, 2)); // read slowly at first
      }
      assert.equal(n, 8_000_000);
    } finally {
      await client.destroy();
    }
  });

  it('stops the upstream request when the caller goes away, and counts it', async () => {
    const before = ingress.stats.counters.upstreamErrors;
    await new Promise<void>((resolve, reject) => {
      const s = tlsConnect({ host: '127.0.0.1', port: ingress.port, ca: ca.bundlePem(), cert: frontend.chainPem, key: frontend.keyPem, checkServerIdentity: checkSpiffeServer(SVC) });
      s.on('secureConnect', () => s.write('GET /endless HTTP/1.1\r\nHost: billing\r\n\r\n'));
      s.once('data', () => {
        s.destroy(); // the first chunk arrived: hang up mid-body
        resolve();
      });
      s.on('error', reject);
    });
    await eventually(() => up.closedEarly.includes('/endless'));
    await eventually(() => ingress.stats.counters.upstreamErrors === before + 1);
  });

  it('answers 502 when the upstream is not there, and counts it', async () => {
    const dead = await startIngress({
      service: 'billing',
      listen: { host: '127.0.0.1', port: 0 },
      upstream: { host: '127.0.0.1', port: await closedPort() },
      credentials: await ca.issue({ spiffeId: SVC }),
      allowedCallers: [FRONTEND],
      decide: () => allow,
    });
    try {
      const r = await mtlsCall(dead.url, frontend, ca.bundlePem(), { path: '/x' });
      assert.equal(status(r), 502);
      assert.equal('body' in r && JSON.parse(r.body).error, 'upstream unavailable');
      assert.equal(dead.stats.counters.upstreamErrors, 1);
      assert.equal(dead.stats.counters.forwarded, 0);
    } finally {
      await dead.close();
    }
  });

  it('names the sidecar it is now in XFCC after a certificate rotation, on a connection kept open', async () => {
    const client = new Client(ingress.url, { connect: { ca: ca.bundlePem(), cert: frontend.chainPem, key: frontend.keyPem, checkServerIdentity: checkSpiffeServer(() => true) } });
    const upstreamSaw: string[] = [];
    const record = (req: IncomingMessage) => upstreamSaw.push(String(req.headers['x-forwarded-client-cert']));
    up.server.on('request', record);
    try {
      await (await client.request({ method: 'GET', path: '/one' })).body.text();
      const renamed = `spiffe://${TD}/ns/default/sa/billing-v2`;
      ingress.setCredentials(await ca.issue({ spiffeId: renamed }));
      await (await client.request({ method: 'GET', path: '/two' })).body.text();
      assert.match(upstreamSaw[0]!, new RegExp(`^By=${SVC};Hash=[0-9a-f]{64};URI=${FRONTEND}$`));
      assert.match(upstreamSaw[1]!, new RegExp(`^By=${renamed};`));
    } finally {
      up.server.off('request', record);
      await client.destroy();
    }
  });
});

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
