/**
 * Console sessions: a random 256-bit id in an HttpOnly cookie; the store keeps only its SHA-256
 * with the signed-in subject and an absolute expiry. Roles and tenant are read from the user (or
 * API key) on every request, so removing a user or revoking a key ends their console access at once.
 *
 * CSRF: the synchronizer token is derived from the session id (HMAC), so it needs no storage, cannot
 * be computed without the HttpOnly cookie, and changes with every session.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../../store/port.js';
import type { Principal, Role } from '../auth/api-keys.js';

export const SESSION_COOKIE = 'esq_console';
/** Pre-sign-in double-submit token, so a sign-in cannot be forged from another site. */
export const SIGNIN_CSRF_COOKIE = 'esq_console_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface ConsoleIdentity {
  principal: Principal;
  kind: 'user' | 'apiKey';
  /** What the console shows: the user name, or the key's label and id. */
  display: string;
  sessionId: string;
  expiresAt: string;
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sessionHash(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

export function csrfTokenFor(sessionId: string): string {
  return createHmac('sha256', sessionId).update('esq-console-csrf').digest('base64url');
}

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Session ids are 43 base64url characters; anything else is not worth a store lookup. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** The identity behind a session cookie, or undefined when the session is unknown, expired or its subject is gone. */
export async function identityOf(store: Store, sessionId: string | undefined, now: Date): Promise<ConsoleIdentity | undefined> {
  if (!sessionId || !SESSION_ID.test(sessionId)) return undefined;
  const s = await store.getConsoleSession(sessionHash(sessionId), now);
  if (!s) return undefined;
  const expiresAt = new Date(s.expiresAt).toISOString();
  if (s.subject.startsWith('user:')) {
    const name = s.subject.slice(5);
    const u = await store.getConsoleUser(name);
    if (!u) return undefined;
    // keyId is what votes are cast as: `user:<name>` goes through the same self-approval rule as keys.
    return { principal: { keyId: `user:${u.name}`, roles: u.roles as Role[], tenant: u.tenant, label: u.name }, kind: 'user', display: u.name, sessionId, expiresAt };
  }
  const rec = await store.findApiKeyByHash(s.subject.slice(4));
  if (!rec) return undefined;
  return {
    principal: { keyId: rec.id, roles: rec.roles as Role[], tenant: rec.tenant, label: rec.label },
    kind: 'apiKey',
    display: rec.label ? `${rec.label} (key ${rec.id})` : `key ${rec.id}`,
    sessionId,
    expiresAt,
  };
}

/** Starts a session for `subject`; returns the id for the cookie (only its hash is stored). */
export async function startSession(store: Store, subject: string, now: Date, ttlMs: number): Promise<{ id: string; expiresAt: Date }> {
  const id = newToken();
  const expiresAt = new Date(now.getTime() + ttlMs);
  await store.createConsoleSession({ idHash: sessionHash(id), subject, createdAt: now, expiresAt });
  return { id, expiresAt };
}
