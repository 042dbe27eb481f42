/**
 * The audit signing key: `<ESQ_HOME>/keys/audit-ed25519.pem` (PKCS#8, 0600), made on first use, with the
 * public half beside it (`.pub.pem`) for verifiers that must not hold the private key.
 */
import { createPublicKey, generateKeyPairSync, createPrivateKey, type KeyObject } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../errors.js';
import { auditKeyId } from './checkpoint.js';

export interface AuditSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  path: string;
  publicPath: string;
}

export function defaultAuditKeyPath(home: string): string {
  return join(home, 'keys', 'audit-ed25519.pem');
}

export function publicKeyPathFor(path: string): string {
  return path.replace(/\.pem$/, '') + '.pub.pem';
}

/** Writes the whole file under a temp name, then links it into place: readers never see half a key. */
function createExclusively(path: string, text: string, mode: number): void {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path); // fails with EEXIST if another process won the race: then both use its key
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(tmp);
  }
}

/** Loads the key at `path` (default under `home`), creating it if absent. */
export function loadOrCreateAuditKey(opts: { home: string; path?: string }): AuditSigningKey {
  const path = opts.path ?? defaultAuditKeyPath(opts.home);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    const { privateKey } = generateKeyPairSync('ed25519');
    createExclusively(path, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
  }
  if (statSync(path).mode & 0o077) chmodSync(path, 0o600); // tighten a key someone loosened
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`audit key ${path} is not a PEM private key (${(e as Error).message}); restore it from backup or delete it to start a new key`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new ConfigError(`audit key ${path} is ${privateKey.asymmetricKeyType}, expected ed25519`);
  const publicKey = createPublicKey(privateKey);
  const publicPath = publicKeyPathFor(path);
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  let current: string | undefined;
  try {
    current = readFileSync(publicPath, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== publicPem) {
    const tmp = `${publicPath}.${process.pid}.tmp`;
    writeFileSync(tmp, publicPem, { mode: 0o644 });
    renameSync(tmp, publicPath); // atomic replace: a reader sees the old file or the new one
  }
  return { privateKey, publicKey, keyId: auditKeyId(publicKey), path, publicPath };
}

/** A verifier's view: reads a public (or private) PEM and returns the public key. */
export function loadAuditPublicKey(path: string): KeyObject {
  try {
    return createPublicKey(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`cannot read audit public key ${path}: ${(e as Error).message}`);
  }
}
