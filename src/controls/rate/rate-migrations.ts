/** The rate-limit bucket table, in its own migrations table (`esq_rate_migrations`). */
import type { Migration } from '../cost/sql-runner.js';

const table = (int: string, strict: string) => `
  CREATE TABLE rate_buckets (
    bucket_key TEXT PRIMARY KEY,
    tat_us ${int} NOT NULL
  )${strict};
  CREATE INDEX rate_buckets_tat ON rate_buckets (tat_us);
`;

export const RATE_MIGRATIONS_TABLE = 'esq_rate_migrations';
export const RATE_MIGRATIONS: readonly Migration[] = [{ version: 1, name: 'rate-buckets', sqlite: table('INTEGER', ' STRICT'), postgres: table('BIGINT', '') }];
