import type { Command } from 'commander';
import { connect } from 'node:tls';
import pc from 'picocolors';
import { Client } from 'undici';
import { settingsFromEnv } from '../../config.js';
import { InvalidInputError } from '../../errors.js';
import { formatDuration } from '../../envelope/config/duration.js';
import { processAlive, readRunFile, type RunFile } from '../../envelope/wrap/run-file.js';
import type { EnvelopeStatus } from '../../envelope/wrap/status-report.js';
import { printJson } from '../io.js';

export type CertlessProbe = 'refused' | 'served' | 'unreachable';

/**
 * Tries the ingress without a client certificate. `refused` is what mTLS enforcement looks like
 * from outside; `served` means an HTTP answer came back to a caller that proved nothing.
 */
export function probeWithoutClientCert(ingressUrl: string, timeoutMs = 3000): Promise<CertlessProbe> {
  const u = new URL(ingressUrl);
  return new Promise((resolve) => {
    let data = '';
    let connected = false;
    const s = connect({ host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(u.port), rejectUnauthorized: false, minVersion: 'TLSv1.2' });
    const done = (r: CertlessProbe) => {
      clearTimeout(timer);
      s.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done(connected ? 'refused' : 'unreachable'), timeoutMs);
    s.on('secureConnect', () => {
      connected = true;
      s.write(`GET / HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n\r\n`);
    });
    s.on('data', (d: Buffer) => {
      data += d.toString('latin1');
      if (data.startsWith('HTTP/')) done('served');
    });
    s.on('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? 'unreachable' : 'refused'));
    s.on('end', () => done(data.startsWith('HTTP/') ? 'served' : 'refused'));
  });
}

export interface StatusOutput extends EnvelopeStatus {
  probe: { withoutClientCertificate: CertlessProbe };
}

export async function readEnvelopeStatus(run: RunFile): Promise<StatusOutput> {
  // One connection, closed after: a kept-alive socket would hold the command open for seconds.
  const client = new Client(run.adminUrl);
  let report: EnvelopeStatus;
  try {
    const res = await client.request({ method: 'GET', path: '/status', headers: { authorization: `Bearer ${run.token}` }, headersTimeout: 3000, bodyTimeout: 3000 });
    if (res.statusCode !== 200) throw new InvalidInputError(`the sidecar for ${run.service} answered ${res.statusCode} on ${run.adminUrl}/status`);
    report = (await res.body.json()) as EnvelopeStatus;
  } catch (e) {
    if (e instanceof InvalidInputError) throw e;
    throw new InvalidInputError(`the sidecar for ${run.service} (pid ${run.pid}) does not answer on ${run.adminUrl}: ${(e as Error).message}`);
  } finally {
    await client.close();
  }
  const probe = await probeWithoutClientCert(run.ingressUrl);
  // Enforced means both: the sidecar says so, and a caller without a certificate got nothing.
  report.traffic.mtlsEnforced = report.traffic.mtlsEnforced && probe === 'refused';
  return { ...report, probe: { withoutClientCertificate: probe } };
}

function print(s: StatusOutput): void {
  const w = (l: string) => process.stdout.write(`${l}\n`);
  const arrow = pc.cyan('➜');
  const t = s.traffic;
  w(`${pc.bold(s.service)} ${pc.dim(`${s.spiffeId} · ${s.classification} · pid ${s.pid} since ${s.startedAt}`)}`);
  w(
    `${arrow} Traffic: ${t.mtlsEnforced ? pc.green('mTLS enforced') : pc.red('mTLS NOT enforced')} (${t.tls.minVersion}, client certificate ${t.tls.clientCertificateRequired ? 'required' : 'optional'}; without one: ${s.probe.withoutClientCertificate})`,
  );
  w(`   certificate ${t.certificate.serial} expires ${t.certificate.notAfter} (in ${formatDuration(Math.max(0, t.certificate.expiresInSeconds * 1000))}), rotated ${t.certificateRotations}×; tokens ${t.tokensRequired ? 'required' : 'not required'}`);
  w(`${arrow} Allowed callers: ${s.allowedCallers.length ? s.allowedCallers.join(', ') : pc.yellow('none — every request is refused')}`);
  const d = s.counters.denied;
  const total = Object.values(d).reduce((a, b) => a + b, 0);
  const parts = Object.entries(d)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`);
  w(`${arrow} Requests: ${s.counters.forwarded} forwarded, ${total} denied${parts.length ? ` (${parts.join(', ')})` : ''}`);
  for (const r of s.recentDenials.slice(0, 5)) w(pc.dim(`   ${r.time} ${r.stage.padEnd(8)} ${r.reason}${r.spiffeId ? ` — ${r.spiffeId}` : ''}`));
  w(`${arrow} Egress: ${s.egress.isolation === 'netns' ? 'isolated (network namespace; the sidecar is the only way out)' : pc.yellow('advisory (no network isolation)')}; allow-list ${s.egress.allowListSize === null ? pc.dim('size unknown') : `${s.egress.allowListSize} entries`}`);
  w(`${arrow} Storage: ${s.storage.encryptionKeyId === null ? pc.dim('encryption not reported') : `Encrypted (key ${s.storage.encryptionKeyId})`}`);
  const c = s.cveScan.last;
  w(`${arrow} Last CVE scan: ${c === null ? pc.dim(`none reported (every ${formatDuration(s.cveScan.intervalSeconds * 1000)})`) : `${c.status.toUpperCase()} (${c.critical} critical) at ${c.at}`}`);
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description("Report a running envelope's posture, probed from its sidecar: mTLS, certificate, callers, denials")
    .argument('<service>')
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nReads <ESQ_HOME>/run/<service>.json, asks the sidecar on loopback, and tries the ingress without a client certificate.')
    .action(async (service: string, o: { json?: boolean }) => {
      const run = readRunFile(settingsFromEnv().home, service);
      if (!run || !processAlive(run.pid)) throw new InvalidInputError(`no running envelope for ${service} (start one with: esq wrap ${service} -- <command>)`);
      const s = await readEnvelopeStatus(run);
      if (o.json) printJson(s);
      else print(s);
    });
}
