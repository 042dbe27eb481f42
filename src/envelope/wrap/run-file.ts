/**
 * `<ESQ_HOME>/run/<service>.json`: how `esq status` finds a running sidecar (admin URL and its
 * token). 0600, since the token reads the service's security posture.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeSecretFile } from '../pki/files.js';

export interface RunFile {
  service: string;
  pid: number;
  adminUrl: string;
  token: string;
  ingressUrl: string;
  startedAt: string;
  /** The envelope file the sidecar runs with (absolute), so `esq scan <service>` finds the service's folder. */
  config?: string;
}

export function runFilePath(home: string, service: string): string {
  return join(home, 'run', `${service}.json`);
}

export function writeRunFile(home: string, r: RunFile): void {
  writeSecretFile(runFilePath(home, r.service), `${JSON.stringify(r, null, 2)}\n`);
}

export function readRunFile(home: string, service: string): RunFile | undefined {
  const file = runFilePath(home, service);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RunFile;
  } catch {
    return undefined;
  }
}

/** Removes the run file only if it is still ours (a newer sidecar may have replaced it). */
export function removeRunFile(home: string, service: string, pid: number): void {
  const r = readRunFile(home, service);
  if (r && r.pid === pid) rmSync(runFilePath(home, service), { force: true });
}

export { processAlive } from '../vault/holder.js';
