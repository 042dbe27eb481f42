import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempHome } from '../../../test/helpers.js';
import type { Decision } from '../../engine/types.js';
import { parseEnvelopeConfig } from '../config/load.js';
import { LocalCa } from '../pki/ca.js';
import { mtlsCall, type Outcome } from '../ingress/testkit.js';
import { startEnvelope, type RunningEnvelope } from './envelope.js';
import { netnsSupport } from './netns.js';
import { readRunFile, runFilePath } from './run-file.js';
import type { EnvelopeStatus } from './status-report.js';

const home = tempHome('esq-wrap-');
after(() => home.cleanup());
const allow = (): Decision => ({ allow: true, effect: 'allow', reason: 'allowed', matches: [], dryRun: [], defaulted: true, env: 'dev', policy: { name: 't', version: '1' }, timings: { evalMicros: 0, rulesEvaluated: 0 } });
const CALLER = 'spiffe://esq.local/ns/default/sa/frontend';

/** The wrapped service: answers on PORT; /probe reports what its network lets it reach. */
const app = join(home.dir, 'app.mjs');
writeFileSync(
  app,
  `import http from 'node:http';
import net from 'node:net';
const hostPort = Number(process.env.HOST_PROBE_PORT);
function viaProxy() {
  return new Promise((resolve) => {
    if (!process.env.HTTP_PROXY) return resolve('no-proxy');
    const u = new URL(process.env.HTTP_PROXY);
    const r = http.get({ host: u.hostname, port: u.port, path: 'http://ledger.hms.local/balance', headers: { host: 'ledger.hms.local' } }, (res) => {
      let b = ''; res.on('data', (c) => (b += c)); res.on('end', () => resolve(b));
    });
    r.on('error', (e) => resolve('error:' + e.code));
  });
}
function direct() {
  return new Promise((resolve) => {
    const s = net.connect(hostPort, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve('connected'); });
    s.on('error', (e) => resolve('error:' + e.code));
  });
}
process.on('SIGHUP', () => process.exit(42));
http.createServer(async (req, res) => {
  if (req.url === '/probe') {
    res.end(JSON.stringify({ proxy: await viaProxy(), direct: await direct(), port: process.env.PORT, xfcc: req.headers['x-forwarded-client-cert'] }));
  } else if (req.url === '/exit') {
    res.end('bye'); setTimeout(() => process.exit(7), 20);
  } else if (req.url === '/crash') {
    res.end('x'); setTimeout(() => process.kill(process.pid, 'SIGKILL'), 20);
  } else res.end('hello from ' + process.env.ESQ_SPIFFE_ID);
}).listen(Number(process.env.PORT), '127.0.0.1');
`,
);

/** Something on the host's loopback the service must not reach directly when isolated. */
async function hostProbeServer(): Promise<{ port: number; hits: () => number; close: () => void }> {
  let hits = 0;
  const s = createTcpServer((c) => {
    hits++;
    c.destroy();
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { port: (s.address() as AddressInfo).port, hits: () => hits, close: () => s.close() };
}

/** A stand-in for the egress proxy (another module): answers every proxied request itself. */
async function fakeEgress(): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url!);
    res.end('via-egress');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

async function callUntilUp(env: RunningEnvelope, creds: Parameters<typeof mtlsCall>[1], bundle: string, path: string): Promise<Outcome> {
  const until = Date.now() + 10_000;
  for (;;) {
    const r = await mtlsCall(env.ingress.url, creds, bundle, { path });
    if (('status' in r && r.status !== 502) || Date.now() > until) return r;
    await new Promise((res) => setTimeout(res, 50));
  }
}

const config = (svc: string) =>
  parseEnvelopeConfig(`service: ${svc}\nlisten: 0\nallowedCallers: ["${CALLER}"]\noutboundAllowList: ["ledger.hms.local"]\n`, 'esq-sec.yml');

describe('esq wrap (runtime)', () => {
  it('launches the service on PORT behind the ingress, reports status, and returns its exit code', async () => {
    const probe = await hostProbeServer();
    const lines: string[] = [];
    const env = await startEnvelope({
      config: config('ledger'),
      home: home.dir,
      command: [process.execPath, app],
      isolation: 'none',
      decide: allow,
      log: (l) => lines.push(l),
      env: { ...process.env, HOST_PROBE_PORT: String(probe.port) },
      statusProviders: { storageKeyId: () => 'arn:hms:pii-high', lastCveScan: () => ({ at: '2026-11-22T12:00:00Z', status: 'clean', critical: 0 }) },
    });
    try {
      assert.equal(env.isolation, 'advisory');
      assert.ok(lines.some((l) => /egress is advisory/.test(l)), lines.join('\n'));
      const ca = await LocalCa.open(LocalCa.defaultDir(home.dir));
      const caller = await ca.issue({ spiffeId: CALLER });
      const r = await callUntilUp(env, caller, ca.bundlePem(), '/probe');
      assert.ok('status' in r && r.status === 200, JSON.stringify(r));
      const body = JSON.parse((r as { body: string }).body) as { xfcc: string; direct: string };
      assert.match(body.xfcc, new RegExp(`URI=${CALLER}$`));
      assert.equal(body.direct, 'connected'); // advisory: nothing stops it
      // Unauthenticated: refused at the door.
      await mtlsCall(env.ingress.url, undefined, ca.bundlePem());
      const run = readRunFile(home.dir, 'ledger')!;
      assert.equal(statSync(runFilePath(home.dir, 'ledger')).mode & 0o777, 0o600);
      const res = await fetch(`${run.adminUrl}/status`, { headers: { authorization: `Bearer ${run.token}` } });
      const s = (await res.json()) as EnvelopeStatus;
      assert.equal(s.traffic.mtlsEnforced, true);
      assert.deepEqual(s.allowedCallers, [CALLER]);
      assert.equal(s.storage.encryptionKeyId, 'arn:hms:pii-high');
      assert.equal(s.cveScan.last?.status, 'clean');
      assert.equal(s.egress.allowListSize, null); // not wired: unknown, not guessed
      assert.equal(s.egress.isolation, 'advisory');
      assert.ok(s.counters.denied.tls >= 1);
      assert.equal(s.recentDenials[0]!.stage, 'tls');
      assert.equal((await fetch(`${run.adminUrl}/status`)).status, 401);
      await mtlsCall(env.ingress.url, caller, ca.bundlePem(), { path: '/exit' });
      assert.equal(await env.exited, 7);
    } finally {
      await env.stop();
      probe.close();
    }
    assert.equal(existsSync(runFilePath(home.dir, 'ledger')), false, 'run file removed at stop');
  });

  it('forwards signals to the service and reports death by signal as 128+n', async () => {
    const env = await startEnvelope({ config: config('sig'), home: home.dir, command: [process.execPath, app], isolation: 'none', decide: allow });
    try {
      const ca = await LocalCa.open(LocalCa.defaultDir(home.dir));
      const caller = await ca.issue({ spiffeId: CALLER });
      await callUntilUp(env, caller, ca.bundlePem(), '/');
      process.kill(process.pid, 'SIGHUP'); // the envelope forwards it; the app exits 42 on SIGHUP
      assert.equal(await env.exited, 42);
    } finally {
      await env.stop();
    }
    const env2 = await startEnvelope({ config: config('sig'), home: home.dir, command: [process.execPath, app], isolation: 'none', decide: allow });
    try {
      const ca = await LocalCa.open(LocalCa.defaultDir(home.dir));
      const caller = await ca.issue({ spiffeId: CALLER });
      await callUntilUp(env2, caller, ca.bundlePem(), '/crash');
      assert.equal(await env2.exited, 137);
    } finally {
      await env2.stop();
    }
  });

  const ns = netnsSupport();
  it('isolates the service in a network namespace whose only way out is the sidecar', { skip: ns.ok ? false : `network namespaces unavailable here: ${ns.ok ? '' : ns.why}` }, async () => {
    const probe = await hostProbeServer();
    const egress = await fakeEgress();
    const lines: string[] = [];
    const env = await startEnvelope({
      config: config('isolated'),
      home: home.dir,
      command: [process.execPath, app],
      isolation: 'netns',
      decide: allow,
      log: (l) => lines.push(l),
      env: { ...process.env, HOST_PROBE_PORT: String(probe.port) },
      startEgress: async (list) => {
        assert.deepEqual(list.map((e) => e.host), ['ledger.hms.local']);
        return { url: egress.url, close: () => new Promise<void>((r) => egress.server.close(() => r())) };
      },
    });
    try {
      assert.equal(env.isolation, 'netns');
      assert.ok(lines.some((l) => /only way out/.test(l)), lines.join('\n'));
      const ca = await LocalCa.open(LocalCa.defaultDir(home.dir));
      const caller = await ca.issue({ spiffeId: CALLER });
      const r = await callUntilUp(env, caller, ca.bundlePem(), '/probe');
      assert.ok('status' in r && r.status === 200, JSON.stringify(r));
      const body = JSON.parse((r as { body: string }).body) as { proxy: string; direct: string; port: string };
      assert.equal(body.proxy, 'via-egress'); // through the sidecar's egress
      assert.equal(egress.requests[0], 'http://ledger.hms.local/balance');
      assert.match(body.direct, /^error:/); // the host's loopback is not its loopback
      assert.equal(probe.hits(), 0);
      assert.equal(body.port, '8080');
    } finally {
      await env.stop();
      probe.close();
    }
  });
});
