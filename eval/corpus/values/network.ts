/** Email addresses, URLs, IP addresses (v4, v6) and MAC addresses. */
import type { Rng } from '../rng.js';
import type { Generated } from '../template.js';
import { type DocContext, who } from './context.js';

const MAILBOX_DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'proton.me', 'hotmail.co.uk', 'web.de', 'aol.com', 'comcast.net', 'fastmail.fm'];
const ascii = (s: string) => s.normalize('NFKD').replace(/[^A-Za-z]/g, '');

/**
 * `{EMAIL_ADDRESS:role}` or `{EMAIL_ADDRESS:role-work}`: the person's own mailbox or their address at
 * the document's organisation (providers and `-work` always the latter).
 */
export function email(rng: Rng, ctx: DocContext, tag: string | undefined): Generated {
  const [role, kind] = (tag ?? 'patient').split('-');
  const p = who(ctx, role);
  const f = ascii(p.first).toLowerCase();
  const l = ascii(p.last).toLowerCase();
  const work = role === 'provider' || kind === 'work' || (kind !== 'personal' && rng.chance(0.3));
  const domain = work ? rng.pick([ctx.orgDomain, ctx.orgDomain, `mail.${ctx.orgDomain}`]) : rng.pick(MAILBOX_DOMAINS);
  const local = rng.pick([
    `${f}.${l}`, `${f[0]}${l}`, `${f}${l[0]}`, `${f}_${l}`, `${f}.${l}${rng.int(1, 99)}`, `${l}.${f}`,
    `${f}${rng.int(1950, 2005)}`, `${f}.${l}+${rng.pick(['billing', 'health', 'work', 'news'])}`, `${f[0]}.${l}`,
  ]);
  const cased = rng.chance(0.12) ? `${local[0]!.toUpperCase()}${local.slice(1)}` : local;
  return { value: `${cased}@${domain}`, format: work ? 'work' : 'personal' };
}

const PATHS = [
  () => '/patients/records', (r: Rng) => `/billing/invoice?id=${r.digits(6)}`, (r: Rng) => `/support/tickets/${r.int(10000, 99999)}`,
  () => '/login', () => '/portal/messages', (r: Rng) => `/appointments/${r.chars(8, 'abcdef0123456789')}`, () => '/forms/intake.pdf',
  () => '/careers/apply?ref=email', () => '/reset-password', () => '/', () => '',
];

/** `{URL}` on the document's organisation or a patient-portal/file-sharing service. */
export function url(rng: Rng, ctx: DocContext): Generated {
  const host = rng.pick([`www.${ctx.orgDomain}`, `portal.${ctx.orgDomain}`, ctx.orgDomain, 'mychart.example-health.org', 'docs.google.com', 'files.secure-share.net', 'bit.ly']);
  const path = rng.pick(PATHS)(rng);
  const bare = rng.chance(0.15);
  const scheme = rng.chance(0.85) ? 'https://' : 'http://';
  // Without a scheme people write the www. name of a bare domain, or a subdomain as it is.
  const bareHost = host.split('.').length === 2 ? `www.${host}` : host;
  return bare ? { value: `${bareHost}${path}`, format: 'no-scheme' } : { value: `${scheme}${host}${path}`, format: scheme.slice(0, -3) };
}

/** Private, public and carrier-grade ranges; never 0.x, loopback or multicast. */
function ipv4(rng: Rng): string {
  const first = rng.weighted([[10, 2], [192, 2], [172, 1], [rng.int(11, 126), 3], [rng.int(128, 223), 3]] as const);
  const second = first === 192 ? 168 : first === 172 ? rng.int(16, 31) : rng.int(0, 255);
  return `${first}.${second}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

function ipv6(rng: Rng): { value: string; format: string } {
  const hex = () => rng.int(0, 0xffff).toString(16);
  const groups = rng.chance(0.5) ? ['2001', 'db8', hex(), hex()] : rng.chance(0.5) ? ['fe80', '0', '0', '0'] : [hex().padStart(4, '2'), hex(), hex(), hex()];
  const tail = [hex(), hex(), hex(), hex()];
  const zeroRun = rng.chance(0.5);
  if (zeroRun) {
    // RFC 5952 compressed form: the longest zero run becomes "::".
    const keep = groups.filter((g, i) => !(i > 0 && g === '0'));
    const n = rng.int(1, 3);
    return { value: `${keep.join(':')}::${tail.slice(4 - n).join(':')}`, format: 'v6-compressed' };
  }
  const full = [...groups, ...tail];
  const upper = rng.chance(0.2);
  const v = full.map((g) => (rng.chance(0.3) ? g.padStart(4, '0') : g)).join(':');
  return { value: upper ? v.toUpperCase() : v, format: 'v6-full' };
}

export function ipAddress(rng: Rng, _ctx: unknown, tag: string | undefined): Generated {
  const v6 = tag === 'v6' || (tag !== 'v4' && rng.chance(0.35));
  return v6 ? ipv6(rng) : { value: ipv4(rng), format: 'v4' };
}

export function macAddress(rng: Rng): Generated {
  const bytes = Array.from({ length: 6 }, () => rng.int(0, 255).toString(16).padStart(2, '0'));
  const form = rng.weighted([['colon', 3], ['dash', 2], ['dotted', 1]] as const);
  const upper = rng.chance(0.5);
  const v = form === 'dotted' ? [0, 2, 4].map((i) => bytes[i]! + bytes[i + 1]!).join('.') : bytes.join(form === 'colon' ? ':' : '-');
  return { value: upper ? v.toUpperCase() : v, format: form };
}
