/**
 * Buckets in SQLite (embedded) or PostgreSQL (shared): one row per key holding its `tat`.
 * PostgreSQL answers in one statement (an upsert whose WHERE is the GCRA test, plus the current row
 * when it refused); SQLite runs the same two steps in one write transaction.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { connectPostgres, type PostgresConnectOptions } from '../cost/postgres-budget-store.js';
import { openSqlite } from '../cost/sqlite-budget-store.js';
import { PostgresRunner, SqliteRunner, int, stmt, type SqlRunner } from '../cost/sql-runner.js';
import { RATE_MIGRATIONS, RATE_MIGRATIONS_TABLE } from './rate-migrations.js';
import type { RateStore } from './rate-store.js';

const PRUNE_EVERY = 1000;

abstract class SqlRateStore implements RateStore {
  abstract readonly kind: 'sqlite' | 'postgres';
  abstract readonly scope: 'machine' | 'cluster';
  private takes = 0;
  constructor(protected readonly runner: SqlRunner) {}

  migrate(): Promise<string[]> {
    return this.runner.migrate(RATE_MIGRATIONS_TABLE, RATE_MIGRATIONS);
  }

  protected abstract takeOnce(key: string, nowUs: number, incUs: number, tolUs: number): Promise<{ allowed: boolean; tatUs: number }>;

  async take(key: string, nowUs: number, incUs: number, tolUs: number): Promise<{ allowed: boolean; tatUs: number }> {
    // Rows whose bucket has refilled mean the same as no row; drop them now and then, off no one's correctness.
    if (++this.takes % PRUNE_EVERY === 0) await this.prune(nowUs);
    return this.takeOnce(key, nowUs, incUs, tolUs);
  }

  async refund(key: string, incUs: number, nowUs: number): Promise<void> {
    const greatest = this.kind === 'postgres' ? 'GREATEST' : 'max';
    await this.runner.query(stmt(`UPDATE rate_buckets SET tat_us = ${greatest}(tat_us - CAST(? AS BIGINT), CAST(? AS BIGINT)) WHERE bucket_key = ?`, incUs, nowUs, key));
  }

  /** Deletes buckets that are full again (tat in the past). */
  async prune(nowUs: number): Promise<void> {
    await this.runner.query(stmt('DELETE FROM rate_buckets WHERE tat_us < ?', nowUs));
  }

  close(): Promise<void> {
    return this.runner.close();
  }
}

export class SqliteRateStore extends SqlRateStore {
  readonly kind = 'sqlite' as const;
  readonly scope = 'machine' as const;
  /** Its own file opens with `normal` durability: a bucket losing its last commits to a power cut is harmless. */
  constructor(opts: { db: Database.Database } | { path: string; busyTimeoutMs?: number }) {
    super('db' in opts ? new SqliteRunner(opts.db) : new SqliteRunner(openSqlite(opts.path, opts.busyTimeoutMs, 'normal'), true));
  }

  protected takeOnce(key: string, nowUs: number, incUs: number, tolUs: number): Promise<{ allowed: boolean; tatUs: number }> {
    return this.runner.tx(function* () {
      const rows = yield stmt(
        `INSERT INTO rate_buckets (bucket_key, tat_us) VALUES (?, ?)
         ON CONFLICT (bucket_key) DO UPDATE SET tat_us = max(tat_us, ?) + ?
         WHERE max(tat_us, ?) + ? - ? <= ?
         RETURNING tat_us`,
        key, nowUs + incUs, nowUs, incUs, nowUs, incUs, tolUs, nowUs,
      );
      if (rows[0]) return { allowed: true, tatUs: int(rows[0].tat_us) };
      const cur = yield stmt('SELECT tat_us FROM rate_buckets WHERE bucket_key = ?', key);
      return { allowed: false, tatUs: cur[0] ? int(cur[0].tat_us) : nowUs };
    });
  }
}

export class PostgresRateStore extends SqlRateStore {
  readonly kind = 'postgres' as const;
  readonly scope = 'cluster' as const;
  constructor(opts: { pool: pg.Pool; schema?: string } | PostgresConnectOptions) {
    super('pool' in opts ? new PostgresRunner(opts.pool, false, opts.schema) : new PostgresRunner(connectPostgres(opts), true, opts.schema));
  }

  protected async takeOnce(key: string, nowUs: number, incUs: number, tolUs: number): Promise<{ allowed: boolean; tatUs: number }> {
    // The outer SELECT sees the row as it was before the CTE: on refusal, that is the current tat.
    const rows = await this.runner.query(stmt(
      `WITH up AS (
         INSERT INTO rate_buckets AS b (bucket_key, tat_us) VALUES (CAST(? AS TEXT), CAST(? AS BIGINT))
         ON CONFLICT (bucket_key) DO UPDATE SET tat_us = GREATEST(b.tat_us, CAST(? AS BIGINT)) + CAST(? AS BIGINT)
         WHERE GREATEST(b.tat_us, CAST(? AS BIGINT)) + CAST(? AS BIGINT) - CAST(? AS BIGINT) <= CAST(? AS BIGINT)
         RETURNING tat_us
       )
       SELECT tat_us, 1 AS allowed FROM up
       UNION ALL
       SELECT tat_us, 0 AS allowed FROM rate_buckets WHERE bucket_key = CAST(? AS TEXT) AND NOT EXISTS (SELECT 1 FROM up)`,
      key, nowUs + incUs, nowUs, incUs, nowUs, incUs, tolUs, nowUs, key,
    ));
    const r = rows[0];
    return r ? { allowed: int(r.allowed) === 1, tatUs: int(r.tat_us) } : { allowed: false, tatUs: nowUs };
  }
}
