/**
 * Row mapping for approvals, shared by the SQLite and PostgreSQL stores.
 */
import { currentStatus, type Approval, type Vote } from '../controls/approvals/approval.js';
import { InvalidInputError } from '../errors.js';
import type { ApprovalQuery, Page } from './port.js';

export interface ApprovalRow {
  id: string;
  tenant: string | null;
  status: string;
  created_ms: number | string;
  expires_ms: number | string;
  body: string;
}
export interface VoteRow {
  approver: string;
  decision: string;
  reason: string;
  at: string;
}

export function approvalRow(a: Approval): ApprovalRow {
  const { votes: _v, ...rest } = a;
  return { id: a.id, tenant: a.tenant, status: a.status, created_ms: Date.parse(a.createdAt), expires_ms: Date.parse(a.expiresAt), body: JSON.stringify(rest) };
}

export function approvalFromRows(row: ApprovalRow, votes: VoteRow[], now: Date): Approval {
  const a = JSON.parse(row.body) as Approval;
  a.status = row.status as Approval['status'];
  a.votes = votes.map((v): Vote => ({ approver: v.approver, decision: v.decision as Vote['decision'], reason: v.reason, at: v.at }));
  a.status = currentStatus(a, now);
  return a;
}

/** Keyset cursor on (created_ms, id). */
export function approvalCursor(a: Approval): string {
  return Buffer.from(JSON.stringify([Date.parse(a.createdAt), a.id])).toString('base64url');
}

export function parseApprovalCursor(c: string | undefined): [number, string] | undefined {
  if (!c) return undefined;
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new InvalidInputError('invalid approvals cursor');
}

/**
 * SQL for a page of approvals. `pending` must also be unexpired and `expired` means pending past its
 * deadline, so the status filter is computed against `nowMs`.
 */
export function approvalListSql(q: ApprovalQuery, nowMs: number, p: (i: number) => string): { sql: string; params: unknown[]; limit: number } {
  const limit = Math.max(1, Math.min(500, q.limit));
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: (ph: string) => string, v: unknown) => {
    params.push(v);
    where.push(clause(p(params.length)));
  };
  if (q.status === 'pending') {
    where.push(`status = 'pending'`);
    add((ph) => `expires_ms > ${ph}`, nowMs);
  } else if (q.status === 'expired') {
    where.push(`status = 'pending'`);
    add((ph) => `expires_ms <= ${ph}`, nowMs);
  } else if (q.status) add((ph) => `status = ${ph}`, q.status);
  if (q.tenant !== undefined) add((ph) => `tenant = ${ph}`, q.tenant);
  const cur = parseApprovalCursor(q.cursor);
  if (cur) {
    params.push(cur[0], cur[0], cur[1]);
    const n = params.length;
    where.push(`(created_ms < ${p(n - 2)} OR (created_ms = ${p(n - 1)} AND id < ${p(n)}))`);
  }
  params.push(limit + 1);
  const sql = `SELECT id, tenant, status, created_ms, expires_ms, body FROM approvals${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_ms DESC, id DESC LIMIT ${p(params.length)}`;
  return { sql, params, limit };
}

export function approvalPage(items: Approval[], limit: number): Page<Approval> {
  if (items.length <= limit) return { items };
  const page = items.slice(0, limit);
  return { items: page, nextCursor: approvalCursor(page[page.length - 1]!) };
}
