/**
 * One path for the policy and the upstream: the request target is normalised before the policy
 * sees it (dot segments resolved, slashes merged, needless percent-encoding decoded), and the
 * upstream receives exactly what was approved. Otherwise `/%61dmin`, `//admin` or `/x/../admin`
 * would slip past a rule about `/admin` and still reach it.
 */

/** Percent-encoded unreserved characters (RFC 3986 §2.3) mean the same decoded. */
const UNRESERVED_ENCODED = /%(2[dDeE]|3[0-9]|4[1-9a-fA-F]|5[0-9aA]|5[fF]|6[1-9a-fA-F]|7[0-9aA]|7[eE])/g;

export type Target = { path: string; query: string; forward: string } | { invalid: string };

export function normalizeTarget(raw: string): Target {
  if (!raw.startsWith('/')) return { invalid: 'request target must be a path (origin-form)' };
  const q = raw.indexOf('?');
  const rawPath = q === -1 ? raw : raw.slice(0, q);
  const query = q === -1 ? '' : raw.slice(q + 1);
  const decoded = rawPath.replace(UNRESERVED_ENCODED, (m) => String.fromCharCode(parseInt(m.slice(1), 16)));
  let path: string;
  try {
    // WHATWG URL resolves "." and ".." (also as %2e) and turns "\" into "/" for http.
    path = new URL(decoded.replace(/\/{2,}/g, '/'), 'http://esq.invalid').pathname;
  } catch {
    return { invalid: 'request target is not a valid path' };
  }
  path = path.replace(/\/{2,}/g, '/');
  return { path, query, forward: query ? `${path}?${query}` : path };
}
