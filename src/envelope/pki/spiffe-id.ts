/**
 * SPIFFE IDs (`spiffe://<trust-domain>/<path>`), checked to the letter of the SPIFFE-ID spec:
 * an identity that parses loosely can be spoofed (a port, a `..`, an upper-case trust domain).
 */
import { InvalidInputError } from '../../errors.js';

const TRUST_DOMAIN = /^[a-z0-9._-]{1,255}$/;
const SEGMENT = /^[A-Za-z0-9._-]+$/;

export interface SpiffeId {
  trustDomain: string;
  /** Path segments, e.g. `['ns', 'default', 'sa', 'billing']`. */
  segments: string[];
}

/** Why `s` is not a SPIFFE ID, or undefined when it is one. */
export function spiffeIdProblem(s: string): string | undefined {
  if (s.length > 2048) return 'longer than 2048 bytes';
  if (!s.startsWith('spiffe://')) return 'must start with spiffe://';
  const rest = s.slice('spiffe://'.length);
  const slash = rest.indexOf('/');
  const td = slash === -1 ? rest : rest.slice(0, slash);
  if (!TRUST_DOMAIN.test(td)) return `trust domain "${td}" may hold only lower-case letters, digits, ".", "-" and "_" (no port, no user info)`;
  if (slash === -1) return 'has no path (a workload ID names a path under the trust domain)';
  const segs = rest.slice(slash + 1).split('/');
  for (const seg of segs) {
    if (seg === '') return 'has an empty path segment or a trailing slash';
    if (seg === '.' || seg === '..') return 'has a "." or ".." path segment';
    if (!SEGMENT.test(seg)) return `path segment "${seg}" may hold only letters, digits, ".", "-" and "_"`;
  }
  return undefined;
}

export function parseSpiffeId(s: string): SpiffeId {
  const problem = spiffeIdProblem(s);
  if (problem) throw new InvalidInputError(`"${s}" is not a SPIFFE ID: ${problem}`);
  const rest = s.slice('spiffe://'.length);
  const slash = rest.indexOf('/');
  return { trustDomain: rest.slice(0, slash), segments: rest.slice(slash + 1).split('/') };
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The Kubernetes-style workload ID: `spiffe://<trust-domain>/ns/<namespace>/sa/<service>`. */
export function workloadSpiffeId(trustDomain: string, namespace: string, service: string): string {
  for (const [what, v] of [['namespace', namespace], ['service name', service]] as const) {
    if (!DNS_LABEL.test(v)) throw new InvalidInputError(`${what} "${v}" must be a DNS label: lower-case letters, digits and "-", at most 63`);
  }
  const id = `spiffe://${trustDomain}/ns/${namespace}/sa/${service}`;
  parseSpiffeId(id);
  return id;
}
