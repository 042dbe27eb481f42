/**
 * `esq wrap` at run time: a workload certificate that rotates itself, the CRL watched, the mTLS
 * ingress in front of the service, egress through the sidecar (enforced by a network namespace
 * where the machine allows it, advisory where it does not), a local admin endpoint for
 * `esq status`, and the service itself as a child process.
 */
import { FileQuarantine, defaultQuarantinePath } from '../../vuln/quarantine.js';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { ConfigError } from '../../errors.js';
import type { AllowEntry } from '../config/allow-list.js';
import { endpointLabel, type Endpoint } from '../config/endpoint.js';
import type { EnvelopeConfig } from '../config/load.js';
import { startIngress, type Ingress } from '../ingress/server.js';
import type { DecideFn, DenialSink } from '../ingress/types.js';
import { LocalCa } from '../pki/ca.js';
import { CrlFile } from '../pki/revocation.js';
import { CertRotator } from '../pki/rotator.js';
import { MemoryReplayCache, connectRedisReplayCache, type ReplayCache } from '../tokens/replay-cache.js';
import { TokenSigner } from '../tokens/sign.js';
import { startAdmin, type AdminServer } from './admin.js';
import { spawnChild, superviseChild } from './child.js';
import { netnsSupport, spawnInNamespace, startNetnsBridge, type NetnsBridge } from './netns.js';
import { startRelay, type Relay } from './relay.js';
import { removeRunFile, writeRunFile } from './run-file.js';
import { fromProvider, type EnvelopeStatus, type StatusProviders } from './status-report.js';

/** The egress proxy (another module) as the envelope starts it. */
export type StartEgress = (allowList: readonly AllowEntry[]) => Promise<{ url: string; close: () => Promise<void> }>;

export interface WrapDeps {
  /** The policy engine; default (in the CLI): `createGovernor()`'s `decide`. */
  decide?: DecideFn;
  startEgress?: StartEgress;
  statusProviders?: StatusProviders;
  /** Where ingress denials go besides the status ring buffer. */
  audit?: DenialSink;
}

export interface EnvelopeOptions extends WrapDeps {
  config: EnvelopeConfig;
  home: string;
  /** The service to launch; without one the sidecar fronts an already running `upstream`. */
  command?: string[];
  /** `auto` (default): a network namespace when the machine allows it. */
  isolation?: 'auto' | 'netns' | 'none';
  /** Progress lines for people (stderr in the CLI). */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  clock?: () => Date;
}

export interface RunningEnvelope {
  ingress: Ingress;
  adminUrl: string;
  isolation: 'netns' | 'advisory';
  /** The child's exit code once it ends (never settles without a command). */
  exited: Promise<number>;
  /** A token signer holding the rotating workload key, for requests the sidecar originates. */
  signer: TokenSigner;
  status(): Promise<EnvelopeStatus>;
  stop(): Promise<void>;
}

/** Inside a namespace the service can take any port; 8080 is what most frameworks expect. */
const NETNS_SERVICE_PORT = 8080;
const NETNS_PROXY_PORT = 15001;

async function freeLoopbackPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function startEnvelope(o: EnvelopeOptions): Promise<RunningEnvelope> {
  const cfg = o.config;
  const log = o.log ?? (() => {});
  const clock = o.clock ?? (() => new Date());
  if (!o.decide) throw new ConfigError('the envelope needs a policy engine (decide)');
  if (!o.command?.length && !cfg.upstream) throw new ConfigError('nothing to wrap: give a command after -- or set upstream in the envelope file');
  if ('socketPath' in cfg.listen) throw new ConfigError('the ingress listens on TCP (host:port), not a unix socket');
  const listen = cfg.listen;
  const cleanups: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch {
        // keep closing the rest
      }
    }
  };

  try {
    // Identity: the embedded CA issues, the rotator renews ahead of expiry.
    const pkiDir = cfg.identity.pkiDir ?? LocalCa.defaultDir(o.home);
    const { ca, created } = await LocalCa.openOrInit(pkiDir, { trustDomain: cfg.identity.trustDomain, ...(o.clock ? { clock: o.clock } : {}) });
    let ingress: Ingress | undefined;
    const rotator = new CertRotator({
      issue: () =>
        ca.issue({ spiffeId: cfg.identity.spiffeId, ttlMs: cfg.identity.certTtlMs, keyAlgorithm: cfg.identity.keyAlgorithm, dnsNames: [cfg.service, 'localhost'], ipAddresses: ['127.0.0.1', '::1'] }),
      renewBeforeMs: cfg.identity.renewBeforeMs,
      clock,
      onRotate: (c) => ingress?.setCredentials(c),
      onError: (e) => log(`! certificate renewal failed: ${e.message} (retrying)`),
    });
    const first = await rotator.start();
    cleanups.push(() => rotator.stop());
    log(`✔ mTLS cert issued (${first.spiffeId}, ${created ? 'new CA' : 'CA'} ${pkiDir}, renews ${rotator.renewAt.toISOString()})`);
    const crl = (await CrlFile.open(ca.crlPath, ca.issuerCertPem(), { onError: (e) => log(`! revocation list ignored: ${e.message}`) })).watch();
    cleanups.push(() => crl.stop());
    const signer = new TokenSigner({ spiffeId: cfg.identity.spiffeId, key: () => createPrivateKey(rotator.current.keyPem), ttlMs: cfg.zeroTrust.tokenTtlMs, clock });

    // Isolation decides how the service is reached and how it reaches out.
    const support = o.isolation === 'none' || !o.command?.length ? ({ ok: false, why: o.command?.length ? 'isolation turned off' : 'no service launched' } as const) : netnsSupport();
    if (o.isolation === 'netns' && !support.ok) throw new ConfigError(`network isolation requested but unavailable: ${support.why}`);
    const isolation: 'netns' | 'advisory' = support.ok ? 'netns' : 'advisory';
    // Sockets live under the temp folder: unix socket paths must stay under ~100 bytes.
    const runDir = mkdtempSync(join(tmpdir(), `esq-${cfg.service.slice(0, 20)}-`));
    cleanups.push(() => rmSync(runDir, { recursive: true, force: true }));

    let egress: { url: string; close: () => Promise<void> } | undefined;
    if (o.startEgress) {
      egress = await o.startEgress(cfg.outboundAllowList);
      cleanups.push(() => egress!.close());
    }
    const childEnv: NodeJS.ProcessEnv = { ...(o.env ?? process.env), ESQ_ENVELOPE_SERVICE: cfg.service, ESQ_SPIFFE_ID: cfg.identity.spiffeId };
    let upstream: Endpoint;
    let bridge: NetnsBridge | undefined;
    if (isolation === 'netns') {
      const upstreamSocket = join(runDir, 'upstream.sock');
      let egressSpec: { port: number; socket: string } | undefined;
      if (egress) {
        const socket = join(runDir, 'egress.sock');
        const u = new URL(egress.url);
        const relay: Relay = await startRelay({ path: socket }, { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(u.port || 80) });
        cleanups.push(() => relay.close());
        egressSpec = { port: NETNS_PROXY_PORT, socket };
      }
      bridge = await startNetnsBridge({ upstream: { socket: upstreamSocket, port: NETNS_SERVICE_PORT }, ...(egressSpec ? { egress: egressSpec } : {}) });
      cleanups.push(() => bridge!.close());
      upstream = { socketPath: upstreamSocket };
      childEnv.PORT = String(NETNS_SERVICE_PORT);
      if (egressSpec) setProxyEnv(childEnv, `http://127.0.0.1:${egressSpec.port}`);
      log(
        egress
          ? `✔ egress policy compiled (${cfg.outboundAllowList.length} host${cfg.outboundAllowList.length === 1 ? '' : 's'} allowed); the service runs in its own network namespace: the sidecar is its only way out`
          : '✔ the service runs in its own network namespace with no way out (no egress proxy configured)',
      );
    } else {
      const port = cfg.upstream && 'port' in cfg.upstream ? cfg.upstream.port : await freeLoopbackPort();
      upstream = cfg.upstream ?? { host: '127.0.0.1', port };
      if (o.command?.length) childEnv.PORT = String(port);
      if (egress) setProxyEnv(childEnv, egress.url);
      log(`! egress is advisory: ${support.ok ? '' : support.why}; the service is asked to use the proxy (HTTP(S)_PROXY) but could connect around it`);
    }

    const replay: ReplayCache | undefined = cfg.zeroTrust.requireToken ? (cfg.zeroTrust.replayCache === 'redis' ? await connectRedisReplayCache() : new MemoryReplayCache()) : undefined;
    if (replay?.close) cleanups.push(() => replay.close!());
    ingress = await startIngress({
      service: cfg.service,
      listen,
      upstream,
      credentials: rotator.current,
      allowedCallers: cfg.allowedCallers,
      decide: o.decide,
      ...(o.audit ? { audit: o.audit } : {}),
      revocation: crl,
      ...(replay ? { tokens: { audiences: cfg.zeroTrust.audiences, replay } } : {}),
      cordoned: quarantineProbe(o.home, cfg.service),
      clock,
    });
    cleanups.push(() => ingress!.close());
    log(`✔ ingress on ${ingress.url} → ${endpointLabel(upstream)} (TLS 1.3, client certificates required; ${cfg.allowedCallers.length} allowed caller${cfg.allowedCallers.length === 1 ? '' : 's'})`);
    log(`✔ CVE scan scheduled every ${Math.round(cfg.scannerIntervalMs / 60_000)}m`);

    const startedAt = clock().toISOString();
    const ing = ingress;
    const status = async (): Promise<EnvelopeStatus> => {
      const posture = ing.posture();
      const mtlsEnforced = posture.tls.clientCertificateRequired && posture.tls.unauthorizedRejected && posture.tls.minVersion === 'TLSv1.3';
      return {
        service: cfg.service,
        classification: cfg.classification,
        spiffeId: cfg.identity.spiffeId,
        pid: process.pid,
        startedAt,
        traffic: { ...posture, mtlsEnforced, certificateRotations: rotator.rotations },
        allowedCallers: posture.allowedCallers,
        counters: ing.stats.snapshot(),
        recentDenials: ing.stats.recentDenials(20),
        egress: { isolation, proxy: egress?.url ?? null, allowListSize: await fromProvider(o.statusProviders?.egressAllowListSize) },
        storage: { encryptionKeyId: await fromProvider(o.statusProviders?.storageKeyId) },
        cveScan: { intervalSeconds: Math.round(cfg.scannerIntervalMs / 1000), last: await fromProvider(o.statusProviders?.lastCveScan) },
      };
    };
    const token = randomBytes(24).toString('base64url');
    const adminListen = cfg.admin.listen;
    if ('socketPath' in adminListen) throw new ConfigError('the admin endpoint listens on loopback TCP');
    const admin: AdminServer = await startAdmin({ host: adminListen.host, port: adminListen.port, token, status });
    cleanups.push(() => admin.close());
    writeRunFile(o.home, { service: cfg.service, pid: process.pid, adminUrl: admin.url, token, ingressUrl: ingress.url, startedAt });
    cleanups.push(() => removeRunFile(o.home, cfg.service, process.pid));

    let exited: Promise<number> = new Promise<number>(() => {});
    if (o.command?.length) {
      const child: ChildProcess = bridge ? spawnInNamespace(bridge, o.command, childEnv) : spawnChild(o.command, childEnv);
      exited = superviseChild(child, (e) => log(`! cannot start ${o.command?.[0]}: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
      cleanups.push(async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          await exited;
        }
      });
      log('Service now running inside envelope');
    }
    return { ingress, adminUrl: admin.url, isolation, exited, signer, status, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

function setProxyEnv(env: NodeJS.ProcessEnv, url: string): void {
  env.HTTP_PROXY = env.http_proxy = url;
  env.HTTPS_PROXY = env.https_proxy = url;
  env.NO_PROXY = env.no_proxy = 'localhost,127.0.0.1,::1';
}


/**
 * Reads the scanner's quarantine file (`esq scan --watch` writes it) at most once a second: a
 * cordoned service answers 503 at the sidecar until an approval lifts the quarantine.
 */
function quarantineProbe(home: string, service: string): () => string | undefined {
  const q = new FileQuarantine(defaultQuarantinePath(home));
  let checkedAt = 0;
  let reason: string | undefined;
  return () => {
    const now = Date.now();
    if (now - checkedAt >= 1000) {
      checkedAt = now;
      try {
        const entry = q.state().services[service] as { reason?: string } | undefined;
        reason = entry ? (entry.reason ?? 'quarantined by the vulnerability scanner') : undefined;
      } catch {
        reason = 'the quarantine file is unreadable; refusing until it is fixed';
      }
    }
    return reason;
  };
}
