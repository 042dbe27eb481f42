import type { Command } from 'commander';
import { chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pc from 'picocolors';
import { settingsFromEnv } from '../../config.js';
import { InvalidInputError } from '../../errors.js';
import { formatDuration, parseDuration } from '../../envelope/config/duration.js';
import type { KeyAlgorithm } from '../../envelope/config/load.js';
import { LocalCa, type IssuedRecord, type RevocationReason } from '../../envelope/pki/ca.js';
import { writePublicFile, writeSecretFile } from '../../envelope/pki/files.js';
import { workloadSpiffeId } from '../../envelope/pki/spiffe-id.js';
import { x509 } from '../../envelope/pki/x509.js';
import { printJson } from '../io.js';

const caDir = () => LocalCa.defaultDir(settingsFromEnv().home);

function recordState(r: IssuedRecord, now = Date.now()): 'revoked' | 'expired' | 'valid' {
  if (r.revokedAt) return 'revoked';
  return new Date(r.notAfter).getTime() <= now ? 'expired' : 'valid';
}

function keyAlgorithm(v: string): KeyAlgorithm {
  const k = v.toLowerCase();
  if (k === 'ed25519') return 'Ed25519';
  if (k === 'p256' || k === 'p-256' || k === 'ecdsa-p256') return 'ECDSA-P256';
  throw new InvalidInputError(`--key must be ed25519 or p256, not "${v}"`);
}

export function registerPki(program: Command): void {
  const pki = program
    .command('pki')
    .description('The local certificate authority for workload identities (SPIFFE X.509 certificates)')
    .addHelpText('after', '\nThe CA lives under <ESQ_HOME>/pki/ (private keys 0600). `esq wrap` creates it on first use.');

  pki
    .command('init')
    .description('Create the local CA (a root, and optionally an issuing intermediate)')
    .option('--trust-domain <name>', 'SPIFFE trust domain', 'esq.local')
    .option('--intermediate', 'sign workload certificates with an intermediate CA')
    .option('--json', 'print as JSON')
    .action(async (o: { trustDomain: string; intermediate?: boolean; json?: boolean }) => {
      const ca = await LocalCa.init(caDir(), { trustDomain: o.trustDomain, intermediate: o.intermediate === true });
      const root = new x509.X509Certificate(ca.bundlePem());
      const out = { dir: ca.dir, trustDomain: ca.trustDomain, intermediate: ca.hasIntermediate, rootSubject: root.subject, rootNotAfter: root.notAfter.toISOString(), bundle: join(ca.dir, 'bundle.pem') };
      if (o.json) printJson(out);
      else process.stdout.write(`${pc.green('✔')} CA for trust domain ${ca.trustDomain} in ${ca.dir}${ca.hasIntermediate ? ' (with an issuing intermediate)' : ''}\n  trust bundle: ${out.bundle}\n`);
    });

  pki
    .command('issue')
    .description("Issue a short-lived certificate for a service's workload identity")
    .argument('<service>', 'service name: the SPIFFE ID is spiffe://<trust-domain>/ns/<namespace>/sa/<service>')
    .option('-n, --namespace <ns>', 'namespace segment of the SPIFFE ID', 'default')
    .option('--ttl <duration>', 'lifetime, at most 24h', '1h')
    .option('--key <alg>', 'ed25519 or p256', 'ed25519')
    .option('--dns <name...>', 'extra DNS names for server use')
    .option('-o, --out <dir>', 'where to write cert.pem, chain.pem, key.pem (0600), bundle.pem (default: <ESQ_HOME>/pki/workloads/<service>)')
    .option('--json', 'print as JSON (paths and metadata, never the key)')
    .action(async (service: string, o: { namespace: string; ttl: string; key: string; dns?: string[]; out?: string; json?: boolean }) => {
      const ttlMs = parseDuration(o.ttl);
      if (ttlMs === undefined) throw new InvalidInputError(`--ttl "${o.ttl}" is not a duration (e.g. 30m, 1h)`);
      const ca = await LocalCa.open(caDir());
      const creds = await ca.issue({ spiffeId: workloadSpiffeId(ca.trustDomain, o.namespace, service), ttlMs, keyAlgorithm: keyAlgorithm(o.key), dnsNames: o.dns ?? [] });
      const out = resolve(o.out ?? join(ca.dir, 'workloads', service));
      writePublicFile(join(out, 'cert.pem'), creds.certPem);
      writePublicFile(join(out, 'chain.pem'), creds.chainPem);
      writePublicFile(join(out, 'bundle.pem'), creds.bundlePem);
      writeSecretFile(join(out, 'key.pem'), creds.keyPem);
      chmodSync(out, 0o700);
      const info = { spiffeId: creds.spiffeId, serial: creds.serial, notBefore: creds.notBefore.toISOString(), notAfter: creds.notAfter.toISOString(), keyAlgorithm: creds.keyAlgorithm, dir: out };
      if (o.json) printJson(info);
      else process.stdout.write(`${pc.green('✔')} ${creds.spiffeId}\n  serial ${creds.serial}, valid until ${info.notAfter} (${formatDuration(ttlMs)})\n  ${out}/{cert,chain,key,bundle}.pem\n`);
    });

  pki
    .command('list')
    .description('List issued certificates: serial, identity, expiry, state')
    .option('--all', 'include expired certificates')
    .option('--json', 'print as JSON')
    .action(async (o: { all?: boolean; json?: boolean }) => {
      const ca = await LocalCa.open(caDir());
      const rows = ca
        .list()
        .map((r) => ({ ...r, state: recordState(r) }))
        .filter((r) => o.all || r.state !== 'expired');
      if (o.json) {
        printJson(rows);
        return;
      }
      if (rows.length === 0) process.stdout.write(pc.dim('no certificates (add --all to include expired ones)\n'));
      for (const r of rows) {
        const state = r.state === 'valid' ? pc.green('valid  ') : r.state === 'revoked' ? pc.red('revoked') : pc.dim('expired');
        process.stdout.write(`${r.serial.padEnd(32)}  ${state}  ${r.notAfter}  ${r.spiffeId}\n`);
      }
    });

  pki
    .command('revoke')
    .description('Revoke a certificate by serial; running sidecars refuse it within seconds')
    .argument('<serial>', 'hexadecimal serial (see esq pki list)')
    .option('--reason <reason>', 'keyCompromise, superseded, cessationOfOperation, affiliationChanged, privilegeWithdrawn, unspecified', 'unspecified')
    .option('--json', 'print as JSON')
    .action(async (serial: string, o: { reason: string; json?: boolean }) => {
      const ca = await LocalCa.open(caDir());
      const rec = await ca.revoke(serial, o.reason as RevocationReason);
      if (o.json) printJson({ ...rec, crl: ca.crlPath });
      else process.stdout.write(`${pc.green('✔')} revoked ${rec.serial} (${rec.spiffeId}, ${rec.reason})\n  CRL re-signed: ${ca.crlPath}\n`);
    });
}
