/**
 * What the upstream may believe about a request's origin comes from the sidecar alone: every
 * header a caller could use to claim an identity is stripped, hop-by-hop headers are dropped, and
 * one verified identity header is added in the style of Envoy's `x-forwarded-client-cert`.
 */
export const XFCC = 'x-forwarded-client-cert';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate', 'http2-settings', 'expect']);
/** Identity and origin claims only the sidecar may make. */
const SPOOFABLE = new Set([XFCC, 'x-spiffe-id', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'forwarded', 'x-real-ip', 'x-client-cert', 'x-client-verify', 'x-zt', 'ssl-client-cert', 'x-amzn-mtls-clientcert']);
const SPOOFABLE_PREFIXES = ['x-esq-', 'x-spiffe-', 'x-ssl-', 'x-client-cert-', 'x-envoy-'];

function dropped(name: string, extra: ReadonlySet<string> | undefined): boolean {
  return HOP_BY_HOP.has(name) || SPOOFABLE.has(name) || (extra?.has(name) ?? false) || SPOOFABLE_PREFIXES.some((p) => name.startsWith(p));
}

/** `By=<sidecar>;Hash=<sha256 of the client cert DER>;URI=<caller SPIFFE ID>` (SPIFFE IDs need no quoting). */
export function xfccValue(by: string, certSha256: string, uri: string): string {
  return `By=${by};Hash=${certSha256};URI=${uri}`;
}

/**
 * Request headers to forward, as undici's flat `[name, value, …]` list, from Node's `rawHeaders`.
 * Headers named in `Connection` are hop-by-hop too (RFC 9110 §7.6.1).
 */
export function forwardHeaders(rawHeaders: readonly string[], add: ReadonlyArray<readonly [string, string]>): string[] {
  let listed: Set<string> | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'connection') {
      listed ??= new Set();
      for (const t of rawHeaders[i + 1]!.split(',')) listed.add(t.trim().toLowerCase());
    }
  }
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (!dropped(name.toLowerCase(), listed)) out.push(name, rawHeaders[i + 1]!);
  }
  for (const [k, v] of add) out.push(k, v);
  return out;
}

/** Response headers to relay to the caller: everything but hop-by-hop. */
export function responseHeaders(h: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}
