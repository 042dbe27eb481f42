/** Hop-by-hop header handling for the forward proxy (RFC 9110 §7.6.1). */

const HOP_BY_HOP = new Set([
  'connection', 'proxy-connection', 'keep-alive', 'proxy-authorization', 'proxy-authenticate',
  'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect', 'host',
]);

export type HeaderMap = Record<string, string | string[]>;

/** Copies end-to-end headers from Node's rawHeaders list, dropping hop-by-hop ones and those named in Connection. */
export function endToEndHeaders(raw: readonly string[]): HeaderMap {
  const named = new Set<string>();
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === 'connection') raw[i + 1]!.split(',').forEach((t) => named.add(t.trim().toLowerCase()));
  }
  const out: HeaderMap = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (HOP_BY_HOP.has(name) || named.has(name)) continue;
    const prev = out[name];
    out[name] = prev === undefined ? raw[i + 1]! : Array.isArray(prev) ? [...prev, raw[i + 1]!] : [prev, raw[i + 1]!];
  }
  return out;
}
