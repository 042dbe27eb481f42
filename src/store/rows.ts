/**
 * What both stores share: input checks, row ↔ domain mapping, the incident query and its cursor.
 * Dialect-specific SQL stays in sqlite/ and postgres/.
 */
import { canonicalJson, type AuditRecord } from '../audit/chain/record.js';
import type { Checkpoint } from '../audit/chain/checkpoint.js';
import type { Incident } from '../engine/types.js';
import { InvalidInputError } from '../errors.js';
import type { ApiKeyRecord, IncidentQuery, NewApiKey } from './port.js';

export const MAX_INCIDENT_PAGE = 1000;
export const MAX_AUDIT_PAGE = 10000;

export function isoTime(value: string | Date, what: string): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new InvalidInputError(`${what} is not a valid time: ${String(value)}`);
  return d.toISOString();
}

function timeMs(value: string | Date, what: string): number {
  return Date.parse(isoTime(value, what));
}

export function checkLimit(limit: number, max: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > max) throw new InvalidInputError(`limit must be an integer from 1 to ${max} (got ${String(limit)})`);
  return limit;
}

function nonEmpty(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidInputError(`${what} must be a non-empty string`);
  return value;
}

// ── incidents ───────────────────────────────────────────────────────────────

export interface IncidentRow {
  id: string;
  time_ms: number;
  rule_id: string;
  tenant: string | null;
  body: string;
}

export function incidentRow(incident: Incident): IncidentRow {
  if (incident === null || typeof incident !== 'object') throw new InvalidInputError('incident must be an object');
  return {
    id: nonEmpty(incident.id, 'incident.id'),
    time_ms: timeMs(incident.time, 'incident.time'),
    rule_id: nonEmpty(incident.ruleId, 'incident.ruleId'),
    tenant: incident.caller?.tenant ?? null,
    body: canonicalJson(incident, 'incident'),
  };
}

export function incidentFromRow(row: { body: string }): Incident {
  return JSON.parse(row.body) as Incident;
}

export function duplicateIncident(id: string): InvalidInputError {
  return new InvalidInputError(`incident ${id} already exists with different contents`);
}

/** Cursor: base64url JSON of the last item's [time_ms, id]. */
function encodeCursor(timeMsValue: number, id: string): string {
  return Buffer.from(JSON.stringify([timeMsValue, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string') return [v[0] as number, v[1]];
  } catch {
    // fall through
  }
  throw new InvalidInputError('cursor is not one this store issued');
}

/**
 * The listIncidents query, with placeholders from `ph(n)` (`?` for SQLite, `$n` for PostgreSQL).
 * Fetches one row more than the limit to know whether a next page exists.
 */
export function incidentListSql(q: IncidentQuery, ph: (n: number) => string): { sql: string; params: unknown[]; limit: number } {
  const limit = checkLimit(q.limit, MAX_INCIDENT_PAGE);
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (v: unknown) => {
    params.push(v);
    return ph(params.length);
  };
  if (q.since !== undefined) where.push(`time_ms >= ${add(timeMs(q.since, 'since'))}`);
  if (q.until !== undefined) where.push(`time_ms < ${add(timeMs(q.until, 'until'))}`);
  if (q.ruleId !== undefined) where.push(`rule_id = ${add(q.ruleId)}`);
  if (q.tenant !== undefined) where.push(`tenant = ${add(q.tenant)}`);
  if (q.cursor !== undefined) {
    const [t, id] = decodeCursor(q.cursor);
    where.push(`(time_ms, id) < (${add(t)}, ${add(id)})`);
  }
  const sql = `SELECT id, time_ms, body FROM incidents${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY time_ms DESC, id DESC LIMIT ${add(limit + 1)}`;
  return { sql, params, limit };
}

export function incidentPage(rows: Array<{ id: string; time_ms: number | string; body: string }>, limit: number): { items: Incident[]; nextCursor?: string } {
  const items = rows.slice(0, limit).map(incidentFromRow);
  if (rows.length <= limit) return { items };
  const last = rows[limit - 1]!;
  return { items, nextCursor: encodeCursor(Number(last.time_ms), last.id) };
}

// ── API keys ────────────────────────────────────────────────────────────────

export interface ApiKeyRow {
  id: string;
  hash: string;
  roles: string;
  tenant: string | null;
  label: string;
  created_at: string;
  revoked_at: string | null;
}

export function apiKeyRow(k: NewApiKey): ApiKeyRow {
  if (k === null || typeof k !== 'object') throw new InvalidInputError('API key must be an object');
  if (!Array.isArray(k.roles) || !k.roles.every((r) => typeof r === 'string' && r.length > 0)) {
    throw new InvalidInputError('API key roles must be an array of non-empty strings');
  }
  if (k.tenant !== undefined && k.tenant !== null && typeof k.tenant !== 'string') throw new InvalidInputError('API key tenant must be a string or null');
  if (typeof k.label !== 'string') throw new InvalidInputError('API key label must be a string');
  return {
    id: nonEmpty(k.id, 'API key id'),
    hash: nonEmpty(k.hash, 'API key hash'),
    roles: JSON.stringify(k.roles),
    tenant: k.tenant ?? null,
    label: k.label,
    created_at: isoTime(k.createdAt, 'API key createdAt'),
    revoked_at: null,
  };
}

export function apiKeyFromRow(r: ApiKeyRow): ApiKeyRecord {
  return {
    id: r.id,
    hash: r.hash,
    roles: JSON.parse(r.roles) as string[],
    tenant: r.tenant,
    label: r.label,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

export function duplicateApiKey(id: string): InvalidInputError {
  return new InvalidInputError(`an API key with id ${id} or the same hash already exists`);
}

// ── audit ───────────────────────────────────────────────────────────────────

export const AUDIT_COLUMNS = 'seq, time, kind, tenant, principal, action, effect, rule_ids, data, prev_hash, hash';

export interface AuditRow {
  seq: number | string;
  time: string;
  kind: string;
  tenant: string | null;
  principal: string | null;
  action: string | null;
  effect: string | null;
  rule_ids: string | null;
  data: string;
  prev_hash: string;
  hash: string;
}

/** Column values in AUDIT_COLUMNS order. `data` is canonical JSON (`dataJson` from prepareAuditInputs): the bytes the hash covers. */
export function auditValues(r: AuditRecord, dataJson: string): [number, string, string, string | null, string | null, string | null, string | null, string | null, string, string, string] {
  return [
    r.seq,
    r.time,
    r.kind,
    r.tenant ?? null,
    r.principal ?? null,
    r.action ?? null,
    r.effect ?? null,
    r.ruleIds ? JSON.stringify(r.ruleIds) : null,
    dataJson,
    r.prevHash,
    r.hash,
  ];
}

export function auditFromRow(row: AuditRow): AuditRecord {
  const r: AuditRecord = { seq: Number(row.seq), time: row.time, kind: row.kind, data: JSON.parse(row.data) as Record<string, unknown>, prevHash: row.prev_hash, hash: row.hash };
  if (row.tenant !== null) r.tenant = row.tenant;
  if (row.principal !== null) r.principal = row.principal;
  if (row.action !== null) r.action = row.action;
  if (row.effect !== null) r.effect = row.effect;
  if (row.rule_ids !== null) r.ruleIds = JSON.parse(row.rule_ids) as string[];
  return r;
}

export function checkAuditRead(q: { fromSeq: number; limit: number }): { fromSeq: number; limit: number } {
  if (!Number.isSafeInteger(q?.fromSeq) || q.fromSeq < 0) throw new InvalidInputError(`fromSeq must be a non-negative integer (got ${String(q?.fromSeq)})`);
  return { fromSeq: q.fromSeq, limit: checkLimit(q.limit, MAX_AUDIT_PAGE) };
}

export const CHECKPOINT_COLUMNS = 'seq, hash, time, signature, key_id';

export interface CheckpointRow {
  seq: number | string;
  hash: string;
  time: string;
  signature: string;
  key_id: string;
}

export function checkpointValues(cp: Checkpoint): [number, string, string, string, string] {
  if (cp === null || typeof cp !== 'object' || !Number.isSafeInteger(cp.seq) || cp.seq < 0) throw new InvalidInputError('checkpoint.seq must be a non-negative integer');
  for (const k of ['hash', 'time', 'signature', 'keyId'] as const) nonEmpty(cp[k], `checkpoint.${k}`);
  return [cp.seq, cp.hash, cp.time, cp.signature, cp.keyId];
}

export function checkpointFromRow(r: CheckpointRow): Checkpoint {
  return { seq: Number(r.seq), hash: r.hash, time: r.time, signature: r.signature, keyId: r.key_id };
}
