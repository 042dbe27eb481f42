/**
 * One suite every BudgetStore passes (SQLite and PostgreSQL), with the multi-replica alert race, and
 * the multi-process reservation race both stores' tests run.
 * Each test gets a fresh database from the harness.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import type { AlertRecord, BudgetStore, LedgerLine, ReserveInput } from './budget-store.js';
import { AlertDispatcher, type AlertSink } from './alerts.js';

export interface BudgetHarness {
  /** A fresh database; `open()` gives a new, migrated store instance on it (a "replica") each call. */
  fresh(): Promise<{ open(): Promise<BudgetStore> }>;
}

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const THRESHOLDS = [50, 80, 95, 100];
const day: LedgerLine = { key: 'tenant=acme', period: 'day:2026-11-22', limitMicros: 1000 };
const month: LedgerLine = { key: 'tenant=acme', period: 'month:2026-11', limitMicros: 5000 };

let n = 0;
function input(amount: number, lines: LedgerLine[] = [day, month], over: Partial<ReserveInput> = {}): ReserveInput {
  return { id: `r${++n}`, tenant: 'acme', lines, amountMicros: amount, nowMs: T0, expiresAtMs: T0 + 60_000, thresholds: THRESHOLDS, alertLeaseMs: 30_000, ...over };
}

async function committed(store: BudgetStore, line: LedgerLine = day): Promise<{ spent: number; reserved: number }> {
  const [s] = await store.usage([line]);
  return { spent: s!.spentMicros, reserved: s!.reservedMicros };
}

export function budgetStoreConformance(name: string, harness: BudgetHarness): void {
  describe(`${name} budget store`, () => {
    const withStore = async (fn: (s: BudgetStore, db: { open(): Promise<BudgetStore> }) => Promise<void>) => {
      const db = await harness.fresh();
      const s = await db.open();
      try {
        await fn(s, db);
      } finally {
        await s.close();
      }
    };

    it('migrates idempotently', () =>
      withStore(async (s) => {
        assert.deepEqual(await s.migrate(), [], 'already migrated by open()');
      }));

    it('reserves on every line or none, refusing when spent + reserved + amount > limit', () =>
      withStore(async (s) => {
        const a = await s.reserve(input(600));
        assert.equal(a.ok, true);
        assert.deepEqual(await committed(s), { spent: 0, reserved: 600 });
        assert.deepEqual(await committed(s, month), { spent: 0, reserved: 600 });
        const b = await s.reserve(input(401));
        assert.equal(b.ok, false);
        if (!b.ok) assert.deepEqual(b.line, { key: day.key, period: day.period, limitMicros: 1000, spentMicros: 0, reservedMicros: 600 });
        // The month line was taken first (sorted order) and must have been rolled back with the refusal.
        assert.deepEqual(await committed(s, month), { spent: 0, reserved: 600 });
        assert.equal((await s.reserve(input(400))).ok, true, 'exactly up to the limit is allowed');
        assert.equal((await s.reserve(input(1))).ok, false);
        assert.equal((await s.reserve(input(5000, [month]))).ok, false, 'a first hold above the limit is refused too');
        assert.equal((await s.reserve(input(1001, [{ ...day, key: 'tenant=other' }]))).ok, false, 'a first hold on a new row is checked');
        assert.deepEqual(await committed(s, { ...day, key: 'tenant=other' }), { spent: 0, reserved: 0 });
      }));

    it('settle replaces the hold with the actual cost, once; release and expiry give the hold back', () =>
      withStore(async (s) => {
        const r1 = input(500);
        await s.reserve(r1);
        const st = await s.settle(r1.id, 320, T0 + 1, THRESHOLDS, 30_000);
        assert.equal(st.status, 'settled');
        assert.deepEqual(await committed(s), { spent: 320, reserved: 0 });
        const again = await s.settle(r1.id, 320, T0 + 2, THRESHOLDS, 30_000);
        assert.equal(again.status, 'already-settled');
        assert.equal(again.actualMicros, 320);
        assert.deepEqual(await committed(s), { spent: 320, reserved: 0 }, 'a retried settle does not count twice');
        assert.equal((await s.settle('nope', 1, T0, THRESHOLDS, 30_000)).status, 'unknown');

        const r2 = input(100);
        await s.reserve(r2);
        assert.equal(await s.release(r2.id, T0 + 3), true);
        assert.equal(await s.release(r2.id, T0 + 3), false, 'only an open reservation is released');
        assert.deepEqual(await committed(s), { spent: 320, reserved: 0 });

        const r3 = input(200, [day, month], { expiresAtMs: T0 + 10_000 });
        await s.reserve(r3);
        assert.equal(await s.expire(T0 + 9_999), 0, 'not lapsed yet');
        assert.equal(await s.expire(T0 + 10_000, 'someone-else'), 0, 'scoped to the tenant asked for');
        assert.equal(await s.expire(T0 + 10_000, 'acme'), 1);
        assert.deepEqual(await committed(s), { spent: 320, reserved: 0 });
        assert.equal((await s.getReservation(r3.id))?.state, 'expired');
        // The call did happen after all: its cost is recorded, the hold is not given back twice.
        const late = await s.settle(r3.id, 150, T0 + 20_000, THRESHOLDS, 30_000);
        assert.equal(late.status, 'settled-late');
        assert.deepEqual(await committed(s), { spent: 470, reserved: 0 });
        assert.deepEqual(await committed(s, month), { spent: 470, reserved: 0 });
        const rec = await s.getReservation(r3.id);
        assert.equal(rec?.state, 'settled');
        assert.equal(rec?.actualMicros, 150);
      }));

    it('counts a reservation once when replicas settle and release it at the same time', () =>
      withStore(async (s, db) => {
        const other = await db.open();
        try {
          const a = input(300);
          await s.reserve(a);
          const [x, y] = await Promise.all([s.settle(a.id, 250, T0, THRESHOLDS, 30_000), other.settle(a.id, 250, T0, THRESHOLDS, 30_000)]);
          assert.deepEqual([x.status, y.status].sort(), ['already-settled', 'settled']);
          const b = input(200);
          await s.reserve(b);
          const [rel, set] = await Promise.all([other.release(b.id, T0), s.settle(b.id, 120, T0, THRESHOLDS, 30_000)]);
          // Either order is fine; what matters is that the hold is given back exactly once.
          assert.ok(rel ? set.status === 'settled-late' : set.status === 'settled');
          assert.deepEqual(await committed(s), { spent: 370, reserved: 0 });
          assert.deepEqual(await committed(other, month), { spent: 370, reserved: 0 });
        } finally {
          await other.close();
        }
      }));

    it('records each threshold once per budget period, including when a step jumps several', () =>
      withStore(async (s) => {
        const a = await s.reserve(input(490));
        assert.ok(a.ok && a.alerts.length === 0);
        const bIn = input(320);
        const b = await s.reserve(bIn); // 49 % → 81 %: crosses 50 and 80 on the day line
        assert.ok(b.ok);
        if (b.ok) assert.deepEqual(b.alerts.map((x) => [x.period, x.thresholdPercent]).sort(), [['day:2026-11-22', 50], ['day:2026-11-22', 80]]);
        const id = b.ok ? b.alerts[0]!.idempotencyKey : '';
        assert.match(id, /^esq-budget-[0-9a-f]{32}$/);
        // Back under both lines and over them again: nothing new is recorded.
        assert.equal(await s.release(bIn.id, T0), true);
        const again = await s.reserve(input(320));
        assert.ok(again.ok && again.alerts.length === 0);
        const listed = await s.listAlerts(day.key, day.period);
        assert.deepEqual(listed.map((x) => x.thresholdPercent), [50, 80]);
        assert.equal(listed[0]!.committedMicros, 810);
        assert.equal(listed[0]!.deliveredAtMs, null);
        // Settling above the hold can cross a threshold too: 910 held → 970 spent+held crosses 95 %.
        const r = input(100);
        await s.reserve(r);
        const st = await s.settle(r.id, 160, T0, THRESHOLDS, 30_000);
        assert.deepEqual(st.alerts.map((x) => [x.period, x.thresholdPercent]), [['day:2026-11-22', 95]]);
      }));

    it('hands undelivered alerts out again only after their lease lapses, one claimer at a time', () =>
      withStore(async (s, db) => {
        await s.reserve(input(900));
        const other = await db.open();
        try {
          assert.deepEqual(await other.claimAlerts(T0 + 29_999, 30_000, 10), [], 'the recorder still owns delivery');
          const claimed = await other.claimAlerts(T0 + 30_000, 30_000, 10);
          assert.deepEqual(claimed.map((c) => c.thresholdPercent).sort(), [50, 80]);
          assert.ok(claimed.every((c) => c.attempts === 2));
          assert.deepEqual(await s.claimAlerts(T0 + 30_001, 30_000, 10), [], 'leased to the other replica now');
          await other.markAlertDelivered(claimed[0]!.idempotencyKey, T0 + 30_002);
          const next = await s.claimAlerts(T0 + 60_000, 30_000, 10);
          assert.deepEqual(next.map((c) => c.idempotencyKey), [claimed[1]!.idempotencyKey], 'delivered alerts are never handed out again');
        } finally {
          await other.close();
        }
      }));

    it('three replicas racing across the 80 % line record one alert, and every delivery carries its one key', async () => {
      const db = await harness.fresh();
      const replicas = await Promise.all([db.open(), db.open(), db.open()]);
      let clock = T0;
      const deliveries: Array<{ replica: number; alert: AlertRecord }> = [];
      let failFirst = true;
      const sinks: AlertSink[] = replicas.map((_, i) => ({
        async deliver(alert) {
          deliveries.push({ replica: i, alert });
          // The first delivery fails (a webhook timeout, or a replica dying mid-delivery).
          if (alert.thresholdPercent === 80 && failFirst) {
            failFirst = false;
            throw new Error('receiver timed out');
          }
        },
      }));
      const dispatchers = replicas.map((r, i) => new AlertDispatcher(r, sinks[i], () => new Date(clock), 30_000));
      try {
        const line: LedgerLine = { key: 'tenant=race', period: 'day:2026-11-22', limitMicros: 10_000 };
        // Below the line: 7,900 of 10,000 held by a reservation that stays.
        const below = await replicas[0]!.reserve(input(7_900, [line], { tenant: 'race' }));
        assert.ok(below.ok);
        dispatchers[0]!.dispatch(below.alerts); // the 50 % alert, delivered at once
        // Each replica repeatedly takes 200 (crossing 80 %) and gives it back, all at once.
        const recorded: AlertRecord[] = [];
        await Promise.all(
          replicas.map(async (store, i) => {
            for (let k = 0; k < 15; k++) {
              const r = input(200, [line], { tenant: 'race' });
              const out = await store.reserve(r);
              if (out.ok) {
                recorded.push(...out.alerts);
                dispatchers[i]!.dispatch(out.alerts);
                await store.release(r.id, clock);
              }
            }
          }),
        );
        await Promise.all(dispatchers.map((d) => d.flush()));
        const eighty = (await replicas[1]!.listAlerts(line.key, line.period)).filter((a) => a.thresholdPercent === 80);
        assert.equal(eighty.length, 1, 'exactly one 80 % alert recorded');
        assert.equal(recorded.filter((a) => a.thresholdPercent === 80).length, 1, 'exactly one replica was told it recorded it');
        assert.equal(eighty[0]!.deliveredAtMs, null, 'its first delivery failed');
        // After the lease, any replica may redeliver; only one claims it.
        clock += 30_000;
        const redelivered = await Promise.all(dispatchers.map((d) => d.redeliver()));
        assert.equal(redelivered.reduce((a, b) => a + b, 0), 1);
        const of80 = deliveries.filter((d) => d.alert.thresholdPercent === 80);
        assert.equal(of80.length, 2, 'delivered at least once: the failed attempt and the redelivery');
        assert.equal(new Set(of80.map((d) => d.alert.idempotencyKey)).size, 1, 'every delivery carries the same idempotency key');
        assert.notEqual((await replicas[2]!.listAlerts(line.key, line.period)).find((a) => a.thresholdPercent === 80)!.deliveredAtMs, null);
      } finally {
        await Promise.all(replicas.map((r) => r.close()));
      }
    });
  });
}

export interface WorkerTally {
  accepted: number;
  refused: number;
  settled: number;
  released: number;
  settledMicros: number;
  errors: string[];
}

/**
 * Runs `processes` reserve-worker processes against one budget (tenant "acme", `daily` in dollars) while
 * `sample()` reads spent + reserved as other connections see it, then checks the ledger: never over the
 * limit, every hold gone, spent equal to the sum of settled costs on the day and the month line.
 */
export async function raceProcesses(opts: {
  storeArgs: string[];
  store: BudgetStore;
  processes: number;
  perProcess: number;
  dailyMicros: number;
  at: string;
  sample: () => Promise<number | undefined>;
}): Promise<{ tallies: WorkerTally[]; samples: number; maxCommitted: number; summary: string }> {
  const here = fileURLToPath(import.meta.url);
  const worker = join(here, '..', `reserve-worker${here.endsWith('.ts') ? '.ts' : '.js'}`);
  const run = promisify(execFile);
  const daily = String(opts.dailyMicros / 1e6);
  // execArgv carries the TypeScript loader when the tests run from source; test-runner flags stay behind.
  const loader = process.execArgv.filter((a) => !a.startsWith('--test'));
  const children = Array.from({ length: opts.processes }, (_, i) =>
    run(process.execPath, [...loader, worker, ...opts.storeArgs, `p${i}`, String(opts.perProcess), '25', String((i + 1) * 7919), daily, '100000', opts.at]),
  );
  let done = false;
  const all = Promise.all(children).finally(() => (done = true));
  let samples = 0;
  let maxCommitted = 0;
  while (!done) {
    const c = await opts.sample();
    if (c !== undefined) {
      samples++;
      maxCommitted = Math.max(maxCommitted, c);
    }
    await new Promise((r) => setImmediate(r));
  }
  const tallies = (await all).map((o) => JSON.parse(o.stdout) as WorkerTally);
  const sum = (k: keyof Omit<WorkerTally, 'errors'>) => tallies.reduce((a, t) => a + t[k], 0);

  assert.deepEqual(tallies.flatMap((t) => t.errors), [], 'no errors (a constraint violation would be one)');
  assert.equal(sum('accepted') + sum('refused'), opts.processes * opts.perProcess);
  assert.ok(sum('accepted') > 0 && sum('refused') > 0, `the budget was contended: ${sum('accepted')} accepted, ${sum('refused')} refused`);
  assert.ok(samples > 0);
  assert.ok(maxCommitted <= opts.dailyMicros, `sampled spent + reserved ${maxCommitted} ≤ ${opts.dailyMicros}`);
  const day = opts.at.slice(0, 10);
  const lines = [
    { key: 'tenant=acme', period: `day:${day}`, limitMicros: opts.dailyMicros },
    { key: 'tenant=acme', period: `month:${day.slice(0, 7)}`, limitMicros: 100_000 * 1e6 },
  ];
  for (const l of await opts.store.usage(lines)) {
    assert.equal(l.spentMicros, sum('settledMicros'), `${l.period}: the ledger equals the sum of settled costs exactly`);
    assert.equal(l.reservedMicros, 0, `${l.period}: no hold left behind`);
  }
  const summary =
    `accepted ${sum('accepted')}, refused ${sum('refused')}, settled ${sum('settled')} (${sum('settledMicros')} µ$), released ${sum('released')}; ` +
    `${samples} samples, max spent+reserved ${maxCommitted} of ${opts.dailyMicros}`;
  return { tallies, samples, maxCommitted, summary };
}
