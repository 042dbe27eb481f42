/**
 * Strict parsing of the host and port a client asks the proxy for. Anything a URL library might
 * read differently from us (percent-encoding, userinfo, backslashes, non-ASCII, odd IPv4
 * spellings) is refused rather than normalised, so the name we check is the name that gets dialled.
 */
import { canonicalIPv6, endsInNumber, parseIPv4 } from './ip.js';

export type HostRef = { kind: 'name'; name: string } | { kind: 'ip'; address: string; family: 4 | 6 };

export type HostProblem = 'bad-host' | 'ip-obfuscated' | 'userinfo';
export type Parsed<T> = ({ ok: true } & T) | { ok: false; reason: HostProblem; detail: string };

const fail = (reason: HostProblem, detail: string): { ok: false; reason: HostProblem; detail: string } => ({ ok: false, reason, detail });

/** Parses a host as written in a URL authority (IPv6 in brackets). Case and one trailing dot are normalised. */
export function parseHost(raw: string): Parsed<{ host: HostRef }> {
  if (raw.includes('%')) return fail('bad-host', 'percent-encoding in a host name');
  if (raw.includes('@')) return fail('userinfo', 'userinfo (user@host) in the target');
  if (raw.startsWith('[')) {
    const inner = raw.endsWith(']') ? raw.slice(1, -1) : '';
    const address = canonicalIPv6(inner);
    return address ? { ok: true, host: { kind: 'ip', address, family: 6 } } : fail('bad-host', 'malformed IPv6 literal');
  }
  const lower = raw.toLowerCase();
  if (lower === '' || !/^[a-z0-9._-]+$/.test(lower)) return fail('bad-host', 'a host name may hold only ASCII letters, digits, "-", "_" and "." (IDNs in punycode)');
  const name = lower.endsWith('.') ? lower.slice(0, -1) : lower;
  if (name === '' || name.startsWith('.') || name.endsWith('.') || name.includes('..')) return fail('bad-host', 'empty label in host name');
  if (endsInNumber(name)) {
    const address = parseIPv4(name);
    if (!address) return fail('bad-host', 'numeric host that is not an IPv4 address');
    if (address !== name) return fail('ip-obfuscated', `non-canonical IPv4 literal (means ${address})`);
    return { ok: true, host: { kind: 'ip', address, family: 4 } };
  }
  if (name.length > 253 || name.split('.').some((l) => l.length > 63)) return fail('bad-host', 'host name too long');
  return { ok: true, host: { kind: 'name', name } };
}

/** Parses `host[:port]` (or `[v6][:port]`). `defaultPort` applies when none is given; without one a port is required. */
export function parseAuthority(authority: string, defaultPort?: number): Parsed<{ host: HostRef; port: number }> {
  if (authority.includes('@')) return fail('userinfo', 'userinfo (user@host) in the target');
  if (authority.includes('\\')) return fail('bad-host', 'backslash in the target');
  let hostPart = authority;
  let portPart: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) return fail('bad-host', 'unclosed IPv6 bracket');
    hostPart = authority.slice(0, close + 1);
    const after = authority.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) return fail('bad-host', 'junk after IPv6 literal');
      portPart = after.slice(1);
    }
  } else {
    const colon = authority.indexOf(':');
    if (colon >= 0) {
      if (authority.indexOf(':', colon + 1) >= 0) return fail('bad-host', 'IPv6 literal without brackets');
      hostPart = authority.slice(0, colon);
      portPart = authority.slice(colon + 1);
    }
  }
  let port = defaultPort;
  if (portPart !== undefined) {
    if (!/^[0-9]{1,5}$/.test(portPart) || +portPart < 1 || +portPart > 65535) return fail('bad-host', 'invalid port');
    port = +portPart;
  }
  if (port === undefined) return fail('bad-host', 'a port is required');
  const h = parseHost(hostPart);
  return h.ok ? { ok: true, host: h.host, port } : h;
}

export function hostText(h: HostRef): string {
  return h.kind === 'name' ? h.name : h.family === 6 ? `[${h.address}]` : h.address;
}
