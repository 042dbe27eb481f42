/**
 * TLS options from workload credentials, for both ends of an mTLS connection. Peers are checked
 * by SPIFFE ID, not host name: workloads move between hosts, identities do not.
 */
import type { PeerCertificate, SecureContextOptions } from 'node:tls';
import type { WorkloadCredentials } from './ca.js';
import { inspectCertificate } from './inspect.js';

export function serverTlsOptions(creds: WorkloadCredentials): SecureContextOptions & { requestCert: true; rejectUnauthorized: true; minVersion: 'TLSv1.3' } {
  return { cert: creds.chainPem, key: creds.keyPem, ca: creds.bundlePem, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' };
}

/** A `checkServerIdentity` that accepts exactly one URI SAN equal to `expected`. */
export function checkSpiffeServer(expected: string | ((id: string) => boolean)) {
  return (_host: string, cert: PeerCertificate): Error | undefined => {
    const uris = inspectCertificate(cert.raw).uris;
    if (uris.length !== 1) return new Error(`server certificate has ${uris.length} URI SANs; a workload has exactly one`);
    const ok = typeof expected === 'string' ? uris[0] === expected : expected(uris[0]!);
    return ok ? undefined : new Error(`server identity ${uris[0]} is not the one expected`);
  };
}

export function clientTlsOptions(creds: WorkloadCredentials, expectServer: string | ((id: string) => boolean)) {
  return {
    cert: creds.chainPem,
    key: creds.keyPem,
    ca: creds.bundlePem,
    minVersion: 'TLSv1.3' as const,
    checkServerIdentity: checkSpiffeServer(expectServer),
  };
}
