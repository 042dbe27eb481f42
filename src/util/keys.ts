/**
 * Local key files under `<ESQ_HOME>/keys/`: created on first use with 0600 permissions, and
 * created exclusively so two processes starting together end up with the same key.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';

export function loadOrCreateKey(home: string, name: string, bytes = 32): Buffer {
  const dir = join(home, 'keys');
  const file = join(dir, `${name}.key`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(bytes).toString('base64') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) chmodSync(file, 0o600); // tighten a key someone loosened
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length < 16) throw new ConfigError(`key file ${file} is too short or not base64; delete it to have a new key made`);
  return key;
}
