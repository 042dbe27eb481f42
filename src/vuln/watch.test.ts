import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createGovernor } from '../esq.js';
import { openStore } from '../store/open.js';
import { packageRoot } from '../util/package-root.js';
import { VulnDb, defaultDbPath } from './osv/db.js';
import { importOsv } from './osv/import.js';
import type { OsvRecord } from './osv/types.js';
import { FileQuarantine, defaultQuarantinePath } from './quarantine.js';
import { embeddedDecider, policyGate, type QuarantineGate } from './quarantine-gate.js';
import { scanTarget } from './run.js';
import type { Finding, ScanResult } from './types.js';
import { ScanWatcher, type Clock } from './watch.js';

const FX = join(packageRoot(), 'test', 'fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'esq-watch-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A clock whose time moves only when the test says; due timers fire in order. */
class FakeClock implements Clock {
  private timers: Array<{ id: number; at: number; fn: () => void }> = [];
  private next = 1;
  constructor(public t: number) {}
  now = (): Date => new Date(this.t);
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.next++;
    this.timers.push({ id, at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (id: unknown): void => {
    this.timers = this.timers.filter((x) => x.id !== id);
  };
  pending(): number[] {
    return this.timers.map((x) => x.at - this.t);
  }
  async advance(ms: number, settle: () => Promise<void>): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
      await settle();
    }
    this.t = end;
  }
}

describe('scan --watch', () => {
  it('prints one line per change, cordons on a new advisory, and lifts after the upgrade once approved', async () => {
    const home = join(tmp, 'home');
    const project = join(tmp, 'svc');
    mkdirSync(project, { recursive: true });
    const lock = join(project, 'package-lock.json');
    copyFileSync(join(FX, 'vuln', 'watch', 'package-lock.lodash-4.17.20.json'), lock);

    // The database starts with every npm record except the one that will "appear": GHSA-35jh.
    const initial = join(tmp, 'osv-initial');
    const later = join(tmp, 'osv-later');
    mkdirSync(initial);
    mkdirSync(later);
    for (const f of readdirSync(join(FX, 'osv', 'npm'))) {
      const rec = JSON.parse(readFileSync(join(FX, 'osv', 'npm', f), 'utf8')) as OsvRecord;
      const touchesLodash = (rec.affected ?? []).some((a) => a.package?.name === 'lodash');
      if (rec.id === 'GHSA-35jh-r3h4-6jhm') copyFileSync(join(FX, 'osv', 'npm', f), join(later, f));
      else if (!touchesLodash) copyFileSync(join(FX, 'osv', 'npm', f), join(initial, f));
    }
    const importDir = async (dir: string): Promise<void> => {
      const db = VulnDb.open(defaultDbPath(home));
      await importOsv(db, dir, { now: () => clock.now() });
      db.close();
    };

    const clock = new FakeClock(new Date(2026, 10, 22, 12, 0, 0).getTime());
    await importDir(initial);
    const lines: string[] = [];
    let onChange: ((path: string) => void) | undefined;
    let watchedPaths: string[] = [];
    const quarantine = new FileQuarantine(defaultQuarantinePath(home), undefined, clock.now);
    // The real engine: hipaa with the envelope pack composed in, approvals in the store under home.
    // The operator lowered the threshold to high (lodash's CVE-2021-23337 is High).
    const governor = createGovernor({ home, pack: 'hipaa', env: 'prod', clock: clock.now });
    const engine = policyGate(embeddedDecider({ home, governor, now: clock.now }), { service: 'lunch-subsidy-svc', classification: 'pii-high', quarantineOn: 'high' }, clock.now);
    const asked: string[] = [];
    const gate: QuarantineGate = {
      decide: (fs) => (asked.push(`decide ${fs.map((f) => f.id).join(',')}`), engine.decide(fs)),
      requestLift: (o) => (asked.push(`request lift ${o.advisories.join(',')}`), engine.requestLift(o)),
      completeLift: (p) => (asked.push(`complete lift ${p.approvalId}`), engine.completeLift(p)),
    };
    const watcher = new ScanWatcher({
      scan: async () => (await scanTarget(project, { home, now: clock.now })).result,
      intervalMs: 15 * 60_000,
      clock,
      print: (l) => lines.push(l),
      files: {
        paths: () => [lock, defaultDbPath(home)],
        watch: (paths, cb) => {
          watchedPaths = paths;
          onChange = cb;
          return () => undefined;
        },
      },
      quarantine: { service: 'lunch-subsidy-svc', records: quarantine, gate },
    });
    const settle = (): Promise<void> => watcher.idle();
    const take = (): string[] => lines.splice(0);

    await watcher.start();
    assert.deepEqual(take(), [`[12:00] ${project} CLEAN`]);
    assert.deepEqual(watchedPaths, [defaultDbPath(home), lock].sort());
    assert.deepEqual(clock.pending(), [15 * 60_000], 'next scan scheduled on the interval');

    await clock.advance(15 * 60_000, settle);
    assert.deepEqual(take(), [`[12:15] ${project} unchanged`]);

    // A new advisory is imported: the database file changes.
    clock.t += 60_000;
    await importDir(later);
    onChange!(defaultDbPath(home));
    await clock.advance(1_000, settle);
    const cordoned = take();
    assert.equal(cordoned[0], '[12:16] CVE-2021-23337 found (High) in lodash 4.17.20 → fix 4.17.21 available');
    assert.match(
      cordoned[1]!,
      /^\[12:16\] lunch-subsidy-svc cordoned: CVE-2021-23337 \(High\) in lodash 4\.17\.20 — Rule ENV-VULN-02 violated \(vulnerability at or above the operator's quarantine threshold\) · incident (INC-\w+)$/,
    );
    assert.equal(cordoned.length, 2);
    const incidentId = /incident (INC-\w+)/.exec(cordoned[1]!)![1]!;
    const incidentStore = await openStore({ home });
    const incident = JSON.stringify(await incidentStore.getIncident(incidentId));
    await incidentStore.close();
    assert.match(incident, /ENV-VULN-02/, 'the incident is in the store the console reads');
    assert.ok(!incident.includes('lunch-subsidy-svc') && !incident.includes('CVE-2021-23337'), 'the incident holds hashes, not the arguments');
    assert.equal(quarantine.isCordoned('lunch-subsidy-svc'), true);
    assert.equal(quarantine.entry('lunch-subsidy-svc')?.incidentId, incidentId);

    // Mid-edit the lockfile is broken: the scan fails loudly and nothing is lifted or called CLEAN.
    writeFileSync(lock, '{ "lockfileVersion": 3, "packages": {');
    onChange!(lock);
    await clock.advance(1_000, settle);
    const failed = take();
    assert.equal(failed.length, 1);
    assert.match(failed[0]!, /^\[12:16\] scan failed: .*package-lock\.json:1:\d+: not valid JSON.*not CLEAN\)$/);
    assert.equal(quarantine.isCordoned('lunch-subsidy-svc'), true);

    // The fix lands: lodash 4.17.21. One line; the lift is an approval request, not a lift.
    copyFileSync(join(FX, 'vuln', 'watch', 'package-lock.lodash-4.17.21.json'), lock);
    onChange!(lock);
    await clock.advance(1_000, settle);
    const fixed = take();
    assert.equal(fixed[0], `[12:16] CVE-2021-23337 resolved (lodash 4.17.20 is no longer installed or affected) — ${project} CLEAN`);
    assert.match(fixed[1]!, /^\[12:16\] lunch-subsidy-svc stays cordoned until the lift is approved: approval (APR-\w+) needs 1 approver within 24 h$/);
    assert.equal(fixed.length, 2);
    const approvalId = /approval (APR-\w+)/.exec(fixed[1]!)![1]!;
    assert.equal(quarantine.entry('lunch-subsidy-svc')?.lift?.approvalId, approvalId);

    // Still pending on the next scan: nothing lifts, nothing new is asked for.
    await clock.advance(15 * 60_000, settle);
    assert.deepEqual(take(), [`[12:31] ${project} unchanged`]);
    assert.equal(quarantine.isCordoned('lunch-subsidy-svc'), true);

    // A privacy officer approves in the console (the store `esq serve` reads); the next scan lifts.
    const store = await openStore({ home });
    const vote = await store.voteApproval(approvalId, { approver: 'privacy-officer', decision: 'approve', reason: 'lodash upgraded', at: clock.now().toISOString() }, clock.now());
    await store.close();
    assert.ok(vote.ok);
    await clock.advance(15 * 60_000, settle);
    const lifted = take();
    assert.equal(lifted[0], `[12:46] ${project} unchanged`);
    assert.match(lifted[1]!, new RegExp(`^\\[12:46\\] lunch-subsidy-svc quarantine lifted \\(Approved \\(${approvalId} by privacy-officer\\)`));
    assert.equal(quarantine.isCordoned('lunch-subsidy-svc'), false);
    assert.deepEqual(asked, ['decide CVE-2021-23337', `request lift CVE-2021-23337`, `complete lift ${approvalId}`, `complete lift ${approvalId}`]);

    await clock.advance(15 * 60_000, settle);
    assert.deepEqual(take(), [`[13:01] ${project} unchanged`], 'lifted stays lifted; nothing more is asked');

    watcher.stop();
    assert.deepEqual(clock.pending(), [], 'stop() leaves no timer behind');
  });

  it('coalesces bursts of file changes into one rescan', async () => {
    let scans = 0;
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    let onChange: (() => void) | undefined;
    const w = new ScanWatcher({
      scan: async () => {
        scans++;
        return { target: 't', kind: 'k', scannedAt: '', packages: 0, findings: [], fixes: [], unevaluated: [], warnings: [], database: { location: 'm', records: 1, stale: false } };
      },
      intervalMs: 60_000,
      clock,
      print: () => undefined,
      files: { paths: () => ['a'], watch: (_p, cb) => ((onChange = () => cb('a')), () => undefined) },
    });
    await w.start();
    for (let i = 0; i < 5; i++) onChange!();
    await clock.advance(1_000, () => w.idle());
    assert.equal(scans, 2);
    w.stop();
  });

  it('asks again about what is left once the worst findings are gone, and retries when the engine cannot answer', async () => {
    const clock = new FakeClock(new Date(2026, 10, 22, 9, 0, 0).getTime());
    const f = (id: string, level: 'critical' | 'high' | 'medium', name: string): Finding => ({
      id, advisories: [id], aliases: [], summary: '', severity: { level, method: 'test' }, references: [],
      package: { ecosystem: 'npm', name, version: '1.0.0', path: [name], relation: 'direct', source: 'x' },
    });
    const A = f('CVE-A', 'critical', 'a');
    const B = f('CVE-B', 'high', 'b');
    const C = f('CVE-C', 'high', 'c');
    const scans: Finding[][] = [[A, B], [B], [B, C], [B, C], [C], []];
    const result = (findings: Finding[]): ScanResult => ({ target: 'svc', kind: 'lockfile', scannedAt: clock.now().toISOString(), packages: 3, findings, fixes: [], unevaluated: [], warnings: [], database: { location: 'm', records: 1, stale: false } });
    const asked: string[] = [];
    let down = false;
    // The operator's threshold is high: a high or a critical cordons.
    const gate: QuarantineGate = {
      decide: async (fs) => {
        asked.push(`decide ${fs.map((x) => x.id).join(',')}`);
        if (down) throw new Error('decision service unavailable');
        return { cordon: fs.some((x) => x.severity.level !== 'medium'), reason: 'Rule X violated' };
      },
      requestLift: async (o) => (asked.push(`request ${o.advisories.join(',')}`), { status: 'pending', lift: { approvalId: 'APR-1', requestedAt: '', action: { name: 'vuln.quarantine.lift' } }, required: 1, expiresInSeconds: 86_400 }),
      completeLift: async () => ({ status: 'pending' }),
    };
    const records = new FileQuarantine(join(tmp, 'recheck.json'));
    const lines: string[] = [];
    const w = new ScanWatcher({ scan: async () => result(scans.shift() ?? []), intervalMs: 60_000, clock, print: (l) => lines.push(l), quarantine: { service: 'svc', records, gate } });
    const next = async (): Promise<string[]> => {
      await clock.advance(60_000, () => w.idle());
      return lines.splice(0).filter((l) => / svc (cordoned|stays|quarantine)/.test(l));
    };
    await w.start();
    assert.deepEqual(lines.splice(0).filter((l) => l.includes('cordon')), ['[09:00] svc cordoned: CVE-A (Critical) in a 1.0.0 — Rule X violated']);
    assert.deepEqual(records.entry('svc')!.findings.map((x) => x.id), ['CVE-A'], 'the worst findings hold the cordon');
    assert.deepEqual(await next(), ['[09:01] svc stays cordoned: CVE-B (High) in b 1.0.0 — Rule X violated'], 'B still cordons on its own');
    down = true;
    assert.deepEqual(await next(), ['[09:02] svc quarantine not decided: decision service unavailable (asking again on the next scan)']);
    down = false;
    assert.deepEqual(await next(), ['[09:03] svc stays cordoned: CVE-C (High) in c 1.0.0 — Rule X violated'], 'C is asked about again once the engine answers');
    await next(); // B fixed; C holds the cordon
    assert.equal(records.isCordoned('svc'), true);
    assert.deepEqual(await next(), ['[09:05] svc stays cordoned until the lift is approved: approval APR-1 needs 1 approver within 24 h']);
    assert.deepEqual(asked, ['decide CVE-A,CVE-B', 'decide CVE-B', 'decide CVE-C', 'decide CVE-C', 'request CVE-A,CVE-B,CVE-C']);
    w.stop();
  });
});

