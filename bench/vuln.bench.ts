/**
 * Vulnerability scan: a package-lock.json (v3) of 1,600 packages against 10,048 OSV records —
 * the 48 real npm advisories plus 10,000 generated in their shape (a tenth of them hitting an
 * installed version) — in an SQLite database imported the way `esq vulndb import` does.
 * Reports import time, cold and warm scan time (inventory + matching + JSON report) and memory.
 * Targets: a scan under 1 s and under 200 MB.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../src/util/package-root.js';
import { VulnDb, defaultDbPath } from '../src/vuln/osv/db.js';
import { importOsv } from '../src/vuln/osv/import.js';
import type { OsvRecord } from '../src/vuln/osv/types.js';
import { scanJson } from '../src/vuln/report/json.js';
import { scanTarget } from '../src/vuln/run.js';

const PACKAGES = 1600;
const GENERATED = 10_000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Real advisory package names first, so the real records can match too. */
function packageNames(real: OsvRecord[]): string[] {
  const names = [...new Set(real.flatMap((r) => (r.affected ?? []).filter((a) => a.package?.ecosystem === 'npm').map((a) => a.package!.name)))];
  for (let i = 0; names.length < PACKAGES; i++) names.push(i % 3 === 0 ? `@bench/pkg-${i}` : `pkg-${i}`);
  return names.slice(0, PACKAGES);
}

function lockfile(names: string[], rand: () => number): { text: string; versions: Map<string, string> } {
  const versions = new Map<string, string>();
  const packages: Record<string, unknown> = { '': { name: 'bench-app', version: '1.0.0', dependencies: Object.fromEntries(names.slice(0, 40).map((n) => [n, '*'])) } };
  names.forEach((n, i) => {
    const v = `${1 + Math.floor(rand() * 4)}.${Math.floor(rand() * 20)}.${Math.floor(rand() * 10)}`;
    versions.set(n, v);
    // Each package depends on a few later ones: a deep graph for the path search.
    const deps = Object.fromEntries([1, 2, 3].map((k) => names[(i + k * 37) % names.length]!).filter((d) => d !== n).map((d) => [d, '*']));
    packages[`node_modules/${n}`] = { version: v, resolved: `https://registry.npmjs.org/${n}/-/x-${v}.tgz`, integrity: 'sha512-x', dependencies: deps };
  });
  return { text: JSON.stringify({ name: 'bench-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2), versions };
}

function advisories(names: string[], versions: Map<string, string>, rand: () => number, template: OsvRecord): OsvRecord[] {
  const out: OsvRecord[] = [];
  for (let i = 0; i < GENERATED; i++) {
    const hit = i % 10 === 0;
    const name = hit ? names[i % names.length]! : rand() < 0.5 ? names[Math.floor(rand() * names.length)]! : `other-${i}`;
    const [maj] = (versions.get(name) ?? '1.0.0').split('.').map(Number);
    const events = hit ? [{ introduced: '0' }, { fixed: `${maj! + 1}.0.0` }] : [{ introduced: `${maj! + 2}.0.0` }, { fixed: `${maj! + 2}.5.0` }];
    out.push({
      ...template,
      id: `GHSA-bench-${String(i).padStart(5, '0')}`,
      aliases: [`CVE-2099-${String(10000 + i)}`],
      affected: [{ package: { ecosystem: 'npm', name }, ranges: [{ type: 'ECOSYSTEM', events }], database_specific: { source: 'bench' } }],
    });
  }
  return out;
}

const mb = (n: number): number => Math.round((n / 1024 / 1024) * 10) / 10;

/**
 * Memory is measured in a process of its own that loads ESQ and runs one scan (or, as a
 * baseline, only loads ESQ): the parent holds the generated data, which would hide the scan.
 */
function child(mode: 'scan' | 'idle', project: string, home: string): { maxRssMB: number; heapUsedMB: number; ms?: number } {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, ESQ_VULN_BENCH_CHILD: mode, ESQ_VULN_BENCH_PROJECT: project, ESQ_VULN_BENCH_HOME: home },
    encoding: 'utf8',
    cwd: packageRoot(),
  });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { maxRssMB: number; heapUsedMB: number; ms?: number };
}

async function childMain(mode: string): Promise<void> {
  let ms: number | undefined;
  if (mode === 'scan') {
    const t = performance.now();
    const { result } = await scanTarget(process.env.ESQ_VULN_BENCH_PROJECT!, { home: process.env.ESQ_VULN_BENCH_HOME! });
    JSON.stringify(scanJson(result));
    ms = Math.round(performance.now() - t);
  }
  // resourceUsage().maxRSS is in kilobytes.
  process.stdout.write(JSON.stringify({ maxRssMB: mb(process.resourceUsage().maxRSS * 1024), heapUsedMB: mb(process.memoryUsage().heapUsed), ...(ms !== undefined ? { ms } : {}) }));
}

export async function run(): Promise<object> {
  const tmp = mkdtempSync(join(tmpdir(), 'esq-vuln-bench-'));
  try {
    const realDir = join(packageRoot(), 'test', 'fixtures', 'osv', 'npm');
    const real = readdirSync(realDir).map((f) => JSON.parse(readFileSync(join(realDir, f), 'utf8')) as OsvRecord);
    const rand = rng(42);
    const names = packageNames(real);
    const { text, versions } = lockfile(names, rand);
    const project = join(tmp, 'app');
    mkdirSync(project);
    writeFileSync(join(project, 'package-lock.json'), text);
    const osv = join(tmp, 'osv', 'npm');
    mkdirSync(osv, { recursive: true });
    for (const f of readdirSync(realDir)) writeFileSync(join(osv, f), readFileSync(join(realDir, f)));
    const template = real.find((r) => r.id === 'GHSA-35jh-r3h4-6jhm')!;
    for (const a of advisories(names, versions, rand, template)) writeFileSync(join(osv, `${a.id}.json`), JSON.stringify(a));

    const home = join(tmp, 'home');
    const t0 = performance.now();
    const db = VulnDb.open(defaultDbPath(home));
    const imported = await importOsv(db, join(tmp, 'osv'));
    db.close();
    const importMs = performance.now() - t0;

    const times: number[] = [];
    const cpu: number[] = [];
    let findings = 0;
    let pkgs = 0;
    for (let i = 0; i < 6; i++) {
      const t = performance.now();
      const c = process.cpuUsage();
      const { result } = await scanTarget(project, { home });
      JSON.stringify(scanJson(result));
      times.push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
      findings = result.findings.length;
      pkgs = result.packages;
    }
    const idle = child('idle', project, home);
    const alone = child('scan', project, home);
    const warm = times.slice(1).sort((a, b) => a - b);
    return {
      lockfile: { packages: pkgs, bytes: text.length },
      database: { records: imported.files, importMs: Math.round(importMs) },
      findings,
      // Wall time suffers from whatever else the machine runs; CPU time is the scan's own cost.
      scanMs: { cold: Math.round(times[0]!), warmMedian: Math.round(warm[Math.floor(warm.length / 2)]!), warmMax: Math.round(warm.at(-1)!) },
      scanCpuMs: { cold: Math.round(cpu[0]!), warmMedian: Math.round([...cpu.slice(1)].sort((a, b) => a - b)[Math.floor((cpu.length - 1) / 2)]!) },
      loadAverage1m: Math.round(loadavg()[0]! * 10) / 10,
      scanInFreshProcessMs: alone.ms,
      memoryMB: {
        processPeakRss: alone.maxRssMB,
        baselinePeakRss: idle.maxRssMB,
        scanRssDelta: Math.round((alone.maxRssMB - idle.maxRssMB) * 10) / 10,
        heapUsedAfterScan: alone.heapUsedMB,
        heapUsedBaseline: idle.heapUsedMB,
      },
      targets: { scanUnder1s: times[0]! < 1000 && (alone.ms ?? 0) < 1000, memoryUnder200MB: alone.maxRssMB - idle.maxRssMB < 200 },
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const childMode = process.env.ESQ_VULN_BENCH_CHILD;
if (childMode) await childMain(childMode);
else if (process.argv[1] && /vuln\.bench\.[jt]s$/.test(process.argv[1])) process.stdout.write(`${JSON.stringify(await run(), null, 2)}\n`);
