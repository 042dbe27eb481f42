import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempHome } from '../../../test/helpers.js';
import { book, packOf } from '../../../test/helpers.js';
import { MemoryIncidentSink } from '../../audit/memory-incident-sink.js';
import type { Decision } from '../../engine/types.js';
import { createGovernor } from '../../esq.js';
import type { EgressBlockEvent } from '../egress/proxy.js';
import type { MirrorEvent } from '../mirror/types.js';
import { defaultVaultAuditPath } from '../vault/audit.js';
import { Vault, type VaultAuditEvent } from '../vault/vault.js';
import { vaultClientFromEnv } from '../vault/client.js';
import { parseEnvelopeConfig } from '../config/load.js';
import { LocalCa } from '../pki/ca.js';
import { mtlsCall, type Outcome } from '../ingress/testkit.js';
import { packageRoot } from '../../util/package-root.js';
import { VulnDb, defaultDbPath } from '../../vuln/osv/db.js';
import { importOsv } from '../../vuln/osv/import.js';
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
/** GET through the sidecar's egress proxy (HTTP_PROXY); resolves with what came back. */
function proxied(target) {
  return new Promise((resolve) => {
    if (!process.env.HTTP_PROXY) return resolve({ error: 'no-proxy' });
    const u = new URL(process.env.HTTP_PROXY);
    const r = http.get({ host: u.hostname, port: u.port, path: target, headers: { host: new URL(target).host } }, (res) => {
      let b = ''; res.on('data', (c) => (b += c)); res.on('end', () => resolve({ status: res.statusCode, block: res.headers['x-esq-egress-block'], rule: res.headers['x-esq-rule-id'], body: b }));
    });
    r.on('error', (e) => resolve({ error: e.code }));
  });
}
async function viaProxy() {
  const r = await proxied(process.env.PROBE_URL ?? 'http://ledger.hms.local/balance');
  return r.error ? (r.error === 'no-proxy' ? 'no-proxy' : 'error:' + r.error) : r.body;
}
/** The vault's local API, as any service would call it: the socket (or URL) and token from the environment. */
function vaultRead(path) {
  return new Promise((resolve) => {
    const where = process.env.ESQ_VAULT_SOCKET ? { socketPath: process.env.ESQ_VAULT_SOCKET } : (() => { const u = new URL(process.env.ESQ_VAULT_URL); return { host: u.hostname, port: u.port }; })();
    const r = http.get({ ...where, path: '/v1/vault/' + path, headers: { authorization: 'Bearer ' + process.env.ESQ_VAULT_TOKEN } }, (res) => {
      let b = ''; res.on('data', (c) => (b += c)); res.on('end', () => resolve({ status: res.statusCode, lease: res.headers['esq-lease-id'], body: b }));
    });
    r.on('error', (e) => resolve({ error: e.code }));
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
  } else if (req.url.startsWith('/vault/')) {
    res.end(JSON.stringify(await vaultRead(req.url.slice(7))));
  } else if (req.url.startsWith('/egress?')) {
    res.end(JSON.stringify(await proxied(new URL(req.url, 'http://x').searchParams.get('url'))));
  } else if (req.url === '/env') {
    res.end(JSON.stringify({ masterKey: 'ESQ_MASTER_KEY' in process.env, adminKey: 'ESQ_ADMIN_KEY' in process.env, vault: Boolean(process.env.ESQ_VAULT_TOKEN) }));
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

/** A stand-in egress, injected through startEgress: answers every proxied request itself. */
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

const config = (svc: string, extra = '', allowList = '["ledger.hms.local"]') =>
  parseEnvelopeConfig(`service: ${svc}\nlisten: 0\nallowedCallers: ["${CALLER}"]\noutboundAllowList: ${allowList}\n${extra}`, 'esq-sec.yml');

/** The root key the operator's vault and the sidecar share (through the environment, as in production). */
const MASTER = randomBytes(32).toString('base64');
const SECRET = `sk_live_${randomBytes(12).toString('hex')}`;
const operatorVault = () => new Vault({ home: home.dir, env: { ESQ_MASTER_KEY: MASTER } });
const auditLines = () => readFileSync(defaultVaultAuditPath(home.dir), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as VaultAuditEvent);

async function get(env: RunningEnvelope, path: string): Promise<{ status: number; body: string }> {
  const ca = await LocalCa.open(LocalCa.defaultDir(home.dir));
  const r = await callUntilUp(env, await ca.issue({ spiffeId: CALLER }), ca.bundlePem(), path);
  assert.ok('status' in r, JSON.stringify(r));
  return r as { status: number; body: string };
}

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
      // An unlisted target: the egress proxy refuses it without a DNS lookup or a dial.
      env: { ...process.env, HOST_PROBE_PORT: String(probe.port), PROBE_URL: `http://127.0.0.1:${probe.port}/`, ESQ_ADMIN_KEY: 'esq_admin_secret' },
      statusProviders: { storageKeyId: () => 'arn:hms:pii-high', lastCveScan: () => ({ at: '2026-11-22T12:00:00Z', status: 'clean', critical: 0 }) },
    });
    try {
      assert.equal(env.isolation, 'advisory');
      assert.ok(lines.some((l) => /egress is advisory/.test(l)), lines.join('\n'));
      assert.ok(lines.some((l) => /^! CVE scan of .* every 15m; first: ERROR \(scan failed: no vulnerability database/.test(l)), lines.join('\n'));
      const ca = await LocalCa.open(LocalCa.defaultDir(home.dir));
      const caller = await ca.issue({ spiffeId: CALLER });
      const r = await callUntilUp(env, caller, ca.bundlePem(), '/probe');
      assert.ok('status' in r && r.status === 200, JSON.stringify(r) + lines.join("\n"));
      const body = JSON.parse((r as { body: string }).body) as { xfcc: string; direct: string; proxy: string };
      assert.match(body.xfcc, new RegExp(`URI=${CALLER}$`));
      assert.equal(body.direct, 'connected'); // advisory: nothing stops it
      assert.match(body.proxy, /^egress blocked \(not-listed\)/, 'the egress proxy runs and refuses what is not listed');
      const childEnv = await mtlsCall(env.ingress.url, caller, ca.bundlePem(), { path: '/env' });
      assert.deepEqual(JSON.parse((childEnv as { body: string }).body), { masterKey: false, adminKey: false, vault: false });
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
      assert.equal(s.egress.allowListSize, 1, 'read from the running proxy');
      assert.equal(s.egress.blocked, 1);
      assert.equal(s.egress.recentBlocks[0]!.reason, 'not-listed');
      assert.equal(s.egress.isolation, 'advisory');
      assert.equal(s.vault, null, 'nothing granted: no vault API');
      assert.equal(s.mirror, null, 'mirroring is off by default');
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

  it('scans the service before it starts: a critical in a pii-high service cordons it (503, via the policy engine) and status shows the scan', async () => {
    const h = tempHome('esq-wrap-scan-');
    try {
      const db = VulnDb.open(defaultDbPath(h.dir));
      await importOsv(db, join(packageRoot(), 'test', 'fixtures', 'osv', 'npm'));
      db.close();
      const lines: string[] = [];
      const env = await startEnvelope({
        config: parseEnvelopeConfig(`service: scanned\nclassification: pii-high\nlisten: 0\nallowedCallers: ["${CALLER}"]\n`, 'esq-sec.yml'),
        home: h.dir,
        command: [process.execPath, app],
        isolation: 'none',
        decide: allow,
        log: (l) => lines.push(l),
        scanner: { path: join(packageRoot(), 'test', 'fixtures', 'vuln', 'npm-v3'), governor: createGovernor({ home: h.dir, pack: 'hipaa', env: 'prod' }), watchFiles: false },
      });
      try {
        assert.ok(lines.some((l) => /^✔ CVE scan of .*npm-v3 every 15m; first: FINDINGS \(10 findings/.test(l)), lines.join('\n'));
        assert.ok(lines.some((l) => /scanned cordoned: .*Rule ENV-VULN-01 violated/.test(l)), lines.join('\n'));
        const ca = await LocalCa.open(LocalCa.defaultDir(h.dir));
        const r = await mtlsCall(env.ingress.url, await ca.issue({ spiffeId: CALLER }), ca.bundlePem(), { path: '/' });
        assert.ok('status' in r && r.status === 503, JSON.stringify(r));
        assert.match((r as { body: string }).body, /"error":"cordoned".*ENV-VULN-01/);
        const s = await env.status();
        assert.equal(s.cveScan.last?.status, 'findings');
        assert.ok((s.cveScan.last?.critical ?? 0) >= 1);
      } finally {
        await env.stop();
      }
    } finally {
      h.cleanup();
    }
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

  it("gives the service the vault's local API: its grant only, leased, audited; stopping revokes the leases", async () => {
    const v = operatorVault();
    await v.put('banking/apiToken', SECRET, { classification: 'esq:kms:pii-high' });
    await v.put('patients/ssn', 'not for the ledger');
    v.close();
    const lines: string[] = [];
    const env = await startEnvelope({
      config: config('ledger-vault', 'classification: pii-high\nsecrets: { allow: ["banking/*"] }\n'),
      home: home.dir,
      command: [process.execPath, app],
      isolation: 'none',
      decide: allow,
      log: (l) => lines.push(l),
      env: { ...process.env, ESQ_MASTER_KEY: MASTER },
    });
    try {
      assert.ok(lines.some((l) => /✔ vault API for ledger-vault on unix:/.test(l)), lines.join('\n'));
      const read = JSON.parse((await get(env, '/vault/banking/apiToken')).body) as { status: number; body: string; lease: string };
      assert.equal(read.status, 200);
      assert.equal(read.body, SECRET, 'the child read the secret put beforehand');
      assert.match(read.lease, /^lease_/);
      const outside = JSON.parse((await get(env, '/vault/patients/ssn')).body) as { status: number; body: string };
      assert.equal(outside.status, 403, 'a path outside its grant is refused');
      assert.match(outside.body, /not granted patients\/ssn/);
      const childEnv = JSON.parse((await get(env, '/env')).body) as { masterKey: boolean; vault: boolean };
      assert.deepEqual(childEnv, { masterKey: false, adminKey: false, vault: true }, 'a session token, never the root key');
      const audited = auditLines().filter((e) => e.actor === 'ledger-vault' && e.action === 'read');
      assert.deepEqual(audited.map((e) => [e.path, e.outcome]), [['banking/apiToken', 'ok'], ['patients/ssn', 'denied']]);
      assert.ok(audited.every((e) => e.session?.startsWith('sess_')));
      const s = await env.status();
      assert.equal(s.storage.keyClass, 'esq:kms:pii-high');
      assert.equal(s.storage.encryptionKeyId, 'esq:kms:pii-high v1', "the keyring's current key for the class");
      assert.deepEqual(s.vault && { paths: s.vault.paths, live: s.vault.sessionLive }, { paths: ['banking/*'], live: true });
    } finally {
      await env.stop();
    }
    const after = operatorVault();
    try {
      assert.equal(after.leases({ service: 'ledger-vault', activeOnly: true }).length, 0, 'leases end with the sidecar');
      assert.deepEqual(after.sessions({ service: 'ledger-vault' }), []);
    } finally {
      after.close();
    }
  });

  it('shares the vault session with a service it does not launch through ESQ_VAULT_SHARE_DIR (a pod), and takes it back at stop', async () => {
    const v = operatorVault();
    await v.put('banking/podToken', SECRET, { classification: 'esq:kms:pii-high' });
    v.close();
    const upstream = createServer((_q, r) => r.end('up'));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const share = join(home.dir, 'pod-share');
    const lines: string[] = [];
    const env = await startEnvelope({
      config: config('pod-ledger', `classification: pii-high\nsecrets: { allow: ["banking/*"] }\nupstream: 127.0.0.1:${(upstream.address() as AddressInfo).port}\n`),
      home: home.dir,
      isolation: 'none',
      decide: allow,
      log: (l) => lines.push(l),
      env: { ...process.env, ESQ_MASTER_KEY: MASTER, ESQ_VAULT_SHARE_DIR: share },
    });
    try {
      assert.ok(lines.some((l) => /✔ vault API for pod-ledger on unix:.*pod-share/.test(l)), lines.join('\n'));
      assert.equal(statSync(join(share, 'vault.sock')).mode & 0o777, 0o660, 'the socket is for the pod group too');
      assert.equal(statSync(join(share, 'token')).mode & 0o777, 0o640, 'the token file is readable by the group, writable by the sidecar only');
      // What the service container does: the SDK reads the socket and the token file from its environment.
      const client = vaultClientFromEnv({ ESQ_VAULT_SOCKET: join(share, 'vault.sock'), ESQ_VAULT_TOKEN_FILE: join(share, 'token') });
      assert.equal(await client.read('banking/podToken'), SECRET);
    } finally {
      await env.stop();
      upstream.close();
    }
    assert.equal(existsSync(join(share, 'token')), false, 'the token file goes with the session');
    const stale = vaultClientFromEnv({ ESQ_VAULT_SOCKET: join(share, 'vault.sock'), ESQ_VAULT_TOKEN_FILE: join(share, 'token') });
    await assert.rejects(stale.read('banking/podToken'), /ESQ_VAULT_TOKEN_FILE/);
  });

  it('revoking the service in the vault cuts off the running service at once', async () => {
    const env = await startEnvelope({
      config: config('revoked-svc', 'secrets: { allow: ["banking/*"] }\n'),
      home: home.dir,
      command: [process.execPath, app],
      isolation: 'none',
      decide: allow,
      env: { ...process.env, ESQ_MASTER_KEY: MASTER },
    });
    try {
      assert.equal((JSON.parse((await get(env, '/vault/banking/apiToken')).body) as { status: number }).status, 200);
      const v = operatorVault();
      try {
        assert.deepEqual(v.revokeService('revoked-svc'), { revoked: true, leasesRevoked: 1, sessionsRevoked: 1 });
      } finally {
        v.close();
      }
      assert.equal((JSON.parse((await get(env, '/vault/banking/apiToken')).body) as { status: number }).status, 401);
      assert.equal((await env.status()).vault?.sessionLive, false);
    } finally {
      await env.stop();
    }
    // And it sticks: the next sidecar for it starts without vault access, and says so.
    const lines: string[] = [];
    const again = await startEnvelope({ config: config('revoked-svc', 'secrets: { allow: ["banking/*"] }\n'), home: home.dir, command: [process.execPath, app], isolation: 'none', decide: allow, log: (l) => lines.push(l), env: { ...process.env, ESQ_MASTER_KEY: MASTER } });
    try {
      assert.ok(lines.some((l) => /! vault: service revoked-svc was revoked/.test(l)), lines.join('\n'));
      assert.equal((await again.status()).vault, null);
    } finally {
      await again.stop();
    }
  });

  it('asks the policy engine about egress the allow-list allows (deny overrides) and mirrors the traffic', async () => {
    const upstream = createServer((req, res) => res.end(`upstream ${req.url}`));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const port = (upstream.address() as AddressInfo).port;
    const gov = createGovernor({
      policy: packOf([book('agency', [{ id: 'EGRESS-NO-BACKUP', when: 'action.name == "egress.request" && action.args.host == "127.0.0.2"', effect: 'block', message: 'no copies to the backup host' }])]),
      home: home.dir,
      incidents: new MemoryIncidentSink(),
    });
    const audited: EgressBlockEvent[] = [];
    const env = await startEnvelope({
      // Both hosts are listed; the rulebook closes one of them.
      config: config('egress-svc', 'mirror: { jsonl: mirror/egress-svc.jsonl }\n', `["127.0.0.1:${port}", "127.0.0.2:${port}"]`),
      home: home.dir,
      command: [process.execPath, app],
      isolation: 'none',
      decide: (a) => gov.decide(a),
      egressAudit: (e) => audited.push(e),
    });
    try {
      const ok = JSON.parse((await get(env, `/egress?url=${encodeURIComponent(`http://127.0.0.1:${port}/ledger?acct=1`)}`)).body) as { status: number; body: string };
      assert.deepEqual([ok.status, ok.body], [200, 'upstream /ledger?acct=1']);
      const blocked = JSON.parse((await get(env, `/egress?url=${encodeURIComponent(`http://127.0.0.2:${port}/dump`)}`)).body) as { status: number; block: string; rule: string };
      assert.deepEqual([blocked.status, blocked.block, blocked.rule], [403, 'policy-blocked', 'EGRESS-NO-BACKUP']);
      assert.equal(audited.length, 1);
      assert.equal(audited[0]!.ruleId, 'EGRESS-NO-BACKUP');
      assert.ok(audited[0]!.incidentId, 'the engine filed an incident');
      const s = await env.status();
      assert.equal(s.egress.allowListSize, 2);
      assert.equal(s.egress.recentBlocks[0]!.ruleId, 'EGRESS-NO-BACKUP');
      assert.deepEqual(s.mirror && [s.mirror.egress, s.mirror.ingress, s.mirror.bodyLimit], [true, true, 0]);
    } finally {
      await env.stop();
      upstream.close();
    }
    const mirrored = readFileSync(join(home.dir, 'mirror', 'egress-svc.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as MirrorEvent);
    assert.deepEqual(mirrored.filter((e) => e.direction === 'egress').map((e) => [e.host, e.path ?? null, e.status ?? null, e.blocked ?? null]), [
      ['127.0.0.1', '/ledger', 200, null],
      ['127.0.0.2', null, 403, 'policy-blocked'],
    ]);
    // The two calls into the service came through the ingress and are mirrored too (query strings left out).
    const inbound = mirrored.filter((e) => e.direction === 'ingress' && e.status === 200);
    assert.deepEqual(inbound.map((e) => [e.path, e.caller]), [['/egress', CALLER], ['/egress', CALLER]]);
  });

  const ns = netnsSupport();
  it('isolates the service in a network namespace whose only way out is the sidecar', { skip: ns.ok ? false : `network namespaces unavailable here: ${ns.ok ? '' : ns.why}` }, async () => {
    const probe = await hostProbeServer();
    const egress = await fakeEgress();
    const lines: string[] = [];
    const v = operatorVault();
    await v.put('ns/token', 'inside-the-namespace');
    v.close();
    const env = await startEnvelope({
      config: config('isolated', 'secrets: { allow: ["ns/*"] }\n'),
      home: home.dir,
      command: [process.execPath, app],
      isolation: 'netns',
      decide: allow,
      log: (l) => lines.push(l),
      env: { ...process.env, HOST_PROBE_PORT: String(probe.port), ESQ_MASTER_KEY: MASTER },
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
      // The vault's unix socket crosses the namespace boundary (the filesystem is shared, the network is not).
      const secret = JSON.parse((await get(env, '/vault/ns/token')).body) as { status: number; body: string };
      assert.deepEqual([secret.status, secret.body], [200, 'inside-the-namespace']);
    } finally {
      await env.stop();
      probe.close();
    }
  });
});
