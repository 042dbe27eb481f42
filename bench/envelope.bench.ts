/**
 * The envelope's cost on loopback, in one run with the same client certificate: direct to a tiny
 * upstream (plain HTTP, the floor), through the ESQ sidecar (mTLS, SPIFFE identity,
 * allowedCallers, the hipaa pack's decision per request, header rewrite), and through nginx as an
 * mTLS reverse proxy when /usr/sbin/nginx exists (Debian's package).
 *
 * Method, so that the comparison is fair on a small shared machine:
 * - every server runs in its own process and all stay up for the whole run; the sidecar is one
 *   Node process and nginx runs `worker_processes 1`: one core's worth of proxy each;
 * - the load comes from this process (undici, keep-alive, client certificates: wrk and friends
 *   cannot present them), closed loop, the same for every target;
 * - the targets take turns in short windows, the order rotated each round, so that noise from
 *   other work on the machine falls on all of them alike; throughput is the median of the rounds;
 * - latency is measured three ways, each beside the direct baseline of the same run: unloaded
 *   (one connection, one request at a time: what the proxy itself adds), paced (the same many
 *   connections at a fixed rate below every target's saturation, open loop: what it adds under
 *   concurrency) and loaded (closed loop at full speed: mostly queueing, so it follows throughput);
 * - CPU per request comes from /proc (user + system of the serving processes), which says what a
 *   proxy costs whatever else the machine was doing.
 * Bounded: about 75 s in all. `ESQ_BENCH_CPU_PROF=<dir>` writes a CPU profile of the sidecar.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { LocalCa, type WorkloadCredentials } from '../src/envelope/pki/ca.js';
import { checkSpiffeServer } from '../src/envelope/pki/tls-options.js';
import { benchRole, forkRole } from './roles.js';
import { childrenOf, cpuMicros, memory, type Cpu } from './proc.js';
import { median } from './stats.js';

const SELF = fileURLToPath(import.meta.url);
const NGINX = '/usr/sbin/nginx';
const NGINX_WORKERS = 1; // the sidecar is one process: compare one core's worth each
const TD = 'esq.local';
const SERVICE = `spiffe://${TD}/ns/default/sa/bench-svc`;
const CALLER = `spiffe://${TD}/ns/default/sa/bench-client`;
const PATH = '/v1/lunch/42';

// ---------------------------------------------------------------- child roles

async function upstreamRole(): Promise<void> {
  const body = Buffer.from('{"ok":true}');
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  process.send!({ port: (server.address() as AddressInfo).port });
}

async function sidecarRole(): Promise<void> {
  const { createGovernor } = await import('../src/esq.js');
  const { startIngress } = await import('../src/envelope/ingress/server.js');
  const { CrlFile } = await import('../src/envelope/pki/revocation.js');
  const spec = JSON.parse(process.env.ESQ_BENCH_SPEC!) as { home: string; upstreamPort: number; creds: WorkloadCredentials; crl: string; issuer: string };
  spec.creds.notAfter = new Date(spec.creds.notAfter);
  spec.creds.notBefore = new Date(spec.creds.notBefore);
  const governor = createGovernor({ home: spec.home, pack: 'hipaa', env: 'prod' });
  const ingress = await startIngress({
    service: 'bench-svc',
    listen: { host: '127.0.0.1', port: 0 },
    upstream: { host: '127.0.0.1', port: spec.upstreamPort },
    credentials: spec.creds,
    allowedCallers: [CALLER],
    decide: (a) => governor.decide(a),
    revocation: await CrlFile.open(spec.crl, spec.issuer),
  });
  process.send!({ port: ingress.port });
  process.on('message', (m) => {
    if (m === 'stats') process.send!({ stats: ingress.stats.snapshot() });
  });
}

if (benchRole() !== undefined) {
  process.on('SIGTERM', () => process.exit(0)); // a normal exit, so --cpu-prof profiles get written
  await (benchRole() === 'sidecar' ? sidecarRole() : upstreamRole());
}

// ---------------------------------------------------------------- helpers

function startRole(role: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number }> {
  const prof = role === 'sidecar' && process.env.ESQ_BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.ESQ_BENCH_CPU_PROF] : [];
  return forkRole(SELF, role, { env, execArgv: prof });
}

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

// ---------------------------------------------------------------- load

interface Target {
  name: 'direct' | 'esqSidecar' | 'nginx';
  url: string;
  tls: object | undefined;
  /** The process(es) that serve this target: whose CPU and memory are its cost. */
  pids: () => number[];
}

/** What one window of closed-loop load against one target gave. */
interface Window {
  latenciesMs: number[];
  seconds: number;
  errors: number;
  non200: number;
  cpu: Cpu | null;
}

/** Latencies and failures of one window's requests. */
class Tally {
  readonly latenciesMs: number[] = [];
  errors = 0;
  non200 = 0;

  /** One GET of PATH, timed from the call. */
  async request(pool: Pool): Promise<void> {
    const t0 = performance.now();
    try {
      const r = await pool.request({ method: 'GET', path: PATH });
      await r.body.dump();
      if (r.statusCode !== 200) this.non200++;
      this.latenciesMs.push(performance.now() - t0);
    } catch {
      this.errors++;
    }
  }
}

/**
 * Open loop at a fixed rate (in the manner of wrk2): requests are sent on a schedule, 1/rate s
 * apart, whatever the replies do, over `connections` kept-alive connections; a request finding
 * every connection busy waits in the pool, and that wait counts. Below saturation this is what a
 * proxy adds to a request under concurrency, without the queueing that a closed loop at full speed
 * measures. Timers are coarse (~1 ms), so the sender wakes about once a millisecond and sends what
 * has fallen due; each latency counts from its send.
 */
async function pacedWindow(pool: Pool, rate: number, seconds: number): Promise<Window> {
  const tally = new Tally();
  const started = performance.now();
  const total = Math.round(rate * seconds);
  const inflight: Promise<void>[] = [];
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    for (; sent < due; sent++) inflight.push(tally.request(pool));
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inflight);
  return { latenciesMs: tally.latenciesMs, seconds: (performance.now() - started) / 1000, errors: tally.errors, non200: tally.non200, cpu: null };
}

/** `connections` workers on as many kept-alive connections, each sending the next request when the last one ends. */
async function window(pool: Pool, t: Target, connections: number, seconds: number, record = true): Promise<Window> {
  const tally = new Tally();
  const pids = t.pids();
  const cpuBefore = cpuMicros(pids);
  const started = performance.now();
  const stopAt = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < stopAt) await tally.request(pool);
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = cpuMicros(pids);
  const cpu = record && cpuBefore && cpuAfter ? { user: cpuAfter.user - cpuBefore.user, system: cpuAfter.system - cpuBefore.system } : null;
  return { latenciesMs: tally.latenciesMs, seconds: elapsed, errors: tally.errors, non200: tally.non200, cpu };
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

function percentile(sorted: number[], q: number): number {
  return r3(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
}

interface Figures {
  /** Median over the rounds. */
  requestsPerSec: number;
  requestsPerSecPerRound: number[];
  /** Over every request of every round. */
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non200: number;
}

interface LoadedFigures extends Figures {
  /** Resident memory of the process(es) serving this target, after the load. */
  rssMb: number | null;
  peakRssMb: number | null;
  /** CPU time the serving process(es) spent per request (user + system), and its split. */
  cpuMicrosPerRequest: number | null;
  cpuSplitMicrosPerRequest: Cpu | null;
}

function figures(ws: Window[]): Figures {
  const all = ws.flatMap((w) => w.latenciesMs).sort((a, b) => a - b);
  return {
    requestsPerSec: Math.round(median(ws.map((w) => w.latenciesMs.length / w.seconds))),
    requestsPerSecPerRound: ws.map((w) => Math.round(w.latenciesMs.length / w.seconds)),
    p50Ms: percentile(all, 0.5),
    p99Ms: percentile(all, 0.99),
    requests: all.length,
    errors: ws.reduce((n, w) => n + w.errors, 0),
    non200: ws.reduce((n, w) => n + w.non200, 0),
  };
}

function loadedFigures(ws: Window[], pids: number[]): LoadedFigures {
  const f = figures(ws);
  const cpus = ws.map((w) => w.cpu);
  const cpu = cpus.every((c): c is Cpu => c !== null) && f.requests > 0 ? { user: Math.round(cpus.reduce((n, c) => n + c.user, 0) / f.requests), system: Math.round(cpus.reduce((n, c) => n + c.system, 0) / f.requests) } : null;
  return { ...f, cpuMicrosPerRequest: cpu ? cpu.user + cpu.system : null, cpuSplitMicrosPerRequest: cpu, ...memory(pids) };
}

/**
 * Every target gets `rounds` windows of each kind, in turns, the order rotated each round. Unloaded
 * first (one connection, one request at a time), then loaded. One warm-up window per target and
 * kind first (JIT, TLS sessions, upstream pools).
 */
async function measure(targets: Target[], o: BenchOptions): Promise<{ loaded: Map<Target, LoadedFigures>; unloaded: Map<Target, Figures>; paced: Map<Target, Figures>; pacedRate: number }> {
  const pools = new Map(targets.map((t) => [t, { one: newPool(t, 1), many: newPool(t, o.connections) }]));
  const turns = (round: number) => targets.map((_, i) => targets[(i + round) % targets.length]!);
  try {
    const unloaded = new Map<Target, Window[]>(targets.map((t) => [t, []]));
    const loaded = new Map<Target, Window[]>(targets.map((t) => [t, []]));
    for (const t of targets) {
      await window(pools.get(t)!.one, t, 1, o.warmupSeconds / 2, false);
      await window(pools.get(t)!.many, t, o.connections, o.warmupSeconds, false);
    }
    for (let r = 0; r < o.rounds; r++) for (const t of turns(r)) unloaded.get(t)!.push(await window(pools.get(t)!.one, t, 1, o.unloadedSeconds));
    for (let r = 0; r < o.rounds; r++) for (const t of turns(r)) loaded.get(t)!.push(await window(pools.get(t)!.many, t, o.connections, o.loadedSeconds));
    const loadedFigs = new Map(targets.map((t) => [t, loadedFigures(loaded.get(t)!, t.pids())]));
    // One rate for every target: a fraction of what the slowest one sustained, so all run below saturation.
    const pacedRate = Math.max(100, Math.round((o.pacedLoad * Math.min(...[...loadedFigs.values()].map((f) => f.requestsPerSec))) / 100) * 100);
    const paced = new Map<Target, Window[]>(targets.map((t) => [t, []]));
    for (let r = 0; r < o.rounds; r++) for (const t of turns(r)) paced.get(t)!.push(await pacedWindow(pools.get(t)!.many, pacedRate, o.pacedSeconds));
    return {
      unloaded: new Map(targets.map((t) => [t, figures(unloaded.get(t)!)])),
      loaded: loadedFigs,
      paced: new Map(targets.map((t) => [t, figures(paced.get(t)!)])),
      pacedRate,
    };
  } finally {
    for (const p of pools.values()) await Promise.all([p.one.destroy(), p.many.destroy()]);
  }
}

function newPool(t: Target, connections: number): Pool {
  return new Pool(t.url, { connections, pipelining: 1, keepAliveTimeout: 60_000, ...(t.tls ? { connect: t.tls } : {}) });
}

function nginxConfig(dir: string, listenPort: number, upstreamPort: number): string {
  const user = process.getuid?.() === 0 ? 'user root;\n' : ''; // as root, workers would otherwise drop to nobody
  const tmp = (n: string) => join(dir, n);
  return `${user}worker_processes ${NGINX_WORKERS};
daemon off;
pid ${tmp('nginx.pid')};
error_log ${tmp('error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${tmp('client_body')};
  proxy_temp_path ${tmp('proxy')};
  fastcgi_temp_path ${tmp('fastcgi')};
  uwsgi_temp_path ${tmp('uwsgi')};
  scgi_temp_path ${tmp('scgi')};
  upstream app { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${listenPort} ssl;
    ssl_protocols TLSv1.3;
    ssl_certificate ${tmp('nginx-chain.pem')};
    ssl_certificate_key ${tmp('nginx-key.pem')};
    ssl_client_certificate ${tmp('bundle.pem')};
    ssl_verify_client on;
    ssl_verify_depth 2;
    keepalive_requests 100000;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-Client-Cert "Hash=$ssl_client_fingerprint;Subject=$ssl_client_s_dn";
    }
  }
}
`;
}

async function startNginx(dir: string, creds: WorkloadCredentials, upstreamPort: number): Promise<{ port: number; pids: () => number[]; stop: () => Promise<void> } | { unavailable: string }> {
  if (!existsSync(NGINX)) return { unavailable: `${NGINX} not installed` };
  const port = await freePort();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'nginx-chain.pem'), creds.chainPem);
  writeFileSync(join(dir, 'nginx-key.pem'), creds.keyPem, { mode: 0o600 });
  writeFileSync(join(dir, 'bundle.pem'), creds.bundlePem);
  for (const d of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, port, upstreamPort));
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const until = Date.now() + 5000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = createNetServer();
      s.once('error', () => resolve(true)); // the port is taken: nginx listens
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
      return { unavailable: `nginx did not start: ${(stderr + log).trim().split('\n').slice(-2).join(' ')}` };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    pids: () => [child.pid!, ...childrenOf(child.pid!)],
    stop: async () => {
      child.kill('SIGQUIT');
      await new Promise<void>((r) => {
        if (child.exitCode !== null) r();
        else child.once('exit', () => r());
        setTimeout(() => {
          child.kill('SIGKILL');
          r();
        }, 3000);
      });
    },
  };
}

// ---------------------------------------------------------------- the run

interface BenchOptions {
  /** Connections of the loaded windows. */
  connections: number;
  rounds: number;
  loadedSeconds: number;
  unloadedSeconds: number;
  warmupSeconds: number;
  /** Paced windows: the fixed rate as a fraction of the slowest target's closed-loop throughput. */
  pacedLoad: number;
  pacedSeconds: number;
}

export async function run(opts: Partial<BenchOptions> = {}): Promise<object> {
  // Many short turns rather than a few long ones: bursts of other work on the machine then fall
  // on every target alike, and the median of the paired rounds sees past them.
  const o: BenchOptions = { connections: 32, rounds: 10, loadedSeconds: 1, unloadedSeconds: 0.4, warmupSeconds: 1, pacedLoad: 0.5, pacedSeconds: 0.8, ...opts };
  const dir = mkdtempSync(join(tmpdir(), 'esq-bench-env-'));
  const children: ChildProcess[] = [];
  let ng: Awaited<ReturnType<typeof startNginx>> | undefined;
  try {
    const ca = await LocalCa.init(join(dir, 'pki'), { trustDomain: TD });
    const server = await ca.issue({ spiffeId: SERVICE, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    const client = await ca.issue({ spiffeId: CALLER });
    const clientTls = { ca: client.bundlePem, cert: client.chainPem, key: client.keyPem, checkServerIdentity: checkSpiffeServer(SERVICE) };

    const upstream = await startRole('upstream');
    children.push(upstream.child);
    const sidecar = await startRole('sidecar', {
      ESQ_BENCH_SPEC: JSON.stringify({ home: join(dir, 'home'), upstreamPort: upstream.port, creds: server, crl: ca.crlPath, issuer: ca.issuerCertPem() }),
    });
    children.push(sidecar.child);
    ng = await startNginx(join(dir, 'nginx'), server, upstream.port).catch((e: Error) => ({ unavailable: e.message }));
    const nginxUp = 'port' in ng ? ng : undefined;

    const targets: Target[] = [
      { name: 'direct', url: `http://127.0.0.1:${upstream.port}`, tls: undefined, pids: () => [upstream.child.pid!] },
      { name: 'esqSidecar', url: `https://127.0.0.1:${sidecar.port}`, tls: clientTls, pids: () => [sidecar.child.pid!] },
      ...(nginxUp ? [{ name: 'nginx' as const, url: `https://127.0.0.1:${nginxUp.port}`, tls: clientTls, pids: nginxUp.pids }] : []),
    ];
    const { loaded, unloaded, paced, pacedRate } = await measure(targets, o);
    const stats = await new Promise<unknown>((resolve) => {
      sidecar.child.once('message', (m) => resolve((m as { stats: unknown }).stats));
      sidecar.child.send('stats');
    });

    const byName = <T>(m: Map<Target, T>, name: Target['name']) => [...m].find(([t]) => t.name === name)?.[1];
    const L = { direct: byName(loaded, 'direct')!, esq: byName(loaded, 'esqSidecar')!, nginx: byName(loaded, 'nginx') };
    const U = { direct: byName(unloaded, 'direct')!, esq: byName(unloaded, 'esqSidecar')!, nginx: byName(unloaded, 'nginx') };
    const P = { direct: byName(paced, 'direct')!, esq: byName(paced, 'esqSidecar')!, nginx: byName(paced, 'nginx') };
    const nginxMissing = nginxUp ? undefined : `unavailable: ${'unavailable' in ng ? ng.unavailable : ''}`;
    const perRound = (a: Figures, b: Figures) => a.requestsPerSecPerRound.map((x, i) => r3(x / b.requestsPerSecPerRound[i]!));
    // Paired: each round's two windows ran back to back, so their ratio cancels slow drifts in
    // what else the machine was doing. The headline is the median of those.
    const esqOverNginxPerRound = L.nginx ? perRound(L.esq, L.nginx) : null;
    const esqOverNginx = esqOverNginxPerRound ? r3(median(esqOverNginxPerRound)) : null;
    const added = (f: { esq: Figures; nginx: Figures | undefined; direct: Figures }) => ({ esq: r3(f.esq.p50Ms - f.direct.p50Ms), ...(f.nginx ? { nginx: r3(f.nginx.p50Ms - f.direct.p50Ms) } : {}) });
    const addedP50Ms = { unloaded: added(U), paced: added(P), loaded: added(L) };
    return {
      name: 'envelope',
      method: {
        loadGenerator: 'this process: undici Pool, keep-alive, closed loop, client certificates',
        loaded: { connections: o.connections, secondsPerWindow: o.loadedSeconds },
        unloaded: { connections: 1, sequential: true, secondsPerWindow: o.unloadedSeconds },
        paced: { connections: o.connections, openLoop: true, requestsPerSec: pacedRate, rateIs: `${o.pacedLoad} × the slowest target's closed-loop requests/s`, secondsPerWindow: o.pacedSeconds },
        rounds: o.rounds,
        order: 'targets take turns, order rotated each round; requests/s is the median over rounds, percentiles over all requests; esqOverNginx is the median of the per-round ratios',
        parallelism: { esqSidecarProcesses: 1, nginxWorkerProcesses: NGINX_WORKERS, upstreamProcesses: 1, cores: cpus().length, note: 'one proxy process each; the load generator and the upstream share the same cores' },
        sidecarRunsFrom: SELF.endsWith('.ts') ? 'source (tsx loader: adds memory)' : 'dist',
      },
      identity: { server: SERVICE, client: CALLER, keys: server.keyAlgorithm, tls: 'TLSv1.3, client certificate required' },
      loaded: { direct: L.direct, esqSidecar: { ...L.esq, decisionsPerRequest: 1, pack: 'hipaa' }, nginx: L.nginx ?? nginxMissing },
      unloaded: { direct: U.direct, esqSidecar: U.esq, nginx: U.nginx ?? nginxMissing },
      paced: { requestsPerSec: pacedRate, direct: P.direct, esqSidecar: P.esq, nginx: P.nginx ?? nginxMissing },
      sidecarCounters: stats,
      ratios: {
        esqOverNginx,
        ...(L.nginx ? { esqOverNginxPerRound, esqOverNginxOfMedians: r3(L.esq.requestsPerSec / L.nginx.requestsPerSec), nginxOverDirect: r3(L.nginx.requestsPerSec / L.direct.requestsPerSec) } : {}),
        esqOverDirect: r3(L.esq.requestsPerSec / L.direct.requestsPerSec),
      },
      addedP50Ms,
      cpuMicrosPerRequest: { upstream: L.direct.cpuMicrosPerRequest, esqSidecar: L.esq.cpuMicrosPerRequest, ...(L.nginx ? { nginx: L.nginx.cpuMicrosPerRequest } : {}) },
      rssMb: { upstream: L.direct.rssMb, esqSidecar: L.esq.rssMb, ...(L.nginx ? { nginx: L.nginx.rssMb } : {}) },
      targets: {
        addedP50UnderMs: 1,
        addedP50UnloadedMet: addedP50Ms.unloaded.esq < 1,
        addedP50PacedMet: addedP50Ms.paced.esq < 1,
        addedP50LoadedMet: addedP50Ms.loaded.esq < 1,
        throughputOverNginxAtLeast: 0.7,
        throughputMet: esqOverNginx === null ? null : esqOverNginx >= 0.7,
      },
    };
  } finally {
    if (ng && 'stop' in ng) await ng.stop();
    for (const c of children) c.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
