/**
 * Test fixtures for the ingress: a recording upstream, mTLS calls that report what the client
 * saw, and certificates the CA would never issue (two URI SANs, a CA as a client).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client, type Dispatcher } from 'undici';
import type { WorkloadCredentials } from '../pki/ca.js';
import { generateKeyPair, importSigningKey, keyParams, privateKeyPem } from '../pki/keys.js';
import { checkSpiffeServer } from '../pki/tls-options.js';
import { x509 } from '../pki/x509.js';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export async function recordingUpstream(): Promise<{ port: number; seen: Recorded[]; close: () => Promise<void>; server: Server }> {
  const seen: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/plain', 'x-upstream': 'yes', connection: 'keep-alive' });
      res.end(`echo:${body.length}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, seen, server, close: () => new Promise((r) => server.close(() => r())) };
}

export type Outcome = { status: number; body: string; headers: IncomingHttpHeaders } | { error: string };

/** One request over a fresh mTLS connection; `creds` undefined sends no client certificate. */
export async function mtlsCall(
  url: string,
  creds: Pick<WorkloadCredentials, 'chainPem' | 'keyPem'> | undefined,
  bundlePem: string,
  req: Partial<Dispatcher.RequestOptions> & { path?: string } = {},
  dispatcher?: (c: Client) => Dispatcher,
): Promise<Outcome> {
  const client = new Client(url, {
    connect: { ca: bundlePem, ...(creds ? { cert: creds.chainPem, key: creds.keyPem } : {}), checkServerIdentity: checkSpiffeServer(() => true) },
    headersTimeout: 5000,
    bodyTimeout: 5000,
  });
  try {
    const d = dispatcher ? dispatcher(client) : client;
    const r = await d.request({ method: 'GET', path: '/', ...req } as Dispatcher.RequestOptions);
    return { status: r.statusCode, body: await r.body.text(), headers: r.headers as IncomingHttpHeaders };
  } catch (e) {
    return { error: (e as Error & { code?: string }).code ?? (e as Error).message };
  } finally {
    await client.destroy();
  }
}

/** Waits (briefly) for a server-side effect, such as a counter the handshake failure bumps. */
export async function eventually(check: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Signs a certificate with the CA's root key directly, bypassing the CA's rules. */
export async function forgeLeaf(caDir: string, uris: string[], opts: { isCa?: boolean } = {}): Promise<Pick<WorkloadCredentials, 'chainPem' | 'keyPem'>> {
  const root = new x509.X509Certificate(readFileSync(join(caDir, 'root.crt'), 'utf8'));
  const signingKey = await importSigningKey(readFileSync(join(caDir, 'root.key'), 'utf8'), 'ECDSA-P256');
  const keys = await generateKeyPair('Ed25519');
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(8).toString('hex').replace(/^0/, '1'),
    subject: 'CN=forged',
    issuer: root.subject,
    publicKey: keys.publicKey,
    signingKey,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 3_600_000),
    signingAlgorithm: keyParams('ECDSA-P256'),
    extensions: [
      new x509.BasicConstraintsExtension(opts.isCa === true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | (opts.isCa ? x509.KeyUsageFlags.keyCertSign : 0), true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension(uris.map((value) => ({ type: 'url' as const, value }))),
    ],
  });
  return { chainPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}
