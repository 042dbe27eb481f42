/**
 * API keys: `esq_<id>_<secret>`. Only a SHA-256 hash of the whole key is stored; the id lets
 * an operator name a key (list, revoke) without ever seeing it again. 256-bit secrets make a
 * plain hash sufficient (no password stretching needed for random keys).
 */
import { hash, randomBytes } from 'node:crypto';

export const ROLES = ['decide', 'read', 'approve', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  keyId: string;
  roles: Role[];
  /** null: every tenant (admin keys); otherwise the only tenant this key may act for or read. */
  tenant: string | null;
  label: string;
}

export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex'); // one-shot: half the cost of createHash() on every request
}

export function generateApiKey(): { id: string; key: string; hash: string } {
  const id = randomBytes(6).toString('hex');
  const key = `esq_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, key, hash: hashApiKey(key) };
}

export function parseBearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

export function hasRole(p: Principal, role: Role): boolean {
  return p.roles.includes('admin') || p.roles.includes(role);
}

export function parseRoles(list: string): Role[] {
  const roles = list.split(',').map((r) => r.trim()).filter(Boolean);
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (bad.length > 0 || roles.length === 0) throw new Error(`roles must be a comma-separated list of ${ROLES.join(', ')}${bad.length ? ` (unknown: ${bad.join(', ')})` : ''}`);
  return roles as Role[];
}
