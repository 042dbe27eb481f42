/**
 * HMAC-SHA256 over RFC 8785 canonical JSON: equal values hash equally whatever their key order,
 * and without the key nobody can confirm a guessed SSN against an incident's hash.
 */
import { createHash, createHmac } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import type { ArgHasher } from '../engine/ports.js';

const canonicalize = canonicalizeModule as unknown as (v: unknown) => string | undefined;

function canonical(value: unknown): string {
  if (value === undefined) return 'null';
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  try {
    return canonicalize(value) ?? 'null';
  } catch {
    // Functions, cycles and the like: hash their type, never throw on the kill-switch path.
    return JSON.stringify(`[unhashable ${typeof value}]`);
  }
}

export function hmacArgHasher(key: Uint8Array): ArgHasher {
  const keyId = createHash('sha256').update(key).digest('hex').slice(0, 12);
  return {
    keyId,
    hash: (value) => `hmac-sha256:${createHmac('sha256', key).update(canonical(value)).digest('hex')}`,
  };
}
