/**
 * The outbound allow-list: exact hosts (`irs.gov`), `*.` wildcards (`*.hms.local`: any name
 * below, never the apex), an optional port (`ledger.hms.local:8443`), IP literals (`10.0.0.7`,
 * `[fd00::1]:443`). Without a port, ports 80 and 443 (what the egress proxy enforces, see
 * egress/allow-list.ts, which also owns address rules: a name may not resolve to loopback,
 * link-local or metadata addresses; list those by IP).
 */
import { isIP } from 'node:net';

export interface AllowEntry {
  /** The entry as written. */
  raw: string;
  /** Lower-case host without the `*.`; for wildcards the suffix the name must end with. */
  host: string;
  wildcard: boolean;
  port?: number;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function hostProblem(host: string): string | undefined {
  if (isIP(host)) return undefined;
  if (host.length > 253) return 'host name longer than 253 characters';
  for (const label of host.split('.')) {
    if (!LABEL.test(label)) return `"${label}" is not a valid DNS label`;
  }
  return undefined;
}

/** Parses one entry; a string is the reason it is not valid. */
export function parseAllowEntry(raw: string): AllowEntry | string {
  let s = raw.trim().toLowerCase();
  if (s.includes('://') || s.includes('/')) return 'write a host (and optional :port), not a URL or path';
  let port: number | undefined;
  const v6 = /^\[([0-9a-f:.]+)\](?::(\d+))?$/.exec(s);
  if (v6) {
    if (isIP(v6[1]!) !== 6) return `"${v6[1]}" is not an IPv6 address`;
    if (v6[2] !== undefined) port = Number(v6[2]);
    s = v6[1]!;
  } else if (isIP(s) !== 6) {
    const m = /^(.*):(\d+)$/.exec(s);
    if (m) {
      s = m[1]!;
      port = Number(m[2]);
    }
  }
  if (port !== undefined && (port < 1 || port > 65535)) return `port ${port} is out of range 1-65535`;
  const wildcard = s.startsWith('*.');
  const host = wildcard ? s.slice(2) : s;
  if (host.includes('*')) return 'a wildcard may only be a leading "*." label';
  if (wildcard && isIP(host)) return 'an IP address cannot take a wildcard';
  const problem = hostProblem(host);
  if (problem) return problem;
  return port === undefined ? { raw, host, wildcard } : { raw, host, wildcard, port };
}

/** True when `host:port` is allowed by some entry. `host` may carry a trailing dot or brackets. */
export function isAllowed(entries: readonly AllowEntry[], host: string, port: number): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  return entries.some((e) => {
    if (e.port !== undefined ? e.port !== port : port !== 80 && port !== 443) return false;
    return e.wildcard ? h.endsWith(`.${e.host}`) : h === e.host;
  });
}
