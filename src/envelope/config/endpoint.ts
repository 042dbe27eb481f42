/**
 * Where something listens or is reached: a port (`8443`, loopback implied), `host:port`,
 * `[::1]:8443`, or `unix:/path/to.sock`.
 */
import { isIP } from 'node:net';

export type Endpoint = { host: string; port: number } | { socketPath: string };

const LOOPBACK_NAMES = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Parses an endpoint; `defaultHost` applies to a bare port. Returns a problem string on failure. */
export function parseEndpoint(value: string | number, defaultHost = '127.0.0.1'): Endpoint | string {
  if (typeof value === 'number') return portOk(value) ? { host: defaultHost, port: value } : `port ${value} is out of range 0-65535`;
  const v = value.trim();
  if (v.startsWith('unix:')) {
    const socketPath = v.slice(5);
    return socketPath.startsWith('/') ? { socketPath } : 'a unix: endpoint needs an absolute path';
  }
  if (/^\d+$/.test(v)) return parseEndpoint(Number(v), defaultHost);
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(v) ?? /^([A-Za-z0-9.-]+):(\d+)$/.exec(v);
  if (!m) return `"${v}" is not host:port, [ipv6]:port, a port number or unix:/path`;
  const host = m[1]!;
  const port = Number(m[2]);
  if (!portOk(port)) return `port ${port} is out of range 0-65535`;
  if (v.startsWith('[') && isIP(host) !== 6) return `"${host}" is not an IPv6 address`;
  return { host, port };
}

function portOk(p: number): boolean {
  return Number.isInteger(p) && p >= 0 && p <= 65535;
}

export function endpointLabel(e: Endpoint): string {
  if ('socketPath' in e) return `unix:${e.socketPath}`;
  return isIP(e.host) === 6 ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}
