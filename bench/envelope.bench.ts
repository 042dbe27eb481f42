/**
 * The envelope's cost on loopback, in one run with the same client certificate and load:
 * direct to a tiny upstream (plain HTTP, the floor), through the ESQ sidecar (mTLS, SPIFFE
 * identity, allowedCallers, the hipaa pack's decision per request, header rewrite), and through
 * nginx as an mTLS reverse proxy when /usr/sbin/nginx exists. Every server runs in its own
 * process; the load comes from this one (undici, keep-alive, client certificates: wrk and friends
 * cannot present them). Two cores are shared by load, proxy and upstream, so the ratios carry
 * across machines better than the absolute figures. Bounded: a few seconds per target.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { LocalCa, type WorkloadCredentials } from '../src/envelope/pki/ca.js';
import { checkSpiffeServer } from '../src/envelope/pki/tls-options.js';
import { childExecArgv } from '../src/envelope/wrap/exec-argv.js';

const SELF = fileURLToPath(import.meta.url);
const NGINX = '/usr/sbin/nginx';
const TD = 'esq.local';
const SERVICE = `spiffe://${TD}/ns/default/sa/bench-svc`;
const CALLER = `spiffe://${TD}/ns/default/sa/bench-client`;

interface Figures {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non200: number;
  /** Resident memory of the process(es) serving this target, after the load. */
  rssMb: number | null;
  peakRssMb: number | null;
  /**
   * CPU time the serving process(es) spent per request during the measured window (user +
   * system): what the proxy costs, independent of how busy the machine was.
   */
  cpuMicrosPerRequest: number | null;
}

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

if (process.argv[2] === '--esq-bench-role') {
  process.on('SIGTERM', () => process.exit(0)); // a normal exit, so --cpu-prof profiles get written
  await (process.argv[3] === 'sidecar' ? sidecarRole() : upstreamRole());
}

// ---------------------------------------------------------------- helpers

function forkRole(role: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number }> {
  // Loader flags only: an inline parent script (-e) must not run again in the child (see childExecArgv).
  const child = fork(SELF, ['--esq-bench-role', role], { execArgv: childExecArgv(), env: { ...process.env, ESQ_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, port: (m as { port: number }).port }));
    child.once('exit', (code) => reject(new Error(`bench ${role} exited early (${code})`)));
  });
}

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** VmRSS and VmHWM (MB) summed over processes, from /proc; null where /proc is not there. */
function memory(pids: number[]): { rssMb: number | null; peakRssMb: number | null } {
  let rss = 0;
  let hwm = 0;
  try {
    for (const pid of pids) {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      rss += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      hwm += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    }
  } catch {
    return { rssMb: null, peakRssMb: null };
  }
  return { rssMb: Math.round(rss / 102.4) / 10, peakRssMb: Math.round(hwm / 102.4) / 10 };
}

const TICK_MICROS = 10_000; // USER_HZ is 100 on Linux

/** User + system CPU of processes, in microseconds, from /proc/<pid>/stat; null without /proc. */
function cpuMicros(pids: number[]): number | null {
  try {
    let ticks = 0;
    for (const pid of pids) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    }
    return ticks * TICK_MICROS;
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(d));
    } catch {
      // the process went away while we looked
    }
  }
  return out;
}

/** Closed-loop load: `connections` workers, each sending the next request when the last one ends. */
async function load(
  url: string,
  tls: object | undefined,
  o: { connections: number; seconds: number; warmupSeconds: number },
  servingPids: () => number[],
): Promise<Figures> {
  const pool = new Pool(url, { connections: o.connections, pipelining: 1, keepAliveTimeout: 60_000, ...(tls ? { connect: tls } : {}) });
  const latencies: number[] = [];
  let errors = 0;
  let non200 = 0;
  let recording = false;
  let stopAt = 0;
  const worker = async () => {
    while (Date.now() < stopAt) {
      const t = process.hrtime.bigint();
      try {
        const r = await pool.request({ method: 'GET', path: '/v1/lunch/42' });
        await r.body.dump();
        if (r.statusCode !== 200) non200++;
        if (recording) latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      } catch {
        if (recording) errors++;
      }
    }
  };
  try {
    stopAt = Date.now() + o.warmupSeconds * 1000;
    await Promise.all(Array.from({ length: o.connections }, worker));
    recording = true;
    non200 = 0;
    const pids = servingPids();
    const cpuBefore = cpuMicros(pids);
    const started = Date.now();
    stopAt = started + o.seconds * 1000;
    await Promise.all(Array.from({ length: o.connections }, worker));
    const elapsed = (Date.now() - started) / 1000;
    const cpuAfter = cpuMicros(pids);
    latencies.sort((a, b) => a - b);
    const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN) * 100) / 100;
    const cpu = cpuBefore !== null && cpuAfter !== null && latencies.length > 0 ? Math.round((cpuAfter - cpuBefore) / latencies.length) : null;
    return { requestsPerSec: Math.round(latencies.length / elapsed), p50Ms: at(0.5), p99Ms: at(0.99), requests: latencies.length, errors, non200, cpuMicrosPerRequest: cpu, ...memory(pids) };
  } finally {
    await pool.destroy();
  }
}

function nginxConfig(dir: string, listenPort: number, upstreamPort: number): string {
  const user = process.getuid?.() === 0 ? 'user root;\n' : ''; // as root, workers would otherwise drop to nobody
  const tmp = (n: string) => join(dir, n);
  return `${user}worker_processes 1;
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

export async function run(opts: { seconds?: number; connections?: number } = {}): Promise<object> {
  const o = { connections: opts.connections ?? 32, seconds: opts.seconds ?? 4, warmupSeconds: 1 };
  const dir = mkdtempSync(join(tmpdir(), 'esq-bench-env-'));
  const children: ChildProcess[] = [];
  try {
    const ca = await LocalCa.init(join(dir, 'pki'), { trustDomain: TD });
    const server = await ca.issue({ spiffeId: SERVICE, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    const client = await ca.issue({ spiffeId: CALLER });
    const clientTls = { ca: client.bundlePem, cert: client.chainPem, key: client.keyPem, checkServerIdentity: checkSpiffeServer(SERVICE) };

    const upstream = await forkRole('upstream');
    children.push(upstream.child);
    const directResult = await load(`http://127.0.0.1:${upstream.port}`, undefined, o, () => [upstream.child.pid!]);

    const sidecar = await forkRole('sidecar', {
      ESQ_BENCH_SPEC: JSON.stringify({ home: join(dir, 'home'), upstreamPort: upstream.port, creds: server, crl: ca.crlPath, issuer: ca.issuerCertPem() }),
    });
    children.push(sidecar.child);
    const esqResult = await load(`https://127.0.0.1:${sidecar.port}`, clientTls, o, () => [sidecar.child.pid!]);
    const stats = await new Promise<unknown>((resolve) => {
      sidecar.child.once('message', (m) => resolve((m as { stats: unknown }).stats));
      sidecar.child.send('stats');
    });
    sidecar.child.kill();

    let nginx: Figures | string;
    const ng = await startNginx(join(dir, 'nginx'), server, upstream.port).catch((e: Error) => ({ unavailable: e.message }));
    if ('unavailable' in ng) nginx = `unavailable: ${ng.unavailable}`;
    else {
      try {
        nginx = await load(`https://127.0.0.1:${ng.port}`, clientTls, o, ng.pids);
      } finally {
        await ng.stop();
      }
    }
    const round = (x: number) => Math.round(x * 1000) / 1000;
    return {
      name: 'envelope',
      connections: o.connections,
      secondsPerTarget: o.seconds,
      identity: { server: SERVICE, client: CALLER, keys: server.keyAlgorithm, tls: 'TLSv1.3, client certificate required' },
      direct: directResult,
      esqSidecar: { ...esqResult, sidecarCounters: stats, decisionsPerRequest: 1, pack: 'hipaa' },
      nginx,
      ratios: {
        esqOverDirect: round(esqResult.requestsPerSec / directResult.requestsPerSec),
        ...(typeof nginx === 'object' ? { esqOverNginx: round(esqResult.requestsPerSec / nginx.requestsPerSec), nginxOverDirect: round(nginx.requestsPerSec / directResult.requestsPerSec) } : {}),
      },
      cpuMicrosPerRequest: { upstream: directResult.cpuMicrosPerRequest, esqSidecar: esqResult.cpuMicrosPerRequest, ...(typeof nginx === 'object' ? { nginx: nginx.cpuMicrosPerRequest } : {}) },
      addedP50Ms: { esq: round(esqResult.p50Ms - directResult.p50Ms), ...(typeof nginx === 'object' ? { nginx: round(nginx.p50Ms - directResult.p50Ms) } : {}) },
    };
  } finally {
    for (const c of children) c.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
