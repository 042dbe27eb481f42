/**
 * Embedded budgets: the ledger in a SQLite file (WAL, busy timeout), shared safely by the processes
 * on one machine. Pass the service's better-sqlite3 Database to share its file and connection, or a path.
 */
import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { SqlBudgetStore } from './sql-budget-store.js';
import { SqliteRunner } from './sql-runner.js';

export type SqliteBudgetStoreOptions =
  | { db: Database.Database }
  | { path: string; busyTimeoutMs?: number };

/**
 * `full`: every commit fsyncs (a settled cost survives a power cut); `normal`: WAL fsyncs at
 * checkpoints only (survives a process crash, may lose the last commits on power loss).
 */
export type SqliteDurability = 'full' | 'normal';

/** Opens a SQLite database with the settings concurrent writers need. */
export function openSqlite(path: string, busyTimeoutMs = 5000, durability: SqliteDurability = 'full'): Database.Database {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'a', 0o600)); // 0600 before SQLite creates it with the umask
  }
  const db = new Database(path);
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  return db;
}

/** Its own file opens with `full` durability: a settled cost must survive a crash once settle() resolved. */
export class SqliteBudgetStore extends SqlBudgetStore {
  constructor(opts: SqliteBudgetStoreOptions) {
    super('db' in opts ? new SqliteRunner(opts.db) : new SqliteRunner(openSqlite(opts.path, opts.busyTimeoutMs), true));
  }
}
