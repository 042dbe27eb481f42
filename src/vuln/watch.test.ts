import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { packageRoot } from '../util/package-root.js';
import { VulnDb, defaultDbPath } from './osv/db.js';
import { importOsv } from './osv/import.js';
import type { OsvRecord } from './osv/types.js';
import { FileQuarantine, defaultQuarantinePath } from './quarantine.js';
import { scanTarget } from './run.js';
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
    const approvals = [false, true];
    const asked: string[] = [];
    const quarantine = new FileQuarantine(defaultQuarantinePath(home), undefined, clock.now);
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
      quarantine: {
        service: 'lunch-subsidy-svc',
        classification: 'pii-high',
        minSeverity: 'high',
        sink: quarantine,
        approveLift: async (svc, resolved) => {
          asked.push(`${svc}: ${resolved.map((f) => f.id).join(',')}`);
          return approvals.shift() ?? false;
        },
      },
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
    assert.deepEqual(take(), [
      '[12:16] CVE-2021-23337 found (High) in lodash 4.17.20 → fix 4.17.21 available',
      '[12:16] lunch-subsidy-svc cordoned: CVE-2021-23337 (High) in lodash 4.17.20 in a pii-high service',
    ]);
    assert.equal(quarantine.isCordoned('lunch-subsidy-svc'), true);

    // Mid-edit the lockfile is broken: the scan fails loudly and nothing is lifted or called CLEAN.
    writeFileSync(lock, '{ "lockfileVersion": 3, "packages": {');
    onChange!(lock);
    await clock.advance(1_000, settle);
    const failed = take();
    assert.equal(failed.length, 1);
    assert.match(failed[0]!, /^\[12:16\] scan failed: .*package-lock\.json:1:\d+: not valid JSON.*not CLEAN\)$/);
    assert.equal(quarantine.isCordoned('lunch-subsidy-svc'), true);

    // The fix lands: lodash 4.17.21. One line; the lift waits for approval.
    copyFileSync(join(FX, 'vuln', 'watch', 'package-lock.lodash-4.17.21.json'), lock);
    onChange!(lock);
    await clock.advance(1_000, settle);
    assert.deepEqual(take(), [
      `[12:16] CVE-2021-23337 resolved (lodash 4.17.20 is no longer installed or affected) — ${project} CLEAN`,
      '[12:16] lunch-subsidy-svc stays cordoned until the lift is approved',
    ]);
    assert.equal(quarantine.isCordoned('lunch-subsidy-svc'), true);

    await clock.advance(15 * 60_000, settle);
    assert.deepEqual(take(), [`[12:31] ${project} unchanged`, '[12:31] lunch-subsidy-svc quarantine lifted']);
    assert.equal(quarantine.isCordoned('lunch-subsidy-svc'), false);
    assert.deepEqual(asked, ['lunch-subsidy-svc: CVE-2021-23337', 'lunch-subsidy-svc: ']);

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
});
