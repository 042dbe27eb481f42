/**
 * The one store interface the service needs: incidents, API keys and the audit chain. Two
 * implementations (sqlite/, postgres/) pass the same conformance suite (conformance.ts).
 * Every method is async; times given as Date or ISO string are stored as ISO 8601 UTC.
 */
import type { AuditRecord, AuditRecordInput, ChainHead } from '../audit/chain/record.js';
import type { Checkpoint } from '../audit/chain/checkpoint.js';
import type { Incident } from '../engine/types.js';
import type { Approval, ApprovalStatus, ConsumeRefusal, Vote, VoteRefusal } from '../controls/approvals/approval.js';

export type { AuditRecord, AuditRecordInput, ChainHead, Checkpoint, Incident };

export interface IncidentQuery {
  /** Inclusive lower bound on incident time. */
  since?: string | Date;
  /** Exclusive upper bound on incident time. */
  until?: string | Date;
  ruleId?: string;
  /** Exact, case-sensitive match on `incident.caller.tenant`. */
  tenant?: string;
  /** 1–1000. */
  limit: number;
  /** `nextCursor` from the previous page. Opaque. */
  cursor?: string;
}

/** Newest first; `nextCursor` is present only when more items follow. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface NewApiKey {
  id: string;
  /** A hash of the key (the caller hashes); the key itself is never stored. Unique. */
  hash: string;
  roles: string[];
  tenant?: string | null;
  label: string;
  createdAt: string | Date;
}

export interface ApiKeyRecord {
  id: string;
  hash: string;
  roles: string[];
  tenant: string | null;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface AuditReadQuery {
  /** First seq to return (records start at 1). */
  fromSeq: number;
  /** 1–10000. */
  limit: number;
}

export interface ApprovalQuery {
  /** Status as of `now` (expired requests are reported as `expired`). */
  status?: ApprovalStatus;
  tenant?: string;
  limit: number;
  cursor?: string;
}

export type VoteOutcome = { ok: true; approval: Approval } | { ok: false; reason: VoteRefusal; message: string };
export type ConsumeOutcome = { ok: true; approval: Approval } | { ok: false; reason: ConsumeRefusal; message: string };

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';

  /** Applies pending migrations in one transaction; safe to call from several processes at once. */
  migrate(): Promise<{ applied: string[] }>;

  /** Idempotent for the same incident; a different incident under an existing id is InvalidInputError. */
  putIncident(incident: Incident): Promise<void>;
  getIncident(id: string): Promise<Incident | undefined>;
  /** Newest first, keyset-paginated on (time, id). */
  listIncidents(query: IncidentQuery): Promise<Page<Incident>>;

  /** InvalidInputError when the id or hash already exists. */
  putApiKey(key: NewApiKey): Promise<void>;
  /** Active keys only: a revoked or unknown hash gives undefined. */
  findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  /** All keys, revoked included, oldest first. */
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** True when the key was active and is now revoked; false when unknown or already revoked. */
  revokeApiKey(id: string, at: string | Date): Promise<boolean>;

  /**
   * Appends a batch atomically: all records or none, consecutive seqs after the current head, the hash
   * chain computed inside the transaction (so concurrent appenders, in any process, never fork it).
   * Resolves only once the batch is durable. Returns the records as stored.
   * `incidents` are inserted in the same transaction (a block's incident and its audit record
   * become durable together, at the cost of one commit per batch, not one per incident).
   */
  appendAudit(records: readonly AuditRecordInput[], incidents?: readonly Incident[]): Promise<AuditRecord[]>;
  /** Records with seq ≥ fromSeq, ascending. */
  readAudit(query: AuditReadQuery): Promise<AuditRecord[]>;
  /** The last record's {seq, hash}; {0, GENESIS_HASH} when the log is empty. */
  auditHead(): Promise<ChainHead>;
  /** Idempotent per seq (the first checkpoint stored for a seq is kept). */
  putCheckpoint(cp: Checkpoint): Promise<void>;
  latestCheckpoint(): Promise<Checkpoint | undefined>;
  /** Ascending by seq. */
  listCheckpoints(): Promise<Checkpoint[]>;

  /** Stores a new pending approval request (votes empty). */
  createApproval(a: Approval): Promise<void>;
  getApproval(id: string, now: Date): Promise<Approval | undefined>;
  /** Newest first. */
  listApprovals(q: ApprovalQuery, now: Date): Promise<Page<Approval>>;
  /** Applies a vote inside one transaction holding the request's lock: replicas cannot race. */
  voteApproval(id: string, vote: Vote, now: Date): Promise<VoteOutcome>;
  /** Marks an approved request used for this action hash, exactly once. */
  consumeApproval(id: string, actionHash: string, now: Date): Promise<ConsumeOutcome>;
  countPendingApprovals(now: Date): Promise<number>;

  close(): Promise<void>;

  // ── console users and sessions (migration 3; server/console/) ──────────────
  /** InvalidInputError when the name is taken or the input is bad. */
  putConsoleUser(user: NewConsoleUser): Promise<void>;
  getConsoleUser(name: string): Promise<ConsoleUser | undefined>;
  /** Oldest first. */
  listConsoleUsers(): Promise<ConsoleUser[]>;
  /** Replaces the password hash and ends the user's sessions. False when there is no such user. */
  setConsoleUserPassword(name: string, passwordHash: string): Promise<boolean>;
  /** Removes the user and ends their sessions. False when there is no such user. */
  deleteConsoleUser(name: string): Promise<boolean>;
  createConsoleSession(session: ConsoleSession): Promise<void>;
  /** The session while it has not expired at `now`; undefined when unknown or expired. */
  getConsoleSession(idHash: string, now: Date): Promise<ConsoleSession | undefined>;
  deleteConsoleSession(idHash: string): Promise<void>;
  /** Removes sessions that expired before `now`; returns how many. */
  deleteExpiredConsoleSessions(now: Date): Promise<number>;
}

// ── console users and sessions ──────────────────────────────────────────────

export interface NewConsoleUser {
  /** 1–64 of [A-Za-z0-9._-]; votes by this user are cast as `user:<name>`. */
  name: string;
  /** A scrypt hash (server/console/passwords.ts); the password itself is never stored. */
  passwordHash: string;
  roles: string[];
  tenant?: string | null;
  createdAt: string | Date;
}

export interface ConsoleUser {
  name: string;
  passwordHash: string;
  roles: string[];
  tenant: string | null;
  createdAt: string;
}

export interface ConsoleSession {
  /** SHA-256 (hex) of the session id; the id itself exists only in the browser's cookie. */
  idHash: string;
  /** Who signed in: `user:<name>`, or `key:<API key hash>` for a sign-in with an API key. */
  subject: string;
  createdAt: string | Date;
  expiresAt: string | Date;
}
