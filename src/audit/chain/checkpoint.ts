/**
 * Signed checkpoints: an Ed25519 signature over {seq, hash, time, keyId} of the chain head. Published
 * outside the store, they let a verifier prove the log was not truncated or rewritten since.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { ConfigError } from '../../errors.js';
import { canonicalJson, HASH_PATTERN, type ChainHead } from './record.js';

export interface Checkpoint {
  seq: number;
  hash: string;
  /** ISO 8601 time the checkpoint was signed. */
  time: string;
  /** base64url Ed25519 signature. */
  signature: string;
  /** Identifies the public key that verifies it: see `auditKeyId`. */
  keyId: string;
}

// Domain separation: a signature over a checkpoint can never be replayed as a signature over something else.
const CONTEXT = 'esq-audit-checkpoint/v1\n';

function message(cp: Omit<Checkpoint, 'signature'>): Buffer {
  return Buffer.from(CONTEXT + canonicalJson({ seq: cp.seq, hash: cp.hash, time: cp.time, keyId: cp.keyId }), 'utf8');
}

function asPrivate(key: KeyObject | string): KeyObject {
  const k = typeof key === 'string' ? createPrivateKey(key) : key;
  if (k.type !== 'private' || k.asymmetricKeyType !== 'ed25519') throw new ConfigError('audit checkpoints are signed with an Ed25519 private key');
  return k;
}

function asPublic(key: KeyObject | string): KeyObject {
  const k = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  if (k.asymmetricKeyType !== 'ed25519') throw new ConfigError('audit checkpoints are verified with an Ed25519 public key');
  return k;
}

/** First 16 hex digits of sha256(SPKI DER): names the key without revealing anything secret. */
export function auditKeyId(key: KeyObject | string): string {
  const der = asPublic(key).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

export function signCheckpoint(head: ChainHead, privateKey: KeyObject | string, time: Date = new Date()): Checkpoint {
  const key = asPrivate(privateKey);
  const unsigned = { seq: head.seq, hash: head.hash, time: time.toISOString(), keyId: auditKeyId(key) };
  return { ...unsigned, signature: sign(null, message(unsigned), key).toString('base64url') };
}

export function verifyCheckpoint(cp: Checkpoint, publicKey: KeyObject | string): { ok: boolean; reason?: string } {
  const key = asPublic(publicKey);
  if (cp === null || typeof cp !== 'object' || !Number.isSafeInteger(cp.seq) || cp.seq < 0 || typeof cp.hash !== 'string' || !HASH_PATTERN.test(cp.hash)) {
    return { ok: false, reason: 'not a checkpoint' };
  }
  if (typeof cp.time !== 'string' || typeof cp.signature !== 'string' || typeof cp.keyId !== 'string') return { ok: false, reason: 'not a checkpoint' };
  if (cp.keyId !== auditKeyId(key)) return { ok: false, reason: `signed by key ${cp.keyId}, not by the key given (${auditKeyId(key)})` };
  const good = verify(null, message(cp), key, Buffer.from(cp.signature, 'base64url'));
  return good ? { ok: true } : { ok: false, reason: 'signature does not verify (forged or altered checkpoint)' };
}
