/**
 * Console users and sessions (migration 3): input checks and row ↔ domain mapping shared by both
 * stores. Passwords arrive already hashed (server/console/passwords.ts); session ids arrive hashed.
 */
import { InvalidInputError } from '../errors.js';
import type { ConsoleSession, ConsoleUser, NewConsoleUser } from './port.js';
import { isoTime } from './rows.js';

/** Letters, digits, dot, dash, underscore; 1–64 characters, starting with a letter or digit. */
export const CONSOLE_USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface ConsoleUserRow {
  name: string;
  password_hash: string;
  roles: string;
  tenant: string | null;
  created_at: string;
}

export function checkUserName(name: unknown): string {
  if (typeof name !== 'string' || !CONSOLE_USER_NAME.test(name)) {
    throw new InvalidInputError(`user name must be 1–64 letters, digits, ".", "-" or "_", starting with a letter or digit (got ${JSON.stringify(name)})`);
  }
  return name;
}

export function consoleUserRow(u: NewConsoleUser): ConsoleUserRow {
  if (typeof u.passwordHash !== 'string' || u.passwordHash.length < 16) throw new InvalidInputError('passwordHash must be a password hash, not a password');
  if (!Array.isArray(u.roles) || u.roles.length === 0 || !u.roles.every((r) => typeof r === 'string' && r.length > 0)) {
    throw new InvalidInputError('a console user needs at least one role');
  }
  return {
    name: checkUserName(u.name),
    password_hash: u.passwordHash,
    roles: JSON.stringify(u.roles),
    tenant: u.tenant ?? null,
    created_at: isoTime(u.createdAt, 'createdAt'),
  };
}

export function consoleUserFromRow(r: ConsoleUserRow): ConsoleUser {
  return { name: r.name, passwordHash: r.password_hash, roles: JSON.parse(r.roles) as string[], tenant: r.tenant, createdAt: r.created_at };
}

export function duplicateUser(name: string): InvalidInputError {
  return new InvalidInputError(`a console user named ${name} already exists`);
}

export interface ConsoleSessionRow {
  id_hash: string;
  subject: string;
  created_at: string;
  expires_ms: number;
}

export function consoleSessionRow(s: ConsoleSession): ConsoleSessionRow {
  if (typeof s.idHash !== 'string' || !/^[0-9a-f]{64}$/.test(s.idHash)) throw new InvalidInputError('idHash must be a hex SHA-256 of the session id');
  if (typeof s.subject !== 'string' || !/^(user|key):./.test(s.subject)) throw new InvalidInputError('subject must be "user:<name>" or "key:<hash>"');
  const expires = isoTime(s.expiresAt, 'expiresAt');
  return { id_hash: s.idHash, subject: s.subject, created_at: isoTime(s.createdAt, 'createdAt'), expires_ms: Date.parse(expires) };
}

export function consoleSessionFromRow(r: ConsoleSessionRow): ConsoleSession {
  return { idHash: r.id_hash, subject: r.subject, createdAt: r.created_at, expiresAt: new Date(Number(r.expires_ms)).toISOString() };
}
