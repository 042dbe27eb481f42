/**
 * Writing PKI files: private keys 0600 in a 0700 folder, written to a temporary name and renamed
 * so a reader never sees half a key, and never left readable by others even for a moment.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

function atomicWrite(file: string, data: string, mode: number, exclusive: boolean): void {
  ensurePrivateDir(dirname(file));
  if (exclusive) {
    writeFileSync(file, data, { flag: 'wx', mode });
    return;
  }
  const tmp = join(dirname(file), `.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(tmp, data, { flag: 'wx', mode });
  chmodSync(tmp, mode); // the umask may have narrowed it; make it exactly what we asked
  renameSync(tmp, file);
}

/** A private key or other secret: 0600. `exclusive` refuses to overwrite an existing file. */
export function writeSecretFile(file: string, data: string, exclusive = false): void {
  atomicWrite(file, data, 0o600, exclusive);
}

/** A certificate, bundle or CRL: readable by the owner's group and others (0644). */
export function writePublicFile(file: string, data: string): void {
  atomicWrite(file, data, 0o644, false);
}
