import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeRunFile, type RunFile } from '../envelope/wrap/run-file.js';
import { createGovernor } from '../esq.js';
import { openStore } from '../store/open.js';
import { packageRoot } from '../util/package-root.js';
import { tempHome } from '../../test/helpers.js';
import { VulnDb, defaultDbPath } from './osv/db.js';
import { importOsv } from './osv/import.js';
import { FileQuarantine, defaultQuarantinePath } from './quarantine.js';
import { lastScanPath, readLastScan, startServiceScanner } from './service-scan.js';
import { resolveServiceTarget } from './service-target.js';

const FX = join(packageRoot(), 'test', 'fixtures');

async function storedIncidents(home: string): Promise<number> {
  const store = await openStore({ home });
  try {
    return (await store.listIncidents({ limit: 1000 })).items.length;
  } finally {
    await store.close();
  }
}
const tmp = tempHome('esq-svcscan-');
after(tmp.cleanup);

describe('the service scanner (what the sidecar runs)', () => {
  it('records an error, not CLEAN, while no vulnerability database was imported', async () => {
    const home = join(tmp.dir, 'no-db');
    const lines: string[] = [];
    const s = await startServiceScanner({ home, service: 'lunch-subsidy-svc', classification: 'pii-high', path: join(FX, 'vuln', 'npm-v3'), intervalMs: 3_600_000, log: (l) => lines.push(l), watchFiles: false, governor: createGovernor({ home, pack: 'hipaa', env: 'prod' }) });
    s.stop();
    const last = s.last();
    assert.equal(last?.status, 'error');
    assert.match(last!.summary, /^scan failed: no vulnerability database: run `esq vulndb import <dir\|zip>` first/);
    assert.equal(last!.quarantined, false);
    assert.deepEqual(readLastScan(home, 'lunch-subsidy-svc'), last);
    assert.match(lines[0]!, /scan failed: no vulnerability database.*not CLEAN/);
  });

  it('records findings and the quarantine the engine decided for a critical in a pii-high service', async () => {
    const home = join(tmp.dir, 'with-db');
    const db = VulnDb.open(defaultDbPath(home));
    await importOsv(db, join(FX, 'osv', 'npm'));
    db.close();
    const s = await startServiceScanner({ home, service: 'lunch-subsidy-svc', classification: 'pii-high', path: join(FX, 'vuln', 'npm-v3'), intervalMs: 3_600_000, watchFiles: false, governor: createGovernor({ home, pack: 'hipaa', env: 'prod' }) });
    s.stop();
    const last = readLastScan(home, 'lunch-subsidy-svc')!;
    assert.equal(last.status, 'findings');
    assert.equal(last.total, 10);
    assert.ok(last.critical >= 1 && last.high >= 1, JSON.stringify(last));
    assert.match(last.summary, /^10 findings \(\d+ Critical, \d+ High.*\) in \d+ packages; worst CVE-/);
    assert.equal(last.quarantined, true);
    assert.match(last.reason ?? '', /Critical.*Rule ENV-VULN-01 violated/);
    assert.equal(new FileQuarantine(defaultQuarantinePath(home)).isCordoned('lunch-subsidy-svc'), true, 'the sidecar sees it');
    assert.deepEqual(s.last(), last);
    assert.deepEqual(readdirSync(join(home, 'scanner', 'last-scan')), ['lunch-subsidy-svc.json'], 'written atomically: no temporary file left');
    assert.equal(await storedIncidents(home), 1, 'one incident for the cordon, in the store the console reads');

    // The sidecar restarts: the findings holding the cordon were decided already; no second incident.
    const again = await startServiceScanner({ home, service: 'lunch-subsidy-svc', classification: 'pii-high', path: join(FX, 'vuln', 'npm-v3'), intervalMs: 3_600_000, watchFiles: false, governor: createGovernor({ home, pack: 'hipaa', env: 'prod' }) });
    again.stop();
    assert.equal(await storedIncidents(home), 1);
    assert.equal(again.last()?.quarantined, true);
  });

  it('reads nothing (never CLEAN) from a missing or torn record, and refuses names that are not services', () => {
    const home = join(tmp.dir, 'read');
    assert.equal(readLastScan(home, 'other-svc'), undefined);
    mkdirSync(join(home, 'scanner', 'last-scan'), { recursive: true });
    writeFileSync(lastScanPath(home, 'torn'), '{"at": "2026-');
    assert.equal(readLastScan(home, 'torn'), undefined);
    assert.throws(() => lastScanPath(home, '../../etc/passwd'), /is not a service name/);
  });
});

describe('esq scan SERVICE: resolving a name to its envelope folder', () => {
  const project = join(tmp.dir, 'lunch');
  mkdirSync(project, { recursive: true });
  cpSync(join(packageRoot(), 'src', 'envelope', 'config', 'testdata', 'lunch-subsidy-sec.yml'), join(project, 'esq-sec.yml'));
  const home = join(tmp.dir, 'resolve-home');

  it('finds ./esq-sec.yml naming the service, with its classification and interval', () => {
    const t = resolveServiceTarget('lunch-subsidy-svc', { home, cwd: project });
    assert.deepEqual(t, { path: project, service: 'lunch-subsidy-svc', classification: 'pii-high', intervalMs: 15 * 60_000, file: join(project, 'esq-sec.yml') });
  });

  it('says which files it read when none names the service, and nothing when there are none', () => {
    assert.throws(() => resolveServiceTarget('payroll-svc', { home, cwd: project }), /no envelope file names service payroll-svc \(.*esq-sec\.yml is for lunch-subsidy-svc\); pass its file with --config/);
    assert.equal(resolveServiceTarget('payroll-svc', { home, cwd: tmp.dir }), undefined);
  });

  it('reads --config files, and the file a running wrap recorded in its run file', () => {
    const other = join(tmp.dir, 'payroll');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'payroll-sec.yml'), 'service: payroll-svc\nclassification: pci\n');
    assert.equal(resolveServiceTarget('payroll-svc', { home, cwd: project, configs: [join(other, 'payroll-sec.yml')] })?.path, other);
    assert.throws(() => resolveServiceTarget('payroll-svc', { home, cwd: project, configs: ['missing.yml'] }), /--config .*missing\.yml: no such file/);
    const run = { service: 'payroll-svc', pid: process.pid, adminUrl: 'http://127.0.0.1:1', token: 't', ingressUrl: 'https://127.0.0.1:2', startedAt: new Date().toISOString(), config: join(other, 'payroll-sec.yml') };
    writeRunFile(home, run as RunFile);
    const t = resolveServiceTarget('payroll-svc', { home, cwd: tmp.dir });
    assert.deepEqual([t?.path, t?.classification], [other, 'pci']);
    assert.ok(readFileSync(join(other, 'payroll-sec.yml'), 'utf8').includes('pci'));
  });
});
