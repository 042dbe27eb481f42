/**
 * `esq scan SERVICE`: a service name resolves to the folder of the envelope file that names it.
 * Envelope files looked at, in order: the one a running `esq wrap` of that service recorded in its
 * run file (when it records one), every `--config` file given, then `./esq-sec.yml`.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadEnvelopeConfig, type EnvelopeConfig } from '../envelope/config/load.js';
import { processAlive, readRunFile } from '../envelope/wrap/run-file.js';
import { InvalidInputError } from '../errors.js';

export const DEFAULT_ENVELOPE_FILE = 'esq-sec.yml';

export interface ServiceTarget {
  /** The folder to scan: the envelope file's folder. */
  path: string;
  service: string;
  classification: string;
  intervalMs: number;
  /** The envelope file it came from. */
  file: string;
}

/** Envelope files to look at for `name`, most specific first, without duplicates. */
export function candidateEnvelopeFiles(name: string, o: { home: string; cwd?: string; configs?: readonly string[] }): string[] {
  const cwd = o.cwd ?? process.cwd();
  const out: string[] = [];
  const run = readRunFile(o.home, name) as (ReturnType<typeof readRunFile> & { config?: unknown; configFile?: unknown }) | undefined;
  const recorded = run && processAlive(run.pid) ? (typeof run.config === 'string' ? run.config : typeof run.configFile === 'string' ? run.configFile : undefined) : undefined;
  if (recorded) out.push(resolve(cwd, recorded));
  for (const c of o.configs ?? []) out.push(resolve(cwd, c));
  const local = resolve(cwd, DEFAULT_ENVELOPE_FILE);
  if (existsSync(local)) out.push(local);
  return [...new Set(out)];
}

/**
 * The envelope whose `service` is `name`, or undefined when none of the candidate files names it.
 * A candidate that is broken fails loudly (EnvelopeConfigError with file and line): a scan never
 * silently skips the file it was pointed at.
 */
export function resolveServiceTarget(name: string, o: { home: string; cwd?: string; configs?: readonly string[] }): ServiceTarget | undefined {
  const seen: string[] = [];
  for (const file of candidateEnvelopeFiles(name, o)) {
    if (!existsSync(file)) {
      if ((o.configs ?? []).some((c) => resolve(o.cwd ?? process.cwd(), c) === file)) throw new InvalidInputError(`--config ${file}: no such file`);
      continue; // a run file pointing at a file since moved
    }
    const cfg: EnvelopeConfig = loadEnvelopeConfig(file);
    if (cfg.service === name) return { path: dirname(file), service: cfg.service, classification: cfg.classification, intervalMs: cfg.scannerIntervalMs, file };
    seen.push(`${file} is for ${cfg.service}`);
  }
  if (seen.length > 0) throw new InvalidInputError(`no envelope file names service ${name} (${seen.join('; ')}); pass its file with --config`);
  return undefined;
}
