/**
 * What a certificate says about identity and purpose, read from its DER with @peculiar/x509 —
 * not from Node's `subjectAltName` string, whose comma-joined form is easy to mis-split.
 */
import { createHash } from 'node:crypto';
import { normalizeSerial } from './serial.js';
import { x509 } from './x509.js';

export interface CertificateFacts {
  serial: string;
  notBefore: Date;
  notAfter: Date;
  /** Every URI SAN, in order. A workload certificate has exactly one, its SPIFFE ID. */
  uris: string[];
  dnsNames: string[];
  isCa: boolean;
  /** Key usage bits (x509.KeyUsageFlags); 0 when the extension is absent. */
  keyUsage: number;
  keyUsageCritical: boolean;
  /** Extended key usage OIDs; empty when the extension is absent. */
  extendedKeyUsage: string[];
  /** SHA-256 of the DER, hex: what Envoy's XFCC calls `Hash`. */
  sha256: string;
}

export function inspectCertificate(cert: string | Buffer | ArrayBuffer): CertificateFacts {
  const c = new x509.X509Certificate(cert instanceof Buffer ? new Uint8Array(cert) : cert);
  // One pass over the extensions: each getExtension() call re-decodes them all (~1 ms apiece).
  const facts: CertificateFacts = {
    serial: normalizeSerial(c.serialNumber),
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    uris: [],
    dnsNames: [],
    isCa: false,
    keyUsage: 0,
    keyUsageCritical: false,
    extendedKeyUsage: [],
    sha256: createHash('sha256').update(new Uint8Array(c.rawData)).digest('hex'),
  };
  for (const e of c.extensions) {
    if (e instanceof x509.SubjectAlternativeNameExtension) {
      for (const n of e.names.items) {
        if (n.type === 'url') facts.uris.push(n.value);
        else if (n.type === 'dns') facts.dnsNames.push(n.value);
      }
    } else if (e instanceof x509.BasicConstraintsExtension) facts.isCa = e.ca;
    else if (e instanceof x509.KeyUsagesExtension) {
      facts.keyUsage = e.usages;
      facts.keyUsageCritical = e.critical;
    } else if (e instanceof x509.ExtendedKeyUsageExtension) facts.extendedKeyUsage = Array.from(e.usages, String);
  }
  return facts;
}

/** All certificates in a PEM text, in order. */
export function splitPem(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
