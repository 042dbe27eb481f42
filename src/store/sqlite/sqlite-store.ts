/**
 * The embedded store: one SQLite file (default `<ESQ_HOME>/esq.db`) in WAL mode, shared safely by
 * several processes. better-sqlite3 is synchronous; methods are async only to match the port.
 */
import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { extendChain, prepareAuditInputs, type AuditRecord, type AuditRecordInput, type ChainHead } from '../../audit/chain/record.js';
import type { Checkpoint } from '../../audit/chain/checkpoint.js';
import type { Incident } from '../../engine/types.js';
import { OffThreadAuditWriter } from './off-thread-audit.js';
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

export interface SqliteStoreOptions {
  /** Database file. Default: `<home>/esq.db`. */
  path?: string;
  home?: string;
  /** How long a writer waits for another process's write lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
  /**
   * `worker`: audit appends run on a worker thread with its own connection, so their fsync never
   * blocks the event loop (the decision service uses this). Default `inline`.
   */
  auditWriter?: 'inline' | 'worker';
  /** Called with the number of audit records in each commit (the worker merges queued batches). */
  onAuditCommit?: (records: number) => void;
}

export function defaultSqlitePath(home: string): string {
  return join(home, 'esq.db');
}

function isConstraint(e: unknown): boolean {
  return typeof (e as { code?: unknown })?.code === 'string' && (e as { code: string }).code.startsWith('SQLITE_CONSTRAINT');
}

export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly path: string;
  private readonly db: Database.Database;
  private readonly offThread: OffThreadAuditWriter | undefined;
  private readonly onAuditCommit: ((records: number) => void) | undefined;

  constructor(opts: SqliteStoreOptions) {
    if (!opts.path && !opts.home) throw new TypeError('SqliteStore needs a path or a home folder');
    this.path = opts.path ?? defaultSqlitePath(opts.home!);
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    // Create the file 0600 before SQLite does (it would use the umask); -wal/-shm copy its mode.
    closeSync(openSync(this.path, 'a', 0o600));
    this.db = new Database(this.path);
    this.db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    this.db.pragma('journal_mode = WAL');
    // "Acknowledged ⇒ durable": in WAL mode, synchronous=NORMAL fsyncs the WAL only at checkpoints, so a
    // power cut can lose the last commits after appendAudit resolved. FULL fsyncs the WAL on every commit;
    // group commit (one transaction per batch) keeps that one fsync per batch, not per record.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.onAuditCommit = opts.onAuditCommit;
    if (opts.auditWriter === 'worker') {
      this.offThread = new OffThreadAuditWriter({ path: this.path, ...(opts.busyTimeoutMs !== undefined ? { busyTimeoutMs: opts.busyTimeoutMs } : {}), ...(opts.onAuditCommit ? { onCommit: opts.onAuditCommit } : {}) });
    }
  }

  private readonly statements = new Map<string, Database.Statement>();
  /** Prepared once per SQL text (lazily: tables exist only after migrate). */
  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  async migrate(): Promise<{ applied: string[] }> {
    // .immediate() = BEGIN IMMEDIATE: takes the write lock first, so two processes migrating at once
    // run one after the other and the second finds nothing left to do.
    return this.db.transaction(() => {
      this.db.exec(MIGRATIONS_TABLE.sqlite);
      const done = (this.stmt('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version);
      const applied: string[] = [];
      const record = this.stmt('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
      for (const m of pendingMigrations(done)) {
        this.db.exec(m.sqlite);
        record.run(m.version, m.name, new Date().toISOString());
        applied.push(migrationName(m));
      }
      return { applied };
    }).immediate();
  }

  async putIncident(incident: Incident): Promise<void> {
    this.insertIncident(incident);
  }

  private insertIncident(incident: Incident): void {
    const row = incidentRow(incident);
    const info = this.stmt('INSERT INTO incidents (id, time_ms, rule_id, tenant, body) VALUES (@id, @time_ms, @rule_id, @tenant, @body) ON CONFLICT (id) DO NOTHING')
      .run(row);
    if (info.changes === 0) {
      const existing = this.stmt('SELECT body FROM incidents WHERE id = ?').get(row.id) as { body: string } | undefined;
      if (existing?.body !== row.body) throw duplicateIncident(row.id);
    }
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    const row = this.stmt('SELECT body FROM incidents WHERE id = ?').get(id) as { body: string } | undefined;
    return row && incidentFromRow(row);
  }

  async listIncidents(query: IncidentQuery): Promise<Page<Incident>> {
    const { sql, params, limit } = incidentListSql(query, () => '?');
    return incidentPage(this.stmt(sql).all(...params) as Array<{ id: string; time_ms: number; body: string }>, limit);
  }

  async putApiKey(key: NewApiKey): Promise<void> {
    const row = apiKeyRow(key);
    try {
      this.stmt('INSERT INTO api_keys (id, hash, roles, tenant, label, created_at, revoked_at) VALUES (@id, @hash, @roles, @tenant, @label, @created_at, @revoked_at)').run(row);
    } catch (e) {
      if (isConstraint(e)) throw duplicateApiKey(row.id);
      throw e;
    }
  }

  async findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const row = this.stmt('SELECT * FROM api_keys WHERE hash = ? AND revoked_at IS NULL').get(hash) as ApiKeyRow | undefined;
    return row && apiKeyFromRow(row);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return (this.stmt('SELECT * FROM api_keys ORDER BY created_at, id').all() as ApiKeyRow[]).map(apiKeyFromRow);
  }

  async revokeApiKey(id: string, at: string | Date): Promise<boolean> {
    const info = this.stmt('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(isoTime(at, 'revokedAt'), id);
    return info.changes > 0;
  }

  async appendAudit(records: readonly AuditRecordInput[], incidents: readonly Incident[] = []): Promise<AuditRecord[]> {
    return this.offThread ? this.offThread.append(records, incidents) : this.appendAuditSync(records, incidents);
  }

  /** The append itself, on this connection and thread. */
  appendAuditSync(records: readonly AuditRecordInput[], incidents: readonly Incident[] = []): AuditRecord[] {
    return this.appendAuditSyncWithText(records, incidents).records;
  }

  /** As appendAuditSync, with each record's `data` also as the canonical text stored (the worker sends that back). */
  appendAuditSyncWithText(records: readonly AuditRecordInput[], incidents: readonly Incident[] = []): { records: AuditRecord[]; dataJson: string[] } {
    const prepared = prepareAuditInputs(records, new Date());
    if (prepared.length === 0) {
      if (incidents.length > 0) this.db.transaction(() => incidents.forEach((i) => this.insertIncident(i))).immediate();
      return { records: [], dataJson: [] };
    }
    const insert = this.stmt(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // BEGIN IMMEDIATE holds the single write lock while the head is read and the batch linked onto it,
    // so no other connection or process can append in between and fork the chain.
    const linked = this.db.transaction(() => {
      for (const i of incidents) this.insertIncident(i);
      const head = this.readHead();
      const linked = extendChain(head, prepared);
      linked.forEach((r, i) => insert.run(...auditValues(r, prepared[i]!.dataJson)));
      const last = linked[linked.length - 1]!;
      this.stmt('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(last.seq, last.hash);
      return linked;
    }).immediate();
    this.onAuditCommit?.(linked.length);
    return { records: linked, dataJson: prepared.map((p) => p.dataJson) };
  }

  async readAudit(query: AuditReadQuery): Promise<AuditRecord[]> {
    const { fromSeq, limit } = checkAuditRead(query);
    const rows = this.stmt(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?`).all(fromSeq, limit) as AuditRow[];
    return rows.map(auditFromRow);
  }

  async auditHead(): Promise<ChainHead> {
    return this.readHead();
  }

  private readHead(): ChainHead {
    const row = this.stmt('SELECT seq, hash FROM audit_head WHERE id = 1').get() as ChainHead | undefined;
    if (!row) throw new Error('audit_head row is missing: the audit tables were altered outside ESQ');
    return { seq: Number(row.seq), hash: row.hash };
  }

  async putCheckpoint(cp: Checkpoint): Promise<void> {
    if (this.offThread) return this.offThread.putCheckpoint(cp);
    this.putCheckpointSync(cp);
  }

  putCheckpointSync(cp: Checkpoint): void {
    this.stmt(`INSERT INTO audit_checkpoints (${CHECKPOINT_COLUMNS}) VALUES (?, ?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING`).run(...checkpointValues(cp));
  }

  async latestCheckpoint(): Promise<Checkpoint | undefined> {
    const row = this.stmt(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY seq DESC LIMIT 1`).get() as CheckpointRow | undefined;
    return row && checkpointFromRow(row);
  }

  async listCheckpoints(): Promise<Checkpoint[]> {
    return (this.stmt(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY seq`).all() as CheckpointRow[]).map(checkpointFromRow);
  }

  // ---- approvals ----

  private loadApproval(id: string, now: Date): Approval | undefined {
    const row = this.stmt('SELECT id, tenant, status, created_ms, expires_ms, body FROM approvals WHERE id = ?').get(id) as ApprovalRow | undefined;
    if (!row) return undefined;
    const votes = this.stmt('SELECT approver, decision, reason, at FROM approval_votes WHERE approval_id = ? ORDER BY at, approver').all(id) as VoteRow[];
    return approvalFromRows(row, votes, now);
  }

  async createApproval(a: Approval): Promise<void> {
    this.stmt('INSERT INTO approvals (id, tenant, status, created_ms, expires_ms, body) VALUES (@id, @tenant, @status, @created_ms, @expires_ms, @body)').run(approvalRow(a));
  }

  async getApproval(id: string, now: Date): Promise<Approval | undefined> {
    return this.loadApproval(id, now);
  }

  async listApprovals(q: ApprovalQuery, now: Date): Promise<Page<Approval>> {
    const { sql, params, limit } = approvalListSql(q, now.getTime(), () => '?');
    const rows = this.stmt(sql).all(...params) as ApprovalRow[];
    return approvalPage(rows.map((r) => this.loadApproval(r.id, now)!), limit);
  }

  async voteApproval(id: string, vote: Vote, now: Date): Promise<VoteOutcome> {
    // BEGIN IMMEDIATE: the write lock is held from the read to the write, so votes from other
    // processes are applied one after another against the state each one leaves.
    return this.db.transaction((): VoteOutcome => {
      const a = this.loadApproval(id, now);
      if (!a) return { ok: false, reason: 'not-found', message: `no approval ${id}` };
      const r = applyVote(a, vote, now);
      if (!r.ok) return r;
      this.stmt('INSERT INTO approval_votes (approval_id, approver, decision, reason, at) VALUES (?, ?, ?, ?, ?)').run(id, vote.approver, vote.decision, vote.reason, vote.at);
      this.stmt('UPDATE approvals SET status = ?, body = ? WHERE id = ?').run(r.approval.status, approvalRow(r.approval).body, id);
      return r;
    }).immediate();
  }

  async consumeApproval(id: string, hash: string, now: Date): Promise<ConsumeOutcome> {
    return this.db.transaction((): ConsumeOutcome => {
      const a = this.loadApproval(id, now);
      const c = checkConsume(a, hash, now);
      if (!c.ok) return c;
      const used: Approval = { ...a!, consumedAt: now.toISOString() };
      this.stmt('UPDATE approvals SET body = ? WHERE id = ?').run(approvalRow(used).body, id);
      return { ok: true, approval: used };
    }).immediate();
  }

  async countPendingApprovals(now: Date): Promise<number> {
    const r = this.stmt(`SELECT count(*) AS n FROM approvals WHERE status = 'pending' AND expires_ms > ?`).get(now.getTime()) as { n: number };
    return Number(r.n);
  }

  async close(): Promise<void> {
    await this.offThread?.close();
    if (this.db.open) this.db.close();
  }

  // ── console users and sessions (migration 3) ───────────────────────────────

  async putConsoleUser(user: NewConsoleUser): Promise<void> {
    const row = consoleUserRow(user);
    try {
      this.stmt('INSERT INTO console_users (name, password_hash, roles, tenant, created_at) VALUES (@name, @password_hash, @roles, @tenant, @created_at)').run(row);
    } catch (e) {
      if (isConstraint(e)) throw duplicateUser(row.name);
      throw e;
    }
  }

  async getConsoleUser(name: string): Promise<ConsoleUser | undefined> {
    const row = this.stmt('SELECT * FROM console_users WHERE name = ?').get(name) as ConsoleUserRow | undefined;
    return row && consoleUserFromRow(row);
  }

  async listConsoleUsers(): Promise<ConsoleUser[]> {
    return (this.stmt('SELECT * FROM console_users ORDER BY created_at, name').all() as ConsoleUserRow[]).map(consoleUserFromRow);
  }

  async setConsoleUserPassword(name: string, passwordHash: string): Promise<boolean> {
    return this.db.transaction(() => {
      const info = this.stmt('UPDATE console_users SET password_hash = ? WHERE name = ?').run(passwordHash, name);
      if (info.changes === 0) return false;
      this.stmt('DELETE FROM console_sessions WHERE subject = ?').run(`user:${name}`);
      return true;
    }).immediate();
  }

  async deleteConsoleUser(name: string): Promise<boolean> {
    return this.db.transaction(() => {
      const info = this.stmt('DELETE FROM console_users WHERE name = ?').run(name);
      this.stmt('DELETE FROM console_sessions WHERE subject = ?').run(`user:${name}`);
      return info.changes > 0;
    }).immediate();
  }

  async createConsoleSession(session: ConsoleSession): Promise<void> {
    this.stmt('INSERT INTO console_sessions (id_hash, subject, created_at, expires_ms) VALUES (@id_hash, @subject, @created_at, @expires_ms)').run(consoleSessionRow(session));
  }

  async getConsoleSession(idHash: string, now: Date): Promise<ConsoleSession | undefined> {
    const row = this.stmt('SELECT * FROM console_sessions WHERE id_hash = ? AND expires_ms > ?').get(idHash, now.getTime()) as ConsoleSessionRow | undefined;
    return row && consoleSessionFromRow(row);
  }

  async deleteConsoleSession(idHash: string): Promise<void> {
    this.stmt('DELETE FROM console_sessions WHERE id_hash = ?').run(idHash);
  }

  async deleteExpiredConsoleSessions(now: Date): Promise<number> {
    return this.stmt('DELETE FROM console_sessions WHERE expires_ms <= ?').run(now.getTime()).changes;
  }
}
