/**
 * The egress decision for one target: allow-list match, then one DNS resolution whose every answer
 * must be an address the matching entry may reach. The caller dials the returned address, never
 * the name again, so a second (rebinding) answer can never be used.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { AllowEntry, AllowList } from './allow-list.js';
import type { HostProblem, HostRef } from './host.js';
import { METADATA_HOSTNAMES, canonicalIPv6, classifyAddress, type AddressClass } from './ip.js';

export type BlockReason =
  | HostProblem
  | 'bad-request'
  | 'not-listed'
  | 'port-not-listed'
  | 'metadata-host'
  | `resolved-${Exclude<AddressClass, 'public'>}`
  | 'address-refused'
  | 'dns-failed'
  | 'host-header-mismatch'
  | 'upgrade-refused'
  | 'redirect-not-listed'
  | 'tunnel-not-tls'
  | 'client-hello-invalid'
  | 'client-hello-timeout'
  | 'sni-missing'
  | 'sni-mismatch'
  | 'ech-refused'
  | 'policy-blocked'
  | 'policy-error';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has. Injected in tests; default: the OS resolver. */
export type Resolver = (hostname: string) => Promise<ReadonlyArray<ResolvedAddress>>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

export type Refusal = { ok: false; reason: BlockReason; detail: string; addressClass?: AddressClass };
export type Verdict = { ok: true; entry: AllowEntry; address: string; family: 4 | 6 } | Refusal;

/** May `entry` lead to an address of class `cls`? (Rules in allow-list.ts's header.) */
export function addressPermitted(entry: AllowEntry, cls: AddressClass): boolean {
  if (entry.kind === 'ip') return cls !== 'unspecified';
  if (cls === 'public') return true;
  if (cls === 'private') return entry.internal;
  if (cls === 'loopback') return entry.loopback;
  return false; // link-local, metadata, reserved, unspecified: only ever by IP
}

/** The allow-list part of the decision: no I/O. */
export function matchTarget(list: AllowList, host: HostRef, port: number): { ok: true; entry: AllowEntry } | Refusal {
  if (host.kind === 'name' && METADATA_HOSTNAMES.has(host.name)) return { ok: false, reason: 'metadata-host', detail: `${host.name} is a cloud metadata service` };
  const m = list.match(host, port);
  if (m.entry) return { ok: true, entry: m.entry };
  if (m.hostListed) return { ok: false, reason: 'port-not-listed', detail: `port ${port} is not listed for this host` };
  return { ok: false, reason: 'not-listed', detail: host.kind === 'ip' ? 'IP address not listed (IP targets must be listed by IP)' : 'host not listed' };
}

function canonical(answer: ResolvedAddress): string | undefined {
  const fam = isIP(answer.address.split('%')[0] ?? '');
  if (fam === 4) return answer.address;
  if (fam === 6) return answer.address.includes('%') ? answer.address : canonicalIPv6(answer.address);
  return undefined;
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The whole decision: allow-list, then (for names) one resolution with every answer checked. */
export async function checkTarget(list: AllowList, host: HostRef, port: number, resolver: Resolver, timeoutMs = 5000): Promise<Verdict> {
  const m = matchTarget(list, host, port);
  if (!m.ok) return m;
  if (host.kind === 'ip') {
    const cls = classifyAddress(host.address);
    if (!addressPermitted(m.entry, cls)) return { ok: false, reason: 'address-refused', detail: `${cls} address`, addressClass: cls };
    return { ok: true, entry: m.entry, address: host.address, family: host.family };
  }
  let answers: ReadonlyArray<ResolvedAddress>;
  try {
    answers = await withTimeout(resolver(host.name), timeoutMs);
  } catch (e) {
    return { ok: false, reason: 'dns-failed', detail: `resolution failed: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  if (!Array.isArray(answers) || answers.length === 0) return { ok: false, reason: 'dns-failed', detail: 'no addresses' };
  let first: ResolvedAddress | undefined;
  for (const a of answers) {
    const address = canonical(a);
    if (!address) return { ok: false, reason: 'dns-failed', detail: 'resolver returned a non-address' };
    const cls = classifyAddress(address);
    // One bad answer refuses the host: a client library could have picked it.
    if (!addressPermitted(m.entry, cls)) return { ok: false, reason: `resolved-${cls as Exclude<AddressClass, 'public'>}`, detail: `resolves to a ${cls} address (${address})`, addressClass: cls };
    first ??= { address, family: isIP(address) === 6 ? 6 : 4 };
  }
  return { ok: true, entry: m.entry, address: first!.address, family: first!.family };
}
