/**
 * The egress allow-list: which hosts (and ports) a wrapped service may reach.
 *
 * Entry forms (strings as in `hms-sec.yml`, or objects):
 *   "api.example.com"            exact host, ports 80 and 443
 *   "api.example.com:8443"       exact host, that port only ("…:*" for any port)
 *   "*.example.com"              any name strictly below example.com (not example.com itself)
 *   "*.corp internal"            a wildcard whose names may resolve to private addresses
 *   "api.test:8080 loopback"     an exact host that may resolve to loopback (local services, tests)
 *   "10.1.2.3:5432", "[fd00:ec2::254]:80"   an IP literal (the only way to allow metadata or link-local)
 *   { host: "*.corp", port: 8443, internal: true }   the same as an object
 *
 * What each kind of entry may resolve to (checked on every DNS answer, see policy.ts):
 *   public addresses: any entry. Private (RFC 1918, ULA, CGNAT): exact entries, or wildcards
 *   marked `internal`. Loopback: only exact entries marked `loopback`. Link-local and cloud
 *   metadata: only IP-literal entries naming that address. Unspecified (0.0.0.0, ::): never.
 */
import { ConfigError } from '../../errors.js';
import { hostText, parseAuthority, type HostRef } from './host.js';
import { METADATA_HOSTNAMES } from './ip.js';

export interface AllowEntryInput {
  host: string;
  /** One port, a list, or '*' for any. Default: 80 and 443. */
  port?: number | readonly number[] | '*';
  /** A wildcard entry's names may resolve to private addresses. */
  internal?: boolean;
  /** An exact entry may resolve to loopback. */
  loopback?: boolean;
}

export type AllowListInput = ReadonlyArray<string | AllowEntryInput>;

export interface AllowEntry {
  /** The entry as configured, for audit events. */
  readonly source: string;
  readonly kind: 'exact' | 'wildcard' | 'ip';
  /** Host name, wildcard suffix (without "*."), or canonical IP. */
  readonly host: string;
  readonly ports: ReadonlySet<number> | 'any';
  readonly internal: boolean;
  readonly loopback: boolean;
}

export interface AllowMatch {
  entry?: AllowEntry;
  /** The host matched some entry, only not on this port. */
  hostListed: boolean;
}

export interface AllowList {
  readonly entries: readonly AllowEntry[];
  match(host: HostRef, port: number): AllowMatch;
}

const DEFAULT_PORTS: ReadonlySet<number> = new Set([80, 443]);
const FLAGS = new Set(['internal', 'loopback']);

function toObject(item: string | AllowEntryInput): AllowEntryInput & { flagsFromString?: string[] } {
  if (typeof item !== 'string') return item;
  const [authority = '', ...flags] = item.trim().split(/\s+/);
  const bad = flags.filter((f) => !FLAGS.has(f));
  if (bad.length) throw new ConfigError(`egress allow-list entry "${item}": unknown flag ${bad.join(', ')} (use internal or loopback)`);
  return { host: authority, internal: flags.includes('internal'), loopback: flags.includes('loopback') };
}

function portsOf(source: string, fromHost: number | undefined, given: AllowEntryInput['port'], anyFromHost: boolean): ReadonlySet<number> | 'any' {
  if (anyFromHost || given === '*') return 'any';
  const list = given === undefined ? (fromHost === undefined ? undefined : [fromHost]) : typeof given === 'number' ? [given] : [...given];
  if (fromHost !== undefined && given !== undefined) throw new ConfigError(`egress allow-list entry "${source}": port given twice`);
  if (list === undefined) return DEFAULT_PORTS;
  if (list.length === 0 || list.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) throw new ConfigError(`egress allow-list entry "${source}": ports must be integers 1–65535`);
  return new Set(list);
}

export function compileEntry(item: string | AllowEntryInput): AllowEntry {
  const o = toObject(item);
  const source = typeof item === 'string' ? item.trim() : JSON.stringify(item);
  if (typeof o.host !== 'string' || o.host === '') throw new ConfigError(`egress allow-list entry ${source}: host is required`);
  let text = o.host.trim();
  const anyPort = text.endsWith(':*');
  if (anyPort) text = text.slice(0, -2);
  const wildcard = text.startsWith('*.');
  if (wildcard) text = text.slice(2);
  if (text.includes('*')) throw new ConfigError(`egress allow-list entry "${source}": "*" is allowed only as the whole first label ("*.example.com")`);
  const parsed = parseAuthority(text, 0);
  if (!parsed.ok) throw new ConfigError(`egress allow-list entry "${source}": ${parsed.detail}`);
  const { host } = parsed;
  const ports = portsOf(source, parsed.port === 0 ? undefined : parsed.port, o.port, anyPort);
  const internal = o.internal === true;
  const loopback = o.loopback === true;
  if (host.kind === 'ip') {
    if (wildcard) throw new ConfigError(`egress allow-list entry "${source}": a wildcard cannot cover an IP address`);
    if (internal || loopback) throw new ConfigError(`egress allow-list entry "${source}": flags are for host names; an IP entry already allows exactly that address`);
    return { source, kind: 'ip', host: host.address, ports, internal: false, loopback: false };
  }
  if (METADATA_HOSTNAMES.has(host.name)) {
    throw new ConfigError(`egress allow-list entry "${source}": metadata services are allowed only by IP (e.g. "169.254.169.254:80")`);
  }
  if (wildcard && loopback) throw new ConfigError(`egress allow-list entry "${source}": loopback is allowed only on an exact host`);
  return { source, kind: wildcard ? 'wildcard' : 'exact', host: host.name, ports, internal: wildcard ? internal : true, loopback };
}

function portAllowed(e: AllowEntry, port: number): boolean {
  return e.ports === 'any' || e.ports.has(port);
}

export function compileAllowList(input: AllowListInput): AllowList {
  if (!Array.isArray(input)) throw new ConfigError('egress allow-list must be a list of entries');
  const entries = input.map(compileEntry);
  const exact = new Map<string, AllowEntry[]>();
  for (const e of entries) if (e.kind !== 'wildcard') exact.set(e.host, [...(exact.get(e.host) ?? []), e]);
  // Longest suffix first: the most specific wildcard's flags govern.
  const wildcards = entries.filter((e) => e.kind === 'wildcard').sort((a, b) => b.host.length - a.host.length);
  return {
    entries,
    match(host, port) {
      const key = host.kind === 'ip' ? host.address : host.name;
      const candidates = (exact.get(key) ?? []).filter((e) => (host.kind === 'ip') === (e.kind === 'ip'));
      if (host.kind === 'name') candidates.push(...wildcards.filter((w) => host.name.endsWith(`.${w.host}`)));
      const entry = candidates.find((e) => portAllowed(e, port));
      return entry ? { entry, hostListed: true } : { hostListed: candidates.length > 0 };
    },
  };
}

export function describeTarget(host: HostRef, port: number): string {
  return `${hostText(host)}:${port}`;
}
