import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { watch as chokidarWatch } from 'chokidar';
import type { Command } from 'commander';
import { settingsFromEnv } from '../../config.js';
import { parseDuration } from '../../envelope/config/duration.js';
import { InvalidInputError } from '../../errors.js';
import { packageRoot } from '../../util/package-root.js';
import { defaultDbPath } from '../../vuln/osv/db.js';
import { platformFetch } from '../../vuln/osv/online.js';
import { FileQuarantine, defaultQuarantinePath, type QuarantineSink } from '../../vuln/quarantine.js';
import { scanJson } from '../../vuln/report/json.js';
import { scanSarif } from '../../vuln/report/sarif.js';
import { renderTable } from '../../vuln/report/table.js';
import { scanVex } from '../../vuln/report/vex.js';
import { scanTarget, type ScanTargetOptions } from '../../vuln/run.js';
import { DEFAULT_MAX_AGE_MS, findingsAtOrAbove, parseSeverityThreshold } from '../../vuln/scan.js';
import type { Severity } from '../../vuln/types.js';
import { ScanWatcher, type FileWatch } from '../../vuln/watch.js';
import { EXIT } from '../exit-codes.js';

/** What a service name resolves to (the envelope's folder). Wired by the lead; a path works today. */
export interface ResolvedService {
  path: string;
  service: string;
  classification?: string;
  intervalMs?: number;
}

export interface ScanHooks {
  resolveService?: (name: string) => Promise<ResolvedService | undefined>;
  /** Where cordons go besides quarantine.json (the sidecar, incidents). */
  quarantineSink?: QuarantineSink;
  /** Approval before a quarantine lifts; without it, only --auto-lift lifts. */
  approveLift?: (service: string) => Promise<boolean>;
}

interface ScanFlags {
  json?: boolean;
  sarif?: boolean;
  cyclonedxVex?: boolean;
  failOn?: string;
  online?: boolean;
  maxAge?: string;
  platform?: string;
  tag?: string;
  output?: string;
  watch?: boolean;
  interval?: string;
  service?: string;
  classification?: string;
  quarantineOn?: string;
  autoLift?: boolean;
}

export function toolVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

export function durationFlag(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new InvalidInputError(`${flag} "${value}" is not a duration such as 30s, 15m, 1h or 7d`);
  return ms;
}

async function resolveTarget(target: string, hooks: ScanHooks): Promise<ResolvedService | { path: string }> {
  if (existsSync(target)) return { path: target };
  const svc = hooks.resolveService ? await hooks.resolveService(target) : undefined;
  if (svc) return svc;
  throw new InvalidInputError(
    `cannot read ${target}: no such file or folder${hooks.resolveService ? ' and no service of that name' : ' (scanning a service by name needs its envelope, not wired yet: pass the service\'s folder, lockfile, SBOM or image)'}`,
  );
}

const chokidarFiles: FileWatch = (paths, onChange) => {
  const w = chokidarWatch(paths, { ignoreInitial: true, depth: 0, awaitWriteFinish: { stabilityThreshold: 200, pollInterval: 50 } });
  w.on('all', (_event, path) => onChange(path));
  return () => void w.close();
};

export function registerScan(program: Command, hooks: ScanHooks = {}): void {
  program
    .command('scan')
    .description('Scan a service for known vulnerabilities (lockfiles, node_modules, SBOMs, root filesystems, container images)')
    .argument('[target]', 'a lockfile, SBOM, project or root filesystem folder, OCI image layout, docker-save tarball, or service name', '.')
    .option('--json', 'print the result as JSON')
    .option('--sarif', 'print SARIF 2.1.0 (for code-scanning upload)')
    .option('--cyclonedx-vex', 'print the findings as a CycloneDX VEX document')
    .option('--fail-on <severity>', 'exit 3 when a finding is at or above low|medium|high|critical (unknown severity counts)')
    .option('--online', 'also ask the OSV API (api.osv.dev) when it is reachable')
    .option('--max-age <duration>', 'warn when the local database is older than this (default 7d, or ESQ_VULNDB_MAX_AGE)')
    .option('--platform <os/arch>', 'image platform to scan in a multi-platform image (default linux/amd64)')
    .option('--tag <tag>', 'image to scan when an archive holds several')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--watch', 'keep scanning: on the interval and when the lockfile or the database changes')
    .option('--interval <duration>', 'rescan interval with --watch (default 15m)')
    .option('--service <name>', 'the service name, for quarantine decisions with --watch')
    .option('--classification <class>', 'data classification of the service (e.g. pii-high) for quarantine decisions')
    .option('--quarantine-on <severity>', 'cordon the service when a finding reaches this severity (default: critical for pii-high, phi, pci)')
    .option('--auto-lift', 'lift a quarantine by itself once the findings are gone (default: wait for approval)')
    .addHelpText(
      'after',
      `
The database is the one \`esq vulndb import\` filled under ESQ_HOME (scanner/osv.db). A scan that
could not read its input fails (exit 2); it never reports CLEAN for what it did not read.
Exit codes: 0 scanned (findings below --fail-on included), 3 findings at or above --fail-on,
2 bad input or no database, 1 internal error.

Examples:
  esq vulndb import ./osv/npm && esq scan .
  esq scan package-lock.json --fail-on high
  esq scan image.tar --sarif -o esq.sarif
  esq scan ./rootfs --json
  esq scan . --watch --interval 15m --service lunch-subsidy-svc --classification pii-high`,
    )
    .action(async (target: string, o: ScanFlags) => {
      const formats = [o.json, o.sarif, o.cyclonedxVex].filter(Boolean).length;
      if (formats > 1) throw new InvalidInputError('choose one of --json, --sarif, --cyclonedx-vex');
      const failOn: Severity | undefined = o.failOn ? parseSeverityThreshold(o.failOn) : undefined;
      const s = settingsFromEnv();
      const resolved = await resolveTarget(target, hooks);
      const opts: ScanTargetOptions = {
        home: s.home,
        maxAgeMs: durationFlag(o.maxAge ?? process.env.ESQ_VULNDB_MAX_AGE, '--max-age', DEFAULT_MAX_AGE_MS),
        ...(o.online ? { onlineFetch: platformFetch } : {}),
        ...(o.platform ? { platform: o.platform } : {}),
        ...(o.tag ? { tag: o.tag } : {}),
      };
      const version = toolVersion();
      const emit = (text: string): void => {
        if (o.output) writeFileSync(o.output, text);
        else process.stdout.write(text);
      };

      if (!o.watch) {
        const { inventory, result } = await scanTarget(resolved.path, opts);
        const failing = failOn ? findingsAtOrAbove(result.findings, failOn).length : 0;
        if (o.json) emit(`${JSON.stringify(scanJson(result, failOn ? { failOn, failing } : undefined), null, 2)}\n`);
        else if (o.sarif) emit(`${JSON.stringify(scanSarif(result, { version }), null, 2)}\n`);
        else if (o.cyclonedxVex) emit(scanVex(inventory, result, { toolVersion: version }));
        else emit(renderTable(result, { color: !o.output && process.stdout.isTTY === true }));
        if (o.output && !o.json && !o.sarif && !o.cyclonedxVex) process.stdout.write(`report written to ${o.output}\n`);
        process.exitCode = failing > 0 ? EXIT.REFUSED : EXIT.OK;
        return;
      }

      if (formats > 0 || o.output) throw new InvalidInputError('--watch prints one line per change; it cannot be combined with --json, --sarif, --cyclonedx-vex or --output');
      const svc = 'service' in resolved ? resolved : undefined;
      const service = o.service ?? svc?.service;
      const classification = o.classification ?? svc?.classification;
      const intervalMs = durationFlag(o.interval, '--interval', svc?.intervalMs ?? 15 * 60_000);
      let watchedFiles: string[] = [];
      const watcher = new ScanWatcher({
        scan: async () => {
          const { inventory, result } = await scanTarget(resolved.path, opts);
          watchedFiles = [...inventory.files, defaultDbPath(s.home)];
          return result;
        },
        intervalMs,
        print: (line) => process.stdout.write(`${line}\n`),
        files: { paths: () => watchedFiles, watch: chokidarFiles },
        ...(service
          ? {
              quarantine: {
                service,
                ...(classification ? { classification } : {}),
                ...(o.quarantineOn ? { minSeverity: parseSeverityThreshold(o.quarantineOn, '--quarantine-on') } : {}),
                sink: new FileQuarantine(defaultQuarantinePath(s.home), hooks.quarantineSink),
                approveLift: async (name: string) => (o.autoLift ? true : hooks.approveLift ? hooks.approveLift(name) : false),
              },
            }
          : {}),
      });
      await watcher.start();
      await new Promise<void>((resolve) => {
        const done = (): void => {
          watcher.stop();
          resolve();
        };
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      const last = watcher.last;
      process.exitCode = failOn && last && findingsAtOrAbove(last.findings, failOn).length > 0 ? EXIT.REFUSED : EXIT.OK;
    });
}
