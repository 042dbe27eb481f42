/**
 * IP literals and address classes for the egress proxy.
 *
 * IPv4 is parsed the way browsers and most URL libraries do (WHATWG "IPv4 parser"): one to four
 * parts, each decimal, octal (leading 0) or hex (0x). That is exactly what makes `2130706433`,
 * `0177.0.0.1`, `0x7f.1` and `127.1` all mean 127.0.0.1, so the proxy must see them the same way a
 * client library would, then refuse the non-canonical spellings outright.
 */
import { isIPv6 } from 'node:net';

export type AddressClass = 'public' | 'private' | 'loopback' | 'link-local' | 'metadata' | 'unspecified' | 'reserved';

/** Cloud instance-metadata endpoints (AWS IMDS and ECS/EKS credentials, GCP, Azure, Alibaba, OCI legacy). */
const METADATA_V4 = new Set(['169.254.169.254', '169.254.170.2', '169.254.170.23', '100.100.100.200', '192.0.0.192']);
const METADATA_V6 = new Set(['fd00:ec2::254', 'fd00:ec2::23']);

/** Host names that only ever mean an instance-metadata service. Refused by name, before any lookup. */
export const METADATA_HOSTNAMES: ReadonlySet<string> = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.internal',
  'metadata.tencentyun.com',
]);

/** True when the last dot-separated label is numeric: such a host is an IPv4 literal or invalid (WHATWG "ends in a number"). */
export function endsInNumber(host: string): boolean {
  const labels = host.split('.');
  if (labels[labels.length - 1] === '' && labels.length > 1) labels.pop();
  const last = labels[labels.length - 1] ?? '';
  return /^[0-9]+$/.test(last) || /^0x[0-9a-f]*$/i.test(last);
}

function parseIPv4Part(part: string): number | undefined {
  if (part === '') return undefined;
  let radix = 10;
  let digits = part;
  if (/^0x/i.test(part)) {
    radix = 16;
    digits = part.slice(2);
    if (digits === '') return 0; // WHATWG: "0x" alone is zero
  } else if (part.length > 1 && part.startsWith('0')) {
    radix = 8;
    digits = part.slice(1);
  }
  const ok = radix === 16 ? /^[0-9a-f]+$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!ok.test(digits)) return undefined;
  const n = parseInt(digits, radix);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Parses any IPv4 spelling a URL library would accept; returns the canonical dotted quad. */
export function parseIPv4(host: string): string | undefined {
  const parts = host.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 0 || parts.length > 4) return undefined;
  const nums: number[] = [];
  for (const p of parts) {
    const n = parseIPv4Part(p);
    if (n === undefined) return undefined;
    nums.push(n);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255)) return undefined;
  if (last >= 256 ** (4 - nums.length)) return undefined;
  let value = last;
  nums.forEach((n, i) => (value += n * 256 ** (3 - i)));
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** The 16 bytes of an IPv6 address (no zone id), or undefined. */
export function ipv6Bytes(text: string): Uint8Array | undefined {
  if (!isIPv6(text) || text.includes('%')) return undefined;
  // Rewrite a trailing dotted quad as two hex groups, then parse eight groups.
  const s = text.toLowerCase().replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a: string, b: string, c: string, d: string) =>
    `${((+a << 8) | +b).toString(16)}:${((+c << 8) | +d).toString(16)}`);
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  if (fill < 0) return undefined;
  const groups = [...head, ...Array<string>(fill).fill('0'), ...rest];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 255;
  });
  return out;
}

/** RFC 5952 text for 16 bytes (lowercase, longest zero run compressed, no embedded IPv4). */
export function formatIPv6(b: Uint8Array): string {
  const g = Array.from({ length: 8 }, (_, i) => (b[i * 2]! << 8) | b[i * 2 + 1]!);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = g.map((n) => n.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function canonicalIPv6(text: string): string | undefined {
  const b = ipv6Bytes(text);
  return b && formatIPv6(b);
}

function inV4(addr: number[], net: [number, number, number, number], bits: number): boolean {
  const a = ((addr[0]! << 24) | (addr[1]! << 16) | (addr[2]! << 8) | addr[3]!) >>> 0;
  const n = ((net[0] << 24) | (net[1] << 16) | (net[2] << 8) | net[3]) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (a & mask) === (n & mask);
}

function classifyV4(a: number[]): AddressClass {
  const text = a.join('.');
  if (METADATA_V4.has(text)) return 'metadata';
  if (inV4(a, [0, 0, 0, 0], 8)) return 'unspecified';
  if (inV4(a, [127, 0, 0, 0], 8)) return 'loopback';
  if (inV4(a, [169, 254, 0, 0], 16)) return 'link-local';
  if (inV4(a, [10, 0, 0, 0], 8) || inV4(a, [172, 16, 0, 0], 12) || inV4(a, [192, 168, 0, 0], 16)) return 'private';
  if (inV4(a, [100, 64, 0, 0], 10) || inV4(a, [198, 18, 0, 0], 15)) return 'private'; // CGNAT, benchmarking
  if (inV4(a, [192, 0, 0, 0], 24) || inV4(a, [192, 0, 2, 0], 24) || inV4(a, [198, 51, 100, 0], 24) || inV4(a, [203, 0, 113, 0], 24)) return 'reserved';
  if (inV4(a, [224, 0, 0, 0], 4) || inV4(a, [240, 0, 0, 0], 4)) return 'reserved'; // multicast, class E and broadcast
  return 'public';
}

function classifyV6(b: Uint8Array): AddressClass {
  if (METADATA_V6.has(formatIPv6(b))) return 'metadata';
  const zeroUpTo = (n: number): boolean => b.subarray(0, n).every((x) => x === 0);
  const v4 = (from: number): number[] => Array.from(b.subarray(from, from + 4));
  if (zeroUpTo(16)) return 'unspecified';
  if (zeroUpTo(15) && b[15] === 1) return 'loopback';
  // Forms that embed an IPv4 address reach that address: judge them by it.
  if (zeroUpTo(10) && b[10] === 0xff && b[11] === 0xff) return classifyV4(v4(12)); // ::ffff:a.b.c.d
  if (zeroUpTo(12)) return classifyV4(v4(12)); // deprecated ::a.b.c.d
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.subarray(4, 12).every((x) => x === 0)) return classifyV4(v4(12)); // NAT64 64:ff9b::/96
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b[4] === 0x00 && b[5] === 0x01) return 'private'; // local NAT64 64:ff9b:1::/48
  if (b[0] === 0x20 && b[1] === 0x02) return classifyV4(v4(2)); // 6to4 2002::/16
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x00 && b[3] === 0x00) return 'reserved'; // Teredo hides its IPv4 target
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return 'reserved'; // documentation
  if (b[0] === 0x01 && b[1] === 0x00 && b.subarray(2, 8).every((x) => x === 0)) return 'reserved'; // discard 100::/64
  if ((b[0]! & 0xfe) === 0xfc) return 'private'; // ULA fc00::/7
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0x80) return 'link-local'; // fe80::/10
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0xc0) return 'private'; // deprecated site-local fec0::/10
  if (b[0] === 0xff) return 'reserved'; // multicast
  return 'public';
}

/** The class of a canonical address (dotted quad or IPv6 text, no zone id). */
export function classifyAddress(address: string): AddressClass {
  if (address.includes('%')) return 'link-local'; // only link-local addresses carry a zone id
  if (/^\d+\.\d+\.\d+\.\d+$/.test(address)) {
    const a = address.split('.').map(Number);
    if (a.some((n) => n > 255)) return 'reserved';
    return classifyV4(a);
  }
  const b = ipv6Bytes(address);
  return b ? classifyV6(b) : 'reserved';
}
