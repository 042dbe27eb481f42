import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { settingsFromEnv } from '../../config.js';
import { parseDuration } from '../../envelope/config/duration.js';
import { InvalidInputError } from '../../errors.js';
import { packageRoot } from '../../util/package-root.js';
import { chokidarFiles } from '../../vuln/file-watch.js';
import { defaultDbPath } from '../../vuln/osv/db.js';
import { platformFetch } from '../../vuln/osv/online.js';
import { operatorLift } from '../../vuln/operator-lift.js';
import { FileQuarantine, defaultQuarantinePath } from '../../vuln/quarantine.js';
import { defaultGate, type QuarantineGate } from '../../vuln/quarantine-gate.js';
import type { ServiceRef } from '../../vuln/quarantine-actions.js';
import { scanJson } from '../../vuln/report/json.js';
import { scanSarif } from '../../vuln/report/sarif.js';
import { renderTable } from '../../vuln/report/table.js';
import { scanVex } from '../../vuln/report/vex.js';
import { scanTarget, type ScanTargetOptions } from '../../vuln/run.js';
import { DEFAULT_MAX_AGE_MS, findingsAtOrAbove, parseSeverityThreshold } from '../../vuln/scan.js';
import { recordScan, startServiceScanner, type ServiceScanner } from '../../vuln/service-scan.js';
import { resolveServiceTarget } from '../../vuln/service-target.js';
import type { ScanResult, Severity } from '../../vuln/types.js';
import { ScanWatcher } from '../../vuln/watch.js';
import { EXIT } from '../exit-codes.js';

/** What a service name resolves to (the folder of the envelope file that names it). */
export interface ResolvedService {
  path: string;
  service: string;
  classification?: string;
  intervalMs?: number;
}

export interface ScanHooks {
  /** SERVICE → its folder; `configs` are the `--config` files given. */
  resolveService?: (name: string, o: { configs: string[] }) => Promise<ResolvedService | undefined>;
  /** Who decides quarantines and lifts. Default: the decision service at ESQ_URL, else the embedded engine and store. */
  quarantineGate?: (svc: ServiceRef & { home: string; quarantineOn?: Severity }) => QuarantineGate;
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
  lift?: boolean;
  config?: string[];
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

async function resolveTarget(target: string, hooks: ScanHooks, configs: string[]): Promise<ResolvedService | { path: string }> {
  if (existsSync(target)) return { path: target };
  const svc = hooks.resolveService ? await hooks.resolveService(target, { configs }) : undefined;
  if (svc) return svc;
  throw new InvalidInputError(
    `cannot read ${target}: no such file or folder${hooks.resolveService ? ` and no envelope file names a service of that name (looked at ./esq-sec.yml${configs.length ? ` and ${configs.join(', ')}` : ''}; pass the service's envelope file with --config)` : ''}`,
  );
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

/** The hooks `esq` runs with: service names resolve through envelope files (and a running wrap's run file). */
export const envelopeScanHooks: ScanHooks = {
  resolveService: async (name, o) => resolveServiceTarget(name, { home: settingsFromEnv().home, configs: o.configs }),
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
    .option('-c, --config <file>', 'envelope file naming the service to scan (repeatable; default ./esq-sec.yml)', collect)
    .option('--service <name>', 'the service name, for quarantine decisions with --watch (default: from the envelope file)')
    .option('--classification <class>', 'data classification of the service (e.g. pii-high) for quarantine decisions')
    .option('--quarantine-on <severity>', 'also cordon the service when a finding reaches this severity (the envelope pack cordons regulated-data services on critical)')
    .option('--auto-lift', 'operator override: lift a quarantine without approval once the findings are gone')
    .option('--lift', 'ask to lift the service\'s quarantine now (an approval request); run again once approved to lift')
    .addHelpText(
      'after',
      `
The database is the one \`esq vulndb import\` filled under ESQ_HOME (scanner/osv.db). A scan that
could not read its input fails (exit 2); it never reports CLEAN for what it did not read.
A SERVICE name resolves to the folder of the envelope file (./esq-sec.yml or --config) naming it;
its last scan is recorded for \`esq status\`. With --watch, the policy engine (packs/envelope)
decides what new findings trigger: a block cordons the service (its sidecar answers 503) and files
an incident; lifting needs an approval (ESQ_URL: the decision service; else the store under
ESQ_HOME, shown by \`esq serve\`'s console).
Exit codes: 0 scanned (findings below --fail-on included), 3 findings at or above --fail-on,
2 bad input or no database, 1 internal error; with --lift: 0 lifted, 4 waiting for approval,
3 refused.

Examples:
  esq vulndb import ./osv/npm && esq scan .
  esq scan package-lock.json --fail-on high
  esq scan image.tar --sarif -o esq.sarif
  esq scan ./rootfs --json
  esq scan lunch-subsidy-svc --watch --interval 15m
  esq scan lunch-subsidy-svc --lift`,
    )
    .action(async (target: string, o: ScanFlags) => {
      const formats = [o.json, o.sarif, o.cyclonedxVex].filter(Boolean).length;
      if (formats > 1) throw new InvalidInputError('choose one of --json, --sarif, --cyclonedx-vex');
      const failOn: Severity | undefined = o.failOn ? parseSeverityThreshold(o.failOn) : undefined;
      const quarantineOn = o.quarantineOn ? parseSeverityThreshold(o.quarantineOn, '--quarantine-on') : undefined;
      const s = settingsFromEnv();
      const resolved = await resolveTarget(target, hooks, o.config ?? []);
      const svc = 'service' in resolved ? resolved : undefined;
      const service = o.service ?? svc?.service;
      const classification = o.classification ?? svc?.classification ?? 'unclassified';
      const gate = (name: string): QuarantineGate => {
        const ref = { home: s.home, service: name, classification, ...(quarantineOn ? { quarantineOn } : {}) };
        return hooks.quarantineGate ? hooks.quarantineGate(ref) : defaultGate(ref);
      };

      if (o.lift) {
        if (!service) throw new InvalidInputError('--lift needs a service: esq scan SERVICE --lift (or --service NAME)');
        const r = await operatorLift({ service, records: new FileQuarantine(defaultQuarantinePath(s.home)), gate: gate(service) });
        process.stdout.write(`${r.message}\n`);
        process.exitCode = r.status === 'pending' ? EXIT.DEFERRED : r.status === 'refused' ? EXIT.REFUSED : EXIT.OK;
        return;
      }

      const opts: Omit<ScanTargetOptions, 'home'> = {
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
        let scanned: Awaited<ReturnType<typeof scanTarget>>;
        try {
          scanned = await scanTarget(resolved.path, { ...opts, home: s.home });
        } catch (e) {
          if (service) recordScan(s.home, service, { at: new Date(), error: e as Error });
          throw e;
        }
        const { inventory, result } = scanned;
        if (service) recordScan(s.home, service, { at: new Date(), result });
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
      const intervalMs = durationFlag(o.interval, '--interval', svc?.intervalMs ?? 15 * 60_000);
      const print = (line: string): void => void process.stdout.write(`${line}\n`);
      let last: () => ScanResult | undefined;
      let stop: () => void;
      if (service) {
        // A known service: quarantine decisions and its last-scan record, as the sidecar's scanner does.
        const scanner: ServiceScanner = await startServiceScanner({
          home: s.home,
          service,
          classification,
          path: resolved.path,
          intervalMs,
          log: print,
          gate: gate(service),
          ...(o.autoLift ? { autoLift: true } : {}),
          scanOptions: opts,
        });
        last = () => scanner.result();
        stop = () => scanner.stop();
      } else {
        let watchedFiles: string[] = [];
        const watcher = new ScanWatcher({
          scan: async () => {
            const { inventory, result } = await scanTarget(resolved.path, { ...opts, home: s.home });
            watchedFiles = [...inventory.files, defaultDbPath(s.home)];
            return result;
          },
          intervalMs,
          print,
          files: { paths: () => watchedFiles, watch: chokidarFiles },
        });
        await watcher.start();
        last = () => watcher.last;
        stop = () => watcher.stop();
      }
      await new Promise<void>((resolve) => {
        const done = (): void => {
          stop();
          resolve();
        };
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      const l = last();
      process.exitCode = failOn && l && findingsAtOrAbove(l.findings, failOn).length > 0 ? EXIT.REFUSED : EXIT.OK;
    });
}
