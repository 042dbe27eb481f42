/**
 * Versioned schema, applied in order and recorded in `schema_migrations`. Never edit a released
 * migration: add the next version. Each dialect gets its own text (types differ: SQLite STRICT tables).
 *
 * Times are ISO 8601 text, kept exactly as hashed. Audit `data` is the canonical JSON text, not jsonb:
 * the chain hashes those exact bytes, and jsonb would reorder keys and reject \u0000.
 * Incidents are ordered by `time_ms` (epoch milliseconds) so offsets in time strings cannot misorder them.
 */
import { GENESIS_HASH } from '../audit/chain/record.js';

export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

const appendOnly = "audit_log is append-only";

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'incidents-api-keys-audit',
    sqlite: `
      CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        time_ms INTEGER NOT NULL,
        rule_id TEXT NOT NULL,
        tenant TEXT,
        body TEXT NOT NULL
      ) STRICT;
      CREATE INDEX incidents_by_time ON incidents (time_ms DESC, id DESC);
      CREATE INDEX incidents_by_rule ON incidents (rule_id, time_ms DESC, id DESC);
      CREATE INDEX incidents_by_tenant ON incidents (tenant, time_ms DESC, id DESC);

      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        roles TEXT NOT NULL,
        tenant TEXT,
        label TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      ) STRICT;

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        kind TEXT NOT NULL,
        tenant TEXT,
        principal TEXT,
        action TEXT,
        effect TEXT,
        rule_ids TEXT,
        data TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_by_tenant ON audit_log (tenant, seq);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, '${appendOnly}'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, '${appendOnly}'); END;

      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${GENESIS_HASH}');

      CREATE TABLE audit_checkpoints (
        seq INTEGER PRIMARY KEY,
        hash TEXT NOT NULL,
        time TEXT NOT NULL,
        signature TEXT NOT NULL,
        key_id TEXT NOT NULL
      ) STRICT;
    `,
    postgres: `
      CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        time_ms BIGINT NOT NULL,
        rule_id TEXT NOT NULL,
        tenant TEXT,
        body TEXT NOT NULL
      );
      CREATE INDEX incidents_by_time ON incidents (time_ms DESC, id DESC);
      CREATE INDEX incidents_by_rule ON incidents (rule_id, time_ms DESC, id DESC);
      CREATE INDEX incidents_by_tenant ON incidents (tenant, time_ms DESC, id DESC);

      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        roles TEXT NOT NULL,
        tenant TEXT,
        label TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );

      CREATE TABLE audit_log (
        seq BIGINT PRIMARY KEY,
        time TEXT NOT NULL,
        kind TEXT NOT NULL,
        tenant TEXT,
        principal TEXT,
        action TEXT,
        effect TEXT,
        rule_ids TEXT,
        data TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_log_by_tenant ON audit_log (tenant, seq);
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '${appendOnly}'; END $$;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq BIGINT NOT NULL,
        hash TEXT NOT NULL
      );
      INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${GENESIS_HASH}');

      CREATE TABLE audit_checkpoints (
        seq BIGINT PRIMARY KEY,
        hash TEXT NOT NULL,
        time TEXT NOT NULL,
        signature TEXT NOT NULL,
        key_id TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'approvals',
    // One row per request (body = the JSON Approval without votes), one row per vote; the
    // (approval_id, approver) key makes a duplicate vote impossible even if a check were skipped.
    sqlite: `
      CREATE TABLE approvals (
        id TEXT PRIMARY KEY,
        tenant TEXT,
        status TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL,
        body TEXT NOT NULL
      ) STRICT;
      CREATE INDEX approvals_by_status ON approvals (status, created_ms DESC, id DESC);
      CREATE TABLE approval_votes (
        approval_id TEXT NOT NULL REFERENCES approvals (id),
        approver TEXT NOT NULL,
        decision TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (approval_id, approver)
      ) STRICT;
    `,
    postgres: `
      CREATE TABLE approvals (
        id TEXT PRIMARY KEY,
        tenant TEXT,
        status TEXT NOT NULL,
        created_ms BIGINT NOT NULL,
        expires_ms BIGINT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX approvals_by_status ON approvals (status, created_ms DESC, id DESC);
      CREATE TABLE approval_votes (
        approval_id TEXT NOT NULL REFERENCES approvals (id),
        approver TEXT NOT NULL,
        decision TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (approval_id, approver)
      );
    `,
  },
  // ── console users and sessions (server/console/) ──────────────────────────
  {
    version: 3,
    name: 'console-users-sessions',
    // Sessions are keyed by a hash of their id, so a copy of the table cannot be replayed as cookies.
    sqlite: `
      CREATE TABLE console_users (
        name TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        roles TEXT NOT NULL,
        tenant TEXT,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE console_sessions (
        id_hash TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_ms INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX console_sessions_by_subject ON console_sessions (subject);
      CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_ms);
    `,
    postgres: `
      CREATE TABLE console_users (
        name TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        roles TEXT NOT NULL,
        tenant TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE console_sessions (
        id_hash TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_ms BIGINT NOT NULL
      );
      CREATE INDEX console_sessions_by_subject ON console_sessions (subject);
      CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_ms);
    `,
  },
];

/** How a migration is named in `applied` and in schema_migrations. */
export function migrationName(m: Migration): string {
  return `${String(m.version).padStart(4, '0')}_${m.name}`;
}

export function pendingMigrations(appliedVersions: Iterable<number>): Migration[] {
  const done = new Set(appliedVersions);
  return MIGRATIONS.filter((m) => !done.has(m.version));
}

export const MIGRATIONS_TABLE = {
  sqlite: 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT',
  postgres: 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
} as const;
