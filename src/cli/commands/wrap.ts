import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import { settingsFromEnv } from '../../config.js';
import { ConfigError, InvalidInputError } from '../../errors.js';
import { createGovernor } from '../../esq.js';
import { parseEndpoint } from '../../envelope/config/endpoint.js';
import { defaultEnvelopeConfig, loadEnvelopeConfig, type EnvelopeConfig } from '../../envelope/config/load.js';
import { startEnvelope, type WrapDeps } from '../../envelope/wrap/envelope.js';
import { renderK8sManifests } from '../../envelope/wrap/k8s.js';
import { logger } from '../../util/log.js';
import { packageRoot } from '../../util/package-root.js';

const DEFAULT_FILE = 'esq-sec.yml';

/** The envelope file: --config, else ./esq-sec.yml when present, else every default. */
export function resolveEnvelopeConfig(service: string, file: string | undefined): EnvelopeConfig {
  const path = file ?? (existsSync(DEFAULT_FILE) ? DEFAULT_FILE : undefined);
  const cfg = path ? loadEnvelopeConfig(path) : defaultEnvelopeConfig(service);
  if (cfg.service !== service) throw new ConfigError(`${path} is the envelope of "${cfg.service}", not "${service}"`);
  return cfg;
}

/** ESQ_EGRESS_LISTEN (host:port on loopback): where the egress proxy listens, as the pod layout needs. */
function egressListenFromEnv(): { host: string; port: number } | undefined {
  const v = process.env.ESQ_EGRESS_LISTEN;
  if (v === undefined || v.trim() === '') return undefined;
  const e = parseEndpoint(v);
  if (typeof e === 'string' || !('host' in e)) throw new ConfigError(`ESQ_EGRESS_LISTEN: ${typeof e === 'string' ? e : 'the egress proxy listens on TCP loopback'}`);
  return e;
}

function colour(line: string): string {
  if (line.startsWith('✔')) return pc.green('✔') + line.slice(1);
  if (line.startsWith('!')) return pc.yellow(line);
  return line;
}

export function registerWrap(program: Command, deps: WrapDeps = {}): void {
  program
    .command('wrap')
    .description('Run a service inside the security envelope: mTLS ingress, egress through the sidecar, rotating workload certificate')
    .argument('<service>', 'the service name (as in the envelope file)')
    .argument('[command...]', 'the service to launch, after --; omit it to front an upstream that already runs')
    .option('-c, --config <file>', `envelope file (default: ./${DEFAULT_FILE} when present, else defaults)`)
    .option('--isolation <mode>', 'auto (a network namespace when the machine allows it), netns (required) or none', 'auto')
    .option('--emit <target>', 'k8s: print the equivalent Kubernetes manifests instead of running')
    .option('--image <ref>', 'with --emit k8s: the service image')
    .option('--sidecar-image <ref>', 'with --emit k8s: the esq sidecar image (default esq/sidecar:<version>)')
    .addHelpText(
      'after',
      `
The service gets PORT (where to listen), HTTP(S)_PROXY / NO_PROXY (egress through the sidecar:
the allow-list, then the policy engine as action egress.request) and, when it is granted secrets
(secrets.allow, or esq vault grant), ESQ_VAULT_SOCKET and ESQ_VAULT_TOKEN for the vault's local
API (GET /v1/vault/<path>); the session ends when esq stops. ESQ_MASTER_KEY and ESQ_ADMIN_KEY are
never passed on. Fronting a service esq does not launch (a pod's other container), set
ESQ_VAULT_SHARE_DIR to a folder both share: the socket (0660) and a token file (0640) go there,
and the service uses ESQ_VAULT_SOCKET and ESQ_VAULT_TOKEN_FILE (what --emit k8s sets up).
Signals are forwarded to a launched service and esq exits with its exit code. Callers need a
client certificate from the trust bundle (<ESQ_HOME>/pki/bundle.pem) naming an identity in
allowedCallers.

Examples:
  esq wrap lunch-subsidy-svc --config hms-sec.yml -- node server.js
  esq wrap lunch-subsidy-svc --config hms-sec.yml --emit k8s --image registry.local/lunch:1.4 -- node server.js`,
    )
    .action(async (service: string, command: string[], o: { config?: string; isolation: string; emit?: string; image?: string; sidecarImage?: string }) => {
      if (!['auto', 'netns', 'none'].includes(o.isolation)) throw new InvalidInputError(`--isolation must be auto, netns or none, not "${o.isolation}"`);
      const cfg = resolveEnvelopeConfig(service, o.config);
      if (o.emit !== undefined) {
        if (o.emit !== 'k8s') throw new InvalidInputError(`--emit supports k8s, not "${o.emit}"`);
        if (!o.image) throw new InvalidInputError('--emit k8s needs --image <the service image>');
        const version = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
        process.stdout.write(renderK8sManifests(cfg, { image: o.image, ...(command.length ? { command } : {}), sidecarImage: o.sidecarImage ?? `esq/sidecar:${version}` }));
        return;
      }
      const s = settingsFromEnv();
      const decide = deps.decide ?? ((g) => g.decide.bind(g))(createGovernor({ home: s.home }));
      // Denials are audit events: structured lines on stderr unless the caller wires a sink.
      const audit = deps.audit ?? ((d) => logger().warn({ denial: d }, 'ingress denied'));
      const egressAudit = deps.egressAudit ?? ((e) => logger().warn({ egress: e }, 'egress blocked'));
      const egressListen = egressListenFromEnv();
      const env = await startEnvelope({
        ...deps,
        decide,
        audit,
        egressAudit,
        ...(egressListen ? { egressListen } : {}),
        config: cfg,
        home: s.home,
        ...(command.length ? { command } : {}),
        isolation: o.isolation as 'auto' | 'netns' | 'none',
        log: (l) => process.stderr.write(`${colour(l)}\n`),
      });
      let code: number;
      if (command.length) code = await env.exited;
      else {
        // Sidecar only: run until told to stop.
        process.stderr.write(pc.dim(`sidecar running for ${service}; Ctrl-C to stop\n`));
        await new Promise<void>((r) => {
          process.once('SIGINT', r);
          process.once('SIGTERM', r);
        });
        code = 0;
      }
      await env.stop();
      process.exitCode = code;
    });
}
