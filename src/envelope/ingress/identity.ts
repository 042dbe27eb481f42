/**
 * The caller's workload identity, from the certificate it proved over mTLS. The TLS layer has
 * already checked the chain and dates; this adds what SPIFFE asks of an X509-SVID: exactly one
 * URI SAN holding a valid SPIFFE ID, not a CA, and fit for client authentication.
 */
import type { KeyObject, X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { inspectCertificate } from '../pki/inspect.js';
import { spiffeIdProblem } from '../pki/spiffe-id.js';
import { x509 } from '../pki/x509.js';

export interface PeerIdentity {
  spiffeId: string;
  serial: string;
  /** SHA-256 of the certificate DER, hex. */
  certSha256: string;
  notAfter: Date;
  /** The key the caller proved it holds: zero-trust tokens must verify with it. */
  publicKey: KeyObject;
}

type Verdict = PeerIdentity | { refused: string; serial?: string };

/**
 * Verdicts by certificate fingerprint: decoding a certificate costs milliseconds, and a caller
 * presents the same one on every connection until it rotates. The verdict depends on the
 * certificate alone (dates and revocation are checked per connection by the caller of this).
 */
const verdicts = new Map<string, Verdict>();
const MAX_VERDICTS = 4096;

export function peerIdentity(socket: TLSSocket): Verdict {
  const cert = socket.getPeerX509Certificate();
  if (!cert) return { refused: 'no client certificate' };
  const key = cert.fingerprint256;
  let v = verdicts.get(key);
  if (!v) {
    v = judge(cert);
    if (verdicts.size >= MAX_VERDICTS) verdicts.delete(verdicts.keys().next().value!);
    verdicts.set(key, v);
  }
  return v;
}

function judge(cert: X509Certificate): Verdict {
  let f: ReturnType<typeof inspectCertificate>;
  try {
    f = inspectCertificate(cert.raw);
  } catch (e) {
    return { refused: `unreadable client certificate: ${(e as Error).message}` };
  }
  const serial = f.serial;
  if (f.uris.length !== 1) return { refused: `client certificate has ${f.uris.length} URI SANs; a workload identity has exactly one`, serial };
  const id = f.uris[0]!;
  const why = spiffeIdProblem(id);
  if (why) return { refused: `client URI SAN is not a SPIFFE ID: ${why}`, serial };
  if (f.isCa) return { refused: 'client certificate is a CA certificate', serial };
  if (f.extendedKeyUsage.length > 0 && !f.extendedKeyUsage.includes(x509.ExtendedKeyUsage.clientAuth)) {
    return { refused: 'client certificate is not for client authentication (EKU)', serial };
  }
  if (f.keyUsage !== 0 && (f.keyUsage & x509.KeyUsageFlags.digitalSignature) === 0) {
    return { refused: 'client certificate key usage lacks digitalSignature', serial };
  }
  return { spiffeId: id, serial, certSha256: f.sha256, notAfter: f.notAfter, publicKey: cert.publicKey };
}

/** Server-side reasons for a failed handshake, from Node's verification codes. */
export function handshakeFailure(err: Error & { code?: string }, socket: TLSSocket | undefined): string {
  const code = socket?.authorizationError ? String(socket.authorizationError) : err.code;
  switch (code) {
    case 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE':
      return 'no client certificate';
    case 'CERT_HAS_EXPIRED':
      return 'client certificate expired';
    case 'CERT_NOT_YET_VALID':
      return 'client certificate not yet valid';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'CERT_SIGNATURE_FAILURE':
      return `client certificate not issued by the trust bundle (${code})`;
    case 'ERR_SSL_UNSUPPORTED_PROTOCOL':
    case 'ERR_SSL_NO_PROTOCOLS_AVAILABLE':
      return 'client does not speak TLS 1.3';
    default:
      return `TLS handshake failed (${code ?? err.message})`;
  }
}
