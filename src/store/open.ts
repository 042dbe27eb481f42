/**
 * Picks the store from settings: PostgreSQL when a database URL is given (ESQ_DATABASE_URL),
 * else the embedded SQLite file under ESQ_HOME.
 */
import type { Store } from './port.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

export interface OpenStoreOptions {
  /** ESQ_HOME: the SQLite file is `<home>/esq.db` unless `sqlitePath` says otherwise. */
  home: string;
  /** ESQ_DATABASE_URL. Empty or absent: SQLite. */
  databaseUrl?: string;
  /** PostgreSQL schema for ESQ's tables (tests use one per run). */
  schema?: string;
  sqlitePath?: string;
  /** SQLite only: where audit appends run (see SqliteStoreOptions.auditWriter). */
  auditWriter?: 'inline' | 'worker';
  /** Called with the number of audit records in each commit (metrics). */
  onAuditCommit?: (records: number) => void;
  /** Apply pending migrations before returning. Default true. */
  migrate?: boolean;
}

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const url = opts.databaseUrl?.trim();
  const onAuditCommit = opts.onAuditCommit ? { onAuditCommit: opts.onAuditCommit } : {};
  const store: Store = url
    ? new PostgresStore({ url, ...(opts.schema ? { schema: opts.schema } : {}), ...onAuditCommit })
    : new SqliteStore({ home: opts.home, ...(opts.sqlitePath ? { path: opts.sqlitePath } : {}), ...(opts.auditWriter ? { auditWriter: opts.auditWriter } : {}), ...onAuditCommit });
  if (opts.migrate !== false) {
    try {
      await store.migrate();
    } catch (e) {
      await store.close();
      throw e;
    }
  }
  return store;
}
