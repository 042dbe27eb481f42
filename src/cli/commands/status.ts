import type { Command } from 'commander';
import { connect } from 'node:tls';
import pc from 'picocolors';
import { Client } from 'undici';
import { settingsFromEnv } from '../../config.js';
import { formatDuration } from '../../envelope/config/duration.js';
import { processAlive, readRunFile, runFilePath, type RunFile } from '../../envelope/wrap/run-file.js';
import type { EnvelopeStatus } from '../../envelope/wrap/status-report.js';
import { FileQuarantine, defaultQuarantinePath, type QuarantineEntry } from '../../vuln/quarantine.js';
import { EXIT } from '../exit-codes.js';
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

/** What the files under ESQ_HOME say about the service, running or not (no live probe). */
export interface FileFacts {
  /** The scanner's quarantine of the service, or null; `error` when the file cannot be read. */
  quarantine: (QuarantineEntry & { error?: undefined }) | { error: string } | null;
}

export interface StatusOutput extends EnvelopeStatus, FileFacts {
  running: true;
  probe: { withoutClientCertificate: CertlessProbe };
}

/** No sidecar answered: what is known from files, and why there is no live report. */
export interface NotRunningOutput extends FileFacts {
  service: string;
  running: false;
  reason: string;
}

export function readFileFacts(home: string, service: string): FileFacts {
  const q = new FileQuarantine(defaultQuarantinePath(home));
  try {
    return { quarantine: q.state().services[service] ?? null };
  } catch (e) {
    return { quarantine: { error: (e as Error).message } };
  }
}

/** Asks the running sidecar; throws SidecarUnreachable when it does not answer as it should. */
export async function readEnvelopeStatus(run: RunFile): Promise<EnvelopeStatus & { probe: StatusOutput['probe'] }> {
  // One connection, closed after: a kept-alive socket would hold the command open for seconds.
  const client = new Client(run.adminUrl);
  let report: EnvelopeStatus;
  try {
    const res = await client.request({ method: 'GET', path: '/status', headers: { authorization: `Bearer ${run.token}` }, headersTimeout: 3000, bodyTimeout: 3000 });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new SidecarUnreachable(`the sidecar for ${run.service} (pid ${run.pid}) answered ${res.statusCode} on ${run.adminUrl}/status`);
    }
    report = (await res.body.json()) as EnvelopeStatus;
  } catch (e) {
    if (e instanceof SidecarUnreachable) throw e;
    throw new SidecarUnreachable(`the sidecar for ${run.service} (pid ${run.pid}) does not answer on ${run.adminUrl}: ${(e as Error).message}`);
  } finally {
    await client.close();
  }
  const probe = await probeWithoutClientCert(run.ingressUrl);
  // Enforced means both: the sidecar says so, and a caller without a certificate got nothing.
  report.traffic.mtlsEnforced = report.traffic.mtlsEnforced && probe === 'refused';
  return { ...report, probe: { withoutClientCertificate: probe } };
}

export class SidecarUnreachable extends Error {}

/** The live report when a sidecar answers; otherwise what the files say and why there is no more. */
export async function gatherStatus(home: string, service: string): Promise<StatusOutput | NotRunningOutput> {
  const facts = readFileFacts(home, service);
  const run = readRunFile(home, service);
  let reason: string;
  if (!run) reason = `no envelope is running for ${service} (start one with: esq wrap ${service} -- <command>)`;
  else if (!processAlive(run.pid)) reason = `the sidecar for ${service} (pid ${run.pid}) has exited without cleaning up ${runFilePath(home, service)}`;
  else {
    try {
      return { ...(await readEnvelopeStatus(run)), ...facts, running: true };
    } catch (e) {
      if (!(e instanceof SidecarUnreachable)) throw e;
      reason = e.message;
    }
  }
  return { service, running: false, reason, ...facts };
}

function quarantineLine(q: FileFacts['quarantine']): string {
  if (q === null) return `${pc.cyan('➜')} Quarantine: none`;
  if (q.error !== undefined) return `${pc.cyan('➜')} Quarantine: ${pc.red(`unknown (${q.error})`)}`;
  const findings = q.findings.map((f) => `${f.id} ${f.package}@${f.version}${f.fixedIn ? ` (fixed in ${f.fixedIn})` : ''}`).join(', ');
  return `${pc.cyan('➜')} Quarantine: ${pc.red(`CORDONED since ${q.since}`)} — ${q.reason}${findings ? pc.dim(` [${findings}]`) : ''}`;
}

function printNotRunning(s: NotRunningOutput): void {
  const w = (l: string) => process.stdout.write(`${l}\n`);
  w(`${pc.bold(s.service)} ${pc.red('not running')} — ${s.reason}`);
  w(pc.dim('   from files only (no live probe):'));
  w(quarantineLine(s.quarantine));
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
  const total = Object.values(d).reduce((a, b) => a + (b ?? 0), 0);
  const parts = Object.entries(d)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`);
  w(`${arrow} Requests: ${s.counters.forwarded} forwarded, ${total} denied${parts.length ? ` (${parts.join(', ')})` : ''}`);
  for (const r of s.recentDenials.slice(0, 5)) w(pc.dim(`   ${r.time} ${r.stage.padEnd(8)} ${r.reason}${r.spiffeId ? ` — ${r.spiffeId}` : ''}`));
  const e = s.egress;
  const size = e.allowListSize === null ? pc.dim('size unknown') : `${e.allowListSize} entr${e.allowListSize === 1 ? 'y' : 'ies'}`;
  w(`${arrow} Egress: ${e.isolation === 'netns' ? 'isolated (network namespace; the sidecar is the only way out)' : pc.yellow('advisory (no network isolation)')}; allow-list ${size}, then the policy engine; ${e.blocked === null ? 'blocks not reported' : `${e.blocked} blocked`}`);
  for (const b of e.recentBlocks.slice(0, 5)) w(pc.dim(`   ${b.time} ${b.reason.padEnd(16)} ${b.target}${b.ruleId ? ` (${b.ruleId})` : ''} — ${b.detail}`));
  w(`${arrow} Storage: ${s.storage.encryptionKeyId === null ? pc.dim(`no current key verified for ${s.storage.keyClass}`) : `Encrypted (key ${s.storage.encryptionKeyId})`}`);
  w(`${arrow} Vault: ${s.vault === null ? pc.dim('no vault API for the service') : `${s.vault.endpoint} (${s.vault.paths.join(', ') || 'its own grant'}; session ${s.vault.sessionLive ? 'live' : pc.red('revoked')})`}`);
  if (s.mirror) {
    const m = s.mirror;
    w(`${arrow} Mirror: ${m.sink} (${m.ingress ? 'egress and ingress' : 'egress only; ingress is not mirrored yet'}${m.bodyLimit > 0 ? `, bodies up to ${m.bodyLimit} bytes` : ''}); ${m.stats.delivered} delivered, ${m.stats.dropped} dropped, ${m.stats.sinkErrors} sink errors`);
  }
  const c = s.cveScan.last;
  const scanStatus = (st: string): string => (st === 'clean' ? pc.green('CLEAN') : st === 'error' ? pc.yellow('ERROR') : pc.red(st.toUpperCase()));
  w(
    `${arrow} Last CVE scan: ${
      c === null
        ? pc.dim(`none reported (every ${formatDuration(s.cveScan.intervalSeconds * 1000)})`)
        : `${scanStatus(c.status)} at ${c.at}${c.summary ? ` — ${c.summary}` : ` (${c.critical} critical)`}; every ${formatDuration(s.cveScan.intervalSeconds * 1000)}`
    }`,
  );
  w(quarantineLine(s.quarantine));
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description("Report a running envelope's posture, probed from its sidecar: mTLS, certificate, callers, denials, egress, keys, vault, quarantine")
    .argument('<service>')
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      `
Reads <ESQ_HOME>/run/<service>.json, asks the sidecar on loopback, and tries the ingress without a
client certificate; the quarantine comes from <ESQ_HOME>/scanner/quarantine.json. When no sidecar
answers, prints what the files say with a "not running" line (running: false in --json) and exits 2.`,
    )
    .action(async (service: string, o: { json?: boolean }) => {
      const s = await gatherStatus(settingsFromEnv().home, service);
      if (o.json) printJson(s);
      else if (s.running) print(s);
      else printNotRunning(s);
      if (!s.running) process.exitCode = EXIT.USAGE;
    });
}
