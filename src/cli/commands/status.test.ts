import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempHome } from '../../../test/helpers.js';
import type { Decision } from '../../engine/types.js';
import { parseEnvelopeConfig } from '../../envelope/config/load.js';
import { LocalCa } from '../../envelope/pki/ca.js';
import { mtlsCall } from '../../envelope/ingress/testkit.js';
import { startEnvelope } from '../../envelope/wrap/envelope.js';
import { writeRunFile } from '../../envelope/wrap/run-file.js';
import { defaultQuarantinePath } from '../../vuln/quarantine.js';
import { runCli } from './envelope-cli.fixtures.js';
import { probeWithoutClientCert, type NotRunningOutput, type StatusOutput } from './status.js';

const home = tempHome('esq-cli-status-');
after(() => home.cleanup());
const esq = (...args: string[]) => runCli('./status.js', 'registerStatus', args, { ESQ_HOME: home.dir });
const allow = (): Decision => ({ allow: true, effect: 'allow', reason: 'ok', matches: [], dryRun: [], defaulted: true, env: 'dev', policy: { name: 't', version: '1' }, timings: { evalMicros: 0, rulesEvaluated: 0 } });

/** The scanner's quarantine file, as `esq scan --watch` writes it (format version 1). */
function quarantine(services: Record<string, unknown>): void {
  mkdirSync(join(home.dir, 'scanner'), { recursive: true });
  writeFileSync(defaultQuarantinePath(home.dir), JSON.stringify({ version: 1, services }));
}
const CORDON = { since: '2026-11-22T12:00:00.000Z', reason: 'CVE-2026-0001 (critical) in left-pad 1.0.0 in a pii-high service', findings: [{ id: 'CVE-2026-0001', package: 'left-pad', version: '1.0.0', severity: 'critical', fixedIn: '1.0.1' }] };

describe('esq status', () => {
  it('with no sidecar: a "not running" line, what the files say, exit 2', async () => {
    const r = await esq('status', 'ghost');
    assert.equal(r.code, 2, r.err);
    assert.match(r.out, /^ghost not running — no envelope is running for ghost \(start one with: esq wrap ghost -- <command>\)/);
    assert.match(r.out, /from files only \(no live probe\)/);
    assert.match(r.out, /➜ Quarantine: none/);
    quarantine({ ghost: CORDON });
    const q = await esq('status', 'ghost');
    assert.equal(q.code, 2);
    assert.match(q.out, /➜ Quarantine: CORDONED since 2026-11-22T12:00:00.000Z — CVE-2026-0001 \(critical\) in left-pad/);
    const j = await esq('status', 'ghost', '--json');
    assert.equal(j.code, 2);
    const s = JSON.parse(j.out) as NotRunningOutput;
    assert.equal(s.running, false);
    assert.deepEqual(s.quarantine, CORDON);
    quarantine({});
  });

  it('a sidecar that left its run file but does not answer is "not running" too', async () => {
    // Our own pid: alive, but nothing listens on the admin URL.
    writeRunFile(home.dir, { service: 'mute', pid: process.pid, adminUrl: 'http://127.0.0.1:1', token: 't', ingressUrl: 'https://127.0.0.1:1', startedAt: new Date().toISOString() });
    const r = await esq('status', 'mute', '--json');
    assert.equal(r.code, 2);
    const s = JSON.parse(r.out) as NotRunningOutput;
    assert.equal(s.running, false);
    assert.match(s.reason, /does not answer on http:\/\/127\.0\.0\.1:1/);
    writeFileSync(defaultQuarantinePath(home.dir), 'not json');
    const broken = await esq('status', 'mute');
    assert.match(broken.out, /➜ Quarantine: unknown \(.*not a quarantine state file/);
    quarantine({});
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
      assert.match(text.out, /➜ Egress: advisory \(no network isolation\); allow-list 0 entries, then the policy engine; 0 blocked/);
      assert.match(text.out, /➜ Vault: no vault API for the service/);
      assert.match(text.out, /➜ Quarantine: none/);
      const r = await esq('status', 'ledger', '--json');
      assert.equal(r.code, 0, r.err);
      const s = JSON.parse(r.out) as StatusOutput;
      assert.equal(s.running, true);
      assert.equal(s.quarantine, null);
      assert.equal(s.probe.withoutClientCertificate, 'refused');
      assert.equal(s.traffic.mtlsEnforced, true);
      assert.deepEqual(s.allowedCallers, [caller]);
      assert.ok(s.traffic.certificate.expiresInSeconds > 3000);
      assert.equal(s.counters.denied.caller, 1);
      assert.equal(s.counters.denied.tls, 1, 'the first status probe was refused at the handshake and counted');
      assert.match(s.recentDenials[0]!.reason, /no client certificate/);
      assert.equal(s.recentDenials.find((d) => d.stage === 'caller')?.spiffeId, 'spiffe://esq.local/ns/default/sa/intruder');
      assert.equal(s.storage.encryptionKeyId, 'arn:hms:pii-high');
      // The sidecar scans the service continuously; with no database imported it says so (never CLEAN).
      assert.equal(s.cveScan.last?.status, 'error');
      assert.match(s.cveScan.last?.summary ?? '', /no vulnerability database/);
      assert.match(text.out, /➜ Last CVE scan: ERROR at .* — scan failed: no vulnerability database/);
      assert.equal(s.egress.allowListSize, 0, 'nothing listed: the running proxy enforces an empty list');
      // A quarantine lands while it runs: status shows it beside the live report.
      quarantine({ ledger: CORDON });
      const cordoned = JSON.parse((await esq('status', 'ledger', '--json')).out) as StatusOutput;
      assert.equal(cordoned.running, true);
      assert.equal(cordoned.quarantine && 'since' in cordoned.quarantine ? cordoned.quarantine.reason : null, CORDON.reason);
      assert.match((await esq('status', 'ledger')).out, /➜ Quarantine: CORDONED since/);
      quarantine({});
    } finally {
      await env.stop();
    }
    const gone = await esq('status', 'ledger');
    assert.equal(gone.code, 2, 'gone once stopped');
    assert.match(gone.out, /ledger not running/);
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
