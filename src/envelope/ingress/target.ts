/**
 * One path for the policy and the upstream: the request target is normalised before the policy
 * sees it (dot segments resolved, slashes merged, needless percent-encoding decoded), and the
 * upstream receives exactly what was approved. Otherwise `/%61dmin`, `//admin` or `/x/../admin`
 * would slip past a rule about `/admin` and still reach it.
 */

/** Percent-encoded unreserved characters (RFC 3986 §2.3) mean the same decoded. */
const UNRESERVED_ENCODED = /%(2[dDeE]|3[0-9]|4[1-9a-fA-F]|5[0-9aA]|5[fF]|6[1-9a-fA-F]|7[0-9aA]|7[eE])/g;

/**
 * A path already in normal form: segments of plain pchars (no percent-escapes, no backslash, none
 * of the characters URL parsing would escape), none empty, none `.` or `..`. Most real targets
 * are; they skip the URL parser (which gives the same answer for them, see the tests).
 */
const ALREADY_NORMAL = /^(?:(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9\-._~!$&'()*+,;=:@]+)+\/?|\/)$/;

/** A target in normal form: `forward` is what the upstream receives, `path` what the policy judged. */
export interface NormalTarget {
  path: string;
  query: string;
  forward: string;
}
export type Target = NormalTarget | { invalid: string };

export function normalizeTarget(raw: string): Target {
  if (!raw.startsWith('/')) return { invalid: 'request target must be a path (origin-form)' };
  const q = raw.indexOf('?');
  const rawPath = q === -1 ? raw : raw.slice(0, q);
  const query = q === -1 ? '' : raw.slice(q + 1);
  const path = ALREADY_NORMAL.test(rawPath) ? rawPath : resolvePath(rawPath);
  if (path === undefined) return { invalid: 'request target is not a valid path' };
  return { path, query, forward: q === -1 ? path : query ? `${path}?${query}` : path };
}

/** The general case: decode what needs no encoding, let WHATWG URL resolve dot segments, merge slashes. */
export function resolvePath(rawPath: string): string | undefined {
  const decoded = rawPath.replace(UNRESERVED_ENCODED, (m) => String.fromCharCode(parseInt(m.slice(1), 16)));
  try {
    // WHATWG URL resolves "." and ".." (also as %2e) and turns "\" into "/" for http.
    return new URL(decoded.replace(/\/{2,}/g, '/'), 'http://esq.invalid').pathname.replace(/\/{2,}/g, '/');
  } catch {
    return undefined;
  }
}
