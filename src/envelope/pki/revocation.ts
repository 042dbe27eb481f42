/**
 * The CA's revocation list as the ingress uses it: a set of revoked serials, taken only from a CRL
 * whose signature verifies against the issuing CA, and re-read when the file changes.
 */
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../../errors.js';
import { normalizeSerial } from './serial.js';
import { x509 } from './x509.js';

export interface RevocationChecker {
  isRevoked(serial: string): boolean;
}

/** Parses and verifies a CRL; returns its revoked serials (normalised). */
export async function readCrl(crlPem: string, issuerCertPem: string): Promise<{ serials: Set<string>; thisUpdate: Date; nextUpdate?: Date }> {
  const crl = new x509.X509Crl(crlPem);
  const issuer = new x509.X509Certificate(issuerCertPem);
  if (crl.issuer !== issuer.subject || !(await crl.verify({ publicKey: issuer }))) {
    throw new ConfigError(`the revocation list is not signed by ${issuer.subject}`);
  }
  const out: { serials: Set<string>; thisUpdate: Date; nextUpdate?: Date } = { serials: new Set(crl.entries.map((e) => normalizeSerial(e.serialNumber))), thisUpdate: crl.thisUpdate };
  if (crl.nextUpdate) out.nextUpdate = crl.nextUpdate;
  return out;
}

/**
 * A CRL file watched by polling (mtime and size): `esq pki revoke` in another process takes
 * effect within one interval. A CRL that fails verification is ignored and the last good one kept.
 */
export class CrlFile implements RevocationChecker {
  readonly #path: string;
  readonly #issuerPem: string;
  readonly #onError: (e: Error) => void;
  #serials = new Set<string>();
  #stamp = '';
  #timer: NodeJS.Timeout | undefined;
  thisUpdate: Date | undefined;

  private constructor(path: string, issuerPem: string, onError: (e: Error) => void) {
    this.#path = path;
    this.#issuerPem = issuerPem;
    this.#onError = onError;
  }

  /** Loads the CRL now; a missing or forged file at start is an error, not an empty list. */
  static async open(path: string, issuerPem: string, opts: { onError?: (e: Error) => void } = {}): Promise<CrlFile> {
    const f = new CrlFile(path, issuerPem, opts.onError ?? (() => {}));
    await f.#load(true);
    return f;
  }

  isRevoked(serial: string): boolean {
    return this.#serials.has(normalizeSerial(serial));
  }

  get size(): number {
    return this.#serials.size;
  }

  /** Re-reads the file if it changed. */
  async refresh(): Promise<void> {
    await this.#load(false);
  }

  watch(intervalMs = 2000): this {
    this.#timer ??= setInterval(() => void this.refresh(), intervalMs).unref();
    return this;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #load(first: boolean): Promise<void> {
    try {
      const st = statSync(this.#path);
      const stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
      if (stamp === this.#stamp) return;
      const crl = await readCrl(readFileSync(this.#path, 'utf8'), this.#issuerPem);
      this.#serials = crl.serials;
      this.thisUpdate = crl.thisUpdate;
      this.#stamp = stamp;
    } catch (e) {
      if (first) throw e instanceof ConfigError ? e : new ConfigError(`cannot read the revocation list ${this.#path}: ${(e as Error).message}`);
      this.#onError(e as Error);
    }
  }
}
