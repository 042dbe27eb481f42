/**
 * Shared budgets: the ledger in PostgreSQL (BIGINT micro-dollars), correct with any number of
 * replicas. Pass the service's pg Pool (its search_path decides the schema) or a URL and schema.
 */
import pg from 'pg';
import { ConfigError } from '../../errors.js';
import { logger } from '../../util/log.js';
import { SqlBudgetStore } from './sql-budget-store.js';
import { PostgresRunner, checkIdent } from './sql-runner.js';

export interface PostgresConnectOptions {
  /** postgres://user@host:port/db (ESQ_DATABASE_URL). */
  url: string;
  /** Schema for the tables, created by migrate(); set as a startup option on every pooled connection. */
  schema?: string;
  /** Pool size. Default 10. */
  max?: number;
  /** How long to wait for a connection before failing (then budgets fail closed). Default 2000 ms. */
  connectionTimeoutMillis?: number;
  /** Server-side limit per statement. Default 5000 ms. */
  statementTimeoutMillis?: number;
}

export type PostgresBudgetStoreOptions = { pool: pg.Pool; schema?: string } | PostgresConnectOptions;

/** A pool on `url` whose connections all use `schema`. Shared by the budget and rate-limit stores. */
export function connectPostgres(opts: PostgresConnectOptions): pg.Pool {
  if (!/^postgres(ql)?:\/\//.test(opts.url)) throw new ConfigError('ESQ_DATABASE_URL must start with postgres:// or postgresql://');
  const schema = opts.schema === undefined ? undefined : checkIdent(opts.schema, 'schema');
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: opts.connectionTimeoutMillis ?? 2000,
    statement_timeout: opts.statementTimeoutMillis ?? 5000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (e) => logger().warn({ err: e.message }, 'PostgreSQL idle connection lost (budgets/rate limits)'));
  return pool;
}

export class PostgresBudgetStore extends SqlBudgetStore {
  constructor(opts: PostgresBudgetStoreOptions) {
    super('pool' in opts ? new PostgresRunner(opts.pool, false, opts.schema) : new PostgresRunner(connectPostgres(opts), true, opts.schema));
  }
}
