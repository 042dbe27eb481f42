/**
 * What the upstream may believe about a request's origin comes from the sidecar alone: every
 * header a caller could use to claim an identity is stripped, hop-by-hop headers are dropped, and
 * one verified identity header is added in the style of Envoy's `x-forwarded-client-cert`.
 * Runs on every request: one pass over Node's raw header list, no intermediate objects.
 */
export const XFCC = 'x-forwarded-client-cert';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate', 'http2-settings', 'expect']);
/** Identity and origin claims only the sidecar may make. */
const SPOOFABLE = new Set([XFCC, 'x-spiffe-id', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'forwarded', 'x-real-ip', 'x-client-cert', 'x-client-verify', 'x-zt', 'ssl-client-cert', 'x-amzn-mtls-clientcert']);
const SPOOFABLE_PREFIX = /^x-(?:esq|spiffe|ssl|client-cert|envoy)-/;

function dropped(name: string, listed: ReadonlySet<string> | undefined): boolean {
  return HOP_BY_HOP.has(name) || SPOOFABLE.has(name) || (listed?.has(name) ?? false) || SPOOFABLE_PREFIX.test(name);
}

/** `By=<sidecar>;Hash=<sha256 of the client cert DER>;URI=<caller SPIFFE ID>` (SPIFFE IDs need no quoting). */
export function xfccValue(by: string, certSha256: string, uri: string): string {
  return `By=${by};Hash=${certSha256};URI=${uri}`;
}

/** The request head to send upstream. */
export interface UpstreamHead {
  /** A flat `[name, value, …]` list. */
  headers: string[];
  /** The request has a body to stream (a non-zero Content-Length, or Transfer-Encoding). */
  hasBody: boolean;
}

/**
 * Request headers to forward, from Node's `rawHeaders`, followed by `add` (a flat list too).
 * Headers named in `Connection` are hop-by-hop too (RFC 9110 §7.6.1).
 */
export function forwardHeaders(rawHeaders: readonly string[], add: readonly string[]): UpstreamHead {
  let listed: Set<string> | undefined;
  let length: string | undefined;
  let chunked = false;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (name === 'connection') {
      listed ??= new Set();
      for (const t of rawHeaders[i + 1]!.split(',')) listed.add(t.trim().toLowerCase());
    } else if (name === 'content-length') length = rawHeaders[i + 1];
    else if (name === 'transfer-encoding') chunked = true;
  }
  const headers: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (!dropped(name.toLowerCase(), listed)) headers.push(name, rawHeaders[i + 1]!);
  }
  for (let i = 0; i < add.length; i++) headers.push(add[i]!);
  return { headers, hasBody: length !== undefined ? length.trim() !== '0' : chunked };
}

/**
 * Response headers to relay to the caller, as a flat list for `writeHead`, from the upstream's
 * flat list: everything but hop-by-hop fields, including those its `Connection` names.
 */
export function responseHeaders(raw: readonly string[]): string[] {
  let listed: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === 'connection') {
      listed ??= new Set();
      for (const t of raw[i + 1]!.split(',')) listed.add(t.trim().toLowerCase());
    }
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (!HOP_BY_HOP.has(name) && !(listed?.has(name) ?? false)) out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}
