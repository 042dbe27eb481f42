/**
 * The shared store: PostgreSQL through a pg Pool (`ESQ_DATABASE_URL`). Replicas share nothing in memory;
 * the audit chain head is a row locked FOR UPDATE, so appenders in any number of processes take turns.
 */
import pg from 'pg';
import { extendChain, prepareAuditInputs, type AuditRecord, type AuditRecordInput, type ChainHead } from '../../audit/chain/record.js';
import type { Checkpoint } from '../../audit/chain/checkpoint.js';
import type { Incident } from '../../engine/types.js';
import { ConfigError } from '../../errors.js';
import { logger } from '../../util/log.js';
import { MIGRATIONS_TABLE, migrationName, pendingMigrations } from '../migrations.js';
import type { ApiKeyRecord, ApprovalQuery, AuditReadQuery, ConsumeOutcome, IncidentQuery, NewApiKey, Page, Store, VoteOutcome } from '../port.js';
import { applyVote, checkConsume, type Approval, type Vote } from '../../controls/approvals/approval.js';
import { approvalFromRows, approvalListSql, approvalPage, approvalRow, type ApprovalRow, type VoteRow } from '../approval-rows.js';
import {
  AUDIT_COLUMNS, CHECKPOINT_COLUMNS, apiKeyFromRow, apiKeyRow, auditFromRow, auditValues, checkAuditRead, checkpointFromRow,
  checkpointValues, duplicateApiKey, duplicateIncident, incidentFromRow, incidentListSql, incidentPage, incidentRow, isoTime,
  type ApiKeyRow, type AuditRow, type CheckpointRow,
} from '../rows.js';
import type { ConsoleSession, ConsoleUser, NewConsoleUser } from '../port.js';
import {
  consoleSessionFromRow, consoleSessionRow, consoleUserFromRow, consoleUserRow, duplicateUser, type ConsoleSessionRow, type ConsoleUserRow,
} from '../console-rows.js';

export interface PostgresStoreOptions {
  /** postgres://user@host:port/db */
  url: string;
  /** Schema for ESQ's tables (created by migrate). Default: the connection's own search_path. */
  schema?: string;
  /** Pool size. Default 10. */
  max?: number;
  /** Called with the number of audit records in each commit. */
  onAuditCommit?: (records: number) => void;
  /** Extra pg Pool settings (timeouts, TLS). */
  pool?: Omit<pg.PoolConfig, 'connectionString'>;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
// First half of the advisory lock key for migrations; the second half is the schema's hash.
const MIGRATE_LOCK = 0x45_53_51_4d; // "ESQM"
const UNIQUE_VIOLATION = '23505';

function urlHasOptions(url: string): boolean {
  try {
    return new URL(url).searchParams.has('options');
  } catch {
    return false;
  }
}

export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly schema: string | undefined;
  private readonly pool: pg.Pool;
  private readonly onAuditCommit: ((records: number) => void) | undefined;

  constructor(opts: PostgresStoreOptions) {
    if (!/^postgres(ql)?:\/\//.test(opts.url)) throw new ConfigError('ESQ_DATABASE_URL must start with postgres:// or postgresql://');
    if (opts.schema !== undefined && !SCHEMA_PATTERN.test(opts.schema)) {
      throw new ConfigError(`schema "${opts.schema}" must be lowercase letters, digits and underscores (at most 63)`);
    }
    this.schema = opts.schema;
    this.onAuditCommit = opts.onAuditCommit;
    // search_path as a startup option: set before the connection is usable, so no query on any pooled
    // connection can ever run against another schema.
    const options = this.schema ? { options: `-c search_path=${this.schema}` } : {};
    if (this.schema && urlHasOptions(opts.url)) {
      throw new ConfigError('ESQ_DATABASE_URL sets "options" and a schema was also given; put search_path in one place');
    }
    this.pool = new pg.Pool({ max: opts.max ?? 10, ...opts.pool, ...options, connectionString: opts.url });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    this.pool.on('error', (e) => logger().warn({ err: e.message }, 'PostgreSQL idle connection lost'));
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      // A connection that cannot even roll back is discarded rather than returned to the pool.
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw e;
    } finally {
      client.release(broken);
    }
  }

  async migrate(): Promise<{ applied: string[] }> {
    return this.tx(async (c) => {
      // Transaction-scoped advisory lock: concurrent migrators of the same schema wait here, then see
      // the versions the first one recorded. Different schemas (parallel test runs) do not contend.
      await c.query('SELECT pg_advisory_xact_lock($1, hashtext(coalesce($2::text, current_schema(), \'\')))', [MIGRATE_LOCK, this.schema ?? null]);
      if (this.schema) await c.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await c.query(MIGRATIONS_TABLE.postgres);
      const done = (await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version);
      const applied: string[] = [];
      for (const m of pendingMigrations(done)) {
        await c.query(m.postgres);
        await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, new Date().toISOString()]);
        applied.push(migrationName(m));
      }
      return { applied };
    });
  }

  async putIncident(incident: Incident): Promise<void> {
    await this.insertIncident(this.pool, incident);
  }

  private async insertIncident(q: pg.Pool | pg.PoolClient, incident: Incident): Promise<void> {
    const r = incidentRow(incident);
    const res = await q.query(
      'INSERT INTO incidents (id, time_ms, rule_id, tenant, body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING',
      [r.id, r.time_ms, r.rule_id, r.tenant, r.body],
    );
    if (res.rowCount === 0) {
      const existing = await q.query<{ body: string }>('SELECT body FROM incidents WHERE id = $1', [r.id]);
      if (existing.rows[0]?.body !== r.body) throw duplicateIncident(r.id);
    }
  }

  /** A batch's incidents in one statement (one round trip inside the audit transaction, not one each). */
  private async insertIncidents(q: pg.PoolClient, incidents: readonly Incident[]): Promise<void> {
    if (incidents.length === 0) return;
    if (incidents.length === 1) return this.insertIncident(q, incidents[0]!);
    const rows = incidents.map(incidentRow);
    const res = await q.query<{ id: string }>(
      `INSERT INTO incidents (id, time_ms, rule_id, tenant, body)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[])
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [rows.map((r) => r.id), rows.map((r) => r.time_ms), rows.map((r) => r.rule_id), rows.map((r) => r.tenant), rows.map((r) => r.body)],
    );
    if (res.rowCount === rows.length) return;
    // Some ids existed already: fine only when the stored body is the same incident (an idempotent retry).
    const inserted = new Set(res.rows.map((r) => r.id));
    const skipped = rows.filter((r) => !inserted.has(r.id));
    const existing = await q.query<{ id: string; body: string }>('SELECT id, body FROM incidents WHERE id = ANY($1::text[])', [skipped.map((r) => r.id)]);
    const bodies = new Map(existing.rows.map((r) => [r.id, r.body]));
    for (const r of skipped) if (bodies.get(r.id) !== r.body) throw duplicateIncident(r.id);
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    const res = await this.pool.query<{ body: string }>('SELECT body FROM incidents WHERE id = $1', [id]);
    return res.rows[0] && incidentFromRow(res.rows[0]);
  }

  async listIncidents(query: IncidentQuery): Promise<Page<Incident>> {
    const { sql, params, limit } = incidentListSql(query, (n) => `$${n}`);
    const res = await this.pool.query<{ id: string; time_ms: string; body: string }>(sql, params);
    return incidentPage(res.rows, limit);
  }

  async putApiKey(key: NewApiKey): Promise<void> {
    const r = apiKeyRow(key);
    try {
      await this.pool.query(
        'INSERT INTO api_keys (id, hash, roles, tenant, label, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [r.id, r.hash, r.roles, r.tenant, r.label, r.created_at, r.revoked_at],
      );
    } catch (e) {
      if ((e as { code?: string }).code === UNIQUE_VIOLATION) throw duplicateApiKey(r.id);
      throw e;
    }
  }

  async findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const res = await this.pool.query<ApiKeyRow>('SELECT * FROM api_keys WHERE hash = $1 AND revoked_at IS NULL', [hash]);
    return res.rows[0] && apiKeyFromRow(res.rows[0]);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return (await this.pool.query<ApiKeyRow>('SELECT * FROM api_keys ORDER BY created_at, id')).rows.map(apiKeyFromRow);
  }

  async revokeApiKey(id: string, at: string | Date): Promise<boolean> {
    const res = await this.pool.query('UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [isoTime(at, 'revokedAt'), id]);
    return (res.rowCount ?? 0) > 0;
  }

  async appendAudit(records: readonly AuditRecordInput[], incidents: readonly Incident[] = []): Promise<AuditRecord[]> {
    const prepared = prepareAuditInputs(records, new Date());
    if (prepared.length === 0) {
      for (const i of incidents) await this.insertIncident(this.pool, i);
      return [];
    }
    // synchronous_commit=on for this transaction whatever the server default: COMMIT returns only once
    // the WAL is flushed, so a resolved appendAudit survives a crash.
    const linked = await this.tx(async (c) => {
      await this.insertIncidents(c, incidents);
      // The head row lock serializes appenders across every process; waiting ones re-read the new head.
      const head = await c.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE');
      const row = head.rows[0];
      if (!row) throw new Error('audit_head row is missing: the audit tables were altered outside ESQ');
      const linked = extendChain({ seq: Number(row.seq), hash: row.hash }, prepared);
      const columns = linked.map((r, i) => auditValues(r, prepared[i]!.dataJson));
      const col = (i: number) => columns.map((v) => v[i]);
      const last = linked[linked.length - 1]!;
      // One statement per batch whatever its size: columns as arrays, unnested into rows.
      await c.query(
        `WITH inserted AS (
           INSERT INTO audit_log (${AUDIT_COLUMNS})
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
         )
         UPDATE audit_head SET seq = $12, hash = $13 WHERE id = 1`,
        [col(0), col(1), col(2), col(3), col(4), col(5), col(6), col(7), col(8), col(9), col(10), last.seq, last.hash],
      );
      return linked;
    }, 'BEGIN; SET LOCAL synchronous_commit = on');
    this.onAuditCommit?.(linked.length);
    return linked;
  }

  async readAudit(query: AuditReadQuery): Promise<AuditRecord[]> {
    const { fromSeq, limit } = checkAuditRead(query);
    const res = await this.pool.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2`, [fromSeq, limit]);
    return res.rows.map(auditFromRow);
  }

  async auditHead(): Promise<ChainHead> {
    const res = await this.pool.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1');
    const row = res.rows[0];
    if (!row) throw new Error('audit_head row is missing: the audit tables were altered outside ESQ');
    return { seq: Number(row.seq), hash: row.hash };
  }

  async putCheckpoint(cp: Checkpoint): Promise<void> {
    await this.pool.query(`INSERT INTO audit_checkpoints (${CHECKPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (seq) DO NOTHING`, checkpointValues(cp));
  }

  async latestCheckpoint(): Promise<Checkpoint | undefined> {
    const res = await this.pool.query<CheckpointRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY seq DESC LIMIT 1`);
    return res.rows[0] && checkpointFromRow(res.rows[0]);
  }

  async listCheckpoints(): Promise<Checkpoint[]> {
    return (await this.pool.query<CheckpointRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY seq`)).rows.map(checkpointFromRow);
  }

  private closed = false;
  // ---- approvals ----

  private async loadApproval(q: pg.Pool | pg.PoolClient, id: string, now: Date, lock = false): Promise<Approval | undefined> {
    const res = await q.query<ApprovalRow>(`SELECT id, tenant, status, created_ms, expires_ms, body FROM approvals WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    const row = res.rows[0];
    if (!row) return undefined;
    const votes = await q.query<VoteRow>('SELECT approver, decision, reason, at FROM approval_votes WHERE approval_id = $1 ORDER BY at, approver', [id]);
    return approvalFromRows(row, votes.rows, now);
  }

  async createApproval(a: Approval): Promise<void> {
    const r = approvalRow(a);
    await this.pool.query('INSERT INTO approvals (id, tenant, status, created_ms, expires_ms, body) VALUES ($1, $2, $3, $4, $5, $6)', [r.id, r.tenant, r.status, r.created_ms, r.expires_ms, r.body]);
  }

  async getApproval(id: string, now: Date): Promise<Approval | undefined> {
    return this.loadApproval(this.pool, id, now);
  }

  async listApprovals(q: ApprovalQuery, now: Date): Promise<Page<Approval>> {
    const { sql, params, limit } = approvalListSql(q, now.getTime(), (i) => `$${i}`);
    const rows = await this.pool.query<ApprovalRow>(sql, params);
    const items: Approval[] = [];
    for (const r of rows.rows) items.push((await this.loadApproval(this.pool, r.id, now))!);
    return approvalPage(items, limit);
  }

  async voteApproval(id: string, vote: Vote, now: Date): Promise<VoteOutcome> {
    // SELECT … FOR UPDATE serializes votes on one request across every replica.
    return this.tx(async (c): Promise<VoteOutcome> => {
      const a = await this.loadApproval(c, id, now, true);
      if (!a) return { ok: false, reason: 'not-found', message: `no approval ${id}` };
      const r = applyVote(a, vote, now);
      if (!r.ok) return r;
      await c.query('INSERT INTO approval_votes (approval_id, approver, decision, reason, at) VALUES ($1, $2, $3, $4, $5)', [id, vote.approver, vote.decision, vote.reason, vote.at]);
      await c.query('UPDATE approvals SET status = $1, body = $2 WHERE id = $3', [r.approval.status, approvalRow(r.approval).body, id]);
      return r;
    });
  }

  async consumeApproval(id: string, hash: string, now: Date): Promise<ConsumeOutcome> {
    return this.tx(async (c): Promise<ConsumeOutcome> => {
      const a = await this.loadApproval(c, id, now, true);
      const check = checkConsume(a, hash, now);
      if (!check.ok) return check;
      const used: Approval = { ...a!, consumedAt: now.toISOString() };
      await c.query('UPDATE approvals SET body = $1 WHERE id = $2', [approvalRow(used).body, id]);
      return { ok: true, approval: used };
    });
  }

  async countPendingApprovals(now: Date): Promise<number> {
    const r = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM approvals WHERE status = 'pending' AND expires_ms > $1`, [now.getTime()]);
    return Number(r.rows[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  // ── console users and sessions (migration 3) ───────────────────────────────

  async putConsoleUser(user: NewConsoleUser): Promise<void> {
    const r = consoleUserRow(user);
    try {
      await this.pool.query('INSERT INTO console_users (name, password_hash, roles, tenant, created_at) VALUES ($1, $2, $3, $4, $5)', [r.name, r.password_hash, r.roles, r.tenant, r.created_at]);
    } catch (e) {
      if ((e as { code?: string }).code === UNIQUE_VIOLATION) throw duplicateUser(r.name);
      throw e;
    }
  }

  async getConsoleUser(name: string): Promise<ConsoleUser | undefined> {
    const res = await this.pool.query<ConsoleUserRow>('SELECT * FROM console_users WHERE name = $1', [name]);
    return res.rows[0] && consoleUserFromRow(res.rows[0]);
  }

  async listConsoleUsers(): Promise<ConsoleUser[]> {
    return (await this.pool.query<ConsoleUserRow>('SELECT * FROM console_users ORDER BY created_at, name')).rows.map(consoleUserFromRow);
  }

  async setConsoleUserPassword(name: string, passwordHash: string): Promise<boolean> {
    return this.tx(async (c) => {
      const res = await c.query('UPDATE console_users SET password_hash = $1 WHERE name = $2', [passwordHash, name]);
      if ((res.rowCount ?? 0) === 0) return false;
      await c.query('DELETE FROM console_sessions WHERE subject = $1', [`user:${name}`]);
      return true;
    });
  }

  async deleteConsoleUser(name: string): Promise<boolean> {
    return this.tx(async (c) => {
      const res = await c.query('DELETE FROM console_users WHERE name = $1', [name]);
      await c.query('DELETE FROM console_sessions WHERE subject = $1', [`user:${name}`]);
      return (res.rowCount ?? 0) > 0;
    });
  }

  async createConsoleSession(session: ConsoleSession): Promise<void> {
    const r = consoleSessionRow(session);
    await this.pool.query('INSERT INTO console_sessions (id_hash, subject, created_at, expires_ms) VALUES ($1, $2, $3, $4)', [r.id_hash, r.subject, r.created_at, r.expires_ms]);
  }

  async getConsoleSession(idHash: string, now: Date): Promise<ConsoleSession | undefined> {
    const res = await this.pool.query<ConsoleSessionRow>('SELECT * FROM console_sessions WHERE id_hash = $1 AND expires_ms > $2', [idHash, now.getTime()]);
    return res.rows[0] && consoleSessionFromRow(res.rows[0]);
  }

  async deleteConsoleSession(idHash: string): Promise<void> {
    await this.pool.query('DELETE FROM console_sessions WHERE id_hash = $1', [idHash]);
  }

  async deleteExpiredConsoleSessions(now: Date): Promise<number> {
    return (await this.pool.query('DELETE FROM console_sessions WHERE expires_ms <= $1', [now.getTime()])).rowCount ?? 0;
  }
}
