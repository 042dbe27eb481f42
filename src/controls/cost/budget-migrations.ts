/**
 * The budget tables, recorded in their own `esq_budget_migrations` table so they never collide with
 * the service store's versions. Never edit a released migration: add the next version.
 * Money columns are 64-bit integers of micro-dollars; times are epoch milliseconds.
 */
import type { Migration } from './sql-runner.js';

const tables = (int: string, strict: string) => `
  CREATE TABLE budget_ledger (
    budget_key TEXT NOT NULL,
    period TEXT NOT NULL,
    limit_micros ${int} NOT NULL CHECK (limit_micros >= 0),
    spent_micros ${int} NOT NULL DEFAULT 0 CHECK (spent_micros >= 0),
    reserved_micros ${int} NOT NULL DEFAULT 0 CHECK (reserved_micros >= 0),
    updated_ms ${int} NOT NULL,
    PRIMARY KEY (budget_key, period)
  )${strict};

  CREATE TABLE budget_reservations (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    principal TEXT,
    amount_micros ${int} NOT NULL CHECK (amount_micros >= 0),
    actual_micros ${int},
    state TEXT NOT NULL CHECK (state IN ('open', 'settled', 'released', 'expired')),
    lines TEXT NOT NULL,
    created_ms ${int} NOT NULL,
    expires_ms ${int} NOT NULL,
    closed_ms ${int}
  )${strict};
  CREATE INDEX budget_reservations_open ON budget_reservations (tenant, expires_ms) WHERE state = 'open';
  CREATE INDEX budget_reservations_expiring ON budget_reservations (expires_ms) WHERE state = 'open';

  CREATE TABLE budget_alerts (
    budget_key TEXT NOT NULL,
    period TEXT NOT NULL,
    threshold INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    tenant TEXT NOT NULL,
    limit_micros ${int} NOT NULL,
    committed_micros ${int} NOT NULL,
    recorded_ms ${int} NOT NULL,
    lease_until_ms ${int} NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    delivered_ms ${int},
    PRIMARY KEY (budget_key, period, threshold)
  )${strict};
  CREATE INDEX budget_alerts_pending ON budget_alerts (lease_until_ms) WHERE delivered_ms IS NULL;
`;

export const BUDGET_MIGRATIONS_TABLE = 'esq_budget_migrations';

export const BUDGET_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'budget-ledger', sqlite: tables('INTEGER', ' STRICT'), postgres: tables('BIGINT', '') },
];
