/**
 * `esq wrap` at run time: a workload certificate that rotates itself, the CRL watched, the mTLS
 * ingress in front of the service, egress through the sidecar's allow-list proxy and the policy
 * engine (enforced by a network namespace where the machine allows it, advisory where it does
 * not), the vault's local API for the service, traffic mirroring when configured, a local admin
 * endpoint for `esq status`, and the service itself as a child process.
 */
import { FileQuarantine, defaultQuarantinePath } from '../../vuln/quarantine.js';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Governor } from '../../engine/governor.js';
import { ConfigError } from '../../errors.js';
import type { RemoteGovernor } from '../../hook/remote.js';
import { readLastScan, startServiceScanner, type ServiceScanner } from '../../vuln/service-scan.js';
import { formatDuration } from '../config/duration.js';
import { endpointLabel, type Endpoint } from '../config/endpoint.js';
import type { EnvelopeConfig } from '../config/load.js';
import { enginePolicy } from '../egress/engine.js';
import type { EgressBlockEvent } from '../egress/proxy.js';
import { startIngress, type Ingress } from '../ingress/server.js';
import type { DecideFn, DenialSink } from '../ingress/types.js';
import { LocalCa } from '../pki/ca.js';
import { CrlFile } from '../pki/revocation.js';
import { CertRotator } from '../pki/rotator.js';
import { MemoryReplayCache, connectRedisReplayCache, type ReplayCache } from '../tokens/replay-cache.js';
import { TokenSigner } from '../tokens/sign.js';
import type { VaultAuditEvent } from '../vault/vault.js';
import { startAdmin, type AdminServer } from './admin.js';
import { spawnChild, superviseChild } from './child.js';
import { startSidecarEgress, type SidecarEgress, type StartEgress } from './egress.js';
import { storageKeyProvider, type KeySettings } from './keys.js';
import { netnsSupport, spawnInNamespace, startNetnsBridge, type NetnsBridge } from './netns.js';
import { startRelay, type Relay } from './relay.js';
import { removeRunFile, writeRunFile } from './run-file.js';
import { VAULT_ENV, startServiceVault, type ServiceVault } from './service-vault.js';
import { fromProvider, type EnvelopeStatus, type StatusProviders } from './status-report.js';
import { startTrafficMirror, type TrafficMirror } from './traffic-mirror.js';

export type { StartEgress } from './egress.js';

export interface WrapDeps {
  /** The policy engine, asked on ingress and egress; default (in the CLI): `createGovernor()`'s `decide`. */
  decide?: DecideFn;
  /** Default: the allow-list proxy (egress/proxy.ts) with the engine asked after the allow-list. */
  startEgress?: StartEgress;
  statusProviders?: StatusProviders;
  /** Where ingress denials go besides the status ring buffer. */
  audit?: DenialSink;
  /** Where egress refusals go besides the status ring buffer. */
  egressAudit?: (e: EgressBlockEvent) => void;
  /** Where vault events go; default: `<ESQ_HOME>/vault/audit.jsonl`. */
  vaultAudit?: (e: VaultAuditEvent) => void;
  /**
   * The continuous CVE scan of the service: on by default, scanning the envelope file's folder (or
   * the working folder) every `scannerInterval`; quarantines go through the policy engine.
   * `false` turns it off (tests that exercise other parts).
   */
  scanner?: false | { path?: string; governor?: Governor | RemoteGovernor; watchFiles?: false };
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
  /** Where the egress proxy listens (loopback); default a free port. The pod layout needs 127.0.0.1:15001. */
  egressListen?: Endpoint;
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

/**
 * Never handed to the service: the root key opens every secret in the vault, the admin key
 * administers ESQ. The service reaches the vault through its own session instead.
 */
const WITHHELD_FROM_CHILD = ['ESQ_MASTER_KEY', 'ESQ_ADMIN_KEY', ...VAULT_ENV] as const;

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

    // Mirror before egress, so it is closed (and flushed) after the traffic that feeds it.
    let mirror: TrafficMirror | undefined;
    if (cfg.mirror) {
      const m = startTrafficMirror(cfg.mirror, o.home, log);
      mirror = m;
      cleanups.push(() => m.close());
      log(`✔ traffic mirror → ${m.sink} (${m.bodyLimit > 0 ? `bodies up to ${m.bodyLimit} bytes` : 'metadata only'}; ingress and egress)`);
    }

    const baseEnv = o.env ?? process.env;
    const egressStart = o.startEgress ?? startSidecarEgress;
    const egress: SidecarEgress = await egressStart(cfg.outboundAllowList, {
      policy: enginePolicy(o.decide, cfg.identity.spiffeId),
      onBlock: (e) => o.egressAudit?.(e),
      ...(mirror ? { mirror: mirror.mirror } : {}),
      ...(o.egressListen ? { listen: o.egressListen } : {}),
      mesh: { peers: cfg.zeroTrust.mesh.map((p) => ({ target: p.raw, spiffeId: p.spiffeId })), credentials: () => rotator.current, signer, revocation: crl },
    });
    cleanups.push(() => egress.close());
    const childEnv: NodeJS.ProcessEnv = { ...baseEnv, ESQ_ENVELOPE_SERVICE: cfg.service, ESQ_SPIFFE_ID: cfg.identity.spiffeId };
    for (const k of WITHHELD_FROM_CHILD) delete childEnv[k];
    let upstream: Endpoint;
    let bridge: NetnsBridge | undefined;
    if (isolation === 'netns') {
      const upstreamSocket = join(runDir, 'upstream.sock');
      const socket = join(runDir, 'egress.sock');
      const u = new URL(egress.url);
      const relay: Relay = await startRelay({ path: socket }, { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(u.port || 80) });
      cleanups.push(() => relay.close());
      const egressSpec = { port: NETNS_PROXY_PORT, socket };
      bridge = await startNetnsBridge({ upstream: { socket: upstreamSocket, port: NETNS_SERVICE_PORT }, egress: egressSpec });
      cleanups.push(() => bridge!.close());
      upstream = { socketPath: upstreamSocket };
      childEnv.PORT = String(NETNS_SERVICE_PORT);
      setProxyEnv(childEnv, `http://127.0.0.1:${egressSpec.port}`);
      log(`✔ egress through the sidecar (${allowListLabel(egress, cfg.outboundAllowList.length)}, then the policy engine); the service runs in its own network namespace: the sidecar is its only way out`);
    } else {
      const port = cfg.upstream && 'port' in cfg.upstream ? cfg.upstream.port : await freeLoopbackPort();
      upstream = cfg.upstream ?? { host: '127.0.0.1', port };
      if (o.command?.length) childEnv.PORT = String(port);
      setProxyEnv(childEnv, egress.url);
      const rules = `${allowListLabel(egress, cfg.outboundAllowList.length)}, then the policy engine`;
      log(
        o.command?.length
          ? `! egress is advisory: ${support.ok ? '' : support.why}; the service is asked to use the proxy on ${egress.url} (${rules}) but could connect around it`
          : `! egress is advisory: the proxy listens on ${egress.url} (${rules}); point the service's HTTP(S)_PROXY at it, and isolate its network to make it binding`,
      );
    }

    // The vault's local API, for a service we launch (only it receives the session token), or
    // through a shared folder for one we front.
    const keys: KeySettings = { home: o.home, env: baseEnv, ...(cfg.keys.masterKeyFile ? { masterKeyFile: cfg.keys.masterKeyFile } : {}) };
    let vault: ServiceVault | undefined;
    const shareDir = o.command?.length ? undefined : baseEnv.ESQ_VAULT_SHARE_DIR || undefined;
    if (o.command?.length || shareDir) {
      vault = await startServiceVault({ ...keys, service: cfg.service, paths: cfg.secrets.allow, runDir, log, ...(shareDir ? { shareDir } : {}), ...(o.vaultAudit ? { onAudit: o.vaultAudit } : {}) });
      if (vault) {
        const v = vault;
        cleanups.push(() => v.close());
        if (!shareDir) Object.assign(childEnv, v.env);
      }
    } else if (cfg.secrets.allow.length > 0) {
      log('! vault: secrets.allow is set, but no service is launched to hand a session to (set ESQ_VAULT_SHARE_DIR to share it through a folder); the vault API is not started');
    }
    const storageKey = storageKeyProvider(keys, cfg.keys.storageKeyId, vault ? () => vault!.vault.crypto.keyring : undefined);
    cleanups.push(() => storageKey.close());

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
      ...(mirror ? { mirror: mirror.mirror } : {}),
      clock,
    });
    cleanups.push(() => ingress!.close());
    log(`✔ ingress on ${ingress.url} → ${endpointLabel(upstream)} (TLS 1.3, client certificates required; ${cfg.allowedCallers.length} allowed caller${cfg.allowedCallers.length === 1 ? '' : 's'})`);
    // A config parsed from text (defaults, tests) names no real file.
    const envelopeFile = cfg.file && existsSync(cfg.file) ? resolve(cfg.file) : undefined;
    // The continuous CVE scan: its first pass completes before the service starts, so a critical
    // already present cordons the service before it takes any traffic.
    let scanner: ServiceScanner | undefined;
    if (o.scanner !== false) {
      const path = o.scanner?.path ?? (envelopeFile ? dirname(envelopeFile) : process.cwd());
      scanner = await startServiceScanner({
        home: o.home,
        service: cfg.service,
        classification: cfg.classification,
        path,
        intervalMs: cfg.scannerIntervalMs,
        log: (l) => log(`  scan ${l}`),
        ...(o.scanner?.governor ? { governor: o.scanner.governor } : {}),
        ...(o.scanner?.watchFiles === false ? { watchFiles: false as const } : {}),
      });
      cleanups.push(() => scanner!.stop());
      const first = scanner.last();
      log(`${first?.status === 'error' ? '!' : '✔'} CVE scan of ${path} every ${formatDuration(cfg.scannerIntervalMs)}; first: ${first ? `${first.status.toUpperCase()}${first.summary ? ` (${first.summary})` : ''}` : 'not recorded'}`);
    }

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
        egress: {
          isolation,
          proxy: egress.url,
          allowListSize: await fromProvider(o.statusProviders?.egressAllowListSize ?? egress.allowListSize),
          blocked: egress.blockedTotal?.() ?? null,
          recentBlocks: egress.recentBlocks?.(20) ?? [],
        },
        storage: { keyClass: cfg.keys.storageKeyId, encryptionKeyId: await fromProvider(o.statusProviders?.storageKeyId ?? storageKey.provide) },
        vault: vault ? { endpoint: vault.endpoint, paths: vault.paths, sessionLive: vault.live() } : null,
        mirror: mirror ? { sink: mirror.sink, bodyLimit: mirror.bodyLimit, egress: true, ingress: true, stats: mirror.stats() } : null,
        cveScan: { intervalSeconds: Math.round(cfg.scannerIntervalMs / 1000), last: await fromProvider(o.statusProviders?.lastCveScan ?? (() => scanner?.last() ?? readLastScan(o.home, cfg.service))) },
      };
    };
    const token = randomBytes(24).toString('base64url');
    const adminListen = cfg.admin.listen;
    if ('socketPath' in adminListen) throw new ConfigError('the admin endpoint listens on loopback TCP');
    const admin: AdminServer = await startAdmin({ host: adminListen.host, port: adminListen.port, token, status });
    cleanups.push(() => admin.close());
    writeRunFile(o.home, { service: cfg.service, pid: process.pid, adminUrl: admin.url, token, ingressUrl: ingress.url, startedAt, ...(envelopeFile ? { config: envelopeFile } : {}) });
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

function allowListLabel(egress: SidecarEgress, configured: number): string {
  const n = egress.allowListSize?.() ?? configured;
  return n === 0 ? 'no host allowed' : `${n} allow-list entr${n === 1 ? 'y' : 'ies'}`;
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
