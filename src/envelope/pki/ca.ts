/**
 * The embedded certificate authority under `<ESQ_HOME>/pki/`: a root (and optionally an
 * intermediate that does the day-to-day signing), short-lived workload certificates whose only
 * identity is a SPIFFE ID, an index of what was issued, and a signed CRL of what was revoked.
 *
 *   pki/ca.json                  trust domain, algorithms, whether there is an intermediate
 *   pki/root.crt  root.key       the root (key 0600)
 *   pki/intermediate.crt/.key    the issuing CA, when asked for
 *   pki/bundle.pem               the trust bundle (roots) every verifier loads
 *   pki/crl.pem                  revoked serials, signed by the issuing CA
 *   pki/issued/<serial>.json     one record per issued certificate
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { ConfigError, InvalidInputError } from '../../errors.js';
import type { KeyAlgorithm } from '../config/load.js';
import { writePublicFile, writeSecretFile, ensurePrivateDir } from './files.js';
import { generateKeyPair, importSigningKey, keyParams, privateKeyPem } from './keys.js';
import { newSerial, normalizeSerial } from './serial.js';
import { parseSpiffeId } from './spiffe-id.js';
import { x509, type WebKey } from './x509.js';

const CA_ALG: KeyAlgorithm = 'ECDSA-P256';
const YEAR = 365 * 86_400_000;
/** Clocks drift: a certificate is valid from a minute before it was made. */
const BACKDATE_MS = 60_000;
export const DEFAULT_LEAF_TTL_MS = 3_600_000;
export const MAX_LEAF_TTL_MS = 24 * 3_600_000;
const CRL_LIFETIME_MS = 7 * 86_400_000;

export type RevocationReason = keyof typeof x509.X509CrlReason;

export interface CaOptions {
  trustDomain?: string;
  /** Sign workload certificates with an intermediate instead of the root. */
  intermediate?: boolean;
  clock?: () => Date;
}

export interface IssueRequest {
  spiffeId: string;
  ttlMs?: number;
  keyAlgorithm?: KeyAlgorithm;
  /** Extra DNS names / IP addresses, for a certificate that also serves plain-hostname clients. */
  dnsNames?: string[];
  ipAddresses?: string[];
}

export interface WorkloadCredentials {
  spiffeId: string;
  serial: string;
  notBefore: Date;
  notAfter: Date;
  keyAlgorithm: KeyAlgorithm;
  /** The leaf certificate alone. */
  certPem: string;
  /** Leaf then intermediates: what a TLS peer presents. */
  chainPem: string;
  /** PKCS#8 private key. */
  keyPem: string;
  /** Trust bundle: the roots a peer's chain must lead to. */
  bundlePem: string;
}

export interface IssuedRecord {
  serial: string;
  spiffeId: string;
  issuedAt: string;
  notBefore: string;
  notAfter: string;
  keyAlgorithm: KeyAlgorithm;
  revokedAt?: string;
  reason?: RevocationReason;
}

interface CaMeta {
  version: 1;
  trustDomain: string;
  createdAt: string;
  intermediate: boolean;
  caKeyAlgorithm: KeyAlgorithm;
}

export class LocalCa {
  readonly dir: string;
  readonly trustDomain: string;
  readonly #clock: () => Date;
  readonly #issuerCert: InstanceType<typeof x509.X509Certificate>;
  readonly #issuerKey: WebKey;
  readonly #chainExtraPem: string;
  readonly #bundlePem: string;

  private constructor(dir: string, meta: CaMeta, issuerCert: InstanceType<typeof x509.X509Certificate>, issuerKey: WebKey, clock: () => Date) {
    this.dir = dir;
    this.trustDomain = meta.trustDomain;
    this.#clock = clock;
    this.#issuerCert = issuerCert;
    this.#issuerKey = issuerKey;
    this.#chainExtraPem = meta.intermediate ? readFileSync(join(dir, 'intermediate.crt'), 'utf8') : '';
    this.#bundlePem = readFileSync(join(dir, 'bundle.pem'), 'utf8');
  }

  static defaultDir(home: string): string {
    return join(home, 'pki');
  }

  static exists(dir: string): boolean {
    return existsSync(join(dir, 'ca.json'));
  }

  /** Opens the CA in `dir`; a missing CA is a configuration problem the user fixes with `esq pki init`. */
  static async open(dir: string, opts: { clock?: () => Date } = {}): Promise<LocalCa> {
    if (!LocalCa.exists(dir)) throw new ConfigError(`no certificate authority in ${dir}; run \`esq pki init\` first`);
    let meta: CaMeta;
    try {
      meta = JSON.parse(readFileSync(join(dir, 'ca.json'), 'utf8')) as CaMeta;
    } catch (e) {
      throw new ConfigError(`${join(dir, 'ca.json')} is unreadable (${(e as Error).message}); move the folder away and run \`esq pki init\``);
    }
    const issuer = meta.intermediate ? 'intermediate' : 'root';
    const cert = new x509.X509Certificate(readFileSync(join(dir, `${issuer}.crt`), 'utf8'));
    const key = await importSigningKey(readFileSync(join(dir, `${issuer}.key`), 'utf8'), meta.caKeyAlgorithm);
    return new LocalCa(dir, meta, cert, key, opts.clock ?? (() => new Date()));
  }

  /** Creates a CA in `dir`; refuses to replace one (that would orphan every issued certificate). */
  static async init(dir: string, opts: CaOptions = {}): Promise<LocalCa> {
    if (LocalCa.exists(dir)) throw new ConfigError(`a certificate authority already exists in ${dir}`);
    const trustDomain = opts.trustDomain ?? 'esq.local';
    parseSpiffeId(`spiffe://${trustDomain}/x`); // validates the trust domain
    const clock = opts.clock ?? (() => new Date());
    const now = clock();
    ensurePrivateDir(dir);
    const alg = keyParams(CA_ALG);
    const rootKeys = await generateKeyPair(CA_ALG);
    const rootName = `CN=ESQ Root CA ${trustDomain}, O=ESQ`;
    const root = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: newSerial(),
      name: rootName,
      keys: rootKeys,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: new Date(now.getTime() + 10 * YEAR),
      signingAlgorithm: alg,
      extensions: [
        new x509.BasicConstraintsExtension(true, opts.intermediate ? 1 : 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
      ],
    });
    writeSecretFile(join(dir, 'root.key'), await privateKeyPem(rootKeys.privateKey), true);
    writePublicFile(join(dir, 'root.crt'), root.toString('pem'));
    writePublicFile(join(dir, 'bundle.pem'), root.toString('pem'));
    if (opts.intermediate) {
      const keys = await generateKeyPair(CA_ALG);
      const inter = await x509.X509CertificateGenerator.create({
        serialNumber: newSerial(),
        subject: `CN=ESQ Issuing CA ${trustDomain}, O=ESQ`,
        issuer: root.subject,
        publicKey: keys.publicKey,
        signingKey: rootKeys.privateKey,
        notBefore: new Date(now.getTime() - BACKDATE_MS),
        notAfter: new Date(now.getTime() + YEAR),
        signingAlgorithm: alg,
        extensions: [
          new x509.BasicConstraintsExtension(true, 0, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
          await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
          await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
        ],
      });
      writeSecretFile(join(dir, 'intermediate.key'), await privateKeyPem(keys.privateKey), true);
      writePublicFile(join(dir, 'intermediate.crt'), inter.toString('pem'));
    }
    const meta: CaMeta = { version: 1, trustDomain, createdAt: now.toISOString(), intermediate: opts.intermediate === true, caKeyAlgorithm: CA_ALG };
    writePublicFile(join(dir, 'ca.json'), `${JSON.stringify(meta, null, 2)}\n`);
    const ca = await LocalCa.open(dir, { clock });
    await ca.writeCrl();
    return ca;
  }

  static async openOrInit(dir: string, opts: CaOptions = {}): Promise<{ ca: LocalCa; created: boolean }> {
    if (LocalCa.exists(dir)) {
      const ca = await LocalCa.open(dir, opts.clock ? { clock: opts.clock } : {});
      if (opts.trustDomain && opts.trustDomain !== ca.trustDomain) {
        throw new ConfigError(`the CA in ${dir} serves trust domain "${ca.trustDomain}", not "${opts.trustDomain}"`);
      }
      return { ca, created: false };
    }
    return { ca: await LocalCa.init(dir, opts), created: true };
  }

  get hasIntermediate(): boolean {
    return this.#chainExtraPem !== '';
  }

  /** The roots every verifier trusts. */
  bundlePem(): string {
    return this.#bundlePem;
  }

  /** The certificate that signs leaves and the CRL. */
  issuerCertPem(): string {
    return this.#issuerCert.toString('pem');
  }

  get crlPath(): string {
    return join(this.dir, 'crl.pem');
  }

  async issue(req: IssueRequest): Promise<WorkloadCredentials> {
    const id = parseSpiffeId(req.spiffeId);
    if (id.trustDomain !== this.trustDomain) {
      throw new InvalidInputError(`${req.spiffeId} is outside this CA's trust domain "${this.trustDomain}"`);
    }
    const ttl = req.ttlMs ?? DEFAULT_LEAF_TTL_MS;
    if (!(ttl >= 1000 && ttl <= MAX_LEAF_TTL_MS)) throw new InvalidInputError('workload certificates live between 1s and 24h');
    const alg = req.keyAlgorithm ?? 'Ed25519';
    const now = this.#clock();
    const keys = await generateKeyPair(alg);
    const serial = newSerial();
    const names: Array<{ type: 'url' | 'dns' | 'ip'; value: string }> = [{ type: 'url', value: req.spiffeId }];
    for (const d of req.dnsNames ?? []) names.push({ type: 'dns', value: d });
    for (const ip of req.ipAddresses ?? []) {
      if (!isIP(ip)) throw new InvalidInputError(`"${ip}" is not an IP address`);
      names.push({ type: 'ip', value: ip });
    }
    const notBefore = new Date(now.getTime() - BACKDATE_MS);
    const notAfter = new Date(now.getTime() + ttl);
    const leaf = await x509.X509CertificateGenerator.create({
      serialNumber: serial,
      subject: `CN=${id.segments[id.segments.length - 1]}, O=ESQ`,
      issuer: this.#issuerCert.subject,
      publicKey: keys.publicKey,
      signingKey: this.#issuerKey,
      notBefore,
      notAfter,
      signingAlgorithm: keyParams(CA_ALG),
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth], false),
        new x509.SubjectAlternativeNameExtension(names, false),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(this.#issuerCert, false),
      ],
    });
    const certPem = leaf.toString('pem');
    const record: IssuedRecord = {
      serial: normalizeSerial(leaf.serialNumber),
      spiffeId: req.spiffeId,
      issuedAt: now.toISOString(),
      notBefore: leaf.notBefore.toISOString(),
      notAfter: leaf.notAfter.toISOString(),
      keyAlgorithm: alg,
    };
    writePublicFile(join(this.dir, 'issued', `${record.serial}.json`), `${JSON.stringify(record)}\n`);
    return {
      spiffeId: req.spiffeId,
      serial: record.serial,
      notBefore: leaf.notBefore,
      notAfter: leaf.notAfter,
      keyAlgorithm: alg,
      certPem,
      chainPem: certPem + this.#chainExtraPem,
      keyPem: await privateKeyPem(keys.privateKey),
      bundlePem: this.#bundlePem,
    };
  }

  /** Every certificate this CA issued, newest first. */
  list(): IssuedRecord[] {
    const dir = join(this.dir, 'issued');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as IssuedRecord)
      .sort((a, b) => b.issuedAt.localeCompare(a.issuedAt) || a.serial.localeCompare(b.serial));
  }

  /** Revokes a certificate by serial and re-signs the CRL. Revoking twice keeps the first date. */
  async revoke(serial: string, reason: RevocationReason = 'unspecified'): Promise<IssuedRecord> {
    if (!(reason in x509.X509CrlReason) || typeof x509.X509CrlReason[reason] !== 'number') {
      throw new InvalidInputError(`unknown revocation reason "${reason}"`);
    }
    const s = normalizeSerial(serial);
    if (!/^[0-9a-f]+$/.test(s)) throw new InvalidInputError(`"${serial}" is not a hexadecimal serial number`);
    const file = join(this.dir, 'issued', `${s}.json`);
    if (!existsSync(file)) throw new InvalidInputError(`no certificate with serial ${s} was issued by this CA (see \`esq pki list\`)`);
    const rec = JSON.parse(readFileSync(file, 'utf8')) as IssuedRecord;
    if (!rec.revokedAt) {
      rec.revokedAt = this.#clock().toISOString();
      rec.reason = reason;
      writePublicFile(file, `${JSON.stringify(rec)}\n`);
    }
    await this.writeCrl();
    return rec;
  }

  /** Signs and writes the CRL from the index; certificates past their expiry drop off it. */
  async writeCrl(): Promise<string> {
    const now = this.#clock();
    const entries = this.list()
      .filter((r) => r.revokedAt && new Date(r.notAfter) > now)
      .map((r) => ({ serialNumber: r.serial.length % 2 ? `0${r.serial}` : r.serial, revocationDate: new Date(r.revokedAt!), reason: x509.X509CrlReason[r.reason ?? 'unspecified'] }));
    const crl = await x509.X509CrlGenerator.create({
      issuer: this.#issuerCert.subject,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + CRL_LIFETIME_MS),
      entries,
      signingKey: this.#issuerKey,
      signingAlgorithm: keyParams(CA_ALG),
    });
    const pem = crl.toString('pem');
    writePublicFile(this.crlPath, pem);
    return pem;
  }
}
