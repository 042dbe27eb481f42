/**
 * Latency a budget adds to a call: one reserve + settle through the cost controller (tenant daily and
 * monthly budgets, so two ledger rows), beside a trivial `SELECT 1` on the same connection in the same
 * run. SQLite with synchronous=FULL (every commit fsyncs) and NORMAL; PostgreSQL with synchronous_commit=on.
 * Also one rate-limit consume per store. PostgreSQL and Redis parts are skipped when unreachable.
 *   node --import tsx -e "import('./bench/cost.bench.ts').then(m => m.run()).then(r => console.log(JSON.stringify(r, null, 2)))"
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { compileControls } from '../src/controls/config.js';
import { createCostController, type CostController } from '../src/controls/cost/controller.js';
import { connectPostgres, PostgresBudgetStore } from '../src/controls/cost/postgres-budget-store.js';
import { openSqlite, SqliteBudgetStore } from '../src/controls/cost/sqlite-budget-store.js';
import { createRateLimiter } from '../src/controls/rate/limiter.js';
import { MemoryRateStore } from '../src/controls/rate/memory-rate-store.js';
import type { RateStore } from '../src/controls/rate/rate-store.js';
import { RedisRateStore } from '../src/controls/rate/redis-rate-store.js';
import { PostgresRateStore, SqliteRateStore } from '../src/controls/rate/sql-rate-store.js';
import { summarize, type Summary } from './stats.js';

const controls = compileControls({
  cost: { budgets: [{ scope: 'tenant', daily: '1000000', monthly: '1000000' }] },
  rateLimits: { rules: [{ id: 'tenant', limit: 1_000_000_000, periodSeconds: 1 }] },
});

async function timeAsync(n: number, fn: (i: number) => Promise<unknown>, warmup = Math.min(n, 50)): Promise<Summary> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    out[i] = Number(process.hrtime.bigint() - t);
  }
  return summarize(out);
}

async function reserveSettle(cost: CostController, i: number): Promise<void> {
  const r = await cost.reserve(`tenant-${i % 8}`, undefined, 1_000);
  if (!r.ok) throw r.error;
  await cost.settle(r.reservation.id, 900);
}

function added(op: Summary, baseline: Summary) {
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { medianMicros: r(op.medianMicros - baseline.medianMicros), p99Micros: r(op.p99Micros - baseline.p99Micros) };
}

async function rateConsume(store: RateStore, n: number): Promise<Summary> {
  const limiter = createRateLimiter(controls.rateLimits, store);
  return timeAsync(n, (i) => limiter.consume({ tenant: `tenant-${i % 8}` }));
}

async function sqlite(samples: number) {
  const dir = mkdtempSync(join(tmpdir(), 'esq-bench-cost-'));
  const full = openSqlite(join(dir, 'full.db'), 5000, 'full');
  const normal = openSqlite(join(dir, 'normal.db'), 5000, 'normal');
  try {
    const measure = async (db: typeof full) => {
      const store = new SqliteBudgetStore({ db });
      await store.migrate();
      const cost = createCostController({ store, budgets: controls.budgets });
      const one = db.prepare('SELECT 1');
      const baseline = await timeAsync(samples, async () => one.get());
      const op = await timeAsync(samples, (i) => reserveSettle(cost, i));
      return { baselineSelect1: baseline, reserveSettle: op, added: added(op, baseline) };
    };
    const rate = new SqliteRateStore({ db: normal });
    await rate.migrate();
    return {
      samples,
      synchronousFull: await measure(full),
      synchronousNormal: await measure(normal),
      rateLimitConsume: await rateConsume(rate, samples),
      settings: 'WAL, one connection; FULL fsyncs every commit (the budget default), NORMAL at checkpoints (the rate-limit default)',
    };
  } finally {
    full.close();
    normal.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(samples: number) {
  const url = process.env.ESQ_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `esq_bench_${randomBytes(5).toString('hex')}`;
  let pool: pg.Pool | undefined;
  try {
    pool = connectPostgres({ url, schema, max: 1, connectionTimeoutMillis: 2000 });
    await pool.query('SELECT 1');
  } catch (e) {
    await pool?.end().catch(() => {});
    return { skipped: `PostgreSQL unreachable at ${url.replace(/:[^:@/]*@/, ':***@')}: ${(e as Error).message}` };
  }
  try {
    const store = new PostgresBudgetStore({ pool, schema });
    await store.migrate();
    const rate = new PostgresRateStore({ pool, schema });
    await rate.migrate();
    const cost = createCostController({ store, budgets: controls.budgets });
    const baseline = await timeAsync(samples, () => pool!.query('SELECT 1'));
    const op = await timeAsync(samples, (i) => reserveSettle(cost, i));
    const consume = await rateConsume(rate, samples);
    return { samples, baselineSelect1: baseline, reserveSettle: op, added: added(op, baseline), rateLimitConsume: consume, settings: 'one pooled connection, synchronous_commit=on' };
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await pool.end();
  }
}

async function redis(samples: number) {
  const url = process.env.ESQ_REDIS_URL || 'redis://127.0.0.1:6379';
  const prefix = `esq-bench:${randomBytes(5).toString('hex')}:`;
  const store = new RedisRateStore({ url, prefix });
  try {
    await store.client.ping();
  } catch (e) {
    await store.close();
    return { skipped: `Redis unreachable at ${url}: ${(e as Error).message}` };
  }
  try {
    const baseline = await timeAsync(samples, () => store.client.ping());
    const consume = await rateConsume(store, samples);
    return { samples, baselinePing: baseline, rateLimitConsume: consume, added: added(consume, baseline) };
  } finally {
    const keys = await store.client.keys(`${prefix}*`);
    if (keys.length) await store.client.del(...keys);
    await store.close();
  }
}

export async function run(opts: { samples?: number } = {}): Promise<object> {
  const samples = Math.min(opts.samples ?? 1000, 2000);
  return {
    name: 'cost',
    what: 'reserve + settle through the cost controller (2 budget lines) vs SELECT 1 on the same connection; µs',
    sqlite: await sqlite(samples),
    postgres: await postgres(Math.min(samples, 500)),
    redis: await redis(samples),
    memoryRateLimitConsume: await rateConsume(new MemoryRateStore(), samples),
  };
}
