/**
 * A vault audit sink that appends JSON lines to a file (0600), synchronously so that an audited
 * read is on disk before its value is returned. Events never hold values or tokens.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { VaultAuditEvent } from './vault.js';

export function defaultVaultAuditPath(home: string): string {
  return join(home, 'vault', 'audit.jsonl');
}

export function jsonlVaultAudit(path: string): (e: VaultAuditEvent) => void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  return (e) => appendFileSync(path, `${JSON.stringify(e)}\n`, { mode: 0o600 });
}
